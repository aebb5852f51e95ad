"""Directory search: ranking, typos, every facet, combinations, odd input, the GIN index."""

import re

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from artsmark.schools.models import Region
from artsmark.schools.tests.factories import local_authority
from partners.enums import ListingStatus, RevisionStatus
from partners.models import (
    ListingRevision,
    PartnerOrganisation,
    PublishedListing,
    PublishedListingSearch,
)
from partners.selectors import (
    ARRAY_FACETS,
    REGION_FACET,
    SEARCH_SQL,
    DirectorySearch,
    search_directory,
    search_parameters,
)
from partners.services.moderation import refresh_search
from partners.tests.factories import published_organisation

pytestmark = pytest.mark.django_db


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
    assert found["counts"]["costs"].get("paid", 0) == 0


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


def _search_plan(**search):
    return _plan(SEARCH_SQL, search_parameters(DirectorySearch(**search)), forbid_seqscan=True)


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
    plan = _search_plan(text="puppetry")
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
    plan = _search_plan(text="Indexd Arts")
    assert "Bitmap Index Scan on listing_search_name_trgm" in plan, plan
    assert search_directory(DirectorySearch(text="Indexd Arts"))["total"] == 5


def test_search_without_text_reads_no_document_and_uses_no_text_index():
    # Browsing reads the lean rows only: the empty text folds the match away.
    plan = _search_plan()
    assert "document" not in plan
    assert "listing_search_name_trgm" not in plan


def _counted_by_the_database(text):
    """Each facet option's count among the listings matching the text, one query each."""
    rows = PublishedListingSearch.objects.all()
    if text:
        rows = rows.filter(document=SearchQuery(text, search_type="websearch", config="english"))
    listings = PublishedListing.objects.filter(pk__in=rows.values("listing_id"))
    options = [(column, value) for _, column, choices in ARRAY_FACETS for value, _ in choices]
    options += [(REGION_FACET, pk) for pk in Region.objects.values_list("pk", flat=True)]
    counts = {}
    for column, value in options:
        having = listings.filter(**{f"{column}__contains": [value]})
        counts.setdefault(column, {})[str(value)] = having.count()
    return counts


@pytest.mark.parametrize("text", ["", "arts", "music"])
def test_search_counts_equal_the_databases_count_of_each_option(text):
    _facet_world()
    published_organisation(name="Arts Without Facets")
    found = search_directory(DirectorySearch(text=text))
    expected = _counted_by_the_database(text)
    # Options no listing has are left out of the answer: they count 0.
    assert {
        column: {value: found["counts"][column].get(value, 0) for value in options}
        for column, options in expected.items()
    } == expected
    assert all(n > 0 for options in found["counts"].values() for n in options.values())
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
    # The same writes again: the search reads the committed rows, nothing kept in between.
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


def test_search_is_one_query_whatever_is_asked():
    _facet_world()
    searches = [
        DirectorySearch(),
        DirectorySearch(text="music", cost=["free"], region=[1], page=3),
        DirectorySearch(text="Musik Hub Newham"),  # a typo in a name
        DirectorySearch(text="thaetre"),  # nothing found: a suggestion
        DirectorySearch(local_authority=1, artsmark_partner=True),
    ]
    for search in searches:
        with CaptureQueriesContext(connection) as captured:
            search_directory(search)
        assert len(captured) == 1, search


@pytest.mark.parametrize("text", ["", "music", "Musik Hub Newham", "thaetre"])
def test_search_view_queries_are_fixed(client, text):
    # The places for the area filters, then the search.
    _facet_world()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("partners:directory"), {"q": text, "cost": "free"})
    assert response.status_code == 200
    assert len(captured) == 2


@pytest.mark.parametrize(("typed", "meant"), [("thaetre", "theatre"), ("musuem", "museum")])
def test_search_misspelt_word_finding_nothing_suggests_the_directory_word(typed, meant):
    published_organisation(name="Harbour Theatre", description="A small museum of puppets.")
    found = search_directory(DirectorySearch(text=typed))
    assert (found["total"], found["suggestion"]) == (0, meant)
    assert search_directory(DirectorySearch(text=meant))["total"] == 1


