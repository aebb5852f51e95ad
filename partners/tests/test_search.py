"""Directory search: ranking, typos, every facet, combinations, odd input, the GIN index."""

import importlib

import pytest
from django.db import connection
from django.urls import reverse

from artsmark.schools.models import Region
from artsmark.schools.tests.factories import local_authority
from partners.selectors import (
    DirectorySearch,
    _unpack,
    facet_slots,
    search_directory,
    search_sql,
)
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


def test_search_view_htmx_returns_results_fragment_with_counts(client):
    published_organisation(name="Fragment Theatre")
    response = client.get(reverse("partners:directory"), {"q": "fragment"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"Fragment Theatre" in response.content
    assert b'hx-swap-oob="true"' in response.content


def _plan(sql, params):
    with connection.cursor() as cursor:
        # Test tables are tiny, so the planner would rightly scan them; forbid that to show
        # the query can use the indexes (bench/directory.py shows the plan at 100,000 offers).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _function_body(name):
    return FUNCTIONS.split(f"FUNCTION {name}(", 1)[1].split("$$", 2)[1].replace("%", "%%")


def test_search_query_uses_the_gin_indexes():
    for n in range(5):
        published_organisation(name=f"Indexed Arts {n}")
    search = DirectorySearch(text="indexed arts")
    # The search goes through two functions, each keeping to its index: the full-text
    # index on the whole document and the trigram index on the name.
    sql, _ = search_sql(search, facet_slots(), 0)
    assert "partners_document_matches(" in sql
    assert "partners_name_matches(" in sql
    documents = _function_body("partners_document_matches").replace(
        "query", "websearch_to_tsquery('english', %s)"
    )
    assert "Bitmap Index Scan on listing_document_idx" in _plan(documents, ["indexed arts"])
    names = _function_body("partners_name_matches").replace("name_text", "%s")
    assert "Bitmap Index Scan on listing_search_name_trgm" in _plan(names, ["indexed arts"])
    assert search_directory(search)["total"] == 5


def test_search_unpacked_counts_match_the_packed_sums():
    _facet_world()
    search = DirectorySearch(text="")
    slots = facet_slots()
    with connection.cursor() as cursor:
        cursor.execute(*search_sql(search, slots, 0))
        packed = _unpack(slots, cursor.fetchone()[1:-1])
        cursor.execute(*search_sql(search, slots, 0, packed=False))
        unpacked = list(cursor.fetchone()[1:-1])
    assert packed == unpacked
    assert sum(unpacked) > 0
