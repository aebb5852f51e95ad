"""Home page panels: partner staff see their organisations; everyone else a way in."""

from partners.access import school_ids_of
from partners.selectors import staff_memberships_of, unread_for_partner


def partner_panels(user):
    moderates = user.is_superuser or user.bridge_memberships.exists()
    memberships = list(staff_memberships_of(user))
    if memberships:
        unread = unread_for_partner(organisation_ids=[m.organisation_id for m in memberships])
        for membership in memberships:
            membership.unread = unread.get(membership.organisation_id, 0)
        return [
            {
                "template": "partners/partials/home_partner.html",
                "role": True,  # the home page leads with a partner's work
                "memberships": memberships,
                "moderates": moderates,
            }
        ]
    return [
        {
            "template": "partners/partials/home_directory.html",
            "has_schools": bool(school_ids_of(user)),
            "moderates": moderates,
        }
    ]
