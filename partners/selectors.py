"""Reads for the partner directory: public search, staff and moderator lists, matching."""

import difflib
from dataclasses import dataclass, field

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ImproperlyConfigured
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
    FACET_COUNT_COLUMNS,
    FACET_FIELD_BITS,
    FACET_FIELDS_PER_COLUMN,
    ListingRevision,
    PartnerMembership,
    PartnerOrganisation,
    PublishedListing,
)

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 200
# (form field, PublishedListing column, vocabulary) for every array facet.
ARRAY_FACETS = [
    ("offer_type", "offer_types", OfferType.choices),
    ("art_form", "art_forms", ART_FORMS),
    ("key_stage", "key_stages", KEY_STAGES),
    ("quality_principle", "quality_principles", QUALITY_PRINCIPLES),
    ("cost", "costs", Cost.choices),
]


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


@dataclass(frozen=True)
class FacetSlot:
    """Where one facet option is counted: a 15-bit field of a packed BIGINT column."""

    column: str  # the PublishedListing column the option belongs to
    value: object
    number: int  # facets<number> on PublishedListingSearch
    shift: int

    @property
    def bit(self):
        return 1 << self.shift

    @property
    def field(self):
        return f"facets{self.number}"


def facet_slots(region_ids=None):
    """Every facet option's field, in a fixed order: the vocabularies, then regions by id.

    Search rows are written with the same layout, so adding a region or a vocabulary option
    needs refresh_search() of every listing.
    """
    from artsmark.schools.models import Region

    if region_ids is None:
        region_ids = Region.objects.values_list("pk", flat=True)
    pairs = [(column, value) for _, column, choices in ARRAY_FACETS for value, _ in choices]
    pairs += [("serves_regions", pk) for pk in sorted(region_ids)]
    if len(pairs) > FACET_COUNT_COLUMNS * FACET_FIELDS_PER_COLUMN:
        raise ImproperlyConfigured("More facet options than packed facet fields.")
    return [
        FacetSlot(
            column,
            value,
            n // FACET_FIELDS_PER_COLUMN,
            FACET_FIELD_BITS * (n % FACET_FIELDS_PER_COLUMN),
        )
        for n, (column, value) in enumerate(pairs)
    ]


def _any_of(slots, params):
    """SQL for rows having at least one of these options: one bit test per packed column."""
    masks = {}
    for slot in slots:
        masks[slot.field] = masks.get(slot.field, 0) | slot.bit
    if not masks:
        return "false"
    tests = []
    for name, mask in masks.items():
        tests.append(f'(s."{name}" & %s::bigint) <> 0')
        params.append(mask)
    return "(" + " OR ".join(tests) + ")"


def facet_conditions(search, slots):
    """The SQL conditions, each to be AND-ed, of the facets asked for, and their parameters.
    Within a facet any of the values asked for will do."""
    conditions, params = [], []
    for name, column, _ in ARRAY_FACETS:
        values = {str(value) for value in getattr(search, name)}
        if values:
            chosen = [slot for slot in slots if slot.column == column and slot.value in values]
            conditions.append(_any_of(chosen, params))
    if search.region:
        regions = {int(pk) for pk in search.region}
        chosen = [
            slot for slot in slots if slot.column == "serves_regions" and slot.value in regions
        ]
        conditions.append(_any_of(chosen, params))
    if search.local_authority:
        conditions.append("s.serves_local_authorities @> ARRAY[%s]::integer[]")
        params.append(int(search.local_authority))
    if search.artsmark_partner:
        conditions.append("s.is_artsmark_partner")
    return conditions, params


def _counts_by_column(slots, values):
    counts = {}
    for slot, count in zip(slots, values, strict=True):
        counts.setdefault(slot.column, {})[str(slot.value)] = count
    return counts


