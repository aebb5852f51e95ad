"""What directory search filters, counts and orders by, held in each process's memory.

PostgreSQL finds which published listings match a search's words (the GIN index on the
document) or look like a misspelt name (the trigram index) and answers with their ids. This
index, a copy of every search row's facet options, areas served, place in name order and
ranking words, does the rest as a few array operations: keep the listings the filters allow,
count every facet option among them, and order them by rank, then name. Done in SQL, row by
row over thousands of matches, that work cost twice the finding (see bench/directory.py).

The copy is never stale: every write to the search rows changes a generation number
(migration 0009, a trigger), a search reads that number in the same statement as its
matches, and a process whose copy has another number loads a new one.
"""

import re
import threading
from dataclasses import dataclass
from itertools import chain

import numpy as np
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from artsmark.common.vocab import ART_FORMS, KEY_STAGES, QUALITY_PRINCIPLES
from partners.enums import Cost, OfferType
from partners.models import FACET_COUNT_COLUMNS, FACET_FIELD_BITS, FACET_FIELDS_PER_COLUMN

# (search form field, PublishedListing column, vocabulary) for every array facet.
ARRAY_FACETS = [
    ("offer_type", "offer_types", OfferType.choices),
    ("art_form", "art_forms", ART_FORMS),
    ("key_stage", "key_stages", KEY_STAGES),
    ("quality_principle", "quality_principles", QUALITY_PRINCIPLES),
    ("cost", "costs", Cost.choices),
]

# Rank points a query word earns where it is found: in the name, in an offer title (ts_rank's
# default weights for A and B, 1.0 and 0.4, in tenths). Elsewhere in the document: none.
NAME_POINTS = 10
TITLE_POINTS = 4

GENERATION_SQL = "SELECT generation FROM partners_directory_generation"
LOAD_SQL = f"""
SELECT ({GENERATION_SQL}) AS generation, s.listing_id,
    {", ".join(f"s.facets{n}" for n in range(FACET_COUNT_COLUMNS))},
    s.is_artsmark_partner, array_to_string(s.serves_local_authorities, ' '),
    array_to_string(tsvector_to_array(ts_filter(s.rank_vector, '{{a}}')), E'\\x1f'),
    array_to_string(tsvector_to_array(ts_filter(s.rank_vector, '{{b}}')), E'\\x1f')
FROM (SELECT 1) AS one LEFT JOIN partners_publishedlistingsearch AS s ON true
ORDER BY s.name, s.listing_id
"""  # noqa: S608 (column names only)
# Where LOAD_SQL's columns are in a row. Lists come as text, which the driver reads several
# times faster than arrays: areas served by spaces, words by the unit separator (no word
# holds one).
WORD_SEPARATOR = "\x1f"
FACETS = 2
PARTNER, SERVES, NAME_WORDS, TITLE_WORDS = range(
    FACETS + FACET_COUNT_COLUMNS, FACETS + FACET_COUNT_COLUMNS + 4
)
# The lexemes of a tsquery's text, e.g. 'danc' & !'ballet' <-> 'o''neil'.
QUERY_LEXEME = re.compile(r"(!?)'((?:[^']|'')*)'")
NOWHERE = np.zeros(0, dtype=np.int64)
# Ids are looked up in a table by id while it takes no more than this many entries a
# listing (plus a spare allowance), else by binary search.
DIRECT_LOOKUP_PER_LISTING = 16
DIRECT_LOOKUP_SPARE = 100_000


@dataclass(frozen=True)
class FacetSlot:
    """Where one facet option is stored: a 15-bit field of a packed BIGINT column."""

    column: str  # the PublishedListing column the option belongs to
    value: object
    number: int  # facets<number> on PublishedListingSearch
    shift: int


def facet_slots():
    """Every facet option's field, in a fixed order: the vocabularies, then regions by id.

    Search rows are written with the same layout, so adding a region or a vocabulary option
    needs refresh_search() of every listing.
    """
    from artsmark.schools.models import Region

    pairs = [(column, value) for _, column, choices in ARRAY_FACETS for value, _ in choices]
    pairs += [
        ("serves_regions", pk) for pk in Region.objects.order_by("pk").values_list("pk", flat=True)
    ]
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


