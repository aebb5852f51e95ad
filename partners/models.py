"""Partner organisations, their staff, offers, moderated revisions and the public copy.

The working copy (PartnerOrganisation + Offer) is what partner staff edit. Moderation
approves a ListingRevision (a JSON snapshot of the working copy) and writes it out to
PublishedListing + PublishedOffer: the public directory reads only those two tables, so an
edit never leaks before it is approved.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, GistIndex, OpClass
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q

from artsmark.common.vocab import ART_FORMS, KEY_STAGES, QUALITY_PRINCIPLES
from artsmark.schools.models import LocalAuthority, Region
from partners.enums import (
    Cost,
    EnquiryStatus,
    ListingStatus,
    MembershipRole,
    MembershipStatus,
    OfferType,
    RevisionStatus,
)


def slug_array(choices, **kwargs):
    return ArrayField(
        models.CharField(max_length=30, choices=choices), default=list, blank=True, **kwargs
    )


class PartnerOrganisationQuerySet(models.QuerySet):
    def staffed_by(self, user):
        """Organisations the user is approved staff of (every one for platform staff)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(
            memberships__user=user, memberships__status=MembershipStatus.APPROVED
        ).distinct()

    def moderated_by(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(
            local_authority__bridge_organisations__memberships__user=user,
            local_authority__bridge_organisations__is_active=True,
        ).distinct()


class PartnerOrganisation(models.Model):
    """A cultural organisation and the working copy of its directory listing."""

    name = models.CharField(max_length=200)
    description = models.TextField(max_length=5000, blank=True)
    website = models.URLField(blank=True)
    contact_email = models.EmailField("contact email", blank=True)
    contact_phone = models.CharField("contact phone", max_length=40, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="partner_organisations"
    )
    serves_local_authorities = models.ManyToManyField(
        LocalAuthority, blank=True, related_name="+", verbose_name="local authorities served"
    )
    serves_regions = models.ManyToManyField(
        Region, blank=True, related_name="+", verbose_name="regions served"
    )
    art_forms = slug_array(ART_FORMS)
    is_artsmark_partner = models.BooleanField("Artsmark Partner", default=False)
    status = models.CharField(
        max_length=12, choices=ListingStatus.choices, default=ListingStatus.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PartnerOrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["status"], name="partner_org_status_idx")]

    def __str__(self):
        return self.name


class PartnerMembership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_memberships"
    )
    organisation = models.ForeignKey(
        PartnerOrganisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    status = models.CharField(
        max_length=10, choices=MembershipStatus.choices, default=MembershipStatus.PENDING
    )
    message = models.TextField("message to the organisation's admin", blank=True, max_length=1000)
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["organisation", "role", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="partner_membership_unique"
            ),
            models.CheckConstraint(
                condition=~Q(role="admin") | Q(status="approved"),
                name="partner_admin_is_approved",
            ),
        ]

    def __str__(self):
        return f"{self.user} at {self.organisation} ({self.role}, {self.status})"


class OfferFields(models.Model):
    """What the Artsmark Partner code of practice asks an offer to state."""

    title = models.CharField(max_length=200)
    description = models.TextField(max_length=5000)
    offer_type = models.CharField(max_length=20, choices=OfferType.choices)
    key_stages = slug_array(KEY_STAGES)
    age_range = models.CharField("age range (optional)", max_length=60, blank=True)
    art_forms = slug_array(ART_FORMS)
    curriculum_links = models.TextField(max_length=2000, blank=True)
    learning_outcomes = models.TextField(max_length=2000, blank=True)
    quality_principles = slug_array(QUALITY_PRINCIPLES)
    cost = models.CharField(max_length=12, choices=Cost.choices)
    cost_note = models.CharField(max_length=300, blank=True)
    school_provides = models.TextField(
        "resources the school must provide", max_length=2000, blank=True
    )

    class Meta:
        abstract = True

    def __str__(self):
        return self.title


class Offer(OfferFields):
    """An offer in the working copy of a listing."""

    organisation = models.ForeignKey(
        PartnerOrganisation, on_delete=models.CASCADE, related_name="offers"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "id"]


