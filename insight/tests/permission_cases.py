"""Every insight URL x the standard cast (tests/matrix.py).

A Bridge Organisation's dashboard and exports: its reviewers and admin may read; reviewers of
another organisation get a 404 (ids do not leak); users who review for no organisation get a
403; anonymous users are sent to log in. England's: admin only. The awarded schools list is
public.
"""

from tests.matrix import LOGIN, PUBLIC, Case, statuses

BRIDGE_A_INSIGHT = statuses(403, anonymous=LOGIN, reviewer_a=200, reviewer_other=404, admin=200)
ADMIN_ONLY = statuses(403, anonymous=LOGIN, admin=200)


def _bridge_a(world):
    return {"organisation_pk": world.reviewer_a.bridge_memberships.get().organisation_id}


CASES = {
    "insight:dashboard": Case(expect=BRIDGE_A_INSIGHT, kwargs=_bridge_a),
    "insight:dashboard_export_journeys": Case(expect=BRIDGE_A_INSIGHT, kwargs=_bridge_a),
    "insight:dashboard_export_schools": Case(expect=BRIDGE_A_INSIGHT, kwargs=_bridge_a),
    "insight:dashboard_export_partners": Case(expect=BRIDGE_A_INSIGHT, kwargs=_bridge_a),
    "insight:england": Case(expect=ADMIN_ONLY),
    "insight:england_export_journeys": Case(expect=ADMIN_ONLY),
    "insight:england_export_schools": Case(expect=ADMIN_ONLY),
    "insight:england_export_partners": Case(expect=ADMIN_ONLY),
    "insight:awarded_schools": Case(expect=PUBLIC),
}
