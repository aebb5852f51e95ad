"""Moderation of partner listings: the one door for a listing's status, and publishing.

Submitting freezes the working copy as a ListingRevision; approving writes that snapshot to
the public tables (PublishedListing, PublishedOffer), which are all the directory reads.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from artsmark.common.activity import record_activity
from artsmark.common.notify import send_templated_email
from artsmark.common.vocab import ART_FORMS
from artsmark.schools.models import BridgeMembership, LocalAuthority
from partners.access import is_staff, moderates
from partners.enums import LISTING_TRANSITIONS, ListingStatus, MembershipStatus, RevisionStatus
from partners.models import (
    ListingRevision,
    PartnerMembership,
    PartnerOrganisation,
    PublishedListing,
    PublishedOffer,
)


def set_listing_status(*, organisation, to, actor, note=""):
    """Move a listing's working copy to `to`, if the transition table allows it."""
    from_status = organisation.status
    if (from_status, to) not in LISTING_TRANSITIONS:
        raise ValidationError(
            f"A listing that is {organisation.get_status_display().lower()} cannot become "
            f"{ListingStatus(to).label.lower()}."
        )
    organisation.status = to
    organisation.save(update_fields=["status", "updated_at"])
    record_activity(
        subject=organisation,
        actor=actor,
        verb="listing status",
        from_state=from_status,
        to_state=to,
        note=note,
    )
    return organisation


def snapshot(organisation):
    """The working copy as plain data: what a revision freezes and a diff compares."""
    offers = [
        {
            "id": offer.pk,
            "title": offer.title,
            "description": offer.description,
            "offer_type": offer.offer_type,
            "key_stages": list(offer.key_stages),
            "age_range": offer.age_range,
            "art_forms": list(offer.art_forms),
            "curriculum_links": offer.curriculum_links,
            "learning_outcomes": offer.learning_outcomes,
            "quality_principles": list(offer.quality_principles),
            "cost": offer.cost,
            "cost_note": offer.cost_note,
            "school_provides": offer.school_provides,
        }
        for offer in organisation.offers.order_by("pk")
    ]
    return {
        "name": organisation.name,
        "description": organisation.description,
        "website": organisation.website,
        "contact_email": organisation.contact_email,
        "contact_phone": organisation.contact_phone,
        "postcode": organisation.postcode,
        "local_authority": organisation.local_authority_id,
        "serves_local_authorities": sorted(
            organisation.serves_local_authorities.values_list("pk", flat=True)
        ),
        "serves_regions": sorted(organisation.serves_regions.values_list("pk", flat=True)),
        "art_forms": list(organisation.art_forms),
        "is_artsmark_partner": organisation.is_artsmark_partner,
        "offers": offers,
    }


def moderator_emails(organisation):
    return list(
        BridgeMembership.objects.filter(
            organisation__is_active=True,
            organisation__local_authorities=organisation.local_authority_id,
        ).values_list("user__email", flat=True)
    )


def staff_emails(organisation):
    return list(
        PartnerMembership.objects.filter(
            organisation=organisation, status=MembershipStatus.APPROVED
        ).values_list("user__email", flat=True)
    )


