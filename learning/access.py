"""Who may see, book and organise learning sessions; the one door for fetching them by id.

Sessions are seen by anyone whose memberships match the audience: school members see the
sessions for schools, partner staff those for partners, reviewers and platform staff all.
Reviewers of the organising Bridge Organisation (and platform staff) organise a session;
platform staff alone organise national ones. "Missing" and "not for you" are the same 404;
a session you can see but not organise answers 403 on the organiser pages.
"""

from dataclasses import dataclass

from artsmark.common.access import forbid, not_found, parse_pk
from artsmark.schools.models import BridgeMembership, School, SchoolMembership
from learning.enums import PARTNER_AUDIENCES, SCHOOL_AUDIENCES, Audience
from learning.models import Booking, LearningSession
from partners.enums import MembershipStatus
from partners.models import PartnerMembership, PartnerOrganisation


@dataclass(frozen=True)
class LearningRoles:
    """The memberships that decide what a user sees of the learning programme."""

    platform_staff: bool
    school_ids: frozenset
    partner_ids: frozenset
    organisation_ids: frozenset  # Bridge Organisations the user is a reviewer at

    @property
    def audiences(self):
        """The audiences whose sessions the user may see."""
        if self.platform_staff or self.organisation_ids:
            return tuple(Audience)
        audiences = set()
        if self.school_ids:
            audiences.update(SCHOOL_AUDIENCES)
        if self.partner_ids:
            audiences.update(PARTNER_AUDIENCES)
        return tuple(audiences)

    @property
    def organises(self):
        return self.platform_staff or bool(self.organisation_ids)


def _school_ids(user, request_roles):
    if request_roles is not None:  # read with the request's other memberships
        return frozenset(request_roles.school_roles())
    return frozenset(
        SchoolMembership.objects.filter(
            user=user, status=SchoolMembership.Status.APPROVED
        ).values_list("school_id", flat=True)
    )


def _organisation_ids(user, request_roles):
    if request_roles is not None:
        return frozenset(request_roles.bridge_roles())
    return frozenset(
        BridgeMembership.objects.filter(user=user).values_list("organisation_id", flat=True)
    )


def learning_roles(user):
    """The user's roles, read once per request (kept with the request's RequestRoles)."""
    if not user.is_authenticated:
        return LearningRoles(False, frozenset(), frozenset(), frozenset())
    request_roles = getattr(user, "request_roles", None)
    cached = getattr(request_roles, "learning_roles", None)
    if cached is not None:
        return cached
    roles = LearningRoles(
        platform_staff=user.is_superuser,
        school_ids=_school_ids(user, request_roles),
        partner_ids=frozenset(
            PartnerMembership.objects.filter(
                user=user, status=MembershipStatus.APPROVED
            ).values_list("organisation_id", flat=True)
        ),
        organisation_ids=_organisation_ids(user, request_roles),
    )
    if request_roles is not None:
        request_roles.learning_roles = roles
    return roles


def visible_sessions(user):
    """The sessions the user may see (cancelled and past ones included)."""
    roles = learning_roles(user)
    if roles.platform_staff:
        return LearningSession.objects.all()
    return LearningSession.objects.filter(audience__in=roles.audiences)


def organised_sessions(user):
    """The sessions the user organises: their Bridge Organisations' (platform staff: all)."""
    roles = learning_roles(user)
    if roles.platform_staff:
        return LearningSession.objects.all()
    return LearningSession.objects.filter(organiser_id__in=roles.organisation_ids)


def can_see(user, session):
    roles = learning_roles(user)
    return roles.platform_staff or session.audience in roles.audiences


def can_manage(user, session):
    roles = learning_roles(user)
    return roles.platform_staff or (
        session.organiser_id is not None and session.organiser_id in roles.organisation_ids
    )


def require_organiser(user):
    """For the organiser pages that take no id: reviewers and platform staff only."""
    if not learning_roles(user).organises:
        raise forbid("Only Bridge Organisation reviewers and platform staff organise sessions.")


def get_session_for(user, pk, *, manage=False):
    pk = parse_pk(pk)
    session = LearningSession.objects.select_related("organiser").filter(pk=pk).first()
    if session is None or not user.is_authenticated or not can_see(user, session):
        raise not_found("session")
    if manage and not can_manage(user, session):
        raise forbid("Only the session's organisers can do that.")
    return session


def get_booking_for(user, pk):
    """A booking its own booker (or platform staff) may cancel.

    The session's organisers see the booking on their list but answer 403 here; anyone
    else gets a 404.
    """
    booking = (
        Booking.objects.select_related("session__organiser", "school", "partner_organisation")
        .filter(pk=parse_pk(pk))
        .first()
    )
    if booking is None or not user.is_authenticated:
        raise not_found("booking")
    if booking.user_id == user.pk or user.is_superuser:
        return booking
    if can_manage(user, booking.session):
        raise forbid("Only the person who booked can cancel their booking.")
    raise not_found("booking")


def booking_choices(user, session):
    """Who the user may book this session for: [(value, label, school, partner)].

    A teacher books for one of their schools, partner staff for their organisation.
    """
    roles = learning_roles(user)
    choices = []
    if session.audience in SCHOOL_AUDIENCES and roles.school_ids:
        for school in School.objects.filter(pk__in=roles.school_ids).order_by("name"):
            choices.append((f"school-{school.pk}", school.name, school, None))
    if session.audience in PARTNER_AUDIENCES and roles.partner_ids:
        for organisation in PartnerOrganisation.objects.filter(pk__in=roles.partner_ids).order_by(
            "name"
        ):
            choices.append((f"partner-{organisation.pk}", organisation.name, None, organisation))
    return choices
