"""The one door for fetching partner directory objects by id from a URL.

Staff of one organisation get a 404 for another organisation's pages; the public sees only
published listings; "yours but not allowed" (a member trying an admin's job) is a 403.
"""

from artsmark.common.access import forbid, not_found, parse_pk
from artsmark.schools.models import BridgeMembership, SchoolMembership
from partners.enums import MembershipRole, MembershipStatus
from partners.models import (
    Offer,
    PartnerMembership,
    PartnerOrganisation,
    PublishedListing,
    PublishedOffer,
)


def is_staff(user, organisation):
    if not user.is_authenticated:
        return False
    return PartnerMembership.objects.filter(
        user=user, organisation=organisation, status=MembershipStatus.APPROVED
    ).exists()


def is_admin(user, organisation):
    return PartnerMembership.objects.filter(
        user=user,
        organisation=organisation,
        role=MembershipRole.ADMIN,
        status=MembershipStatus.APPROVED,
    ).exists()


def moderates(user, organisation):
    """A reviewer of a Bridge Organisation covering the organisation's local authority.

    Nobody moderates an organisation they work for.
    """
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if is_staff(user, organisation):
        return False
    return BridgeMembership.objects.filter(
        user=user,
        organisation__is_active=True,
        organisation__local_authorities=organisation.local_authority_id,
    ).exists()


def get_organisation_for(user, pk, *, write=False, manage=False):
    """An organisation the user is approved staff of.

    Every approved member may edit the listing and answer enquiries (`write`); only the
    organisation's admin may manage its staff (`manage`).
    """
    pk = parse_pk(pk)
    organisation = (
        PartnerOrganisation.objects.select_related("local_authority__region").filter(pk=pk).first()
    )
    if organisation is None or not user.is_authenticated:
        raise not_found("organisation")
    if user.is_superuser:
        return organisation
    if not is_staff(user, organisation):
        raise not_found("organisation")
    if manage and not is_admin(user, organisation):
        raise forbid("Only the organisation's administrator can manage its staff.")
    return organisation


def get_offer_for(user, organisation_pk, pk):
    organisation = get_organisation_for(user, organisation_pk, write=True)
    offer = Offer.objects.filter(pk=parse_pk(pk), organisation=organisation).first()
    if offer is None:
        raise not_found("offer")
    return offer


def get_staff_membership_for(user, organisation_pk, pk):
    organisation = get_organisation_for(user, organisation_pk, manage=True)
    membership = (
        PartnerMembership.objects.select_related("user", "organisation")
        .filter(pk=parse_pk(pk), organisation=organisation)
        .first()
    )
    if membership is None:
        raise not_found("member")
    return membership


def get_moderated_organisation_for(user, pk):
    """An organisation whose listing the user moderates; anyone else gets a 404."""
    pk = parse_pk(pk)
    organisation = (
        PartnerOrganisation.objects.select_related("local_authority__region").filter(pk=pk).first()
    )
    if organisation is None or not moderates(user, organisation):
        raise not_found("organisation")
    return organisation


def get_published_listing(pk):
    """The public copy of a listing; drafts, pending and returned listings do not exist here."""
    listing = (
        PublishedListing.objects.select_related("local_authority__region")
        .filter(organisation_id=parse_pk(pk))
        .first()
    )
    if listing is None:
        raise not_found("organisation")
    return listing


def get_published_offer(organisation_pk, pk):
    offer = (
        PublishedOffer.objects.select_related("listing")
        .filter(pk=parse_pk(pk), listing__organisation_id=parse_pk(organisation_pk))
        .first()
    )
    if offer is None:
        raise not_found("offer")
    return offer


def school_ids_of(user):
    return list(
        SchoolMembership.objects.filter(
            user=user, status=SchoolMembership.Status.APPROVED
        ).values_list("school_id", flat=True)
    )


def get_enquiry_for(user, pk):
    """An enquiry the user may read: a member of the school or staff of the organisation."""
    from partners.models import Enquiry

    pk = parse_pk(pk)
    enquiry = (
        Enquiry.objects.select_related("organisation", "school", "sender").filter(pk=pk).first()
    )
    if enquiry is None or not user.is_authenticated:
        raise not_found("enquiry")
    if user.is_superuser:
        return enquiry
    if enquiry.school_id in school_ids_of(user) or is_staff(user, enquiry.organisation):
        return enquiry
    raise not_found("enquiry")


def enquiry_side(user, enquiry):
    """ "school" or "partner": which side of the thread the user writes from."""
    if enquiry.school_id in school_ids_of(user):
        return "school"
    if is_staff(user, enquiry.organisation):
        return "partner"
    return "admin"
