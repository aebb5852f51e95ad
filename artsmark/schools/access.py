"""The one door for fetching schools and Bridge Organisations by id from a URL."""

from django.db import connection

from artsmark.common.access import forbid, not_found, parse_pk
from artsmark.schools.models import (
    BridgeMembership,
    BridgeOrganisation,
    School,
    SchoolMembership,
)


class RequestRoles:
    """The signed-in user's memberships, read once per request when a check first needs them.

    RequestRolesMiddleware hangs one on the request's user, so the several access checks a
    page makes (the access helper, the stage table, the template's "can write") cost one
    query in all: school memberships and Bridge Organisation memberships with the local
    authorities they cover, in one UNION ALL. Outside a request (services called from tests,
    commands, workers) there is none and each check asks the database. A request that changes
    its own user's memberships redirects afterwards, so the next request reads them afresh.
    """

    def __init__(self, user):
        self.user = user
        self._school_roles = None
        self._bridge_roles = None
        self._reviewed_las = None
        self._led_las = None

    def _load(self):
        school_roles, bridge_roles, reviewed, led = {}, {}, set(), set()
        with connection.cursor() as cursor:
            cursor.execute(_ROLES_SQL, {"user": self.user.pk, "approved": _APPROVED})
            for kind, object_id, role, local_authority_id in cursor.fetchall():
                if kind == "school":
                    school_roles[object_id] = role
                else:
                    bridge_roles[object_id] = role
                    if local_authority_id is not None:
                        reviewed.add(local_authority_id)
                        if role == BridgeMembership.Role.LEAD:
                            led.add(local_authority_id)
        self._school_roles, self._bridge_roles = school_roles, bridge_roles
        self._reviewed_las, self._led_las = reviewed, led

    def school_roles(self):
        """{school id: role} of the user's approved school memberships."""
        if self._school_roles is None:
            self._load()
        return self._school_roles

    def bridge_roles(self):
        """{Bridge Organisation id: role} of the user's Bridge Organisation memberships."""
        if self._bridge_roles is None:
            self._load()
        return self._bridge_roles

    def reviewed_local_authorities(self):
        """Ids of the local authorities the user's Bridge Organisations cover."""
        if self._reviewed_las is None:
            self._load()
        return self._reviewed_las

    def led_local_authorities(self):
        """Ids of the local authorities covered by organisations the user is a lead of."""
        if self._led_las is None:
            self._load()
        return self._led_las


_APPROVED = SchoolMembership.Status.APPROVED.value
_ROLES_SQL = f"""
    SELECT 'school', school_id, role, NULL
      FROM {SchoolMembership._meta.db_table}
     WHERE user_id = %(user)s AND status = %(approved)s
    UNION ALL
    SELECT 'bridge', membership.organisation_id, membership.role, covered.localauthority_id
      FROM {BridgeMembership._meta.db_table} AS membership
      LEFT JOIN {BridgeOrganisation.local_authorities.through._meta.db_table} AS covered
        ON covered.bridgeorganisation_id = membership.organisation_id
     WHERE membership.user_id = %(user)s
"""  # noqa: S608 (table names come from our models, values are parameters)


def _request_roles(user):
    return getattr(user, "request_roles", None)


def is_lead(user, school):
    if (roles := _request_roles(user)) is not None:
        return roles.school_roles().get(school.pk) == SchoolMembership.Role.LEAD
    return SchoolMembership.objects.filter(
        user=user,
        school=school,
        role=SchoolMembership.Role.LEAD,
        status=SchoolMembership.Status.APPROVED,
    ).exists()


def is_member(user, school):
    if (roles := _request_roles(user)) is not None:
        return school.pk in roles.school_roles()
    return SchoolMembership.objects.filter(
        user=user, school=school, status=SchoolMembership.Status.APPROVED
    ).exists()


def reviews_school(user, school):
    if (roles := _request_roles(user)) is not None:
        return school.local_authority_id in roles.reviewed_local_authorities()
    return BridgeMembership.objects.filter(
        user=user, organisation__local_authorities=school.local_authority_id
    ).exists()


def leads_review_of(user, school):
    """A lead of a Bridge Organisation covering the school (they assign its reviews)."""
    if (roles := _request_roles(user)) is not None:
        return school.local_authority_id in roles.led_local_authorities()
    return BridgeMembership.objects.filter(
        user=user,
        role=BridgeMembership.Role.LEAD,
        organisation__local_authorities=school.local_authority_id,
    ).exists()


def is_bridge_member(user, organisation):
    if (roles := _request_roles(user)) is not None:
        return organisation.pk in roles.bridge_roles()
    return organisation.memberships.filter(user=user).exists()


def get_school_for(user, pk, *, write=False):
    """A school the user belongs to or reviews.

    Members and reviewers of the covering Bridge Organisation may read; only the school's
    lead (or platform staff) may change it. Anyone else gets a 404.
    """
    pk = parse_pk(pk)
    school = School.objects.select_related("local_authority__region").filter(pk=pk).first()
    if school is None or not user.is_authenticated:
        raise not_found("school")
    if user.is_superuser:
        return school
    if not (is_member(user, school) or reviews_school(user, school)):
        raise not_found("school")
    if write and not is_lead(user, school):
        raise forbid("Only the school's Artsmark lead can do that.")
    return school


def can_approve_members(user, school):
    """The lead approves; for a school with no lead yet, a reviewer of its area does."""
    if user.is_superuser or is_lead(user, school):
        return True
    has_lead = SchoolMembership.objects.filter(
        school=school,
        role=SchoolMembership.Role.LEAD,
        status=SchoolMembership.Status.APPROVED,
    ).exists()
    return not has_lead and reviews_school(user, school)


def get_membership_for(user, school_pk, pk):
    """A membership (or request) at a school whose members the user may manage."""
    school = get_school_for(user, school_pk)
    membership = (
        SchoolMembership.objects.select_related("user", "school")
        .filter(pk=parse_pk(pk), school=school)
        .first()
    )
    if membership is None:
        raise not_found("member")
    if not can_approve_members(user, school):
        raise forbid("Only the school's Artsmark lead can manage its members.")
    return membership


def get_bridge_organisation_for(user, pk):
    pk = parse_pk(pk)
    organisation = BridgeOrganisation.objects.filter(pk=pk).first()
    if organisation is None or not user.is_authenticated:
        raise not_found("organisation")
    if user.is_superuser or is_bridge_member(user, organisation):
        return organisation
    raise not_found("organisation")