class ListingRevision(models.Model):
    """A submitted snapshot of a listing: pending, then approved or returned. Kept forever."""

    organisation = models.ForeignKey(
        PartnerOrganisation, on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField()
    data = models.JSONField()
    status = models.CharField(
        max_length=12, choices=RevisionStatus.choices, default=RevisionStatus.PENDING
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comments = models.TextField(blank=True, max_length=5000)

    class Meta:
        ordering = ["organisation", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="listing_revision_number_unique"
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status="pending"),
                name="listing_revision_one_pending",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} v{self.number} ({self.status})"


class PublishedListing(models.Model):
    """The approved, public copy of a listing, denormalised for fast search and filters.

    The facet arrays are the union over the listing's offers (and the listing's own art
    forms); `serves_*` hold ids, regions expanded to their local authorities.
    """

    organisation = models.OneToOneField(
        PartnerOrganisation, on_delete=models.CASCADE, related_name="published"
    )
    revision = models.ForeignKey(ListingRevision, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    website = models.URLField(blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    is_artsmark_partner = models.BooleanField(default=False)
    art_forms = slug_array(ART_FORMS)
    offer_types = slug_array(OfferType.choices)
    key_stages = slug_array(KEY_STAGES)
    quality_principles = slug_array(QUALITY_PRINCIPLES)
    costs = slug_array(Cost.choices)
    serves_local_authorities = ArrayField(models.IntegerField(), default=list, blank=True)
    serves_regions = ArrayField(models.IntegerField(), default=list, blank=True)
    offer_count = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            GinIndex(OpClass("name", name="gin_trgm_ops"), name="published_listing_name_trgm"),
            GinIndex(fields=["art_forms"], name="published_listing_artform_idx"),
            GinIndex(fields=["offer_types"], name="published_listing_type_idx"),
            GinIndex(fields=["key_stages"], name="published_listing_ks_idx"),
            GinIndex(fields=["quality_principles"], name="published_listing_qp_idx"),
            GinIndex(fields=["costs"], name="published_listing_cost_idx"),
            GinIndex(fields=["serves_local_authorities"], name="published_listing_la_idx"),
            GinIndex(fields=["serves_regions"], name="published_listing_region_idx"),
            # Not (name, id): a covering index tempts the planner to scan it for trigram
            # matches instead of using the trigram index.
            models.Index(fields=["name"], name="published_listing_name_idx"),
        ]

    def __str__(self):
        return self.name


class FacetSet(models.Model):
    """One combination of a facet's options that some listing has, e.g. art forms {dance,
    music}. A search row names its set for each facet, so that directory search counts
    the options among thousands of listings by grouping a few small ids, not by reading every
    listing's arrays (partners.selectors). New sets are added as listings need them; a new
    region or vocabulary option is just a value in a new set."""

    facet = models.CharField(max_length=30)
    options = ArrayField(models.TextField())

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["facet", "options"], name="facet_set_unique"),
        ]

    def __str__(self):
        return f"{self.facet}: {', '.join(self.options)}"


def facet_set():
    return models.ForeignKey(
        FacetSet, on_delete=models.PROTECT, related_name="+", db_index=False, null=True
    )


