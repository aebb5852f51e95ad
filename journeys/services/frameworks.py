"""Framework versions: copy the current one into a new draft version, then publish it.

A published version that journeys use is never edited in place (the admin makes its rows
read-only), so publishing never changes a journey that started on an older version.
"""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from journeys.models import Framework

_CHILD_SETS = ["scale_levels", "quality_principles", "strands", "fee_bands"]


def copy_framework(*, framework):
    """A new, unpublished version with the same content as `framework`."""
    with transaction.atomic():
        number = (Framework.objects.aggregate(n=Max("version"))["n"] or 0) + 1
        copy = Framework.objects.get(pk=framework.pk)
        copy.pk = None
        copy.version = number
        copy.is_current = False
        copy.published_at = None
        copy.save()
        for name in _CHILD_SETS:
            for row in getattr(framework, name).all():
                row.pk = None
                row.framework = copy
                row.save()
        for section in framework.sections.prefetch_related("questions"):
            questions = list(section.questions.all())
            section.pk = None
            section.framework = copy
            section.save()
            for question in questions:
                question.pk = None
                question.section = section
                question.save()
    return copy


def publish_framework(*, framework):
    """Make `framework` the version new registrations start on."""
    with transaction.atomic():
        Framework.objects.filter(is_current=True).exclude(pk=framework.pk).update(is_current=False)
        framework.is_current = True
        framework.published_at = framework.published_at or timezone.now()
        framework.save(update_fields=["is_current", "published_at"])
    return framework
