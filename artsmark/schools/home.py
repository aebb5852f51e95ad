"""Panels for the home page: a teacher's schools, a reviewer's area."""

from artsmark.schools.selectors import (
    bridge_memberships_of,
    join_requests_for_reviewer,
    memberships_of,
)


def school_panels(user):
    memberships = list(memberships_of(user))
    if not memberships and (user.bridge_memberships.exists() or user.is_superuser):
        return []
    return [{"template": "schools/partials/home_schools.html", "memberships": memberships}]


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
