"""The one door for fetching a journey's activities and evidence items by id from a URL.

Both go through the journey's access helper first, then look the item up among that
journey's own rows: "does not exist", "another journey's" and "not yours" are the same 404.
Members of the school (and platform staff) may write; reviewers of the school's area may
read (view and download evidence) and get a 403 when they try to change anything.
"""

from artsmark.common.access import forbid, not_found, parse_pk
from journeys.access import can_write, get_journey_for

READ_ONLY_MESSAGE = "Reviewers can read a school's activities and evidence but not change them."


def get_delivery_journey_for(user, pk, *, write=False):
    journey = get_journey_for(user, pk)
    if write and not can_write(user, journey):
        raise forbid(READ_ONLY_MESSAGE)
    return journey


def get_evidence_for(user, pk, item_pk, *, write=False):
    journey = get_delivery_journey_for(user, pk, write=write)
    item = journey.evidence.filter(pk=parse_pk(item_pk)).prefetch_related("goals").first()
    if item is None:
        raise not_found("evidence")
    item.journey = journey
    return item


def get_activity_for(user, pk, activity_pk, *, write=False):
    journey = get_delivery_journey_for(user, pk, write=write)
    activity = journey.activities.filter(pk=parse_pk(activity_pk)).prefetch_related("goals").first()
    if activity is None:
        raise not_found("activity")
    activity.journey = journey
    return activity
