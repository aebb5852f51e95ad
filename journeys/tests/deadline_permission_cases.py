"""Every deadline URL x the standard cast (tests/matrix.py).

School A's journey drafts its Statement of Commitment, due in a fortnight, and has asked for
more time. Its members ask (A's reviewer may read the journey but not ask: 403); A's reviewers
and admin see their Bridge Organisation's page and decide (A's members: 403); everyone else,
the other region's reviewer included, gets a 404.
"""

from tests.matrix import LOGIN, Case, statuses

MEMBERS_WRITE = statuses(404, anonymous=LOGIN, teacher_a=200, reviewer_a=403, admin=200)
REVIEWERS_READ = statuses(404, anonymous=LOGIN, teacher_a=403, reviewer_a=200, admin=200)
BRIDGE_A_READ = statuses(404, anonymous=LOGIN, reviewer_a=200, admin=200)


def extension_a(world):
    """School A's journey with its due date in force and a request waiting for a decision."""

    def build(w):
        import datetime

        from django.utils import timezone

        from journeys.enums import DeadlineKind, Stage
        from journeys.models import ExtensionRequest
        from journeys.tests.factories import JourneyFactory

        today = timezone.localdate()
        due = today + datetime.timedelta(days=14)
        journey = JourneyFactory(
            school=w.school_a, stage=Stage.COMMITMENT_DRAFT, commitment_due=due
        )
        # Made directly: the request page would refuse a second one while this one waits.
        extension = ExtensionRequest.objects.create(
            journey=journey,
            kind=DeadlineKind.COMMITMENT,
            reason="Our headteacher is on leave.",
            current_due_on=due,
            requested_due_on=due + datetime.timedelta(days=30),
            requested_by=w.teacher_a,
        )
        return {"journey": journey, "extension": extension}

    return world.once("deadline_extension_a", build)


def _bridge_a(world):
    extension_a(world)
    return {"organisation_pk": world.reviewer_a.bridge_memberships.get().organisation_id}


CASES = {
    "journeys:extension_request": Case(
        expect=MEMBERS_WRITE, kwargs=lambda w: {"pk": extension_a(w)["journey"].pk}
    ),
    "journeys:bridge_deadlines": Case(expect=BRIDGE_A_READ, kwargs=_bridge_a),
    "journeys:extension_decide": Case(
        expect=REVIEWERS_READ,
        kwargs=lambda w: {"extension_pk": extension_a(w)["extension"].pk},
    ),
}
