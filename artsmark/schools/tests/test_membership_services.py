import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from artsmark.accounts.tests.factories import UserFactory
from artsmark.schools.models import SchoolInvitation, SchoolMembership
from artsmark.schools.services import membership as services
from artsmark.schools.tests.factories import SchoolFactory, SchoolMembershipFactory

Status, Role = SchoolMembership.Status, SchoolMembership.Role
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)  # emails on commit


def test_request_to_join_emails_the_lead(world):
    newcomer = UserFactory()
    membership = services.request_to_join(school=world.school_a, user=newcomer, message="Hi")
    assert membership.status == Status.PENDING
    assert [m.to for m in mail.outbox] == [[world.teacher_a.email]]


def test_request_to_join_school_without_lead_emails_area_reviewers(world):
    school = SchoolFactory()  # Newham: A New Direction covers it
    services.request_to_join(school=school, user=UserFactory())
    assert [m.to for m in mail.outbox] == [[world.reviewer_a.email]]


def test_request_to_join_twice_is_refused(world):
    newcomer = UserFactory()
    services.request_to_join(school=world.school_a, user=newcomer)
    with pytest.raises(ValidationError, match="already asked"):
        services.request_to_join(school=world.school_a, user=newcomer)
    assert SchoolMembership.objects.filter(user=newcomer).count() == 1


def test_request_to_join_as_member_is_refused(world):
    with pytest.raises(ValidationError, match="already a member"):
        services.request_to_join(school=world.school_a, user=world.teacher_a)


def test_first_approved_member_of_school_without_lead_becomes_lead(world):
    school = SchoolFactory()
    membership = services.request_to_join(school=school, user=UserFactory())
    services.approve_membership(membership=membership, actor=world.reviewer_a)
    membership.refresh_from_db()
    assert (membership.status, membership.role) == (Status.APPROVED, Role.LEAD)


def test_second_approved_member_is_a_member(world):
    membership = services.request_to_join(school=world.school_a, user=UserFactory())
    services.approve_membership(membership=membership, actor=world.teacher_a)
    membership.refresh_from_db()
    assert (membership.status, membership.role) == (Status.APPROVED, Role.MEMBER)


def test_reviewer_cannot_approve_when_school_has_lead(world):
    membership = services.request_to_join(school=world.school_a, user=UserFactory())
    with pytest.raises(PermissionDenied):
        services.approve_membership(membership=membership, actor=world.reviewer_a)
    membership.refresh_from_db()
    assert membership.status == Status.PENDING


def test_reviewer_of_other_region_cannot_approve_school_without_lead(world):
    school = SchoolFactory()
    membership = services.request_to_join(school=school, user=UserFactory())
    with pytest.raises(PermissionDenied):
        services.approve_membership(membership=membership, actor=world.reviewer_other)
    membership.refresh_from_db()
    assert membership.status == Status.PENDING


def test_decline_then_ask_again_reopens_request(world):
    newcomer = UserFactory()
    membership = services.request_to_join(school=world.school_a, user=newcomer)
    services.decline_membership(membership=membership, actor=world.teacher_a)
    membership.refresh_from_db()
    assert membership.status == Status.DECLINED
    again = services.request_to_join(school=world.school_a, user=newcomer)
    assert (again.pk, again.status) == (membership.pk, Status.PENDING)


def test_deciding_twice_is_refused(world):
    membership = services.request_to_join(school=world.school_a, user=UserFactory())
    services.approve_membership(membership=membership, actor=world.teacher_a)
    with pytest.raises(ValidationError, match="already been decided"):
        services.decline_membership(membership=membership, actor=world.teacher_a)


def test_hand_over_lead_keeps_one_lead(world):
    colleague = SchoolMembershipFactory(school=world.school_a)
    services.hand_over_lead(membership=colleague, actor=world.teacher_a)
    roles = dict(
        SchoolMembership.objects.filter(school=world.school_a).values_list("user__email", "role")
    )
    assert roles == {world.teacher_a.email: Role.MEMBER, colleague.user.email: Role.LEAD}


def test_member_cannot_hand_over_lead(world):
    colleague = SchoolMembershipFactory(school=world.school_a)
    other = SchoolMembershipFactory(school=world.school_a)
    with pytest.raises(PermissionDenied):
        services.hand_over_lead(membership=other, actor=colleague.user)


def test_lead_cannot_be_removed(world):
    lead = SchoolMembership.objects.get(user=world.teacher_a)
    with pytest.raises(ValidationError, match="Hand the lead role"):
        services.remove_member(membership=lead, actor=world.teacher_a)
    assert SchoolMembership.objects.filter(pk=lead.pk).exists()


def test_remove_member(world):
    colleague = SchoolMembershipFactory(school=world.school_a)
    services.remove_member(membership=colleague, actor=world.teacher_a)
    assert not SchoolMembership.objects.filter(pk=colleague.pk).exists()


def test_invitation_accepted_by_invitee_makes_member(world):
    invitation = services.invite_colleague(
        school=world.school_a, email="New.Colleague@Example.test", actor=world.teacher_a
    )
    assert mail.outbox[-1].to == ["new.colleague@example.test"]
    assert invitation.token in mail.outbox[-1].body
    invitee = UserFactory(email="new.colleague@example.test")
    membership = services.accept_invitation(invitation=invitation, user=invitee)
    assert (membership.status, membership.role) == (Status.APPROVED, Role.MEMBER)


def test_invitation_for_someone_else_is_refused(world):
    invitation = services.invite_colleague(
        school=world.school_a, email="someone@example.test", actor=world.teacher_a
    )
    with pytest.raises(ValidationError, match=r"sent to someone@example\.test"):
        services.accept_invitation(invitation=invitation, user=world.teacher_b)
    assert not SchoolMembership.objects.filter(school=world.school_a, user=world.teacher_b).exists()


def test_inviting_twice_is_refused(world):
    services.invite_colleague(school=world.school_a, email="x@example.test", actor=world.teacher_a)
    with pytest.raises(ValidationError, match="already been invited"):
        services.invite_colleague(
            school=world.school_a, email="x@example.test", actor=world.teacher_a
        )
    assert SchoolInvitation.objects.count() == 1


def test_member_cannot_invite(world):
    colleague = SchoolMembershipFactory(school=world.school_a)
    with pytest.raises(PermissionDenied):
        services.invite_colleague(
            school=world.school_a, email="x@example.test", actor=colleague.user
        )
