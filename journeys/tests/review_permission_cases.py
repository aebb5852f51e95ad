"""Every review URL x the standard cast (tests/matrix.py).

School A has submitted its Statement of Commitment (built through the services, so a review
is open) and asked for informal feedback. A's reviewers and admin may act; A's own members
get a 403 on reviewers' pages; everyone else, the other region's reviewer included, a 404.
"""

from tests.matrix import LOGIN, Case, statuses

REVIEWERS_READ = statuses(404, anonymous=LOGIN, teacher_a=403, reviewer_a=200, admin=200)
REVIEWERS_POST = statuses(404, anonymous=LOGIN, teacher_a=403, reviewer_a=302, admin=302)
BRIDGE_A_READ = statuses(404, anonymous=LOGIN, reviewer_a=200, admin=200)
MEMBERS_POST = statuses(404, anonymous=LOGIN, teacher_a=302, reviewer_a=403, admin=302)


def submitted_a(world):
    """School A's journey with a submitted Statement of Commitment and its open review."""

    def build(w):
        from journeys.enums import ReviewKind, Stage
        from journeys.models import FeedbackRequest
        from journeys.services.commitment import submit_commitment
        from journeys.tests.factories import JourneyFactory
        from journeys.tests.helpers import complete_statement

        journey = JourneyFactory(school=w.school_a, stage=Stage.REGISTERED)
        complete_statement(journey=journey, lead=w.teacher_a)
        submit_commitment(journey=journey, actor=w.teacher_a)
        review = journey.reviews.get()
        # Made directly: the services ask for feedback only on a draft.
        asked = FeedbackRequest.objects.create(
            journey=journey, kind=ReviewKind.COMMITMENT, requested_by=w.teacher_a
        )
        return {"journey": journey, "review": review, "feedback_request": asked}

    return world.once("review_submitted_a", build)


def _review(world):
    return {"review_pk": submitted_a(world)["review"].pk}


def _journey(world):
    return {"pk": submitted_a(world)["journey"].pk}


def _bridge_a(world):
    submitted_a(world)
    return {"organisation_pk": world.reviewer_a.bridge_memberships.get().organisation_id}


def _decision(world):
    return {"decision": "approved", "feedback": "Well done.", "version_number": 1}


CASES = {
    "journeys:review_queue": Case(expect=BRIDGE_A_READ, kwargs=_bridge_a),
    "journeys:feedback_requests": Case(expect=BRIDGE_A_READ, kwargs=_bridge_a),
    "journeys:review": Case(expect=REVIEWERS_READ, kwargs=_review),
    "journeys:review_comment": Case(
        expect=REVIEWERS_POST,
        kwargs=_review,
        method="post",
        data=lambda w: {"part": "general", "text": "A clear plan."},
    ),
    "journeys:review_assign": Case(expect=REVIEWERS_POST, kwargs=_review, method="post"),
    "journeys:review_decide": Case(
        expect=REVIEWERS_POST, kwargs=_review, method="post", data=_decision
    ),
    # Members ask; the statement is submitted, so the service refuses and the page says why.
    "journeys:feedback_request": Case(
        expect=MEMBERS_POST,
        kwargs=_journey,
        method="post",
        data=lambda w: {"message": "Is our goal 2 measurable?"},
    ),
    "journeys:feedback_answer": Case(
        expect=REVIEWERS_READ,
        kwargs=lambda w: {"feedback_pk": submitted_a(w)["feedback_request"].pk},
    ),
    "journeys:withdraw": Case(expect=REVIEWERS_READ, kwargs=_journey),
}
