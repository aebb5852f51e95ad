"""Reads for the partner directory: public search, staff and moderator lists, matching."""

import difflib
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Func,
    IntegerField,
    Max,
    Q,
    Value,
    When,
)
from django.db.models.functions import Cast

from artsmark.common.vocab import (
    ART_FORMS,
    KEY_STAGES,
    QUALITY_PRINCIPLES,
    key_stages_for_phase,
    label,
)
from partners import search_index
from partners.enums import (
    OFFER_TYPE_STRANDS,
    EnquiryStatus,
    MembershipStatus,
    OfferType,
    RevisionStatus,
)
from partners.models import (
    ListingRevision,
    PartnerMembership,
    PartnerOrganisation,
    PublishedListing,
)
from partners.search_index import query_lexemes

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 200


class DirectoryResult(NamedTuple):
    """What a search result shows (partners.presentation.result_cards)."""

    id: int
    organisation_id: int
    name: str
    description: str
    is_artsmark_partner: bool
    offer_count: int
    place: str  # the local authority where the organisation is based


# One page's results by id; a plain query, as the ORM took longer building it than
# PostgreSQL took answering.
RESULTS_SQL = """
SELECT l.id, l.organisation_id, l.name, l.description, l.is_artsmark_partner,
    l.offer_count, la.name
FROM partners_publishedlisting AS l
JOIN schools_localauthority AS la ON la.id = l.local_authority_id
WHERE l.id = ANY(%s)
"""


@dataclass
class DirectorySearch:
    """What the public asked for: text plus any facets (each a list of allowed values)."""

    text: str = ""
    offer_type: list = field(default_factory=list)
    art_form: list = field(default_factory=list)
    key_stage: list = field(default_factory=list)
    quality_principle: list = field(default_factory=list)
    cost: list = field(default_factory=list)
    region: list = field(default_factory=list)  # region ids served
    local_authority: int | None = None  # a local authority id served
    artsmark_partner: bool = False
    page: int = 1


def clean_text(text):
    """Any text is a fair query: NUL characters (which PostgreSQL refuses) go, long text
    is cut."""
    return (text or "").replace("\x00", "").strip()[:MAX_QUERY_LENGTH]


# What PostgreSQL answers for a search, in one statement so that the generation read is the
# one the matches were found at: (generation, the query's words, matching ids packed eight
# bytes each). The document is matched only through its GIN index (migration 0007 keeps the
# planner on it); nothing of the rows is read but their ids.
TEXT_SQL = """
SELECT (SELECT generation FROM partners_directory_generation),
    websearch_to_tsquery('english', %(text)s)::text,
    (SELECT string_agg(int8send(s.listing_id), '') FROM partners_publishedlistingsearch AS s
        WHERE s.document @@ websearch_to_tsquery('english', %(text)s))
"""
# Only when no document has the words: names like the text (a misspelt name has no lexeme),
# through the trigram index (migration 0006), each with how alike it is (0 to 1).
TYPO_SQL = """
SELECT (SELECT generation FROM partners_directory_generation), '',
    (SELECT string_agg(
            int8send(s.listing_id) || float4send(word_similarity(%(text)s, s.name)), '')
        FROM partners_publishedlistingsearch AS s
        WHERE s.listing_id IN (SELECT partners_name_matches(%(text)s)))
"""
MATCH = np.dtype([("id", ">i8")])
TYPO_MATCH = np.dtype([("id", ">i8"), ("likeness", ">f4")])


def _text_matches(text):
    """(generation, ids matched, their rank points or None to rank by the query's words, the
    query's words): words first, then, if no document has them, a typo in a name."""
    with connection.cursor() as cursor:
        cursor.execute(TEXT_SQL, {"text": text})
        generation, tsquery, packed = cursor.fetchone()
        if packed:
            return generation, np.frombuffer(packed, MATCH)["id"], None, query_lexemes(tsquery)
        cursor.execute(TYPO_SQL, {"text": text})
        generation, _, packed = cursor.fetchone()
    found = np.frombuffer(packed or b"", TYPO_MATCH)
    return generation, found["id"], np.round(found["likeness"] * 1000).astype(np.int64), set()


def _find(text):
    """(index, chosen by the text, rank points or None for name order): the text's matches
    and an index at the same generation, matched again if the directory changed between
    the two."""
    if not text:
        with connection.cursor() as cursor:
            cursor.execute(search_index.GENERATION_SQL)
            index = search_index.index_at(cursor.fetchone()[0])
        return index, np.ones(index.size, dtype=bool), None
    for _ in range(3):
        generation, ids, likeness, lexemes = _text_matches(text)
        index = search_index.index_at(generation)
        if index.generation == generation:
            break
    positions = index.positions(ids)
    held = positions >= 0
    chosen = np.zeros(index.size, dtype=bool)
    chosen[positions[held]] = True
    if likeness is None:
        return index, chosen, index.points(lexemes)
    points = np.zeros(index.size, dtype=np.int64)
    points[positions[held]] = likeness[held]
    return index, chosen, points


