"""The life of a report request: asked for, nudged to a worker, rendered, ready or failed.

The row is the truth. A task is only a nudge carrying the request's id: it may arrive
twice, late, or never (a broker restart, a worker killed mid-render), so rendering claims
the row first, and a periodic re-send nudges whatever has sat unfinished too long.
"""

import logging
import os
import time
import uuid
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from artsmark.common.models import ReportRequest
from artsmark.common.pdf import render_pdf
from artsmark.common.reports.registry import get_kind

logger = logging.getLogger(__name__)
Status = ReportRequest.Status
UNFINISHED = (Status.QUEUED, Status.RENDERING)

MESSAGE_FAILED = (
    "We could not make this report. Please ask for it again; if it fails again, "
    "contact the Artsmark team."
)
MESSAGE_TOO_LONG = "This report took too long to make. Please ask for it again later."
MESSAGE_GONE = "What this report was about no longer exists, so it could not be made."
MESSAGE_GAVE_UP = (
    "We tried several times and could not make this report. Please ask for it again later."
)


class TransientReportError(Exception):
    """Rendering failed for a reason that may go away (database or disk trouble): retry."""


def request_report(*, kind, subject, user):
    """Record a request for a report on `subject`, and nudge a worker once it is committed.

    Asking again while the same report is still queued or being made returns that
    request. The returned row has `nudge_failed` set when the broker could not be
    reached: the request is kept and the periodic re-send will deliver it.
    """
    report_kind = get_kind(kind)
    content_type = ContentType.objects.get_for_model(subject)
    existing = _unfinished(kind, content_type, subject.pk)
    if existing is not None:
        existing.created = False
        return existing
    try:
        with transaction.atomic():
            report = ReportRequest.objects.create(
                kind=kind,
                title=f"{report_kind.label}: {subject}"[:300],
                content_type=content_type,
                object_id=subject.pk,
                requested_by=user if user is not None and user.is_authenticated else None,
            )
            transaction.on_commit(lambda: nudge(report))
    except IntegrityError:
        # Someone asked for the same report at the same moment: theirs stands.
        existing = _unfinished(kind, content_type, subject.pk)
        if existing is None:
            raise
        existing.created = False
        return existing
    report.created = True
    return report


def render_report_now(*, kind, subject, user=None):
    """Make a `kind` report on `subject` here and now, without a worker (demo data, scripts).

    The request row is recorded as usual and rendered by `render_request`, the very code a
    worker runs; no task is sent. Returns the row as it ended (ready or failed). Raises
    IntegrityError when the same report is already waiting for a worker.
    """
    report_kind = get_kind(kind)
    with transaction.atomic():
        report = ReportRequest.objects.create(
            kind=kind,
            title=f"{report_kind.label}: {subject}"[:300],
            content_type=ContentType.objects.get_for_model(subject),
            object_id=subject.pk,
            requested_by=user if user is not None and user.is_authenticated else None,
        )
    render_request(request_id=report.pk)
    report.refresh_from_db()
    return report


def _unfinished(kind, content_type, object_id):
    return ReportRequest.objects.filter(
        kind=kind, content_type=content_type, object_id=object_id, status__in=UNFINISHED
    ).first()


def nudge(report):
    """Send the render task for `report`; a broker that is down is logged, not raised."""
    from artsmark.common.tasks import render_report

    try:
        render_report.apply_async(
            kwargs={"request_id": report.pk},
            retry=True,
            retry_policy={"max_retries": 1, "interval_start": 0.2, "interval_step": 0.5},
        )
    except Exception:  # the broker's errors vary (kombu, redis-py, socket); the row stays
        logger.warning("Could not send report request %s to the broker", report.pk, exc_info=True)
        report.nudge_failed = True
        return False
    ReportRequest.objects.filter(pk=report.pk).update(nudged_at=timezone.now())
    report.nudge_failed = False
    return True


def resend_stale_requests(*, now=None):
    """Nudge requests that sat queued, or whose render lease ran out, for too long.

    Returns the ids nudged. Safe to run as often as wanted: a nudge for a request that is
    finished, or that a live worker holds, is ignored by `render_request`.
    """
    now = now or timezone.now()
    stale = now - timezone.timedelta(seconds=settings.REPORT_STALE_AFTER_SECONDS)
    waiting = Q(status=Status.QUEUED) & (
        Q(nudged_at__lt=stale) | Q(nudged_at__isnull=True, created_at__lt=stale)
    )
    abandoned = Q(status=Status.RENDERING, lease_expires_at__lt=now) & (
        Q(nudged_at__lt=stale) | Q(nudged_at__isnull=True)
    )
    nudged = []
    for report in ReportRequest.objects.filter(waiting | abandoned).order_by("created_at")[:500]:
        if nudge(report):
            nudged.append(report.pk)
    return nudged


