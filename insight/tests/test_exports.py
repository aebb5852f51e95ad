"""The CSV exports: streamed, headed in plain English, filtered, formula-safe, and refused
(400, nothing streamed) when a filter is unknown or wrong."""

import csv
import io

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from artsmark.schools.tests.factories import SchoolFactory, bridge_organisation, local_authority
from insight.exports import cell
from insight.tests.builders import award, bulk_journeys, days, invoice
from journeys.enums import Stage
from journeys.tests.factories import JourneyFactory
from partners.tests.factories import published_organisation


def export_url(kind, query="", slug="a-new-direction"):
    url = reverse(
        f"insight:dashboard_export_{kind}",
        kwargs={"organisation_pk": bridge_organisation(slug).pk},
    )
    return f"{url}?{query}" if query else url


def read_csv(response):
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")  # so that Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.fixture
def area(world):
    camden = SchoolFactory(
        name='=HYPERLINK("http://evil.example")', local_authority=local_authority("202")
    )
    camden.phase = "Secondary"
    camden.save()
    awarded = JourneyFactory(school=world.school_a, stage=Stage.AWARDED)
    award(awarded, level="gold", awarded_on=days(-10), expires_on=days(700))
    invoice(awarded, due_on=days(-100), paid_on=days(-101))
    return {
        "awarded": awarded,
        "camden": JourneyFactory(school=camden, stage=Stage.COMMITMENT_DRAFT),
        "brum": JourneyFactory(school=world.school_b, stage=Stage.REGISTERED),
    }


def test_journeys_export_has_plain_headers_and_only_the_area(world, client_for, area):
    response = client_for(world.reviewer_a).get(export_url("journeys"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="artsmark-journeys-a-new-direction-{today}.csv"'
    )
    rows = read_csv(response)
    assert rows[0][:6] == [
        "School URN",
        "School name",
        "Local authority",
        "Region",
        "Phase of education",
        "Stage",
    ]
    by_name = {row[1]: row for row in rows[1:]}
    assert set(by_name) == {"Star Primary School", '\'=HYPERLINK("http://evil.example")'}
    star = dict(zip(rows[0], by_name["Star Primary School"], strict=True))
    assert star["Stage"] == "Awarded"
    assert star["Award level"] == "Gold"
    assert star["Award expires on"] == days(700).isoformat()
    assert star["Invoice paid on"] == days(-101).isoformat()
    assert star["Region"] == "London"


def test_export_applies_the_dashboard_filters(world, client_for, area):
    camden = local_authority("202")
    response = client_for(world.reviewer_a).get(
        export_url("journeys", f"local_authority={camden.pk}&stage=open")
    )
    rows = read_csv(response)
    assert [row[2] for row in rows[1:]] == ["Camden"]


def test_schools_export_lists_schools_with_latest_journey_and_award(world, client_for, area):
    SchoolFactory(name="No Journey Primary", local_authority=local_authority("316"))
    rows = read_csv(client_for(world.reviewer_a).get(export_url("schools")))
    assert rows[0][0:2] == ["URN", "School name"]
    table = {row[1]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert "Elm Tree Academy" not in table  # Birmingham
    assert table["No Journey Primary"]["Latest journey stage"] == ""
    assert table["Star Primary School"]["Latest award level"] == "Gold"
    staged = read_csv(client_for(world.reviewer_a).get(export_url("schools", "stage=awarded")))
    assert [row[1] for row in staged[1:]] == ["Star Primary School"]


def test_partners_export_lists_listings_serving_the_area(world, client_for, area):
    published_organisation(name="@Newham Theatre", local_authority=local_authority("316"))
    published_organisation(name="Brum Dance", local_authority=local_authority("330"))
    rows = read_csv(client_for(world.reviewer_a).get(export_url("partners")))
    assert rows[0][:3] == ["Organisation", "Artsmark Partner", "Based in (local authority)"]
    assert [row[0] for row in rows[1:]] == ["'@Newham Theatre"]
    listing = dict(zip(rows[0], rows[1], strict=True))
    assert listing["Artsmark Partner"] == "No"
    assert listing["Art forms"] == "Theatre and drama"
    assert listing["Local authorities served"] == "1"


def test_england_export_covers_every_region(world, client_for, area):
    response = client_for(world.admin).get(reverse("insight:england_export_journeys"))
    assert "artsmark-journeys-england-" in response["Content-Disposition"]
    names = {row[1] for row in read_csv(response)[1:]}
    assert "Elm Tree Academy" in names


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("colour=blue", "Unknown filter: colour. The filters are:"),
        ("stage=everything", "Stage: Choose a stage from the list."),
        ("phase=Primary&phase=Secondary", "Give each filter once: phase."),
    ],
)
def test_export_with_bad_filters_is_refused_with_a_message(world, client_for, area, query, message):
    response = client_for(world.reviewer_a).get(export_url("journeys", query))
    assert response.status_code == 400
    assert not response.streaming
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Content-Disposition" not in response
    text = response.content.decode()
    assert text.startswith("The export was not made")
    assert message in text


def test_export_refuses_a_local_authority_outside_the_area(world, client_for, area):
    birmingham = local_authority("330")
    response = client_for(world.reviewer_a).get(
        export_url("schools", f"local_authority={birmingham.pk}")
    )
    assert response.status_code == 400
    assert "Choose a local authority from the list" in response.content.decode()


def _export_queries(client, url):
    """The queries of one export, counted while its rows stream (they are read then)."""
    with CaptureQueriesContext(connection) as captured:
        rows = read_csv(client.get(url))
    return len(captured), len(rows) - 1


@pytest.mark.parametrize("kind", ["journeys", "schools", "partners"])
def test_export_query_count_is_the_same_for_one_row_and_five(world, client_for, kind):
    client = client_for(world.admin)
    url = reverse(f"insight:england_export_{kind}")
    newham = local_authority("316")
    bulk_journeys(1, local_authority=newham)
    published_organisation(name="Newham Theatre 0", local_authority=newham)
    client.get(url)  # sessions and caches warm
    one, rows = _export_queries(client, url)
    bulk_journeys(4, local_authority=newham, start=1)
    for n in range(1, 5):
        published_organisation(name=f"Newham Theatre {n}", local_authority=newham)
    five, more_rows = _export_queries(client, url)
    assert more_rows == rows + 4
    assert five == one


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20", "'+44 20"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rReturn", "'\rReturn"),
        ("Plain name", "Plain name"),
        (-2, -2),
        (None, ""),
        (True, "Yes"),
    ],
)
def test_cells_neutralise_formulas(value, written):
    assert cell(value) == written
