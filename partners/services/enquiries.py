"""Enquiries from schools to partners: send, reply, read, close, accept."""

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from artsmark.common.activity import record_activity
from artsmark.common.notify import send_templated_email
from artsmark.schools.access import is_member
from artsmark.schools.models import School, SchoolMembership
from journeys.enums import PartnershipSource
from journeys.selectors import open_journey_for_school
from journeys.services.delivery import record_partnership
from partners.access import enquiry_side, is_staff
from partners.enums import EnquiryStatus
from partners.models import Enquiry, EnquiryMessage, PublishedListing
from partners.services.moderation import staff_emails


def _school_emails(school):
    return list(
        SchoolMembership.objects.filter(
            school=school, status=SchoolMembership.Status.APPROVED
        ).values_list("user__email", flat=True)
    )


def _notify(enquiry, message, recipients):
    transaction.on_commit(
        lambda: send_templated_email(
            template="emails/partner_enquiry_message",
            to=recipients,
            context={"enquiry": enquiry, "message": message},
        )
    )


# Sending is limited per user: enough for a busy lead, too few to flood partners' inboxes.
SEND_LIMIT = 10
SEND_WINDOW_SECONDS = 60 * 60
# Threads either side can still write in: an accepted enquiry stays a conversation.
WRITABLE = (EnquiryStatus.OPEN, EnquiryStatus.ACCEPTED)


class DuplicateEnquiryError(ValidationError):
    """The school already has an open enquiry to this organisation: `enquiry` is that one."""

    def __init__(self, enquiry):
        super().__init__(
            f"Your school already has an open enquiry to {enquiry.organisation.name}: "
            f"“{enquiry.subject}”. Write in that thread instead of sending another.",
            code="duplicate",
        )
        self.enquiry = enquiry


def _count_send(user):
    """Count one send against the user's hourly allowance; refuse once it is used up."""
    key = f"partners:enquiry-sends:{user.pk}"
    cache.add(key, 0, timeout=SEND_WINDOW_SECONDS)
    try:
        sent = cache.incr(key)
    except ValueError:  # the window ended between add and incr: a new one starts
        cache.add(key, 1, timeout=SEND_WINDOW_SECONDS)
        sent = 1
    if sent > SEND_LIMIT:
        raise ValidationError(
            f"You have sent {SEND_LIMIT} enquiries in the last hour, the most we allow. "
            "Please try again in an hour; your message has not been sent.",
            code="rate_limited",
        )


@transaction.atomic
def send_enquiry(*, organisation, school, sender, subject, body, goal=None, offer=None):
    if not (sender.is_superuser or is_member(sender, school)):
        raise PermissionDenied("Only a member of the school can send an enquiry for it.")
    if not PublishedListing.objects.filter(organisation=organisation).exists():
        raise ValidationError("This organisation is not in the directory.")
    if goal is not None and goal.journey.school_id != school.pk:
        raise ValidationError("That goal belongs to another school.")
    if offer is not None and offer.listing.organisation_id != organisation.pk:
        raise ValidationError("That offer belongs to another organisation.")
    # Lock the school so that two quick clicks cannot both pass the duplicate check.
    School.objects.select_for_update().filter(pk=school.pk).first()
    existing = (
        Enquiry.objects.select_related("organisation")
        .filter(organisation=organisation, school=school, status=EnquiryStatus.OPEN)
        .first()
    )
    if existing is not None:
        raise DuplicateEnquiryError(existing)
    _count_send(sender)
    now = timezone.now()
    enquiry = Enquiry.objects.create(
        organisation=organisation,
        school=school,
        goal=goal,
        offer=offer,
        offer_title=offer.title if offer else "",
        subject=subject.strip(),
        sender=sender,
        last_message_at=now,
        school_read_at=now,
    )
    message = EnquiryMessage.objects.create(
        enquiry=enquiry, author=sender, side=EnquiryMessage.Side.SCHOOL, body=body
    )
    record_activity(subject=enquiry, actor=sender, verb="sent enquiry", to_state="open")
    _notify(enquiry, message, staff_emails(organisation))
    return enquiry