def query_lexemes(tsquery_text):
    """The words a query asks for (not those it asks to be without)."""
    return {
        lexeme.replace("''", "'")
        for negated, lexeme in QUERY_LEXEME.findall(tsquery_text or "")
        if not negated
    }


@dataclass(frozen=True)
class DirectoryIndex:
    """Every published listing at one generation. A listing's position is its place in name
    order, so positions in ascending order are listings by name."""

    generation: int | None
    slots: list  # FacetSlot, one per row of `options`
    ids: np.ndarray  # listing id at each position
    by_id: np.ndarray  # positions ordered by listing id, to find an id's position
    sorted_ids: np.ndarray  # ids[by_id]
    # Position by id, -1 for none, where ids are few enough to index by (else None): a
    # direct lookup for the thousands of ids a search can match.
    position_of: np.ndarray | None
    options: np.ndarray  # bool (slots x listings): which listing has which facet option
    option_bits: np.ndarray  # `options` packed eight listings to a byte, for counting
    artsmark_partner: np.ndarray  # bool per listing
    serves: "Postings"  # local authority id (as text) -> the listings serving it
    terms: "Postings"  # ranking lexeme -> the listings having it, with their points

    @property
    def size(self):
        return len(self.ids)

    def positions(self, ids):
        """Each listing id's position, or -1 where this generation does not hold it."""
        ids = np.asarray(ids, dtype=np.int64)
        if self.position_of is not None:
            inside = (ids >= 0) & (ids < len(self.position_of))
            return np.where(inside, self.position_of[np.where(inside, ids, 0)], -1)
        if not self.size:
            return np.full(len(ids), -1, dtype=np.int64)
        found = self.by_id[np.minimum(np.searchsorted(self.sorted_ids, ids), self.size - 1)]
        return np.where(self.ids[found] == ids, found, -1)

    def allowed(self, search):
        """Which listings the search's filters allow (within a facet any value asked for will
        do; across facets, all must hold)."""
        allowed = np.ones(self.size, dtype=bool)
        asked = [(column, getattr(search, name)) for name, column, _ in ARRAY_FACETS]
        asked.append(("serves_regions", search.region))
        for column, values in asked:
            if values:
                wanted = {str(value) for value in values}
                rows = [
                    n
                    for n, slot in enumerate(self.slots)
                    if slot.column == column and str(slot.value) in wanted
                ]
                allowed &= self.options[rows].any(axis=0)
        if search.local_authority:
            serving = np.zeros(self.size, dtype=bool)
            serving[self.serves.get(str(int(search.local_authority)))[0]] = True
            allowed &= serving
        if search.artsmark_partner:
            allowed &= self.artsmark_partner
        return allowed

    def counts(self, chosen):
        """How many of the chosen listings have each facet option:
        {column: {value as text: count}}."""
        chosen_bits = np.packbits(chosen)
        totals = np.bitwise_count(self.option_bits & chosen_bits).sum(axis=1, dtype=np.int64)
        counts = {}
        for slot, total in zip(self.slots, totals.tolist(), strict=True):
            counts.setdefault(slot.column, {})[str(slot.value)] = total
        return counts

    def points(self, lexemes):
        """Each listing's rank points for these query words."""
        points = np.zeros(self.size, dtype=np.int64)
        for lexeme in lexemes:
            positions, earned = self.terms.get(lexeme)
            points[positions] += earned
        return points

    def page(self, chosen, points, start, size):
        """Listing ids of one page of the chosen listings, most points first, then by name."""
        positions = np.flatnonzero(chosen)
        end = start + size
        if points is not None and len(positions):
            # One key orders both: fewer points, then a later name, give a larger key.
            points = points[positions]
            keys = (points.max() - points) * self.size + positions
            if end < len(positions):
                nearest = np.argpartition(keys, end - 1)[:end]
                positions, keys = positions[nearest], keys[nearest]
            positions = positions[np.argsort(keys)]
        return self.ids[positions[start:end]].tolist()


