"""A framework version's parts, read from Django's cache (Redis) instead of five queries.

Every Statement of Commitment page, review and report reads the same rows of the journey's
framework: its sections with their questions, the self-assessment scale, the Quality
Principles and the strands. They change only when an admin edits the framework, so they are
kept in the cache under the framework's id and dropped whenever one of them is saved or
deleted (at once, and again when the transaction commits, so that a page rendered during
the edit cannot put the old parts back for long). A cache that is down is an error like a
database that is down: the portal does not quietly read around it.

The parts are model instances for reading only; writes still go through the services.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.db import connections, transaction
from django.db.models import Prefetch
from django.db.models.signals import post_delete, post_migrate, post_save

from journeys.models import (
    Framework,
    FrameworkQuestion,
    FrameworkSection,
    QualityPrinciple,
    ScaleLevel,
    Strand,
)

# Bump when FrameworkParts changes shape, so that old entries are not read back.
_SHAPE = 1
TIMEOUT_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class FrameworkParts:
    sections: list  # FrameworkSection, each with its questions prefetched (in order)
    scale_levels: list
    quality_principles: list
    strands: list

    def section(self, pk):
        return next((section for section in self.sections if section.pk == pk), None)


def _key(framework_id):
    return f"framework-parts:{_SHAPE}:{framework_id}"


def _read(framework_id):
    sections = list(
        FrameworkSection.objects.filter(framework_id=framework_id).prefetch_related(
            Prefetch("questions", queryset=FrameworkQuestion.objects.order_by("order", "id"))
        )
    )
    return FrameworkParts(
        sections=sections,
        scale_levels=list(ScaleLevel.objects.filter(framework_id=framework_id)),
        quality_principles=list(QualityPrinciple.objects.filter(framework_id=framework_id)),
        strands=list(Strand.objects.filter(framework_id=framework_id)),
    )


def framework_parts(framework_id):
    """The parts of framework `framework_id`, from the cache or read and cached."""
    parts = cache.get(_key(framework_id))
    if parts is None:
        parts = _read(framework_id)
        cache.set(_key(framework_id), parts, TIMEOUT_SECONDS)
    return parts


def forget_framework_parts(framework_id):
    cache.delete(_key(framework_id))
    transaction.on_commit(lambda: cache.delete(_key(framework_id)))


def _framework_id(instance):
    if isinstance(instance, Framework):
        return instance.pk
    if isinstance(instance, FrameworkQuestion):
        return (
            FrameworkSection.objects.filter(pk=instance.section_id)
            .values_list("framework_id", flat=True)
            .first()
        )
    return instance.framework_id


def _on_change(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return  # loading fixtures: nothing is cached yet
    framework_id = _framework_id(instance)
    if framework_id is not None:
        forget_framework_parts(framework_id)


def _after_migrate(sender, using, **kwargs):
    # Data migrations change frameworks through historical models, whose signals do not
    # reach _on_change. (Migrated back to zero, there is no table and nothing to forget.)
    if Framework._meta.db_table not in connections[using].introspection.table_names():
        return
    for framework_id in Framework.objects.using(using).values_list("pk", flat=True):
        cache.delete(_key(framework_id))


def connect_signals(app_config):
    post_migrate.connect(
        _after_migrate, sender=app_config, dispatch_uid="framework-parts-after-migrate"
    )
    for model in (
        Framework,
        FrameworkSection,
        FrameworkQuestion,
        ScaleLevel,
        QualityPrinciple,
        Strand,
    ):
        post_save.connect(_on_change, sender=model, dispatch_uid=f"framework-parts-{model}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"framework-parts-del-{model}")