class PublishedListingSearch(models.Model):
    """The lean copy of a published listing that directory search reads (partners.selectors).

    - `document`: everything a listing can be found by: name (A), offer titles (B),
      description and the labels of its art forms (C), offer descriptions and outcomes (D).
      Matched only through its GIN index, never read, so stored out of line (migration 0010).
    - `name_words`, `title_words`: the name's words and the offer titles' words not in the
      name, what ranks a match (a word found in the name earns more than one in a title).
    - the facets (offer types, art forms, key stages, Quality Principles, costs, regions and
      local authorities served): plain arrays, filtered with && through their GIN indexes;
      and, for counting, each facet's FacetSet. A new region or vocabulary option needs no
      change to existing rows.

    Kept in step with PublishedListing by services.moderation.refresh_search.
    """

    # Fixed-width columns first: every search reads the sets, and PostgreSQL finds a column
    # after variable-width ones only by walking past each of them, row by row.
    listing = models.OneToOneField(
        PublishedListing, on_delete=models.CASCADE, primary_key=True, related_name="search"
    )
    is_artsmark_partner = models.BooleanField(default=False)
    offer_types_set = facet_set()
    art_forms_set = facet_set()
    key_stages_set = facet_set()
    quality_principles_set = facet_set()
    costs_set = facet_set()
    serves_regions_set = facet_set()
    name = models.CharField(max_length=200)
    offer_types = ArrayField(models.TextField(), default=list, blank=True)
    art_forms = ArrayField(models.TextField(), default=list, blank=True)
    key_stages = ArrayField(models.TextField(), default=list, blank=True)
    quality_principles = ArrayField(models.TextField(), default=list, blank=True)
    costs = ArrayField(models.TextField(), default=list, blank=True)
    serves_regions = ArrayField(models.IntegerField(), default=list, blank=True)
    serves_local_authorities = ArrayField(models.IntegerField(), default=list, blank=True)
    name_words = SearchVectorField(null=True)
    title_words = SearchVectorField(null=True)
    document = SearchVectorField(null=True)

    class Meta:
        indexes = [
            GinIndex(OpClass("name", name="gin_trgm_ops"), name="listing_search_name_trgm"),
            GinIndex(fields=["document"], name="listing_search_document_idx"),
            GinIndex(fields=["offer_types"], name="listing_search_type_idx"),
            GinIndex(fields=["art_forms"], name="listing_search_artform_idx"),
            GinIndex(fields=["key_stages"], name="listing_search_ks_idx"),
            GinIndex(fields=["quality_principles"], name="listing_search_qp_idx"),
            GinIndex(fields=["costs"], name="listing_search_cost_idx"),
            GinIndex(fields=["serves_regions"], name="listing_search_region_idx"),
            GinIndex(fields=["serves_local_authorities"], name="listing_search_la_idx"),
            # Browsing pages through listings in name order.
            models.Index(fields=["name", "listing"], name="listing_search_name_idx"),
        ]

    def __str__(self):
        return self.name


class SearchWord(models.Model):
    """A word found in the directory's listings: what "Did you mean …?" suggests from, by
    trigram distance (GiST index). Words of listings since withdrawn stay until the next
    full refresh_search()."""

    word = models.CharField(max_length=60, primary_key=True)

    class Meta:
        indexes = [
            GistIndex(OpClass("word", name="gist_trgm_ops"), name="search_word_trgm"),
        ]

    def __str__(self):
        return self.word


class PublishedOffer(OfferFields):
    listing = models.ForeignKey(PublishedListing, on_delete=models.CASCADE, related_name="offers")

    class Meta:
        ordering = ["title", "id"]


class Enquiry(models.Model):
    """A school's enquiry to a partner organisation: a thread both sides can read."""

    organisation = models.ForeignKey(
        PartnerOrganisation, on_delete=models.CASCADE, related_name="enquiries"
    )
    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="partner_enquiries"
    )
    goal = models.ForeignKey(
        "journeys.Goal", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    offer = models.ForeignKey(
        PublishedOffer, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    offer_title = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=200)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=EnquiryStatus.choices, default=EnquiryStatus.OPEN
    )
    partnership = models.ForeignKey(
        "journeys.Partnership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField()
    school_read_at = models.DateTimeField(null=True, blank=True)
    partner_read_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-last_message_at"]
        verbose_name_plural = "enquiries"
        indexes = [
            models.Index(fields=["organisation", "status"], name="enquiry_org_status_idx"),
        ]

    def __str__(self):
        return f"{self.subject} ({self.school} to {self.organisation})"


class EnquiryMessage(models.Model):
    class Side(models.TextChoices):
        SCHOOL = "school", "School"
        PARTNER = "partner", "Partner"
        ADMIN = "admin", "Platform staff"

    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    side = models.CharField(max_length=10, choices=Side.choices)
    body = models.TextField(max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Message on {self.enquiry_id} by {self.author}"
