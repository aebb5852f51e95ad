"""Report views: ask for a report, follow its status (htmx), download it.

The request returns at once; a Celery worker renders the PDF (artsmark/common/reports).
Every view fetches through an access helper: the journey's, the Bridge Organisation's, or
the report's own (which asks its kind's helper about the subject).
"""

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from artsmark.common.models import ReportRequest
from artsmark.common.reports.access import get_report_for
from artsmark.common.reports.selectors import reports_about
from artsmark.common.reports.services import request_report
from artsmark.schools.access import get_bridge_organisation_for
from journeys.access import get_journey_for

MESSAGE_STARTED = "We are making your report. It will be ready to download in a moment."
MESSAGE_ALREADY = "This report is already being made. It will be ready to download in a moment."
MESSAGE_DELAYED = (
    "We have recorded your request, but reports are being made more slowly than usual just "
    "now. Yours will be made automatically within a few minutes: come back to this page to "
    "download it."
)


def _message_for(report):
    if getattr(report, "nudge_failed", False):
        return MESSAGE_DELAYED
    return MESSAGE_STARTED if report.created else MESSAGE_ALREADY


def _respond(request, report, fallback_url):
    """htmx swaps in the status fragment; without JavaScript, back to the page with a message."""
    message = _message_for(report)
    if request.htmx:
        return render(
            request,
            "journeys/reports/partials/status.html",
            {"report": report, "message": message},
        )
    if getattr(report, "nudge_failed", False):
        messages.warning(request, message)
    else:
        messages.success(request, message)
    return redirect(fallback_url)


@login_required
@require_POST
def request_progress_report(request, pk):
    journey = get_journey_for(request.user, pk)
    report = request_report(kind="progress", subject=journey, user=request.user)
    return _respond(
        request, report, reverse("journeys:detail", kwargs={"pk": journey.pk}) + "#reports-title"
    )


@login_required
@require_GET
def regional_reports(request, pk):
    organisation = get_bridge_organisation_for(request.user, pk)
    reports = reports_about(subject=organisation, kind="regional", limit=20)
    return render(
        request,
        "journeys/reports/regional.html",
        {"organisation": organisation, "reports": reports},
    )


@login_required
@require_POST
def request_regional_report(request, pk):
    organisation = get_bridge_organisation_for(request.user, pk)
    report = request_report(kind="regional", subject=organisation, user=request.user)
    return _respond(
        request, report, reverse("journeys:regional_reports", kwargs={"pk": organisation.pk})
    )


@login_required
@require_GET
def report_status(request, pk):
    report = get_report_for(request.user, pk)
    return render(request, "journeys/reports/partials/status.html", {"report": report})


@login_required
@require_GET
def report_download(request, pk):
    report = get_report_for(request.user, pk)
    if report.status != ReportRequest.Status.READY:
        raise Http404("This report is not ready.")
    path = Path(settings.MEDIA_ROOT) / report.file
    if not path.is_file():
        raise Http404("This report's file is missing.")
    made_on = report.finished_at.date().isoformat() if report.finished_at else ""
    filename = f"{slugify(report.title)}-{made_on}.pdf"
    response = FileResponse(
        path.open("rb"), content_type="application/pdf", as_attachment=True, filename=filename
    )
    response["Cache-Control"] = "private, no-store"
    return response
