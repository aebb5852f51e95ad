"""Creating organisations, editing the working copy of a listing, and staff memberships."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from artsmark.common.activity import record_activity
from artsmark.common.notify import send_templated_email
from partners.access import is_admin, is_staff, moderates
from partners.enums import ListingStatus, MembershipRole, MembershipStatus, RevisionStatus
from partners.models import Offer, PartnerMembership, PartnerOrganisation, PublishedListing
from partners.services.moderation import refresh_search, set_listing_status

LISTING_FIELDS = [
    "name",
    "description",
    "website",
    "contact_email",
    "contact_phone",
    "postcode",
    "local_authority",
    "art_forms",
]
# Set by moderators and platform staff only (set_artsmark_partner), never by the listing's
# own staff.
MODERATOR_FIELDS = ["is_artsmark_partner"]
OFFER_FIELDS = [
    "title",
    "description",
    "offer_type",
    "key_stages",
    "age_range",
    "art_forms",
    "curriculum_links",
    "learning_outcomes",
    "quality_principles",
    "cost",
    "cost_note",
    "school_provides",
]


def _check_staff(actor, organisation):
    if not (actor.is_superuser or is_staff(actor, organisation)):
        raise PermissionDenied("Only the organisation's staff can change its listing.")


def _refuse_moderator_fields(fields):
    if any(name in fields for name in MODERATOR_FIELDS):
        raise PermissionDenied(
            "Only a moderator can say whether an organisation is an Artsmark Partner."
        )


def _working_copy_changed(organisation, actor):
    """An edit to a published or returned listing makes a new draft; pending is locked."""
    if organisation.status == ListingStatus.PENDING:
        raise ValidationError(
            "Your listing is waiting for moderation. You can edit it again once it has "
            "been approved or returned."
        )
    if organisation.status in (ListingStatus.PUBLISHED, ListingStatus.RETURNED):
        set_listing_status(organisation=organisation, to=ListingStatus.DRAFT, actor=actor)


@transaction.atomic
def create_organisation(*, user, fields, serves_local_authorities=(), serves_regions=()):
    _refuse_moderator_fields(fields)
    organisation = PartnerOrganisation.objects.create(
        **{name: fields[name] for name in LISTING_FIELDS if name in fields}
    )
    organisation.serves_local_authorities.set(serves_local_authorities)
    organisation.serves_regions.set(serves_regions)
    PartnerMembership.objects.create(
        user=user,
        organisation=organisation,
        role=MembershipRole.ADMIN,
        status=MembershipStatus.APPROVED,
        decided_at=timezone.now(),
    )
    record_activity(subject=organisation, actor=user, verb="created", to_state="draft")
    return organisation


@transaction.atomic
def update_listing(*, organisation, actor, fields, serves_local_authorities, serves_regions):
    _check_staff(actor, organisation)
    _refuse_moderator_fields(fields)
    organisation = PartnerOrganisation.objects.select_for_update().get(pk=organisation.pk)
    _working_copy_changed(organisation, actor)
    for name in LISTING_FIELDS:
        if name in fields:
            setattr(organisation, name, fields[name])
    organisation.save()
    organisation.serves_local_authorities.set(serves_local_authorities)
    organisation.serves_regions.set(serves_regions)
    record_activity(subject=organisation, actor=actor, verb="edited listing")
    return organisation


@transaction.atomic
def set_artsmark_partner(*, organisation, actor, value):
    """A moderator for the organisation's area (or platform staff) says whether it is an
    Artsmark Partner. It takes effect at once in the directory and in any version waiting
    for moderation, so approving that version does not undo it."""
    if not moderates(actor, organisation):
        raise PermissionDenied("Only a moderator for the organisation's area can do that.")
    organisation = PartnerOrganisation.objects.select_for_update().get(pk=organisation.pk)
    value = bool(value)
    if organisation.is_artsmark_partner == value:
        return organisation
    organisation.is_artsmark_partner = value
    organisation.save(update_fields=["is_artsmark_partner", "updated_at"])
    for revision in organisation.revisions.filter(status=RevisionStatus.PENDING):
        revision.data["is_artsmark_partner"] = value
        revision.save(update_fields=["data"])
    listings = PublishedListing.objects.filter(organisation=organisation)
    if listings.update(is_artsmark_partner=value):
        refresh_search(listing_ids=list(listings.values_list("pk", flat=True)))
    record_activity(
        subject=organisation,
        actor=actor,
        verb="marked an Artsmark Partner" if value else "marked not an Artsmark Partner",
    )
    return organisation


@transaction.atomic
def save_offer(*, organisation, actor, fields, offer=None):
    _check_staff(actor, organisation)
    organisation = PartnerOrganisation.objects.select_for_update().get(pk=organisation.pk)
    _working_copy_changed(organisation, actor)
    if offer is None:
        offer = Offer(organisation=organisation)
    for name in OFFER_FIELDS:
        if name in fields:
            setattr(offer, name, fields[name])
    offer.save()
    record_activity(subject=organisation, actor=actor, verb="saved offer", note=offer.title)
    return offer


@transaction.atomic
def delete_offer(*, offer, actor):
    organisation = offer.organisation
    _check_staff(actor, organisation)
    organisation = PartnerOrganisation.objects.select_for_update().get(pk=organisation.pk)
    _working_copy_changed(organisation, actor)
    title = offer.title
    offer.delete()
    record_activity(subject=organisation, actor=actor, verb="removed offer", note=title)


def _admin_emails(organisation):
    return list(
        PartnerMembership.objects.filter(
            organisation=organisation,
            role=MembershipRole.ADMIN,
            status=MembershipStatus.APPROVED,
        ).values_list("user__email", flat=True)
    )


@transaction.atomic
def request_to_join(*, organisation, user, message=""):
    existing = (
        PartnerMembership.objects.select_for_update()
        .filter(organisation=organisation, user=user)
        .first()
    )
    if existing and existing.status == MembershipStatus.APPROVED:
        raise ValidationError("You are already on this organisation's staff.")
    if existing and existing.status == MembershipStatus.PENDING:
        raise ValidationError("You have already asked to join this organisation.")
    if existing:
        existing.status = MembershipStatus.PENDING
        existing.message = message
        existing.decided_at = existing.decided_by = None
        existing.save(update_fields=["status", "message", "decided_at", "decided_by"])
        membership = existing
    else:
        membership = PartnerMembership.objects.create(
            organisation=organisation, user=user, message=message
        )
    record_activity(subject=organisation, actor=user, verb="asked to join", to_state="pending")
    recipients = _admin_emails(organisation)
    transaction.on_commit(
        lambda: send_templated_email(
            template="emails/partner_join_request",
            to=recipients,
            context={"membership": membership, "organisation": organisation},
        )
    )
    return membership


@transaction.atomic
def decide_membership(*, membership, actor, approve):
    if not (actor.is_superuser or is_admin(actor, membership.organisation)):
        raise PermissionDenied("Only the organisation's administrator can do that.")
    membership = PartnerMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != MembershipStatus.PENDING:
        raise ValidationError("This request has already been decided.")
    membership.status = MembershipStatus.APPROVED if approve else MembershipStatus.DECLINED
    membership.decided_at = timezone.now()
    membership.decided_by = actor
    membership.save(update_fields=["status", "decided_at", "decided_by"])
    record_activity(
        subject=membership.organisation,
        actor=actor,
        verb="approved member" if approve else "declined request",
        note=membership.user.email,
    )
    transaction.on_commit(
        lambda: send_templated_email(
            template="emails/partner_join_decided",
            to=[membership.user.email],
            context={"membership": membership, "organisation": membership.organisation},
        )
    )
    return membership
