"""Access helpers of the review pages that journeys/access.py does not have.

Like `get_review_for`: through the journey's school. Reviewers of a Bridge Organisation
covering the school, and platform staff, may act; the school's own members get a 403; anyone
else (and any id that does not exist) a 404.
"""

from artsmark.common.access import forbid, not_found, parse_pk
from artsmark.schools.access import is_member, reviews_school
from journeys.access import get_journey_for
from journeys.models import FeedbackRequest


def get_feedback_request_for(user, pk):
    """A request for informal feedback, for a reviewer of the school's area to answer."""
    feedback_request = (
        FeedbackRequest.objects.select_related(
            "journey__school__local_authority__region", "journey__framework", "requested_by"
        )
        .filter(pk=parse_pk(pk))
        .first()
    )
    if feedback_request is None or not user.is_authenticated:
        raise not_found("feedback request")
    school = feedback_request.journey.school
    if user.is_superuser or reviews_school(user, school):
        return feedback_request
    if is_member(user, school):
        raise forbid("Only the Bridge Organisation's reviewers can answer a request for feedback.")
    raise not_found("feedback request")


def get_journey_to_withdraw(user, pk):
    """A journey a reviewer of its area (or platform staff) may withdraw; members get a 403."""
    journey = get_journey_for(user, pk)
    if user.is_superuser or reviews_school(user, journey.school):
        return journey
    raise forbid("Only the Bridge Organisation's reviewers can withdraw a journey.")
