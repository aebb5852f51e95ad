"""Directory search: ranking, typos, every facet, combinations, odd input, the GIN index."""

import dataclasses
import importlib
import re

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from artsmark.schools.models import Region
from artsmark.schools.tests.factories import local_authority
from partners import search_index
from partners.enums import ListingStatus, RevisionStatus
from partners.models import (
    ListingRevision,
    PartnerOrganisation,
    PublishedListing,
    PublishedListingSearch,
)
from partners.search_index import ARRAY_FACETS, facet_slots, query_lexemes
from partners.selectors import TEXT_SQL, TYPO_SQL, DirectorySearch, search_directory
from partners.services.moderation import refresh_search
from partners.tests.factories import published_organisation

pytestmark = pytest.mark.django_db
FUNCTIONS = importlib.import_module("partners.migrations.0006_match_functions").FORWARD


def names(search):
    return [listing.name for listing in search_directory(search)["results"]]


def test_search_ranks_name_match_above_description_match():
    published_organisation(name="Harbour Arts", description="We love puppetry with children.")
    published_organisation(name="Puppetry Guild", description="Shows for schools.")
    assert names(DirectorySearch(text="puppetry")) == ["Puppetry Guild", "Harbour Arts"]


def test_search_finds_offer_text():
    published_organisation(name="Quiet Gallery", offer_kwargs={"title": "Printmaking residency"})
    published_organisation(name="Loud Band")
    assert names(DirectorySearch(text="printmaking")) == ["Quiet Gallery"]


def test_search_one_letter_typo_in_name_still_finds_it():
    published_organisation(name="Rosewood Philharmonic Orchestra")
    published_organisation(name="Ironbridge Museum")
    assert names(DirectorySearch(text="Philharmnic")) == ["Rosewood Philharmonic Orchestra"]
    assert names(DirectorySearch(text="Ironbrige")) == ["Ironbridge Museum"]


def test_search_empty_query_lists_every_published_listing_by_name():
    published_organisation(name="Beta Dance")
    published_organisation(name="Alpha Theatre")
    found = search_directory(DirectorySearch(text=""))
    assert [listing.name for listing in found["results"]] == ["Alpha Theatre", "Beta Dance"]
    assert found["total"] == 2


@pytest.mark.parametrize(
    "text",
    [
        "x" * 10_000,
        "'; DROP TABLE partners_publishedlisting; --",
        '!!! & | ( ) :* <-> \\ % _ "unbalanced',
        "   ",
        "\x00",
    ],
)
def test_search_absurd_query_answers_normally(text, client):
    published_organisation(name="Safe Harbour Arts")
    response = client.get(reverse("partners:directory"), {"q": text})
    assert response.status_code == 200
    assert search_directory(DirectorySearch(text=text))["total"] >= 0


def _facet_world():
    newham, birmingham = local_authority("316"), local_authority("330")
    published_organisation(
        name="Music Hub Newham",
        serves=[newham],
        local_authority=newham,
        is_artsmark_partner=True,
        offer_kwargs={
            "offer_type": "cpd",
            "art_forms": ["music"],
            "key_stages": ["ks1"],
            "quality_principles": ["excellence"],
            "cost": "free",
        },
    )
    published_organisation(
        name="Dance Birmingham",
        serves=[birmingham],
        local_authority=birmingham,
        offer_kwargs={
            "offer_type": "workshops",
            "art_forms": ["dance"],
            "key_stages": ["ks3"],
            "quality_principles": ["inclusive"],
            "cost": "paid",
        },
    )
    return newham, birmingham


@pytest.mark.parametrize(
    ("facet", "value", "expected"),
    [
        ("offer_type", ["cpd"], ["Music Hub Newham"]),
        ("offer_type", ["workshops"], ["Dance Birmingham"]),
        ("art_form", ["dance"], ["Dance Birmingham"]),
        ("key_stage", ["ks1"], ["Music Hub Newham"]),
        ("quality_principle", ["inclusive"], ["Dance Birmingham"]),
        ("cost", ["free"], ["Music Hub Newham"]),
        ("cost", ["free", "paid"], ["Dance Birmingham", "Music Hub Newham"]),
        ("artsmark_partner", True, ["Music Hub Newham"]),
    ],
)
def test_search_each_filter_narrows(facet, value, expected):
    _facet_world()
    assert names(DirectorySearch(**{facet: value})) == expected


