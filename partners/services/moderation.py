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
from artsmark.schools.models import BridgeMembership, LocalAuthority
from partners.access import is_staff, moderates
from partners.enums import LISTING_TRANSITIONS, ListingStatus, MembershipStatus, RevisionStatus
from partners.models import (
    FACET_COUNT_COLUMNS,
    ListingRevision,
    PartnerMembership,
    PartnerOrganisation,
    PublishedListing,
    PublishedOffer,
)
from partners.search_index import facet_slots


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


# The lean row search reads: the packed facets, the name, the ranking vector (name A, offer
# titles B: small enough to rank thousands of matches quickly) and the document matched
# through its index: name (A), offer titles (B), description (C), offer descriptions and
# outcomes (D).
LEAN_SQL = """
INSERT INTO partners_publishedlistingsearch
    (listing_id, name, rank_vector, document, is_artsmark_partner, serves_local_authorities,
     {columns})
SELECT l.id, l.name,
    setweight(to_tsvector('english', coalesce(l.name, '')), 'A')
    || setweight(to_tsvector('english', coalesce(o.titles, '')), 'B'),
    setweight(to_tsvector('english', coalesce(l.name, '')), 'A')
    || setweight(to_tsvector('english', coalesce(o.titles, '')), 'B')
    || setweight(to_tsvector('english', coalesce(l.description, '')), 'C')
    || setweight(to_tsvector('english', coalesce(o.texts, '')), 'D'),
    l.is_artsmark_partner, l.serves_local_authorities, {packed}
FROM partners_publishedlisting AS l
LEFT JOIN LATERAL (
    SELECT string_agg(o.title, ' ') AS titles,
        string_agg(left(o.description || ' ' || o.learning_outcomes, 2000), ' ') AS texts
    FROM partners_publishedoffer AS o WHERE o.listing_id = l.id) AS o ON true
{where}
ON CONFLICT (listing_id) DO UPDATE SET
    name = EXCLUDED.name, rank_vector = EXCLUDED.rank_vector, document = EXCLUDED.document,
    is_artsmark_partner = EXCLUDED.is_artsmark_partner,
    serves_local_authorities = EXCLUDED.serves_local_authorities, {updates}
"""


def _packed_facets_sql():
    """Each facet column's value for a listing: 1 in the field of every option it has."""
    slots = facet_slots()
    terms = {n: [] for n in range(FACET_COUNT_COLUMNS)}
    params = {n: [] for n in range(FACET_COUNT_COLUMNS)}
    for slot in slots:
        cast = "integer" if slot.column.startswith("serves_") else "varchar(30)"
        terms[slot.number].append(
            f'((l."{slot.column}" @> ARRAY[%s]::{cast}[])::integer::bigint << %s)'
        )
        params[slot.number] += [slot.value, slot.shift]
    expressions = [" + ".join(terms[n]) or "0" for n in range(FACET_COUNT_COLUMNS)]
    return ", ".join(expressions), [p for n in range(FACET_COUNT_COLUMNS) for p in params[n]]


def refresh_search(*, listing_ids=None):
    """Rewrite the search rows of some listings, or of all."""
    if listing_ids is None:
        where, where_params = "", []
    else:
        where, where_params = "WHERE l.id = ANY(%s)", [list(listing_ids)]
    columns = [f"facets{n}" for n in range(FACET_COUNT_COLUMNS)]
    packed, packed_params = _packed_facets_sql()
    lean = LEAN_SQL.format(
        columns=", ".join(columns),
        packed=packed,
        where=where,
        updates=", ".join(f"{c} = EXCLUDED.{c}" for c in columns),
    )
    with connection.cursor() as cursor:
        cursor.execute(lean, [*packed_params, *where_params])
