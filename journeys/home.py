"""Home page panels for journeys: each school's journey and next step; reviewers' queues.

A fixed number of queries however many schools or organisations the user has.
"""

from django.db.models import Count, Q
from django.utils import timezone

from artsmark.schools.models import BridgeOrganisation, SchoolMembership
from journeys.enums import CLOSED_STAGES, Stage
from journeys.models import Award, Journey
from journeys.selectors import next_step
from journeys.services.renewal import renewal_opens_on


def journey_panels(user):
    memberships = list(
        SchoolMembership.objects.filter(user=user, status=SchoolMembership.Status.APPROVED)
        .select_related("school")
        .order_by("school__name")
    )
    if not memberships:
        return []
    journeys = {
        journey.school_id: journey
        for journey in Journey.objects.open().filter(
            school_id__in=[m.school_id for m in memberships]
        )
    }
    finished = _last_finished_journeys(
        [m.school_id for m in memberships if m.school_id not in journeys]
    )
    today = timezone.localdate()
    rows = []
    for membership in memberships:
        journey = journeys.get(membership.school_id)
        last = finished.get(membership.school_id)
        rows.append(
            {
                "school": membership.school,
                "journey": journey,
                "next_step": next_step(journey=journey, user=user) if journey else None,
                "is_lead": membership.is_lead,
                "last": last,
                "award": _award_summary(last, today),
            }
        )
    return [{"template": "journeys/partials/home_journeys.html", "rows": rows, "role": True}]


def _last_finished_journeys(school_ids):
    """Each school's latest finished journey with its award (one query, DISTINCT ON)."""
    if not school_ids:
        return {}
    return {
        journey.school_id: journey
        for journey in Journey.objects.filter(school_id__in=school_ids, stage__in=CLOSED_STAGES)
        .select_related("award", "framework")
        .order_by("school_id", "-created_at", "-id")
        .distinct("school_id")
    }


def _award_summary(journey, today):
    """An awarded journey's level and expiry, and whether renewal is open (no query)."""
    if journey is None or journey.stage != Stage.AWARDED or journey.award_expires is None:
        return None
    try:
        level = journey.award.get_level_display()
    except Award.DoesNotExist:  # an awarded stage without its row: only in hand-made data
        level = ""
    return {
        "level": level,
        "expires": journey.award_expires,
        "expired": journey.award_expires < today,
        "renewal_open": today >= renewal_opens_on(journey),
    }


def reviewer_panels(user):
    """Each of the user's Bridge Organisations with its waiting and overdue reviews (one query)."""
    today = timezone.localdate()
    reviews = "local_authorities__schools__journeys__reviews"
    organisations = (
        BridgeOrganisation.objects.filter(memberships__user=user)
        .annotate(
            waiting=Count(reviews, filter=Q(**{f"{reviews}__decision": ""})),
            overdue=Count(
                reviews, filter=Q(**{f"{reviews}__decision": "", f"{reviews}__due_on__lt": today})
            ),
        )
        .order_by("name")
    )
    return [
        {
            "template": "journeys/partials/home_reviewer.html",
            "organisation": organisation,
            "waiting": organisation.waiting,
            "overdue": organisation.overdue,
            "role": True,
        }
        for organisation in organisations
    ]