def test_search_suggestion_keeps_the_words_it_knows():
    published_organisation(name="Harbour Theatre", description="Puppet workshops.")
    found = search_directory(DirectorySearch(text="puppet thaetre"))
    assert found["suggestion"] is None or found["total"] == 0
    found = search_directory(DirectorySearch(text="Puppet  thaetre!"))
    assert (found["total"], found["suggestion"]) == (0, "puppet theatre")


def test_search_no_suggestion_when_the_words_are_known_or_found():
    published_organisation(name="Harbour Theatre", description="Puppet workshops.")
    assert search_directory(DirectorySearch(text="theatre"))["suggestion"] is None
    # Known words that find nothing together (or nothing under the filters): no suggestion.
    assert search_directory(DirectorySearch(text="theatre", cost=["paid"]))["suggestion"] is None
    assert search_directory(DirectorySearch(text="xyzzyq"))["suggestion"] is None


def test_search_view_offers_the_suggestion_with_the_same_filters(client):
    published_organisation(name="Harbour Theatre", offer_kwargs={"cost": "free"})
    response = client.get(reverse("partners:directory"), {"q": "thaetre", "cost": "free"})
    assert response.status_code == 200
    assert b"Did you mean" in response.content
    assert b'href="?q=theatre&amp;cost=free"' in response.content
    assert (
        b"Did you mean" not in client.get(reverse("partners:directory"), {"q": "theatre"}).content
    )


def test_search_text_and_art_form_facet_agree():
    # "drama" is in the label of the "Theatre and drama" art form: a listing in that art form
    # is found by the word, so the text and the facet's count agree.
    published_organisation(
        name="Quay Players",
        description="We put on plays.",
        art_forms=["theatre"],
        offer_kwargs={"art_forms": ["theatre"]},
    )
    published_organisation(
        name="Drama Club", art_forms=["music"], offer_kwargs={"art_forms": ["theatre"]}
    )
    published_organisation(
        name="Brass Band", art_forms=["music"], offer_kwargs={"art_forms": ["music"]}
    )
    theatre = search_directory(DirectorySearch())["counts"]["art_forms"]["theatre"]
    found = search_directory(DirectorySearch(text="drama"))
    assert found["total"] == theatre == 2
    # The label counts for finding, not for ranking: the name still comes first.
    assert [listing.name for listing in found["results"]] == ["Drama Club", "Quay Players"]


def test_search_new_region_and_option_need_no_rebuild_of_search_rows():
    listing = published_organisation(name="Steady Arts").published
    before = PublishedListingSearch.objects.values().get(pk=listing.pk)
    newham = local_authority("316")
    region = Region.objects.create(name="A New Region")
    assert search_directory(DirectorySearch(region=[region.pk]))["total"] == 0
    assert search_directory(DirectorySearch())["counts"][REGION_FACET].get(str(region.pk)) is None
    assert PublishedListingSearch.objects.values().get(pk=listing.pk) == before
    newham.region = region
    newham.save()
    published_organisation(name="Newly Placed Arts", serves=[newham], local_authority=newham)
    found = search_directory(DirectorySearch(region=[region.pk]))
    assert [r.name for r in found["results"]] == ["Newly Placed Arts"]
    assert found["counts"][REGION_FACET][str(region.pk)] == 1


def test_search_view_greys_options_no_result_has(client):
    published_organisation(name="Brass Band", offer_kwargs={"art_forms": ["music"]})
    response = client.get(reverse("partners:directory"), {"q": "brass"})
    page = response.content.decode()
    dance = re.search(r'<div class="form-check">[^\n]*?id="id_art_form_2".*?</div>', page)
    music = re.search(r'<div class="form-check">[^\n]*?id="id_art_form_0".*?</div>', page)
    # Still a checkbox with its label, reachable like the others; only its count is marked.
    assert 'type="checkbox"' in dance.group(0) and 'for="id_art_form_2"' in dance.group(0)
    assert "facet-count-none" in dance.group(0) and "(0)" in dance.group(0)
    assert "facet-count-none" not in music.group(0)
    fragment = client.get(
        reverse("partners:directory"), {"q": "brass"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'class="facet-count facet-count-none" id="count-art_form-dance"' in fragment
    assert 'class="facet-count" id="count-art_form-music"' in fragment
