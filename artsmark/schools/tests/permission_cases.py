from artsmark.schools.models import SchoolMembership
from artsmark.schools.tests.factories import SchoolMembershipFactory
from tests.matrix import LOGGED_IN, LOGIN, SCHOOL_A_LEAD, SCHOOL_A_READ, Case, statuses


def _pending_at_a(world):
    def build(w):
        return SchoolMembershipFactory(school=w.school_a, status=SchoolMembership.Status.PENDING)

    return {"school_pk": world.school_a.pk, "pk": world.once("pending_a", build).pk}


def _member_of_a(world):
    def build(w):
        return SchoolMembershipFactory(school=w.school_a)

    return {"school_pk": world.school_a.pk, "pk": world.once("member_a", build).pk}


def _invitation(world):
    from artsmark.schools.models import SchoolInvitation

    invitation = world.once(
        "invitation",
        lambda w: SchoolInvitation.objects.create(
            school=w.school_a,
            email="new.colleague@example.test",
            invited_by=w.teacher_a,
        ),
    )
    return {"token": invitation.token}


def _school_a(world):
    return {"pk": world.school_a.pk}


CASES = {
    "schools:find": Case(expect=LOGGED_IN),
    "schools:join": Case(expect=LOGGED_IN, kwargs=_school_a),
    "schools:detail": Case(expect=SCHOOL_A_READ, kwargs=_school_a),
    "schools:invite": Case(expect=SCHOOL_A_LEAD, kwargs=_school_a),
    # School A has a lead, so its reviewer may not approve: only the lead (or admin).
    "schools:approve_member": Case(expect=SCHOOL_A_LEAD, kwargs=_pending_at_a),
    "schools:decline_member": Case(expect=SCHOOL_A_LEAD, kwargs=_pending_at_a),
    "schools:remove_member": Case(expect=SCHOOL_A_LEAD, kwargs=_member_of_a),
    "schools:make_lead": Case(expect=SCHOOL_A_LEAD, kwargs=_member_of_a),
    "schools:accept_invitation": Case(expect=LOGGED_IN, kwargs=_invitation),
    "schools:bridge_area": Case(
        expect=statuses(404, anonymous=LOGIN, reviewer_a=200, admin=200),
        kwargs=lambda w: {"pk": w.reviewer_a.bridge_memberships.get().organisation_id},
    ),
}
