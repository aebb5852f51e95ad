"""Home page panels for journeys: each school's journey and next step; reviewers' queues.

A fixed number of queries however many schools or organisations the user has.
"""

from django.db.models import Count, Q
from django.utils import timezone

from artsmark.schools.models import BridgeOrganisation, SchoolMembership
from journeys.models import Journey
from journeys.selectors import next_step


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
    rows = []
    for membership in memberships:
        journey = journeys.get(membership.school_id)
        rows.append(
            {
                "school": membership.school,
                "journey": journey,
                "next_step": next_step(journey=journey, user=user) if journey else None,
                "is_lead": membership.is_lead,
            }
        )
    return [{"template": "journeys/partials/home_journeys.html", "rows": rows, "role": True}]


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
