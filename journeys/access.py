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
        Journey.objects.select_related("school__local_authority__region", "framework")
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
