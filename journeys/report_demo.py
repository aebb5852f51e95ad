"""Demo reports: a ready progress report for Rosewood Primary School's journey, a ready
regional report for A New Direction and the certificate of the demo's awarded school, so that
the demo shows earlier reports. Idempotent.

Rendered here, in this process, by the same service a worker runs (no Celery needed): a
subject that already has a ready report whose file is on disk is left alone.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from artsmark.accounts.models import User
from artsmark.common.models import ReportRequest
from artsmark.common.reports.services import render_report_now
from artsmark.schools.models import BridgeOrganisation
from journeys.models import Journey

ROSEWOOD_URN = 990001
REGION_SLUG = "a-new-direction"
AWARDED_URN = 990019
DEMO_REPORTS = [
    # (kind, who asked for it)
    ("progress", "lead@example.org"),
    ("regional", "reviewer@example.org"),
    ("certificate", "reviewer@example.org"),
]


def _has_ready_report(kind, subject):
    reports = ReportRequest.objects.filter(
        kind=kind,
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        status=ReportRequest.Status.READY,
    )
    return any((Path(settings.MEDIA_ROOT) / report.file).is_file() for report in reports)


def _is_waiting(kind, subject):
    """Asked for already and waiting for a worker (an award asks for its certificate)."""
    return ReportRequest.objects.filter(
        kind=kind,
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        status__in=[ReportRequest.Status.QUEUED, ReportRequest.Status.RENDERING],
    ).exists()


def seed(stdout=None):
    subjects = {
        "progress": Journey.objects.filter(school__urn=ROSEWOOD_URN).order_by("created_at").first(),
        "regional": BridgeOrganisation.objects.filter(slug=REGION_SLUG).first(),
        "certificate": Journey.objects.filter(school__urn=AWARDED_URN, award__isnull=False).first(),
    }
    made = []
    for kind, email in DEMO_REPORTS:
        subject = subjects[kind]
        if subject is None or _has_ready_report(kind, subject) or _is_waiting(kind, subject):
            continue
        report = render_report_now(
            kind=kind, subject=subject, user=User.objects.filter(email=email).first()
        )
        made.append(f"{report.title} ({report.get_status_display().lower()})")
    if stdout:
        stdout.write(f"Demo reports: {len(made)} new{': ' if made else '.'}{'; '.join(made)}")
