"""The one door for fetching a report request by id from a URL."""

from artsmark.common.access import not_found, parse_pk
from artsmark.common.models import ReportRequest
from artsmark.common.reports.registry import UnknownReportKindError, get_kind


def get_report_for(user, pk, *, kind=None):
    """A report request whose subject the user may read (the kind's access helper decides).

    Missing, not yours, or (when `kind` is given) another kind: the same 404.
    """
    report = ReportRequest.objects.filter(pk=parse_pk(pk)).first()
    if report is None or not user.is_authenticated or (kind and report.kind != kind):
        raise not_found("report")
    try:
        report_kind = get_kind(report.kind)
    except UnknownReportKindError:
        raise not_found("report") from None
    # Raises the 404 for a subject the user may not read; the subject is kept for the view.
    report.checked_subject = report_kind.subject_for(user, report.object_id)
    return report
