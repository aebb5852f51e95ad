"""Panels for the home page: a teacher's schools, a reviewer's area."""

from artsmark.schools.models import SchoolMembership
from artsmark.schools.selectors import (
    bridge_memberships_of,
    join_requests_for_reviewer,
    memberships_of,
)


def school_panels(user):
    """The user's schools and the requests to join the schools they lead (two queries).

    A user with no school gets the "find your school" prompt as a fallback: the home page
    puts it after the panels of any role the user has (partner staff, for example).
    """
    memberships = list(memberships_of(user))
    if not memberships and (user.bridge_memberships.exists() or user.is_superuser):
        return []
    led = [m.school_id for m in memberships if m.is_lead]
    join_requests = (
        list(
            SchoolMembership.objects.filter(
                school_id__in=led, status=SchoolMembership.Status.PENDING
            )
            .select_related("user", "school")
            .order_by("school__name", "requested_at", "id")
        )
        if led
        else []
    )
    return [
        {
            "template": "schools/partials/home_schools.html",
            "memberships": memberships,
            "join_requests": join_requests,
            "fallback": not memberships,
        }
    ]


def reviewer_panels(user):
    panels = []
    for membership in bridge_memberships_of(user):
        organisation = membership.organisation
        requests = join_requests_for_reviewer(organisation=organisation)
        panels.append(
            {
                "template": "schools/partials/home_reviewer.html",
                "organisation": organisation,
                "join_request_count": requests.count(),
            }
        )
    return panels
