"""The public list of awarded schools: current awards, expired ones on request, filters by
region and local authority, and a query count that does not grow with the rows."""

import pytest
from django.test import Client
from django.urls import reverse

from artsmark.schools.tests.factories import SchoolFactory, local_authority
from insight.selectors import AWARDED_PAGE_SIZE
from insight.tests.builders import award, bulk_journeys, days
from journeys.enums import Stage
from journeys.tests.factories import JourneyFactory
from tests.queries import count_page_queries

URL = reverse("insight:awarded_schools")


def awarded(name, code="316", *, level="gold", awarded_on=None, expires_on=None):
    school = SchoolFactory(name=name, local_authority=local_authority(code), town="Town")
    journey = JourneyFactory(school=school, stage=Stage.AWARDED)
    award(
        journey,
        level=level,
        awarded_on=awarded_on or days(-30),
        expires_on=expires_on or days(700),
    )
    return school


def names(response):
    return [row["school"] for row in response.context["page"].object_list]


@pytest.fixture
def schools(db):
    return {
        "newham": awarded("Newham Gold Primary"),
        "camden": awarded("Camden Silver Academy", "202", level="silver"),
        "brum": awarded("Birmingham Platinum School", "330", level="platinum"),
        "expired": awarded(
            "Expired Arts School", awarded_on=days(-800), expires_on=days(-70), level="silver"
        ),
        "pending": JourneyFactory(
            school=SchoolFactory(name="Not Yet Awarded"), stage=Stage.IMPACT_SUBMITTED
        ),
    }


def test_lists_current_awards_to_anyone(schools):
    response = Client().get(URL)
    assert response.status_code == 200
    assert names(response) == [
        "Birmingham Platinum School",
        "Camden Silver Academy",
        "Newham Gold Primary",
    ]
    html = response.content.decode()
    assert "Platinum" in html
    assert days(700).strftime("%-d %B %Y") in html
    assert "Expired Arts School" not in html
    assert "Not Yet Awarded" not in html


def test_include_expired_marks_them_expired(schools):
    response = Client().get(URL, {"include_expired": "on"})
    assert "Expired Arts School" in names(response)
    expired = [row for row in response.context["page"].object_list if row["expired"]]
    assert [row["school"] for row in expired] == ["Expired Arts School"]
    assert '<span class="insight-expired">Expired</span>' in response.content.decode()


def test_a_school_awarded_again_appears_once_with_its_latest_award(schools):
    # A renewal: a second journey of the Expired school, awarded again recently.
    renewal = JourneyFactory(school=schools["expired"], stage=Stage.AWARDED)
    award(renewal, level="platinum", awarded_on=days(-5), expires_on=days(725))
    rows = Client().get(URL, {"include_expired": "on"}).context["page"].object_list
    mine = [row for row in rows if row["school"] == "Expired Arts School"]
    assert [(row["level"], row["expired"]) for row in mine] == [("Platinum", False)]


def test_filter_by_region_and_local_authority(schools):
    london = local_authority("316").region
    assert names(Client().get(URL, {"region": london.pk})) == [
        "Camden Silver Academy",
        "Newham Gold Primary",
    ]
    camden = local_authority("202")
    response = Client().get(URL, {"region": london.pk, "local_authority": camden.pk})
    assert names(response) == ["Camden Silver Academy"]


def test_region_narrows_the_local_authority_choices_without_javascript(schools):
    london = local_authority("316").region
    form = Client().get(URL, {"region": london.pk}).context["form"]
    choices = [name for _, name in form.fields["local_authority"].choices[1:]]
    assert "Camden" in choices
    assert "Birmingham" not in choices
    # Without a region: every local authority, grouped by region.
    grouped = dict(Client().get(URL).context["form"].fields["local_authority"].choices[1:])
    assert (local_authority("202").pk, "Camden") in grouped["London"]
    assert len(grouped) == 9


def test_a_local_authority_outside_the_region_is_an_error_not_a_list(schools):
    london = local_authority("316").region
    response = Client().get(
        URL, {"region": london.pk, "local_authority": local_authority("330").pk}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Choose a local authority from the list" in html
    assert "Newham Gold Primary" not in html


def test_unknown_filter_is_an_error(schools):
    response = Client().get(URL, {"regoin": "7"})
    assert response.status_code == 400
    assert "Unknown filter: regoin" in response.content.decode()


def test_a_shared_link_with_tracking_parameters_still_lists(schools):
    london = local_authority("316").region
    query = {"region": london.pk, "utm_source": "newsletter", "fbclid": "IwAR0abc"}
    response = Client().get(URL, query)
    assert response.status_code == 200
    assert names(response) == ["Camden Silver Academy", "Newham Gold Primary"]
    long_key = "x" * 5000
    refused = Client().get(URL, {long_key: "1"}).content.decode()
    assert f"Unknown filter: {'x' * 40}." in refused
    assert long_key not in refused


def test_no_awards_says_so(db):
    response = Client().get(URL)
    assert "No school holds an Artsmark award yet." in response.content.decode()
    camden = local_authority("202")
    filtered = Client().get(URL, {"local_authority": camden.pk})
    assert "No awarded schools match these filters" in filtered.content.decode()


def test_query_count_is_the_same_for_one_row_and_five(db):
    client = Client()
    awarded("School 1")
    one = count_page_queries(client, URL)
    assert len(names(client.get(URL))) == 1
    for n in range(2, 6):
        awarded(f"School {n}", "202" if n % 2 else "330")
    assert len(names(client.get(URL))) == 5
    assert count_page_queries(client, URL) == one


@pytest.fixture
def two_pages(db):
    """One award more than a page holds, all in Newham (bulk_journeys awards one in six)."""
    bulk_journeys(6 * (AWARDED_PAGE_SIZE + 1), local_authority=local_authority("316"))


@pytest.mark.parametrize(
    ("page", "shown"),
    [("2", 2), ("abc", 1), ("0", 2), ("-1", 2), ("99999", 2), ("9" * 5000, 1), ("\u00b2", 1)],
)
def test_any_page_number_shows_a_page(two_pages, page, shown):
    response = Client().get(URL, {"page": page})
    assert response.status_code == 200
    assert response.context["page"].number == shown
    assert f"Page {shown} of 2" in response.content.decode()


def test_page_links_keep_the_filters(two_pages):
    newham = local_authority("316")
    response = Client().get(URL, {"local_authority": newham.pk})
    assert response.context["page"].paginator.count == AWARDED_PAGE_SIZE + 1
    assert f"local_authority={newham.pk}&amp;page=2" in response.content.decode()
