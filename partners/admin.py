"""Django admin for the partner directory: organisations, listings, offers and enquiries.

Everything here is read-only. Listings change through the portal's moderation (submit,
approve, return), which keeps the published copy and the search index in step; memberships
and enquiries change through their services, which check who may act and send the emails.
"""

from django.contrib import admin
from django.db import models

from partners.models import (
    Enquiry,
    EnquiryMessage,
    ListingRevision,
    Offer,
    PartnerMembership,
    PartnerOrganisation,
    PublishedListing,
    PublishedOffer,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """The portal's services own these writes; admin is for looking."""

    # Web addresses typed without a scheme are https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return self.fields


class MembershipInline(ReadOnlyInline):
    model = PartnerMembership
    fk_name = "organisation"
    fields = ["user", "role", "status", "requested_at", "decided_at"]


class OfferInline(ReadOnlyInline):
    model = Offer
    fields = ["title", "offer_type", "cost"]


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(ReadOnlyAdmin):
    list_display = ["name", "local_authority", "status", "is_artsmark_partner", "updated_at"]
    list_filter = ["status", "is_artsmark_partner", "local_authority__region"]
    search_fields = ["name", "contact_email", "postcode"]
    list_select_related = ["local_authority"]
    inlines = [MembershipInline, OfferInline]


@admin.register(PartnerMembership)
class PartnerMembershipAdmin(ReadOnlyAdmin):
    list_display = ["user", "organisation", "role", "status", "requested_at"]
    list_filter = ["role", "status"]
    search_fields = ["user__email", "organisation__name"]
    list_select_related = ["user", "organisation"]


@admin.register(ListingRevision)
class ListingRevisionAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "number", "status", "submitted_by", "submitted_at"]
    list_filter = ["status"]
    search_fields = ["organisation__name"]
    list_select_related = ["organisation", "submitted_by"]


class PublishedOfferInline(ReadOnlyInline):
    model = PublishedOffer
    fields = ["title", "offer_type", "cost"]
    show_change_link = False


@admin.register(PublishedListing)
class PublishedListingAdmin(ReadOnlyAdmin):
    list_display = ["name", "local_authority", "is_artsmark_partner", "offer_count", "published_at"]
    list_filter = ["is_artsmark_partner"]
    search_fields = ["name"]
    list_select_related = ["local_authority"]
    inlines = [PublishedOfferInline]


@admin.register(Offer)
class OfferAdmin(ReadOnlyAdmin):
    list_display = ["title", "organisation", "offer_type", "cost"]
    list_filter = ["offer_type", "cost"]
    search_fields = ["title", "organisation__name"]
    list_select_related = ["organisation"]


class EnquiryMessageInline(ReadOnlyInline):
    model = EnquiryMessage
    fields = ["created_at", "side", "author", "body"]
    show_change_link = False


@admin.register(Enquiry)
class EnquiryAdmin(ReadOnlyAdmin):
    list_display = ["subject", "school", "organisation", "status", "last_message_at"]
    list_filter = ["status"]
    search_fields = ["subject", "school__name", "school__urn", "organisation__name"]
    list_select_related = ["school", "organisation"]
    inlines = [EnquiryMessageInline]