@transaction.atomic
def submit_listing(*, organisation, actor):
    if not (actor.is_superuser or is_staff(actor, organisation)):
        raise PermissionDenied("Only the organisation's staff can submit its listing.")
    organisation = PartnerOrganisation.objects.select_for_update().get(pk=organisation.pk)
    problems = []
    if not organisation.description.strip():
        problems.append("Add a description of your organisation.")
    if not organisation.offers.exists():
        problems.append("Add at least one offer.")
    if problems:
        raise ValidationError(problems)
    set_listing_status(organisation=organisation, to=ListingStatus.PENDING, actor=actor)
    number = (organisation.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    revision = ListingRevision.objects.create(
        organisation=organisation, number=number, data=snapshot(organisation), submitted_by=actor
    )
    recipients = moderator_emails(organisation)
    transaction.on_commit(
        lambda: send_templated_email(
            template="emails/partner_listing_submitted",
            to=recipients,
            context={"organisation": organisation, "revision": revision},
        )
    )
    return revision


def _check_moderator(actor, organisation):
    if not moderates(actor, organisation):
        raise PermissionDenied("Only a reviewer for the organisation's area can moderate it.")


def _pending_revision(revision):
    revision = ListingRevision.objects.select_for_update().get(pk=revision.pk)
    if revision.status != RevisionStatus.PENDING:
        raise ValidationError("This version has already been moderated.")
    return revision


@transaction.atomic
def approve_revision(*, revision, actor, comments=""):
    organisation = PartnerOrganisation.objects.select_for_update().get(pk=revision.organisation_id)
    _check_moderator(actor, organisation)
    revision = _pending_revision(revision)
    organisation.revisions.filter(status=RevisionStatus.APPROVED).update(
        status=RevisionStatus.SUPERSEDED
    )
    revision.status = RevisionStatus.APPROVED
    revision.decided_by, revision.decided_at = actor, timezone.now()
    revision.comments = comments
    revision.save(update_fields=["status", "decided_by", "decided_at", "comments"])
    publish(organisation=organisation, revision=revision)
    set_listing_status(
        organisation=organisation, to=ListingStatus.PUBLISHED, actor=actor, note=comments
    )
    _tell_staff(organisation, revision, "emails/partner_listing_approved")
    return revision


@transaction.atomic
def return_revision(*, revision, actor, comments):
    if not comments.strip():
        raise ValidationError("Say what needs to change before the listing can be published.")
    organisation = PartnerOrganisation.objects.select_for_update().get(pk=revision.organisation_id)
    _check_moderator(actor, organisation)
    revision = _pending_revision(revision)
    revision.status = RevisionStatus.RETURNED
    revision.decided_by, revision.decided_at = actor, timezone.now()
    revision.comments = comments
    revision.save(update_fields=["status", "decided_by", "decided_at", "comments"])
    set_listing_status(
        organisation=organisation, to=ListingStatus.RETURNED, actor=actor, note=comments
    )
    _tell_staff(organisation, revision, "emails/partner_listing_returned")
    return revision


def _tell_staff(organisation, revision, template):
    recipients = staff_emails(organisation)
    transaction.on_commit(
        lambda: send_templated_email(
            template=template,
            to=recipients,
            context={"organisation": organisation, "revision": revision},
        )
    )


def _union(offers, key):
    return sorted({value for offer in offers for value in offer[key]})


def served_area(*, local_authority_ids, region_ids):
    """Local authorities and regions served; a region served covers all its authorities."""
    authorities = LocalAuthority.objects.filter(pk__in=local_authority_ids) | (
        LocalAuthority.objects.filter(region_id__in=region_ids)
    )
    pairs = list(authorities.values_list("pk", "region_id"))
    return sorted({pk for pk, _ in pairs}), sorted({region for _, region in pairs})


def publish(*, organisation, revision):
    """Write a revision's snapshot out as the public copy of the listing."""
    data = revision.data
    offers = data["offers"]
    serves_las, serves_regions = served_area(
        local_authority_ids=data["serves_local_authorities"], region_ids=data["serves_regions"]
    )
    listing, _ = PublishedListing.objects.update_or_create(
        organisation=organisation,
        defaults={
            "revision": revision,
            "name": data["name"],
            "description": data["description"],
            "website": data["website"],
            "contact_email": data["contact_email"],
            "contact_phone": data["contact_phone"],
            "postcode": data["postcode"],
            "local_authority_id": data["local_authority"],
            "is_artsmark_partner": data["is_artsmark_partner"],
            "art_forms": sorted(set(data["art_forms"]) | set(_union(offers, "art_forms"))),
            "offer_types": sorted({offer["offer_type"] for offer in offers}),
            "key_stages": _union(offers, "key_stages"),
            "quality_principles": _union(offers, "quality_principles"),
            "costs": sorted({offer["cost"] for offer in offers}),
            "serves_local_authorities": serves_las,
            "serves_regions": serves_regions,
            "offer_count": len(offers),
            "published_at": timezone.now(),
        },
    )
    listing.offers.all().delete()
    PublishedOffer.objects.bulk_create(
        PublishedOffer(listing=listing, **{k: v for k, v in offer.items() if k != "id"})
        for offer in offers
    )
    refresh_search(listing_ids=[listing.pk])
    return listing


# The lean row search reads (PublishedListingSearch): the name; the facets and their sets; the
# words that
# rank a match (the name's, and the offer titles' not in the name); and the document matched
# through its index: name (A), offer titles (B), description and the labels of the listing's
# art forms (C: "drama" finds a listing in "Theatre and drama"), offer descriptions and
# outcomes (D).
# Each facet's combination of options (FacetSet) that the listings have, added if new.
FACET_SETS_SQL = """
INSERT INTO partners_facetset (facet, options)
SELECT DISTINCT f.facet, f.options
FROM partners_publishedlisting AS l
CROSS JOIN LATERAL (VALUES ('offer_types', l.offer_types::text[]),
    ('art_forms', l.art_forms::text[]), ('key_stages', l.key_stages::text[]),
    ('quality_principles', l.quality_principles::text[]), ('costs', l.costs::text[]),
    ('serves_regions', l.serves_regions::text[])) AS f(facet, options)
WHERE %(all)s OR l.id = ANY(%(ids)s)
ON CONFLICT (facet, options) DO NOTHING
"""
SEARCH_ROW_SQL = """
INSERT INTO partners_publishedlistingsearch
    (listing_id, name, is_artsmark_partner, offer_types, art_forms, key_stages,
     quality_principles, costs, serves_regions, serves_local_authorities,
     offer_types_set_id, art_forms_set_id, key_stages_set_id, quality_principles_set_id,
     costs_set_id, serves_regions_set_id,
     name_words, title_words, document)
SELECT l.id, l.name, l.is_artsmark_partner, l.offer_types, l.art_forms, l.key_stages,
    l.quality_principles, l.costs, l.serves_regions, l.serves_local_authorities,
    (SELECT id FROM partners_facetset
        WHERE facet = 'offer_types' AND options = l.offer_types::text[]),
    (SELECT id FROM partners_facetset
        WHERE facet = 'art_forms' AND options = l.art_forms::text[]),
    (SELECT id FROM partners_facetset
        WHERE facet = 'key_stages' AND options = l.key_stages::text[]),
    (SELECT id FROM partners_facetset
        WHERE facet = 'quality_principles' AND options = l.quality_principles::text[]),
    (SELECT id FROM partners_facetset WHERE facet = 'costs' AND options = l.costs::text[]),
    (SELECT id FROM partners_facetset
        WHERE facet = 'serves_regions' AND options = l.serves_regions::text[]),
    strip(to_tsvector('english', l.name)),
    ts_delete(strip(to_tsvector('english', coalesce(o.titles, ''))),
        tsvector_to_array(to_tsvector('english', l.name))),
    setweight(to_tsvector('english', l.name), 'A')
    || setweight(to_tsvector('english', coalesce(o.titles, '')), 'B')
    || setweight(to_tsvector('english', l.description || ' ' || a.labels), 'C')
    || setweight(to_tsvector('english', coalesce(o.texts, '')), 'D')
FROM partners_publishedlisting AS l
LEFT JOIN LATERAL (
    SELECT string_agg(o.title, ' ') AS titles,
        string_agg(left(o.description || ' ' || o.learning_outcomes, 2000), ' ') AS texts
    FROM partners_publishedoffer AS o WHERE o.listing_id = l.id) AS o ON true
CROSS JOIN LATERAL (
    SELECT coalesce(string_agg(labels.label, ' '), '') AS labels
    FROM unnest(%(art_forms)s::text[], %(art_form_labels)s::text[]) AS labels(value, label)
    WHERE labels.value = ANY(l.art_forms)) AS a
WHERE %(all)s OR l.id = ANY(%(ids)s)
ON CONFLICT (listing_id) DO UPDATE SET
    name = EXCLUDED.name, is_artsmark_partner = EXCLUDED.is_artsmark_partner,
    offer_types = EXCLUDED.offer_types, art_forms = EXCLUDED.art_forms,
    key_stages = EXCLUDED.key_stages, quality_principles = EXCLUDED.quality_principles,
    costs = EXCLUDED.costs, serves_regions = EXCLUDED.serves_regions,
    serves_local_authorities = EXCLUDED.serves_local_authorities,
    offer_types_set_id = EXCLUDED.offer_types_set_id,
    art_forms_set_id = EXCLUDED.art_forms_set_id,
    key_stages_set_id = EXCLUDED.key_stages_set_id,
    quality_principles_set_id = EXCLUDED.quality_principles_set_id,
    costs_set_id = EXCLUDED.costs_set_id, serves_regions_set_id = EXCLUDED.serves_regions_set_id,
    name_words = EXCLUDED.name_words, title_words = EXCLUDED.title_words,
    document = EXCLUDED.document
"""
# The words "Did you mean …?" suggests from: those of the listings' names, descriptions and
# offers, three letters or more.
SEARCH_WORDS_SQL = """
INSERT INTO partners_searchword (word)
SELECT DISTINCT word FROM partners_publishedlisting AS l
LEFT JOIN LATERAL (
    SELECT string_agg(o.title || ' ' || o.description || ' ' || o.learning_outcomes, ' ')
        AS texts
    FROM partners_publishedoffer AS o WHERE o.listing_id = l.id) AS o ON true,
regexp_split_to_table(
    lower(l.name || ' ' || l.description || ' ' || coalesce(o.texts, '')), '[^[:alpha:]]+')
    AS word
WHERE (%(all)s OR l.id = ANY(%(ids)s)) AND length(word) BETWEEN 3 AND 60
ON CONFLICT (word) DO NOTHING
"""


def refresh_search(*, listing_ids=None):
    """Rewrite the search rows (and add the search words) of some listings, or of all; all
    also forgets words no listing has any more."""
    params = {
        "all": listing_ids is None,
        "ids": list(listing_ids or []),
        "art_forms": [value for value, _ in ART_FORMS],
        "art_form_labels": [text for _, text in ART_FORMS],
    }
    with connection.cursor() as cursor:
        cursor.execute(FACET_SETS_SQL, params)
        cursor.execute(SEARCH_ROW_SQL, params)
        if listing_ids is None:
            cursor.execute("DELETE FROM partners_searchword")
        cursor.execute(SEARCH_WORDS_SQL, params)
