from django.contrib.contenttypes.models import ContentType

from artsmark.common.models import ReportRequest


def reports_about(*, subject, kind, limit=10):
    """The latest requests for `kind` reports on `subject`, newest first (one query)."""
    return list(
        ReportRequest.objects.filter(
            kind=kind,
            content_type=ContentType.objects.get_for_model(subject),
            object_id=subject.pk,
        ).select_related("requested_by")[:limit]
    )