def _unpack_options(rows, slots):
    packed = np.array([row[FACETS:PARTNER] for row in rows], dtype=np.int64)
    packed = packed.reshape(len(rows), FACET_COUNT_COLUMNS)
    options = np.zeros((len(slots), len(rows)), dtype=bool)
    field = (1 << FACET_FIELD_BITS) - 1
    for n, slot in enumerate(slots):
        options[n] = (packed[:, slot.number] >> slot.shift) & field
    return options


@dataclass(frozen=True)
class Postings:
    """For each key (a ranking word, a local authority), the positions of the listings that
    have it, each with a weight: slices of two arrays, not thousands of small ones."""

    spans: dict  # key -> (start, end) in the arrays
    positions: np.ndarray
    weights: np.ndarray

    def get(self, key):
        start, end = self.spans.get(key, (0, 0))
        return self.positions[start:end], self.weights[start:end]


def _postings(groups):
    """Postings from (keys of each listing by position, weight) groups; a key a listing has in
    several groups keeps the greatest weight."""
    keys, positions, weights = [], [], []
    for lists, weight in groups:
        counts = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
        keys.extend(chain.from_iterable(lists))
        positions.append(np.repeat(np.arange(len(lists)), counts))
        weights.append(np.full(int(counts.sum()), weight))
    positions, weights = np.concatenate(positions), np.concatenate(weights)
    code_of = {key: code for code, key in enumerate(dict.fromkeys(keys))}
    codes = np.fromiter(map(code_of.__getitem__, keys), dtype=np.int64, count=len(keys))
    # By key, then listing, greatest weight first; then the first of each key and listing.
    order = np.lexsort((-weights, positions, codes))
    codes, positions, weights = codes[order], positions[order], weights[order]
    first = np.ones(len(codes), dtype=bool)
    first[1:] = (codes[1:] != codes[:-1]) | (positions[1:] != positions[:-1])
    codes, positions, weights = codes[first], positions[first], weights[first]
    bounds = np.searchsorted(codes, np.arange(len(code_of) + 1)).tolist()
    spans = {key: (bounds[code], bounds[code + 1]) for key, code in code_of.items()}
    return Postings(spans, positions, weights)


def _split(text, separator):
    return text.split(separator) if text else []


def load_index():
    """Read every search row into a new index, at the generation they were read at."""
    slots = facet_slots()
    with connection.cursor() as cursor:
        cursor.execute(LOAD_SQL)
        rows = cursor.fetchall()
    generation = rows[0][0]
    rows = [row for row in rows if row[1] is not None]
    ids = np.array([row[1] for row in rows], dtype=np.int64)
    by_id = np.argsort(ids)
    position_of = None
    if not len(ids) or ids.max() < DIRECT_LOOKUP_PER_LISTING * len(ids) + DIRECT_LOOKUP_SPARE:
        position_of = np.full(int(ids.max(initial=0)) + 1, -1, dtype=np.int64)
        position_of[ids] = np.arange(len(ids))
    options = _unpack_options(rows, slots)
    return DirectoryIndex(
        generation=generation,
        slots=slots,
        ids=ids,
        by_id=by_id,
        sorted_ids=ids[by_id],
        position_of=position_of,
        options=options,
        option_bits=np.packbits(options, axis=1),
        artsmark_partner=np.array([row[PARTNER] for row in rows], dtype=bool),
        serves=_postings([([_split(row[SERVES], " ") for row in rows], 1)]),
        terms=_postings(
            [
                ([_split(row[TITLE_WORDS], WORD_SEPARATOR) for row in rows], TITLE_POINTS),
                ([_split(row[NAME_WORDS], WORD_SEPARATOR) for row in rows], NAME_POINTS),
            ]
        ),
    )


_current = None
_loading = threading.Lock()


def index_at(generation):
    """This process's index if it is at `generation`, else a newly loaded one (which may be
    at a later generation still: the caller compares)."""
    global _current  # noqa: PLW0603 (one copy per process, replaced whole, never changed)
    index = _current
    if index is not None and generation is not None and index.generation == generation:
        return index
    with _loading:
        index = _current
        if index is None or generation is None or index.generation != generation:
            index = _current = load_index()
    return index
