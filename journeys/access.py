"""The one door for fetching a journey by id from a URL (CONVENTIONS.md, "Who may see what").

Approved members of the journey's school may read and write its drafts; reviewers of a Bridge
Organisation covering the school's local authority may read (writing is a 403); anyone else
gets a 404, the same as for a journey that does not exist. Superusers may do everything.
"""

from artsmark.common.access import forbid, not_found, parse_pk
from artsmark.schools.access import is_member, reviews_school
from journeys.models import Journey


def get_journey_for(user, pk, *, write=False):
    pk = parse_pk(pk)
    journey = (
        # The invoice rides along (a one-to-one join): the journey page and the review
        # services ask whether it is paid.
        Journey.objects.select_related("school__local_authority__region", "framework", "invoice")
        .filter(pk=pk)
        .first()
    )
    if journey is None or not user.is_authenticated:
        raise not_found("journey")
    if user.is_superuser:
        return journey
    if is_member(user, journey.school):
        return journey
    if reviews_school(user, journey.school):
        if write:
            raise forbid("Reviewers can read a school's Statement of Commitment but not change it.")
        return journey
    raise not_found("journey")


def can_write(user, journey):
    return user.is_superuser or is_member(user, journey.school)


def get_review_for(user, pk, *, decide=False):
    """A review, through its journey: a reviewer of the school's area, or platform staff.

    School members may read a decided review of their own journey (its feedback and
    comments); `decide=True` (comment, assign, decide) is for reviewers and staff only, a 403
    for the school's members. Anyone else, and any id that does not exist, gets a 404.
    """
    from journeys.models import Review

    review = (
        Review.objects.select_related(
            "journey__school__local_authority__region", "journey__framework", "assigned_to"
        )
        .filter(pk=parse_pk(pk))
        .first()
    )
    if review is None or not user.is_authenticated:
        raise not_found("review")
    journey = review.journey
    if user.is_superuser or reviews_school(user, journey.school):
        return review
    if is_member(user, journey.school):
        if decide or not review.is_decided:
            raise forbid("Only the Bridge Organisation's reviewers can do that.")
        return review
    raise not_found("review")
