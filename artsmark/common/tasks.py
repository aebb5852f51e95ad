"""Celery tasks: thin, named, ids as keyword arguments; the services do the work.

Time limits for rendering and the beat schedule are in settings (Celery section).
"""

from celery import shared_task

from artsmark.common.reports import services

RETRY_BACKOFF_SECONDS = 5
MAX_RETRIES = 3


@shared_task(name="reports.render", bind=True, acks_late=True, reject_on_worker_lost=True)
def render_report(self, *, request_id):
    try:
        services.render_request(request_id=request_id)
    except services.TransientReportError as error:
        if self.request.retries >= MAX_RETRIES:
            services.give_up(request_id=request_id, reason=f"retries ran out: {error}")
            return
        raise self.retry(
            countdown=RETRY_BACKOFF_SECONDS * 2**self.request.retries, max_retries=MAX_RETRIES
        ) from error


@shared_task(name="reports.resend_stale")
def resend_stale_reports():
    services.resend_stale_requests()