def search_directory(search):
    """One page of ranked results, the total and the facet counts. PostgreSQL finds the
    text's matches; the search index filters, counts and orders them (partners/search_index.py).
    Two queries: the matches (one more when the words match nothing and a typo is tried) and
    the page's listings; the first search after the directory changes also loads the index."""
    index, chosen, points = _find(clean_text(search.text))
    chosen &= index.allowed(search)
    total = int(np.count_nonzero(chosen))
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, search.page), pages)
    ids = index.page(chosen, points, (page - 1) * PAGE_SIZE, PAGE_SIZE)
    results = []
    if ids:
        with connection.cursor() as cursor:
            cursor.execute(RESULTS_SQL, [ids])
            by_id = {row[0]: DirectoryResult(*row) for row in cursor.fetchall()}
        results = [by_id[pk] for pk in ids if pk in by_id]
    return {
        "results": results,
        "total": total,
        "counts": index.counts(chosen),
        "page": page,
        "pages": pages,
    }


def directory_places():
    """(regions, local authorities), each a list of (id, name) by name, in one query: the
    directory's area filters."""
    from artsmark.schools.models import LocalAuthority, Region

    sql = (
        f"SELECT 0 AS kind, id, name FROM {Region._meta.db_table} UNION ALL "  # noqa: S608 (table names only)
        f"SELECT 1, id, name FROM {LocalAuthority._meta.db_table} ORDER BY kind, name, id"
    )
    places = ([], [])
    with connection.cursor() as cursor:
        cursor.execute(sql)
        for kind, pk, name in cursor.fetchall():
            places[kind].append((pk, name))
    return places


# --- Staff and moderators ---------------------------------------------------------------


def staff_memberships_of(user):
    return (
        PartnerMembership.objects.filter(user=user)
        .exclude(status=MembershipStatus.DECLINED)
        .select_related("organisation__published")
        .order_by("organisation__name")
    )


def organisation_staff(*, organisation):
    return (
        PartnerMembership.objects.filter(organisation=organisation)
        .exclude(status=MembershipStatus.DECLINED)
        .select_related("user")
        .order_by("status", "role", "user__email")
    )


def moderation_queue(*, user):
    """Pending revisions of organisations in the areas the user moderates."""
    organisations = PartnerOrganisation.objects.moderated_by(user)
    if not user.is_superuser:
        organisations = organisations.exclude(
            memberships__user=user, memberships__status=MembershipStatus.APPROVED
        )
    return (
        ListingRevision.objects.filter(
            status=RevisionStatus.PENDING, organisation__in=organisations.values("pk")
        )
        .select_related("organisation__local_authority", "submitted_by")
        .order_by("submitted_at")
    )


def joinable_organisations(*, query):
    query = clean_text(query)
    if not query:
        return PublishedListing.objects.none()
    return (
        PublishedListing.objects.filter(
            Q(name__icontains=query) | Q(name__trigram_word_similar=query)
        )
        .select_related("local_authority")
        .order_by("name")[:25]
    )


def _lines(value):
    if isinstance(value, list):
        return [str(item) for item in value]
    return str(value if value is not None else "").splitlines() or [""]


def _field_diff(label, old, new):
    if old == new:
        return None
    return {
        "label": label,
        "lines": list(difflib.ndiff(_lines(old), _lines(new))),
    }


def revision_diff(*, old, new):
    """Per-field differences between two snapshots (old may be None: everything is new)."""
    old = old or {"offers": []}
    changes = []
    for key in [k for k in new if k != "offers"]:
        change = _field_diff(key.replace("_", " "), old.get(key), new.get(key))
        if change:
            changes.append(change)
    old_offers = {offer["id"]: offer for offer in old["offers"]}
    new_ids = set()
    for offer in new["offers"]:
        new_ids.add(offer["id"])
        before = old_offers.get(offer["id"], {})
        for key, value in offer.items():
            if key == "id":
                continue
            change = _field_diff(
                f"offer “{offer['title']}”: {key.replace('_', ' ')}", before.get(key), value
            )
            if change:
                changes.append(change)
    for offer_id, offer in old_offers.items():
        if offer_id not in new_ids:
            changes.append({"label": f"offer “{offer['title']}” removed", "lines": []})
    return changes


