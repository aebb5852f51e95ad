"""Every report URL x the standard cast (tests/matrix.py).

A progress report is about school A's journey: its members and A's reviewers may ask for
it, follow it and download it. A regional report is about A New Direction: only its
reviewers (and admin). Everyone else gets 404; anonymous users are sent to log in.
"""

from pathlib import Path

from tests.matrix import LOGIN, Case, statuses

JOURNEY_A_READ = statuses(404, anonymous=LOGIN, teacher_a=200, reviewer_a=200, admin=200)
JOURNEY_A_POST = statuses(404, anonymous=LOGIN, teacher_a=302, reviewer_a=302, admin=302)
BRIDGE_A_READ = statuses(404, anonymous=LOGIN, reviewer_a=200, admin=200)
BRIDGE_A_POST = statuses(404, anonymous=LOGIN, reviewer_a=302, admin=302)


def _journey_a(world):
    def build(w):
        from journeys.tests.factories import JourneyFactory

        return JourneyFactory(school=w.school_a)

    return world.once("report_journey_a", build)


def _ready_report(world):
    def build(w):
        from django.conf import settings
        from django.contrib.contenttypes.models import ContentType
        from django.utils import timezone

        from artsmark.common.models import ReportRequest

        journey = _journey_a(w)
        name = "reports/progress/permission-matrix.pdf"
        path = Path(settings.MEDIA_ROOT) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF-1.7\n% matrix\n")
        return ReportRequest.objects.create(
            kind="progress",
            title="Progress report: matrix",
            content_type=ContentType.objects.get_for_model(journey),
            object_id=journey.pk,
            requested_by=w.teacher_a,
            status=ReportRequest.Status.READY,
            file=name,
            pages=1,
            file_size=18,
            finished_at=timezone.now(),
        )

    return {"pk": world.once("ready_report_a", build).pk}


def _bridge_a(world):
    return {"pk": world.reviewer_a.bridge_memberships.get().organisation_id}


CASES = {
    "journeys:request_progress_report": Case(
        expect=JOURNEY_A_POST, method="post", kwargs=lambda w: {"pk": _journey_a(w).pk}
    ),
    "journeys:report_status": Case(expect=JOURNEY_A_READ, kwargs=_ready_report),
    "journeys:report_download": Case(expect=JOURNEY_A_READ, kwargs=_ready_report),
    "journeys:regional_reports": Case(expect=BRIDGE_A_READ, kwargs=_bridge_a),
    "journeys:request_regional_report": Case(expect=BRIDGE_A_POST, method="post", kwargs=_bridge_a),
}
