"""Reads for the partner directory: public search, staff and moderator lists, matching."""

import difflib
from dataclasses import dataclass, field
from typing import NamedTuple

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
from partners.enums import (
    OFFER_TYPE_STRANDS,
    Cost,
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


# (search form field, facet name in the search rows and counts, vocabulary) of every
# checkbox facet but regions (whose options are rows of Region).
ARRAY_FACETS = [
    ("offer_type", "offer_types", OfferType.choices),
    ("art_form", "art_forms", ART_FORMS),
    ("key_stage", "key_stages", KEY_STAGES),
    ("quality_principle", "quality_principles", QUALITY_PRINCIPLES),
    ("cost", "costs", Cost.choices),
]
REGION_FACET = "serves_regions"
# Rank points a query word earns where it is found: in the name, in an offer title only.
NAME_POINTS = 10
TITLE_POINTS = 4
# How far apart (trigram distance, 0 to 1) a word typed and a word of the directory may be
# for "Did you mean …?": "musuem" is 0.73 from "museum".
SUGGESTION_DISTANCE = 0.75


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


# A whole search in one statement, read top to bottom:
# - matches: the listings whose document has the words (GIN index), each with its points
#   (each query word in the name earns NAME_POINTS, in an offer title only TITLE_POINTS);
#   no text lists everyone, by name; only when no document has the words, the listings whose name
#   is like the text (trigram index; a misspelt name has no lexeme), by how alike;
# - chosen: those the filters allow (within a facet any value asked for will do; across
#   facets, all must hold), kept (a few small columns each) for the counts and the page;
# - combinations: how many chosen listings have each facet's combination of options (its
#   FacetSet), and how many there are in all (the empty grouping set, the row with no set),
#   in one pass (GROUPING SETS on small ids; each row names one facet's set, the others are
#   NULL); `counted` spreads them over the options: far fewer rows to count than one per
#   listing and option;
# - the answer: how many, the page asked for (kept within the pages there are) with what
#   each result shows, the count of every facet option among the chosen, and, when nothing
#   was found, the text with each unknown word replaced by the nearest word of the
#   directory (partners_searchword, GiST trigram index).
# Empty filters are constants PostgreSQL folds away when it plans the statement.
SEARCH_SQL = """
WITH matches AS (
    SELECT s.listing_id, s.name, s.offer_types, s.art_forms, s.key_stages, s.quality_principles,
        s.costs, s.serves_regions, s.serves_local_authorities, s.is_artsmark_partner,
        s.offer_types_set_id, s.art_forms_set_id, s.key_stages_set_id,
        s.quality_principles_set_id, s.costs_set_id, s.serves_regions_set_id,
        CASE WHEN %(text)s = '' THEN 0 ELSE
            %(name_points)s * (length(s.name_words) - length(ts_delete(s.name_words,
                tsvector_to_array(to_tsvector('english', %(text)s)))))
            + %(title_points)s * (length(s.title_words) - length(ts_delete(s.title_words,
                tsvector_to_array(to_tsvector('english', %(text)s)))))
        END AS points
    FROM partners_publishedlistingsearch AS s
    WHERE %(text)s = '' OR s.document @@ websearch_to_tsquery('english', %(text)s)
    UNION ALL
    SELECT s.listing_id, s.name, s.offer_types, s.art_forms, s.key_stages, s.quality_principles,
        s.costs, s.serves_regions, s.serves_local_authorities, s.is_artsmark_partner,
        s.offer_types_set_id, s.art_forms_set_id, s.key_stages_set_id,
        s.quality_principles_set_id, s.costs_set_id, s.serves_regions_set_id,
        round(1000 * word_similarity(%(text)s, s.name))::integer
    FROM partners_publishedlistingsearch AS s
    WHERE %(text)s <> '' AND s.name %%> %(text)s AND NOT EXISTS (
        SELECT FROM partners_publishedlistingsearch AS d
        WHERE d.document @@ websearch_to_tsquery('english', %(text)s))
),
chosen AS MATERIALIZED (
    SELECT listing_id, name, points, offer_types_set_id, art_forms_set_id, key_stages_set_id,
        quality_principles_set_id, costs_set_id, serves_regions_set_id
    FROM matches
    WHERE (cardinality(%(offer_types)s::text[]) = 0 OR offer_types && %(offer_types)s::text[])
        AND (cardinality(%(art_forms)s::text[]) = 0 OR art_forms && %(art_forms)s::text[])
        AND (cardinality(%(key_stages)s::text[]) = 0 OR key_stages && %(key_stages)s::text[])
        AND (cardinality(%(quality_principles)s::text[]) = 0
            OR quality_principles && %(quality_principles)s::text[])
        AND (cardinality(%(costs)s::text[]) = 0 OR costs && %(costs)s::text[])
        AND (cardinality(%(serves_regions)s::integer[]) = 0
            OR serves_regions && %(serves_regions)s::integer[])
        AND (%(local_authority)s::integer IS NULL
            OR serves_local_authorities @> ARRAY[%(local_authority)s::integer])
        AND (NOT %(artsmark_partner)s OR is_artsmark_partner)
),
combinations AS (
    SELECT coalesce(offer_types_set_id, art_forms_set_id, key_stages_set_id,
            quality_principles_set_id, costs_set_id, serves_regions_set_id) AS facet_set_id,
        count(*) AS n
    FROM chosen
    GROUP BY GROUPING SETS ((offer_types_set_id), (art_forms_set_id), (key_stages_set_id),
        (quality_principles_set_id), (costs_set_id), (serves_regions_set_id), ())
),
counted AS (
    SELECT facet, option, sum(n) AS n FROM (
        SELECT f.facet, unnest(f.options) AS option, c.n
        FROM combinations AS c JOIN partners_facetset AS f ON f.id = c.facet_set_id
    ) AS options
    GROUP BY facet, option
),
-- An aggregate, so the planner knows it is one row (and the statement stays cheap).
total AS (SELECT sum(n)::integer AS total FROM combinations WHERE facet_set_id IS NULL),
page AS (
    SELECT LEAST(GREATEST(%(page)s, 1), GREATEST(1, (total + %(page_size)s - 1) / %(page_size)s))
        AS page
    FROM total
)
SELECT total.total, page.page,
    (SELECT json_agg(json_build_array(l.id, l.organisation_id, l.name, l.description,
            l.is_artsmark_partner, l.offer_count, la.name)
            ORDER BY shown.points DESC, shown.name, shown.listing_id)
        FROM (SELECT listing_id, name, points FROM chosen
            ORDER BY points DESC, name, listing_id
            LIMIT %(page_size)s OFFSET (page.page - 1) * %(page_size)s) AS shown
        JOIN partners_publishedlisting AS l ON l.id = shown.listing_id
        JOIN schools_localauthority AS la ON la.id = l.local_authority_id),
    (SELECT json_agg(json_build_array(facet, option, n)) FROM counted),
    (SELECT CASE WHEN bool_or(nearest.word IS NOT NULL)
            THEN string_agg(coalesce(nearest.word, typed.word), ' ' ORDER BY typed.n) END
        FROM unnest(regexp_split_to_array(lower(%(text)s), '[^[:alpha:]]+')) WITH ORDINALITY
            AS typed(word, n)
        LEFT JOIN LATERAL (
            SELECT w.word FROM partners_searchword AS w
            WHERE NOT EXISTS (SELECT FROM partners_searchword AS known
                WHERE known.word = typed.word)
                AND w.word <-> typed.word <= %(suggestion_distance)s
            ORDER BY w.word <-> typed.word, w.word LIMIT 1) AS nearest ON true
        WHERE total.total = 0 AND typed.word <> '')
FROM total, page
"""


def _facet_values(search):
    """Each facet's values asked for, by the search row's column."""
    asked = {column: list(getattr(search, name)) for name, column, _ in ARRAY_FACETS}
    asked[REGION_FACET] = list(search.region)
    return asked


def search_parameters(search):
    """SEARCH_SQL's parameters for a search."""
    return {
        "text": clean_text(search.text),
        **_facet_values(search),
        "local_authority": search.local_authority,
        "artsmark_partner": bool(search.artsmark_partner),
        "page": max(1, min(int(search.page or 1), 1_000_000)),
        "page_size": PAGE_SIZE,
        "name_points": NAME_POINTS,
        "title_points": TITLE_POINTS,
        "suggestion_distance": SUGGESTION_DISTANCE,
    }


def search_directory(search):
    """One page of ranked results, the total, the facet counts ({facet: {value as text:
    count}}, options no chosen listing has left out) and, when nothing was found, a
    suggestion of other words (else None). One query, whatever is asked."""
    with connection.cursor() as cursor:
        cursor.execute(SEARCH_SQL, search_parameters(search))
        total, page, rows, counted, suggestion = cursor.fetchone()
    counts = {column: {} for _, column, _ in ARRAY_FACETS}
    counts[REGION_FACET] = {}
    for column, value, n in counted or []:
        counts[column][value] = n
    return {
        "results": [DirectoryResult(*row) for row in rows or []],
        "total": total,
        "counts": counts,
        "page": page,
        "pages": max(1, -(-total // PAGE_SIZE)),
        "suggestion": suggestion,
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


# What a moderator reads for each field of a listing snapshot and of its offers.
LISTING_FIELD_LABELS = {
    "name": "Name",
    "description": "Description",
    "website": "Website",
    "contact_email": "Contact email",
    "contact_phone": "Contact phone",
    "postcode": "Postcode",
    "local_authority": "Local authority where based",
    "serves_regions": "Regions served",
    "serves_local_authorities": "Other local authorities served",
    "art_forms": "Art forms",
    "is_artsmark_partner": "Artsmark Partner",
}
OFFER_FIELD_LABELS = {
    "title": "Title",
    "description": "Description",
    "offer_type": "Type of offer",
    "key_stages": "Key stages",
    "age_range": "Age range",
    "art_forms": "Art forms",
    "curriculum_links": "Curriculum links",
    "learning_outcomes": "Learning outcomes",
    "quality_principles": "Quality Principles it supports",
    "cost": "Cost",
    "cost_note": "Cost note",
    "school_provides": "Resources the school must provide",
}


def _snapshot_names(snapshots):
    """Names of the local authorities and regions the snapshots mention: two queries."""
    from artsmark.schools.models import LocalAuthority, Region

    la_ids, region_ids = set(), set()
    for data in snapshots:
        if data.get("local_authority"):
            la_ids.add(data["local_authority"])
        la_ids.update(data.get("serves_local_authorities") or [])
        region_ids.update(data.get("serves_regions") or [])
    return {
        "local_authority": dict(
            LocalAuthority.objects.filter(pk__in=la_ids).values_list("pk", "name")
        ),
        "region": dict(Region.objects.filter(pk__in=region_ids).values_list("pk", "name")),
    }


def _shown(key, value, names):
    """A snapshot value as a person reads it: names, labels, Yes or No; a list for lists."""
    from partners.enums import Cost

    lookups = {
        "local_authority": names["local_authority"],
        "serves_local_authorities": names["local_authority"],
        "serves_regions": names["region"],
        "art_forms": dict(ART_FORMS),
        "key_stages": dict(KEY_STAGES),
        "quality_principles": dict(QUALITY_PRINCIPLES),
        "offer_type": dict(OfferType.choices),
        "cost": dict(Cost.choices),
    }
    if value is None:
        shown = ""
    elif isinstance(value, bool):
        shown = "Yes" if value else "No"
    elif key in lookups and isinstance(value, list):
        shown = [lookups[key].get(item, str(item)) for item in value]
        if key.startswith("serves_"):
            shown = sorted(shown)
    elif key in lookups:
        shown = lookups[key].get(value, str(value))
    else:
        shown = value
    return shown


def _field_diff(label_text, old, new):
    """None when nothing a reader would see changed (None, "" and [] are all empty)."""
    if (old or None) == (new or None):
        return None
    if isinstance(old, list) or isinstance(new, list):
        before, after = list(old or []), list(new or [])
        lines = [f"- {item}" for item in before if item not in after]
        lines += [f"+ {item}" for item in after if item not in before]
        if not lines:  # the same items in another order
            return None
    else:
        before = str(old or "").splitlines()
        after = str(new or "").splitlines()
        lines = list(difflib.ndiff(before, after))
    return {"label": label_text, "lines": lines}


def revision_diff(*, old, new):
    """What changed between two snapshots (old may be None: a new listing), field by field,
    in the words of the listing form; fields that did not change are left out."""
    old = old or {"offers": []}
    names = _snapshot_names([old, new])
    changes = []
    for key, label_text in LISTING_FIELD_LABELS.items():
        if key not in old and not new.get(key):
            continue  # a new listing: only what it says, not every empty field
        change = _field_diff(
            label_text, _shown(key, old.get(key), names), _shown(key, new.get(key), names)
        )
        if change:
            changes.append(change)
    old_offers = {offer["id"]: offer for offer in old["offers"]}
    new_ids = set()
    for offer in new["offers"]:
        new_ids.add(offer["id"])
        before = old_offers.get(offer["id"], {})
        for key, label_text in OFFER_FIELD_LABELS.items():
            if key not in before and not offer.get(key):
                continue
            change = _field_diff(
                f"offer “{offer['title']}”: {label_text}",
                _shown(key, before.get(key), names),
                _shown(key, offer.get(key), names),
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
        .annotate(
            message_count=Count("messages"),
            last_at=Max("messages__created_at"),
            is_unread=_unread_by("partner_read_at"),
        )
        .order_by(F("status").asc(), "-last_message_at")
    )


def _unread_by(read_field):
    """True where the side whose read time is `read_field` has not read the last message."""
    unread = Q(**{f"{read_field}__isnull": True}) | Q(**{f"{read_field}__lt": F("last_message_at")})
    return Case(When(unread, then=Value(True)), default=Value(False))


def enquiries_of_schools(*, school_ids):
    from partners.models import Enquiry

    return (
        Enquiry.objects.filter(school_id__in=school_ids)
        .select_related("organisation", "school")
        .annotate(is_unread=_unread_by("school_read_at"))
        .order_by("-last_message_at")
    )


def unread_for_partner(*, organisation_ids):
    from partners.models import Enquiry

    unread = Q(partner_read_at__isnull=True) | Q(partner_read_at__lt=F("last_message_at"))
    return dict(
        Enquiry.objects.filter(
            organisation_id__in=organisation_ids,
            status__in=[EnquiryStatus.OPEN, EnquiryStatus.ACCEPTED],
        )
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


# Where a matching page looks for partners.
AREA_LOCAL_AUTHORITY, AREA_REGION, AREA_ANYWHERE = "local-authority", "region", "anywhere"


def partners_for_journey(*, journey, limit=20, area=AREA_ANYWHERE, art_form=""):
    """Published listings ranked by fit with the plan, each with the reasons why.

    Partners serving the school's local authority come first, then those serving its region,
    then the rest: a perfect fit three hundred miles away is less use than a good one nearby.
    Within each, the fit with the goals ranks them. `area` and `art_form` narrow the list.
    """
    plan = plan_of(journey)
    la, region = plan["local_authority"], plan["region"]
    nearness = Case(
        When(serves_local_authorities__contains=[la.pk], then=Value(2)),
        When(serves_regions__contains=[region.pk], then=Value(1)),
        default=Value(0),
    )
    fit = (
        Value(2) * OverlapCount("quality_principles", _slug_array(plan["principles"]))
        + Value(2) * OverlapCount("art_forms", _slug_array(plan["art_forms"]))
        + OverlapCount("offer_types", _slug_array(plan["offer_types"]))
    )
    listings = PublishedListing.objects.filter(key_stages__overlap=sorted(plan["key_stages"]))
    if area == AREA_LOCAL_AUTHORITY:
        listings = listings.filter(serves_local_authorities__contains=[la.pk])
    elif area == AREA_REGION:
        listings = listings.filter(serves_regions__contains=[region.pk])
    if art_form:
        listings = listings.filter(art_forms__contains=[art_form])
    listings = list(
        listings.annotate(nearness=nearness, fit=fit)
        .filter(Q(nearness__gt=0) | Q(fit__gt=0))
        .select_related("local_authority")
        .order_by("-nearness", "-fit", "name", "id")[:limit]
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