# One statement gives the total, every facet count and the ids of the page shown. It reads
# the matching search rows twice: once counted (each packed column summed, four counts a
# sum) and once ranked for the page (top-N). Cheaper than reading them once into a
# materialised set and scanning that twice.
SEARCH_SQL = """
{with_}SELECT c.*, p.ids FROM
    (SELECT count(*), {counts} FROM partners_publishedlistingsearch AS s
        WHERE {match}{where}) AS c,
    (SELECT array_agg(t.id ORDER BY t.rank DESC, t.name, t.id) AS ids FROM (
        SELECT s.listing_id AS id, s.name, {rank} AS rank
        FROM partners_publishedlistingsearch AS s
        WHERE {match}{where}
        ORDER BY rank DESC, s.name, s.listing_id LIMIT %s OFFSET %s) AS t) AS p
"""
# How a search finds and ranks its rows: (with, match, rank), each part taking the text once.
# - "text": the words in the document, through its GIN index (migration 0007 keeps the planner
#   on it), ranked by the small vector: a name above offer titles; a description alone
#   ranks zero, then by name.
# - "typo": only when no document matches the words: names like the text (a typo in a name
#   finds no lexeme), through the trigram index (migration 0006), most alike first.
# - "all": no text: every row (that the filters keep), by name.
SEARCH_MODES = {
    "text": (
        "",
        "s.document @@ websearch_to_tsquery('english', %s)",
        "ts_rank(s.rank_vector, websearch_to_tsquery('english', %s))",
    ),
    "typo": (
        "WITH typo AS MATERIALIZED (SELECT id FROM partners_name_matches(%s) AS id) ",
        "s.listing_id IN (SELECT id FROM typo)",
        "word_similarity(%s, s.name)",
    ),
    "all": ("", "true", "0"),
}
# A field holds 15 bits: past this many listings a sum could carry into the next field.
PACKED_LIMIT = (1 << FACET_FIELD_BITS) - 1


def search_sql(search, slots, start, *, mode, packed=True):
    """The SQL and parameters of one search statement (bench/directory.py prints its plan).
    Unpacked, every option is counted on its own (for directories too big for the packed
    fields)."""
    text = clean_text(search.text)
    with_, match, rank = SEARCH_MODES[mode]
    conditions, where_params = facet_conditions(search, slots)
    where = "".join(f" AND {condition}" for condition in conditions)
    if packed:
        numbers = sorted({slot.number for slot in slots})
        counts, count_params = [f'sum(s."facets{n}")' for n in numbers], []
    else:
        counts = [f'count(*) FILTER (WHERE (s."{slot.field}" & %s::bigint) <> 0)' for slot in slots]
        count_params = [slot.bit for slot in slots]
    sql = SEARCH_SQL.format(
        with_=with_, counts=", ".join(counts), match=match, where=where, rank=rank
    )
    params = [
        *[text] * with_.count("%s"),
        *count_params,
        *[text] * match.count("%s"),
        *where_params,
        *[text] * rank.count("%s"),
        *[text] * match.count("%s"),
        *where_params,
        PAGE_SIZE,
        start,
    ]
    return sql, params


def _unpack(slots, sums):
    by_column = dict(zip(sorted({slot.number for slot in slots}), sums, strict=True))
    mask = (1 << FACET_FIELD_BITS) - 1
    return [(int(by_column[slot.number] or 0) >> slot.shift) & mask for slot in slots]


def _search_pass(search, slots, start):
    """(total, counts, ids of the page): a text that matches no document's words is looked
    for as a name with a typo, a second statement."""
    modes = ["text", "typo"] if clean_text(search.text) else ["all"]
    with connection.cursor() as cursor:
        for mode in modes:
            cursor.execute(*search_sql(search, slots, start, mode=mode))
            row = cursor.fetchone()
            if row[0]:
                break
        total = row[0]
        if total > PACKED_LIMIT:
            cursor.execute(*search_sql(search, slots, start, mode=mode, packed=False))
            row = cursor.fetchone()
            return total, _counts_by_column(slots, row[1:-1]), row[-1] or []
    return total, _counts_by_column(slots, _unpack(slots, row[1:-1])), row[-1] or []


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


def search_directory(search, *, region_ids=None):
    """One page of ranked results, the total and the facet counts: two queries (a third
    only when the page asked for is past the last)."""
    slots = facet_slots(region_ids)
    page = max(1, search.page)
    total, counts, ids = _search_pass(search, slots, (page - 1) * PAGE_SIZE)
    pages = max(1, -(-total // PAGE_SIZE))
    if page > pages:
        page = pages
        total, counts, ids = _search_pass(search, slots, (page - 1) * PAGE_SIZE)
    results = []
    if ids:
        by_id = PublishedListing.objects.select_related("local_authority").in_bulk(ids)
        results = [by_id[pk] for pk in ids if pk in by_id]
    return {"results": results, "total": total, "counts": counts, "page": page, "pages": pages}


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
