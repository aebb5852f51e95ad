"""Joining a school, approving members, invitations and handing over the lead role."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from artsmark.common.activity import record_activity
from artsmark.common.notify import send_templated_email
from artsmark.schools.access import can_approve_members, is_lead
from artsmark.schools.models import BridgeMembership, SchoolInvitation, SchoolMembership

Status = SchoolMembership.Status
Role = SchoolMembership.Role


def approvers_of(school):
    """Who is asked to approve a join request: the lead, else the area's reviewers."""
    lead = SchoolMembership.objects.filter(
        school=school, role=Role.LEAD, status=Status.APPROVED
    ).select_related("user")
    if lead:
        return [m.user for m in lead]
    reviewers = BridgeMembership.objects.filter(
        organisation__local_authorities=school.local_authority_id
    ).select_related("user")
    return [m.user for m in reviewers]


@transaction.atomic
def request_to_join(*, school, user, message=""):
    existing = SchoolMembership.objects.select_for_update().filter(school=school, user=user).first()
    if existing and existing.status == Status.APPROVED:
        raise ValidationError("You are already a member of this school.")
    if existing and existing.status == Status.PENDING:
        raise ValidationError("You have already asked to join this school.")
    if existing:  # declined before: asking again reopens the request
        existing.status = Status.PENDING
        existing.message = message
        existing.requested_at = timezone.now()
        existing.decided_at = existing.decided_by = None
        existing.save(
            update_fields=[
                "status",
                "message",
                "requested_at",
                "decided_at",
                "decided_by",
            ]
        )
        membership = existing
    else:
        membership = SchoolMembership.objects.create(school=school, user=user, message=message)
    record_activity(subject=school, actor=user, verb="asked to join", to_state=Status.PENDING)
    recipients = [u.email for u in approvers_of(school)]
    transaction.on_commit(
        lambda: send_templated_email(
            template="emails/join_request",
            to=recipients,
            context={"membership": membership, "school": school},
        )
    )
    return membership


def _check_manager(actor, school):
    if not can_approve_members(actor, school):
        raise PermissionDenied("Only the school's Artsmark lead can manage its members.")


@transaction.atomic
def approve_membership(*, membership, actor):
    _check_manager(actor, membership.school)
    membership = SchoolMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != Status.PENDING:
        raise ValidationError("This request has already been decided.")
    has_lead = SchoolMembership.objects.filter(
        school=membership.school, role=Role.LEAD, status=Status.APPROVED
    ).exists()
    membership.status = Status.APPROVED
    membership.role = Role.MEMBER if has_lead else Role.LEAD
    membership.decided_at = timezone.now()
    membership.decided_by = actor
    membership.save(update_fields=["status", "role", "decided_at", "decided_by"])
    record_activity(
        subject=membership.school,
        actor=actor,
        verb="approved member",
        to_state=membership.role,
        note=membership.user.email,
    )
    transaction.on_commit(
        lambda: send_templated_email(
            template="emails/join_approved",
            to=[membership.user.email],
            context={"membership": membership, "school": membership.school},
        )
    )
    return membership


@transaction.atomic
def decline_membership(*, membership, actor):
    _check_manager(actor, membership.school)
    membership = SchoolMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != Status.PENDING:
        raise ValidationError("This request has already been decided.")
    membership.status = Status.DECLINED
    membership.decided_at = timezone.now()
    membership.decided_by = actor
    membership.save(update_fields=["status", "decided_at", "decided_by"])
    record_activity(
        subject=membership.school,
        actor=actor,
        verb="declined request",
        note=membership.user.email,
    )
    transaction.on_commit(
        lambda: send_templated_email(
            template="emails/join_declined",
            to=[membership.user.email],
            context={"membership": membership, "school": membership.school},
        )
    )
    return membership


@transaction.atomic
def remove_member(*, membership, actor):
    _check_manager(actor, membership.school)
    if membership.is_lead:
        raise ValidationError("Hand the lead role to someone else before removing the lead.")
    school, email = membership.school, membership.user.email
    membership.delete()
    record_activity(subject=school, actor=actor, verb="removed member", note=email)


@transaction.atomic
def hand_over_lead(*, membership, actor):
    """Make `membership` the school's lead; the previous lead stays on as a member."""
    school = membership.school
    if not (actor.is_superuser or is_lead(actor, school)):
        raise PermissionDenied("Only the school's Artsmark lead can hand over the lead role.")
    if membership.status != Status.APPROVED:
        raise ValidationError("Only an approved member can become the lead.")
    if membership.is_lead:
        raise ValidationError("This person is already the lead.")
    SchoolMembership.objects.filter(school=school, role=Role.LEAD).update(role=Role.MEMBER)
    membership.role = Role.LEAD
    membership.save(update_fields=["role"])
    record_activity(
        subject=school,
        actor=actor,
        verb="handed over lead",
        to_state=Role.LEAD,
        note=membership.user.email,
    )
    return membership


@transaction.atomic
def invite_colleague(*, school, email, actor):
    if not (actor.is_superuser or is_lead(actor, school)):
        raise PermissionDenied("Only the school's Artsmark lead can invite colleagues.")
    email = email.strip().lower()
    if SchoolMembership.objects.filter(
        school=school, user__email__iexact=email, status=Status.APPROVED
    ).exists():
        raise ValidationError("That person is already a member of this school.")
    try:
        with transaction.atomic():
            invitation = SchoolInvitation.objects.create(
                school=school, email=email, invited_by=actor
            )
    except IntegrityError:
        raise ValidationError(
            "That person has already been invited and has not answered yet."
        ) from None
    record_activity(subject=school, actor=actor, verb="invited", note=email)
    transaction.on_commit(
        lambda: send_templated_email(
            template="emails/invitation",
            to=[email],
            context={"invitation": invitation, "school": school, "inviter": actor},
        )
    )
    return invitation


@transaction.atomic
def accept_invitation(*, invitation, user):
    invitation = SchoolInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise ValidationError("This invitation has already been used.")
    if invitation.email.lower() != user.email.lower():
        raise ValidationError(
            f"This invitation was sent to {invitation.email}. "
            "Log in with that address to accept it."
        )
    membership, _ = SchoolMembership.objects.get_or_create(school=invitation.school, user=user)
    if membership.status != Status.APPROVED:
        membership.status = Status.APPROVED
        membership.role = Role.MEMBER
        membership.decided_at = timezone.now()
        membership.decided_by = invitation.invited_by
        membership.save(update_fields=["status", "role", "decided_at", "decided_by"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    record_activity(subject=invitation.school, actor=user, verb="accepted invitation")
    return membership