def test_search_location_filters_narrow():
    newham, birmingham = _facet_world()
    london = Region.objects.get(pk=newham.region_id)
    assert names(DirectorySearch(local_authority=newham.pk)) == ["Music Hub Newham"]
    assert names(DirectorySearch(local_authority=birmingham.pk)) == ["Dance Birmingham"]
    assert names(DirectorySearch(region=[london.pk])) == ["Music Hub Newham"]


def test_search_region_served_covers_its_local_authorities():
    newham = local_authority("316")
    organisation = published_organisation(name="Pan-London Players", serves=[newham])
    organisation.serves_regions.set([newham.region])
    from partners.tests.factories import publish_now

    publish_now(organisation)
    tower_hamlets = local_authority("211")
    assert names(DirectorySearch(local_authority=tower_hamlets.pk)) == ["Pan-London Players"]


def test_search_text_and_filters_combine():
    _facet_world()
    published_organisation(
        name="Music Makers Birmingham",
        serves=[local_authority("330")],
        offer_kwargs={"offer_type": "workshops", "art_forms": ["music"], "cost": "paid"},
    )
    assert names(DirectorySearch(text="music", cost=["free"])) == ["Music Hub Newham"]
    assert names(DirectorySearch(text="music", offer_type=["workshops"])) == [
        "Music Makers Birmingham"
    ]
    assert names(DirectorySearch(text="dance", cost=["free"])) == []


def test_search_facet_counts_follow_the_filters():
    _facet_world()
    found = search_directory(DirectorySearch(cost=["free"]))
    assert found["total"] == 1

    def nonzero(column):
        return {k: v for k, v in found["counts"][column].items() if v}

    assert nonzero("art_forms") == {"music": 1, "theatre": 1}
    assert nonzero("costs") == {"free": 1}
    assert found["counts"]["costs"]["paid"] == 0


def test_search_paginates():
    for n in range(25):
        published_organisation(name=f"Company {n:02d}")
    second = search_directory(DirectorySearch(page=2))
    assert second["pages"] == 2
    assert [listing.name for listing in second["results"]] == [
        f"Company {n:02d}" for n in range(20, 25)
    ]
    assert search_directory(DirectorySearch(page=99))["page"] == 2


def test_search_view_bad_filter_value_is_reported_and_search_still_runs(client):
    published_organisation(name="Valid Arts")
    response = client.get(reverse("partners:directory"), {"art_form": "not-a-form", "page": "x"})
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b"Valid Arts" in response.content
    # The summary links to the first checkbox of the facet, which is on the page.
    assert b'href="#id_art_form_0"' in response.content
    assert b'id="id_art_form_0"' in response.content