def last_approved_before(revision):
    return (
        ListingRevision.objects.filter(
            organisation_id=revision.organisation_id,
            number__lt=revision.number,
            status__in=[RevisionStatus.APPROVED, RevisionStatus.SUPERSEDED],
        )
        .order_by("-number")
        .first()
    )


# --- Enquiries --------------------------------------------------------------------------


def inbox(*, organisation):
    from partners.models import Enquiry

    return (
        Enquiry.objects.filter(organisation=organisation)
        .select_related("school", "sender")
        .annotate(message_count=Count("messages"), last_at=Max("messages__created_at"))
        .order_by(F("status").asc(), "-last_message_at")
    )


def enquiries_of_schools(*, school_ids):
    from partners.models import Enquiry

    return (
        Enquiry.objects.filter(school_id__in=school_ids)
        .select_related("organisation", "school")
        .order_by("-last_message_at")
    )


def unread_for_partner(*, organisation_ids):
    from partners.models import Enquiry

    unread = Q(partner_read_at__isnull=True) | Q(partner_read_at__lt=F("last_message_at"))
    return dict(
        Enquiry.objects.filter(organisation_id__in=organisation_ids, status=EnquiryStatus.OPEN)
        .filter(unread)
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .values_list("organisation_id", "n")
    )


# --- Matching a journey's plan ----------------------------------------------------------


class OverlapCount(Func):
    """How many elements two arrays share."""

    template = "cardinality(ARRAY(SELECT unnest(%(expressions)s)))"
    arg_joiner = ") INTERSECT SELECT unnest("
    output_field = IntegerField()


def _slug_array(values):
    return Cast(Value(sorted(values)), ArrayField(CharField(max_length=30)))


def plan_of(journey):
    """What a journey's goals ask for, and where and whom the school teaches."""
    goals = list(journey.goals.all())
    school = journey.school
    strands = {strand for goal in goals for strand in goal.strands}
    return {
        "goals": goals,
        "principles": {p for goal in goals for p in goal.quality_principles},
        "art_forms": {a for goal in goals for a in goal.art_forms},
        "strands": strands,
        "offer_types": {t for t, s in OFFER_TYPE_STRANDS.items() if strands & set(s)},
        "key_stages": set(key_stages_for_phase(school.phase)),
        "local_authority": school.local_authority,
        "region": school.local_authority.region,
    }


def partners_for_journey(*, journey, limit=20):
    """Published listings ranked by fit with the plan, each with the reasons why."""
    plan = plan_of(journey)
    la, region = plan["local_authority"], plan["region"]
    score = (
        Case(When(serves_local_authorities__contains=[la.pk], then=Value(4)), default=Value(0))
        + Case(When(serves_regions__contains=[region.pk], then=Value(1)), default=Value(0))
        + Value(2) * OverlapCount("quality_principles", _slug_array(plan["principles"]))
        + Value(2) * OverlapCount("art_forms", _slug_array(plan["art_forms"]))
        + OverlapCount("offer_types", _slug_array(plan["offer_types"]))
    )
    listings = list(
        PublishedListing.objects.filter(key_stages__overlap=sorted(plan["key_stages"]))
        .annotate(score=score)
        .filter(score__gt=0)
        .select_related("local_authority")
        .order_by("-score", "name", "id")[:limit]
    )
    for listing in listings:
        listing.reasons = match_reasons(listing, plan)
    return {"plan": plan, "matches": listings}


def match_reasons(listing, plan):
    la, region = plan["local_authority"], plan["region"]
    reasons = []
    if la.pk in listing.serves_local_authorities:
        reasons.append(f"serves {la.name}")
    elif region.pk in listing.serves_regions:
        reasons.append(f"serves {region.name}")
    principles = plan["principles"] & set(listing.quality_principles)
    if principles:
        reasons.append(
            f"supports {len(principles)} of your goals' principles "
            f"({', '.join(name for slug, name in QUALITY_PRINCIPLES if slug in principles)})"
        )
    art_forms = plan["art_forms"] & set(listing.art_forms)
    if art_forms:
        reasons.append("works in " + ", ".join(label(ART_FORMS, a) for a in sorted(art_forms)))
    types = plan["offer_types"] & set(listing.offer_types)
    if types:
        reasons.append(
            "offers " + ", ".join(OfferType(t).label for t in sorted(types)) + " for your strands"
        )
    stages = plan["key_stages"] & set(listing.key_stages)
    if stages:
        reasons.append("for " + ", ".join(label(KEY_STAGES, s) for s in sorted(stages)))
    return reasons