def _check_party(user, enquiry):
    side = enquiry_side(user, enquiry)
    if side == "admin" and not user.is_superuser:
        raise PermissionDenied("You are not part of this enquiry.")
    return side


@transaction.atomic
def reply(*, enquiry, author, body):
    side = _check_party(author, enquiry)
    enquiry = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    if enquiry.status not in WRITABLE:
        raise ValidationError("This enquiry is closed, so it cannot be answered.")
    message = EnquiryMessage.objects.create(enquiry=enquiry, author=author, side=side, body=body)
    enquiry.last_message_at = message.created_at
    read_field = "school_read_at" if side == "school" else "partner_read_at"
    setattr(enquiry, read_field, message.created_at)
    enquiry.save(update_fields=["last_message_at", read_field])
    other = (
        staff_emails(enquiry.organisation) if side == "school" else _school_emails(enquiry.school)
    )
    _notify(enquiry, message, [email for email in other if email != author.email])
    return message


def mark_read(*, enquiry, user):
    side = enquiry_side(user, enquiry)
    if side == "admin":
        return
    field = "school_read_at" if side == "school" else "partner_read_at"
    Enquiry.objects.filter(pk=enquiry.pk).update(**{field: timezone.now()})


@transaction.atomic
def close_enquiry(*, enquiry, actor):
    _check_party(actor, enquiry)
    enquiry = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    if enquiry.status != EnquiryStatus.OPEN:
        raise ValidationError("This enquiry is already closed.")
    enquiry.status = EnquiryStatus.CLOSED
    enquiry.closed_at, enquiry.closed_by = timezone.now(), actor
    enquiry.save(update_fields=["status", "closed_at", "closed_by"])
    record_activity(
        subject=enquiry, actor=actor, verb="closed", from_state="open", to_state="closed"
    )
    return enquiry


@transaction.atomic
def accept_enquiry(*, enquiry, actor):
    """The school accepts: the enquiry becomes a partnership on its open journey."""
    if not (actor.is_superuser or is_member(actor, enquiry.school)):
        raise PermissionDenied("Only the school can accept an enquiry.")
    enquiry = (
        Enquiry.objects.select_for_update(of=("self",))
        .select_related("organisation", "school", "goal")
        .get(pk=enquiry.pk)
    )
    if enquiry.status != EnquiryStatus.OPEN:
        raise ValidationError("Only an open enquiry can be accepted.")
    if not has_partner_reply(enquiry):
        raise ValidationError(
            f"{enquiry.organisation.name} has not replied yet. You can accept once they have "
            "answered your enquiry."
        )
    journey = open_journey_for_school(school=enquiry.school)
    if journey is None:
        raise ValidationError("Your school has no open Artsmark journey to add a partnership to.")
    goal = enquiry.goal if enquiry.goal and enquiry.goal.journey_id == journey.pk else None
    partnership = record_partnership(
        journey=journey,
        partner_name=enquiry.organisation.name,
        description=enquiry.subject + (f" ({enquiry.offer_title})" if enquiry.offer_title else ""),
        actor=actor,
        goal=goal,
        source=PartnershipSource.ENQUIRY,
        source_reference=f"enquiry:{enquiry.pk}",
    )
    enquiry.status = EnquiryStatus.ACCEPTED
    enquiry.partnership = partnership
    enquiry.closed_at, enquiry.closed_by = timezone.now(), actor
    enquiry.save(update_fields=["status", "partnership", "closed_at", "closed_by"])
    record_activity(
        subject=enquiry, actor=actor, verb="accepted", from_state="open", to_state="accepted"
    )
    recipients = staff_emails(enquiry.organisation)
    transaction.on_commit(
        lambda: send_templated_email(
            template="emails/partner_enquiry_accepted",
            to=recipients,
            context={"enquiry": enquiry},
        )
    )
    return partnership


def has_partner_reply(enquiry):
    return enquiry.messages.filter(side=EnquiryMessage.Side.PARTNER).exists()


def can_staff_reply(user, enquiry):
    return is_staff(user, enquiry.organisation)