def test_search_view_htmx_returns_results_fragment_with_counts(client):
    published_organisation(name="Fragment Theatre")
    response = client.get(reverse("partners:directory"), {"q": "fragment"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"Fragment Theatre" in response.content
    assert b'hx-swap-oob="true"' in response.content


def _plan(sql, params, *, forbid_seqscan=False):
    with connection.cursor() as cursor:
        if forbid_seqscan:
            cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _function_body(name):
    return FUNCTIONS.split(f"FUNCTION {name}(", 1)[1].split("$$", 2)[1].replace("%", "%%")


def _bulk_published(count, description):
    """`count` published listings made in bulk (the factories would take minutes)."""
    newham = local_authority("316")
    organisations = PartnerOrganisation.objects.bulk_create(
        PartnerOrganisation(
            name=f"Bulk Company {n}", local_authority=newham, status=ListingStatus.PUBLISHED
        )
        for n in range(count)
    )
    revisions = ListingRevision.objects.bulk_create(
        ListingRevision(organisation=o, number=1, data={}, status=RevisionStatus.APPROVED)
        for o in organisations
    )
    PublishedListing.objects.bulk_create(
        PublishedListing(
            organisation=organisation,
            revision=revision,
            name=organisation.name,
            description=description,
            local_authority=newham,
            costs=["free"],
            published_at=timezone.now(),
        )
        for organisation, revision in zip(organisations, revisions, strict=True)
    )
    refresh_search()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE partners_publishedlistingsearch")


def test_text_search_reads_through_the_document_index_even_when_every_row_matches():
    _bulk_published(3000, description="Puppetry and printmaking for every school.")
    # Test tables are small, so the planner would rightly scan them; forbidding that shows
    # the index in use (bench/directory.py prints the planner's own plan at 20,000 listings).
    plan = _plan(TEXT_SQL, {"text": "puppetry"}, forbid_seqscan=True)
    assert "Bitmap Index Scan on listing_search_document_idx" in plan, plan
    # What keeps the planner on the index at scale: the document has no statistics
    # (migration 0007), so a match looks selective even when, as here, every row matches,
    # and the planner never tests each row's out-of-line document in a scan.
    estimate = _plan(
        "SELECT 1 FROM partners_publishedlistingsearch AS s "
        "WHERE s.document @@ websearch_to_tsquery('english', %s)",
        ["puppetry"],
    )
    assert int(re.search(r"rows=(\d+)", estimate).group(1)) <= 30, estimate
    assert search_directory(DirectorySearch(text="puppetry", cost=["free"]))["total"] == 3000


def test_typo_search_uses_the_trigram_index():
    _bulk_published(3000, description="Workshops for schools.")
    for n in range(5):
        published_organisation(name=f"Indexed Arts {n}")
    # As the function does, forbid scanning the table (a few thousand rows, where scanning
    # would otherwise be cheaper) to show the index is what it reads.
    names = _function_body("partners_name_matches").replace("name_text", "%s")
    plan = _plan(names, ["Indexd Arts"], forbid_seqscan=True)
    assert "Bitmap Index Scan on listing_search_name_trgm" in plan
    assert "partners_name_matches(" in _plan(TYPO_SQL, {"text": "Indexd Arts"})
    assert search_directory(DirectorySearch(text="Indexd Arts"))["total"] == 5


def _counted_by_the_database(text):
    """Each facet option's count among the listings matching the text, one query each."""
    rows = PublishedListingSearch.objects.all()
    if text:
        rows = rows.filter(document=SearchQuery(text, search_type="websearch", config="english"))
    listings = PublishedListing.objects.filter(pk__in=rows.values("listing_id"))
    counts = {}
    for slot in facet_slots():
        having = listings.filter(**{f"{slot.column}__contains": [slot.value]})
        counts.setdefault(slot.column, {})[str(slot.value)] = having.count()
    return counts


@pytest.mark.parametrize("text", ["", "arts", "music"])
def test_search_counts_equal_the_databases_count_of_each_option(text):
    _facet_world()
    published_organisation(name="Arts Without Facets")
    found = search_directory(DirectorySearch(text=text))
    assert found["counts"] == _counted_by_the_database(text)
    assert sum(found["counts"]["art_forms"].values()) > 0
    assert {column for _, column, _ in ARRAY_FACETS} < set(found["counts"])


def test_search_sees_every_change_to_the_directory():
    first = published_organisation(name="Early Theatre")
    assert names(DirectorySearch(text="theatre")) == ["Early Theatre"]
    published_organisation(name="Later Theatre")
    assert names(DirectorySearch(text="theatre")) == ["Early Theatre", "Later Theatre"]
    PublishedListing.objects.filter(organisation=first).delete()
    assert names(DirectorySearch(text="theatre")) == ["Later Theatre"]
    assert names(DirectorySearch()) == ["Later Theatre"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_search_forgets_a_change_that_was_rolled_back():
    published_organisation(name="Kept Theatre")
    with pytest.raises(RuntimeError), transaction.atomic():
        published_organisation(name="Withdrawn Theatre")
        assert names(DirectorySearch(text="theatre")) == ["Kept Theatre", "Withdrawn Theatre"]
        raise RuntimeError
    # The same writes again: had the generation been a counter, it would now stand where it
    # stood when this process's copy (with the withdrawn listing) was loaded. It is never
    # reused, so the copy is seen to be out of date.
    published_organisation(name="Other Theatre")
    assert names(DirectorySearch(text="theatre")) == ["Kept Theatre", "Other Theatre"]
    assert search_directory(DirectorySearch())["total"] == 2


def test_search_orders_by_points_then_name():
    published_organisation(name="Zebra Dance Theatre")  # both words in the name
    published_organisation(name="Able Dance", offer_kwargs={"title": "Theatre trips"})
    published_organisation(name="Baker Dance", description="Theatre and more.")
    published_organisation(name="Alpha Dance", description="Theatre and more.")
    assert names(DirectorySearch(text="dance theatre")) == [
        "Zebra Dance Theatre",
        "Able Dance",
        "Alpha Dance",
        "Baker Dance",
    ]


@pytest.mark.parametrize(
    ("tsquery", "expected"),
    [
        ("'danc' & 'workshop'", {"danc", "workshop"}),
        ("'danc' & !'ballet'", {"danc"}),
        ("'o''neil' <-> 'theatr'", {"o'neil", "theatr"}),
        ("", set()),
    ],
)
def test_query_lexemes_reads_the_words_a_query_asks_for(tsquery, expected):
    assert query_lexemes(tsquery) == expected


def test_browsing_without_text_pages_in_name_order():
    _bulk_published(50, description="Workshops for schools.")
    everyone = sorted(PublishedListing.objects.values_list("name", flat=True))
    first = search_directory(DirectorySearch())
    third = search_directory(DirectorySearch(page=3))
    assert [listing.name for listing in first["results"]] == everyone[:20]
    assert [listing.name for listing in third["results"]] == everyone[40:]


def test_search_pages_of_ranked_matches_follow_one_order():
    for n in range(12):
        published_organisation(name=f"Company {n:02d} Theatre")
    for n in range(13):
        published_organisation(name=f"Company {n:02d}", offer_kwargs={"title": "Theatre trips"})
    first, second = (
        search_directory(DirectorySearch(text="theatre", page=page)) for page in (1, 2)
    )
    shown = [listing.name for listing in first["results"] + second["results"]]
    in_names = [f"Company {n:02d} Theatre" for n in range(12)]
    in_titles = [f"Company {n:02d}" for n in range(13)]
    assert shown == in_names + in_titles
    assert (first["total"], first["pages"], len(second["results"])) == (25, 2, 5)


def test_index_finds_positions_by_binary_search_when_ids_are_sparse():
    for n in range(5):
        published_organisation(name=f"Sparse {n}")
    index = search_index.load_index()
    sparse = dataclasses.replace(index, position_of=None)
    ids = [*index.ids.tolist()[::-1], 0, -5, 10**15]
    assert index.position_of is not None
    assert sparse.positions(ids).tolist() == index.positions(ids).tolist()
    assert sparse.positions(ids).tolist() == [4, 3, 2, 1, 0, -1, -1, -1]


def test_search_word_in_name_and_title_counts_once():
    published_organisation(name="Beta Dance", offer_kwargs={"title": "Dance day"})
    published_organisation(name="Alpha Dance", offer_kwargs={"title": "Music day"})
    published_organisation(name="Zeta Dance", offer_kwargs={"title": "Music day"})
    published_organisation(name="Gamma Arts", offer_kwargs={"title": "Dance day"})
    # Beta earns the name's points, neither the title's alone nor both added together.
    assert names(DirectorySearch(text="dance")) == [
        "Alpha Dance",
        "Beta Dance",
        "Zeta Dance",
        "Gamma Arts",
    ]


@pytest.mark.parametrize(
    ("query", "reported"),
    [
        ({"region": "abc"}, True),
        ({"region": "99999999999999999999"}, True),
        ({"local_authority": "-1"}, True),
        ({"local_authority": ["1", "x"]}, True),  # the last value given counts
        ({"page": "-3"}, True),
        ({"page": "99999999999"}, True),
        ({"cost": ["free", "free"]}, False),
    ],
)
def test_search_view_odd_filter_values_answer_normally(client, query, reported):
    published_organisation(name="Steady Arts", offer_kwargs={"cost": "free"})
    response = client.get(reverse("partners:directory"), query)
    assert response.status_code == 200
    assert (b"There is a problem" in response.content) == reported
    # A value that cannot be used is left out and the search runs on the rest.
    assert b"Steady Arts" in response.content