def _claim(request_id):
    """Take the request for this worker, or None if it is gone, finished or held by another."""
    with transaction.atomic():
        report = ReportRequest.objects.select_for_update().filter(pk=request_id).first()
        if report is None or report.is_finished:
            return None
        now = timezone.now()
        if report.status == Status.RENDERING and report.lease_expires_at > now:
            return None
        if report.attempts >= settings.REPORT_MAX_ATTEMPTS:
            _fail(report, MESSAGE_GAVE_UP, f"gave up after {report.attempts} attempts")
            return None
        report.status = Status.RENDERING
        report.attempts += 1
        report.started_at = now
        report.lease_expires_at = now + timezone.timedelta(seconds=settings.REPORT_LEASE_SECONDS)
        report.save(update_fields=["status", "attempts", "started_at", "lease_expires_at"])
        return report


def _fail(report, message, detail):
    report.status = Status.FAILED
    report.error = message
    report.error_detail = detail
    report.finished_at = timezone.now()
    report.lease_expires_at = None
    report.save(
        update_fields=["status", "error", "error_detail", "finished_at", "lease_expires_at"]
    )
    logger.warning("Report request %s failed: %s", report.pk, detail)


def storage_name(report):
    """Where a request's file lives under MEDIA_ROOT: the same place on every render."""
    return f"reports/{report.kind}/{report.kind}-{report.object_id}-{report.pk}.pdf"


def write_atomically(name, content):
    """Write `content` to MEDIA_ROOT/name so that readers see the old file or the new, whole."""
    path = Path(settings.MEDIA_ROOT) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with temporary.open("wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)
    return path


def build_html(report, subject):
    kind = get_kind(report.kind)
    data = kind.build_data(subject)
    return render_to_string(kind.template, {"report": data, "request": report})


def render_request(*, request_id):
    """Render one request if it still needs it. Returns the final status, or None.

    Permanent failures are recorded on the row with a plain reason. Transient ones put
    the row back in the queue and raise TransientReportError for the task to retry.
    """
    report = _claim(request_id)
    if report is None:
        return None
    started = time.perf_counter()
    try:
        kind = get_kind(report.kind)
        subject = kind.subject_model.objects.filter(pk=report.object_id).first()
        if subject is None:
            _fail(report, MESSAGE_GONE, "subject deleted")
            return report.status
        rendered = render_pdf(build_html(report, subject))
        name = storage_name(report)
        write_atomically(name, rendered.content)
    except SoftTimeLimitExceeded:
        _fail(report, MESSAGE_TOO_LONG, "soft time limit exceeded")
        return report.status
    except (OperationalError, InterfaceError, OSError) as error:
        _release(report, error)
        raise TransientReportError(str(error)) from error
    except Exception as error:  # a bug, bad data or an unknown kind: retrying will not help
        logger.exception("Report request %s could not be rendered", report.pk)
        _fail(report, MESSAGE_FAILED, f"{type(error).__name__}: {error}"[:2000])
        return report.status
    finished = ReportRequest.objects.filter(pk=report.pk, status=Status.RENDERING).update(
        status=Status.READY,
        file=name,
        file_size=len(rendered.content),
        pages=rendered.pages,
        finished_at=timezone.now(),
        render_seconds=round(time.perf_counter() - started, 3),
        lease_expires_at=None,
        error="",
        error_detail="",
    )
    return Status.READY if finished else None


def _release(report, error):
    """Back to the queue after a transient error; the task retries it with a backoff."""
    try:
        ReportRequest.objects.filter(pk=report.pk, status=Status.RENDERING).update(
            status=Status.QUEUED, lease_expires_at=None, error_detail=str(error)[:2000]
        )
    except DatabaseError:
        logger.warning("Could not release report request %s", report.pk, exc_info=True)


def give_up(*, request_id, reason):
    """After the task's retries ran out: record the failure, if the row is still open."""
    report = ReportRequest.objects.filter(pk=request_id, status__in=UNFINISHED).first()
    if report is not None:
        _fail(report, MESSAGE_GAVE_UP, reason[:2000])
