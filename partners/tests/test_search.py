"""Directory search: ranking, typos, every facet, combinations, odd input, the GIN index."""

import importlib
import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from artsmark.schools.models import Region
from artsmark.schools.tests.factories import local_authority
from partners.enums import ListingStatus, RevisionStatus
from partners.models import ListingRevision, PartnerOrganisation, PublishedListing
from partners.selectors import (
    DirectorySearch,
    _unpack,
    facet_slots,
    search_directory,
    search_sql,
)
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
    search = DirectorySearch(text="puppetry", cost=["free"])
    sql, params = search_sql(search, facet_slots(), 0, mode="text")
    # Both reads of the matching rows (counted, ranked) can go through the document index.
    # Test tables are small, so the planner would rightly scan them; forbidding that shows
    # the index in use (bench/directory.py prints the planner's own plan at 20,000 listings).
    plan = _plan(sql, params, forbid_seqscan=True)
    assert plan.count("Bitmap Index Scan on listing_search_document_idx") == 2, plan
    # What keeps the planner on the index at scale: the document has no statistics
    # (migration 0007), so a match looks selective even when, as here, every row matches,
    # and the planner never tests each row's out-of-line document in a scan.
    estimate = _plan(
        "SELECT 1 FROM partners_publishedlistingsearch AS s "
        "WHERE s.document @@ websearch_to_tsquery('english', %s)",
        ["puppetry"],
    )
    assert int(re.search(r"rows=(\d+)", estimate).group(1)) <= 30, estimate
    assert search_directory(search)["total"] == 3000


def test_typo_search_uses_the_trigram_index():
    _bulk_published(3000, description="Workshops for schools.")
    for n in range(5):
        published_organisation(name=f"Indexed Arts {n}")
    # As the function does, forbid scanning the table (a few thousand rows, where scanning
    # would otherwise be cheaper) to show the index is what it reads.
    names = _function_body("partners_name_matches").replace("name_text", "%s")
    plan = _plan(names, ["Indexd Arts"], forbid_seqscan=True)
    assert "Bitmap Index Scan on listing_search_name_trgm" in plan
    sql, _ = search_sql(DirectorySearch(text="Indexd Arts"), facet_slots(), 0, mode="typo")
    assert "partners_name_matches(" in sql
    assert search_directory(DirectorySearch(text="Indexd Arts"))["total"] == 5


@pytest.mark.parametrize(("text", "mode"), [("", "all"), ("arts", "text")])
def test_search_unpacked_counts_match_the_packed_sums(text, mode):
    _facet_world()
    published_organisation(name="Arts Without Facets")
    search = DirectorySearch(text=text)
    slots = facet_slots()
    with connection.cursor() as cursor:
        cursor.execute(*search_sql(search, slots, 0, mode=mode))
        packed = _unpack(slots, cursor.fetchone()[1:-1])
        cursor.execute(*search_sql(search, slots, 0, mode=mode, packed=False))
        unpacked = list(cursor.fetchone()[1:-1])
    assert packed == unpacked
    assert sum(unpacked) > 0


def test_browsing_without_text_can_read_the_first_page_off_the_name_index():
    _bulk_published(50, description="Workshops for schools.")
    sql, params = search_sql(DirectorySearch(cost=["free"]), facet_slots(), 0, mode="all")
    # Small test tables are rightly scanned; forbidding that shows the index can serve the
    # page in name order (bench/directory.py shows the planner choosing it at scale).
    plan = _plan(sql, params, forbid_seqscan=True)
    assert "listing_search_name_idx" in plan, plan
    names = [listing.name for listing in search_directory(DirectorySearch())["results"]]
    assert names == sorted(names)[:20]
