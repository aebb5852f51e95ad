"""The dashboard pages: who sees which, what they show, bad filters, and a fixed query count."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from artsmark.schools.tests.factories import SchoolFactory, bridge_organisation, local_authority
from insight.tests.builders import bulk_journeys, days, review
from journeys.enums import Stage
from journeys.tests.factories import JourneyFactory
from tests.queries import count_page_queries


def dashboard_url(slug="a-new-direction", query=""):
    url = reverse("insight:dashboard", kwargs={"organisation_pk": bridge_organisation(slug).pk})
    return f"{url}?{query}" if query else url


@pytest.fixture
def journeys(world):
    brum = SchoolFactory(name="Brum Hidden School", local_authority=local_authority("330"))
    return {
        "a": JourneyFactory(school=world.school_a, stage=Stage.COMMITMENT_SUBMITTED),
        "b": JourneyFactory(school=world.school_b, stage=Stage.REGISTERED),
        "brum": JourneyFactory(school=brum, stage=Stage.REGISTERED, commitment_due=days(-4)),
    }


def test_dashboard_shows_the_area_figures_with_charts_and_tables(world, client_for, journeys):
    review(journeys["a"], due_on=days(-2))
    response = client_for(world.reviewer_a).get(dashboard_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dashboard: A New Direction" in html
    assert html.count('role="img"') == 3  # stage, local authority, phase
    assert "<caption>Journeys by stage</caption>" in html
    assert "Star Primary School" in html  # the overdue review's school
    assert "Brum Hidden School" not in html
    assert "Elm Tree Academy" not in html
    data = response.context["data"]
    assert data["by_stage"]["total"] == 1
    assert data["overdue_reviews"]["overdue"] == 1


def test_page_has_no_inline_style_or_script(world, client_for, journeys):
    html = client_for(world.reviewer_a).get(dashboard_url()).content.decode()
    assert " style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_chart_figures_are_in_the_table_beside_it(world, client_for, journeys):
    html = client_for(world.admin).get(reverse("insight:england")).content.decode()
    # England: three journeys, two registered; the stage table says so in words.
    assert re.search(r"Registered</th><td class=\"text-end\">2</td>", html)
    assert "Journeys by region" in html


def test_other_reviewer_gets_404_and_school_staff_403(world, client_for):
    assert client_for(world.reviewer_other).get(dashboard_url()).status_code == 404
    assert client_for(world.teacher_a).get(dashboard_url()).status_code == 403
    assert client_for(world.partner).get(dashboard_url()).status_code == 403
    assert client_for(world.reviewer_other).get(dashboard_url("arts-connect")).status_code == 200
    missing = reverse("insight:dashboard", kwargs={"organisation_pk": 999_999})
    assert client_for(world.reviewer_a).get(missing).status_code == 404


def test_england_is_for_platform_staff_only(world, client_for):
    url = reverse("insight:england")
    assert client_for(world.reviewer_a).get(url).status_code == 403
    assert client_for(world.admin).get(url).status_code == 200


def test_filters_narrow_the_figures(world, client_for, journeys):
    camden = local_authority("202")
    response = client_for(world.reviewer_a).get(dashboard_url(query=f"local_authority={camden.pk}"))
    assert response.status_code == 200
    assert response.context["data"]["by_stage"]["total"] == 0
    assert "No journeys match these filters" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("colour=blue", "Unknown filter: colour"),
        ("stage=nonsense", "Choose a stage from the list."),
        ("registered_from=2025-02-31", "Enter a real date"),
        ("registered_from=2025-06-01&registered_to=2025-01-01", "on or after the start"),
        ("stage=awarded&stage=registered", "Give each filter once: stage"),
    ],
)
def test_bad_filters_show_an_error_and_no_figures(world, client_for, journeys, query, message):
    response = client_for(world.reviewer_a).get(dashboard_url(query=query))
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert "data" not in response.context
    assert "Journeys by stage" not in html


def test_a_local_authority_outside_the_area_is_refused(world, client_for, journeys):
    birmingham = local_authority("330")
    response = client_for(world.reviewer_a).get(
        dashboard_url(query=f"local_authority={birmingham.pk}")
    )
    assert response.status_code == 400
    assert "Choose a local authority from the list" in response.content.decode()


def test_choosing_a_region_narrows_the_local_authorities(world, client_for):
    london = local_authority("316").region
    form = (
        client_for(world.admin)
        .get(reverse("insight:england") + f"?region={london.pk}")
        .context["form"]
    )
    names = [name for _, name in form.fields["local_authority"].choices[1:]]
    assert "Newham" in names
    assert "Birmingham" not in names


@pytest.mark.parametrize(
    "value",
    [
        "\u00b2",  # a superscript two: str.isdigit() says yes, int() says no
        "9" * 5000,  # more digits than int() converts
        "\u0661",  # an Arabic-Indic one, which int() reads as 1
        "-1",
        "99999999999999999999",
    ],
)
@pytest.mark.parametrize("name", ["region", "local_authority"])
def test_junk_region_or_local_authority_is_a_400_with_a_message(world, client_for, name, value):
    client = client_for(world.admin)
    for url in (reverse("insight:england"), reverse("insight:awarded_schools")):
        response = client.get(url, {name: value})
        assert response.status_code == 400
        assert "Choose a " in response.content.decode()


@pytest.mark.parametrize("scope", ["bridge", "england"])
def test_query_count_does_not_grow_with_journeys(world, client_for, scope):
    url = dashboard_url() if scope == "bridge" else reverse("insight:england")
    client = client_for(world.reviewer_a if scope == "bridge" else world.admin)
    newham = local_authority("316")
    bulk_journeys(10, local_authority=newham)
    with_ten = count_page_queries(client, url)
    bulk_journeys(990, local_authority=newham, start=10)
    response = client.get(url)
    assert response.context["data"]["by_stage"]["total"] == 1000
    assert len(response.context["data"]["overdue_reviews"]["most_overdue"]) == 10
    assert count_page_queries(client, url) == with_ten


def test_tables_write_thousands_with_commas(world, client_for):
    bulk_journeys(1000, local_authority=local_authority("316"))
    html = client_for(world.admin).get(reverse("insight:england")).content.decode()
    newham = re.search(r'Newham</th>\s*<td class="text-end">([^<]*)</td>', html)
    assert newham.group(1) == "1,000"


def test_a_reviewers_memberships_are_read_once_per_page(world, client_for):
    client = client_for(world.reviewer_a)
    client.get(dashboard_url())
    with CaptureQueriesContext(connection) as captured:
        assert client.get(dashboard_url()).status_code == 200
    reads = [q["sql"] for q in captured if "schools_bridgemembership" in q["sql"]]
    assert len(reads) == 1  # the request's roles (artsmark/schools/access.py RequestRoles)


def test_home_page_links_each_dashboard_the_user_may_read(world, client_for):
    def home(user):
        response = client_for(user).get(reverse("home"))
        assert response.status_code == 200
        return response.content.decode()

    assert 'id="insight-panel-title"' not in home(world.teacher_a)
    reviewer_home = home(world.reviewer_a)
    assert f'href="{dashboard_url()}"' in reviewer_home
    assert f'href="{dashboard_url("arts-connect")}"' not in reviewer_home
    assert reverse("insight:england") not in reviewer_home
    assert f'href="{reverse("insight:england")}"' in home(world.admin)


def test_an_organisation_covering_no_area_yet_shows_zeros(world, client_for, journeys):
    from artsmark.accounts.tests.factories import UserFactory
    from artsmark.schools.models import BridgeOrganisation
    from artsmark.schools.tests.factories import BridgeMembershipFactory

    empty = BridgeOrganisation.objects.create(name="New Partner", slug="new-partner")
    reviewer = BridgeMembershipFactory(user=UserFactory(), organisation=empty).user
    response = client_for(reviewer).get(dashboard_url("new-partner"))
    assert response.status_code == 200
    data = response.context["data"]
    assert (data["by_stage"]["total"], data["partners"]["total"]) == (0, 0)
    assert data["by_local_authority"] == []
    export = client_for(reviewer).get(
        reverse("insight:dashboard_export_schools", kwargs={"organisation_pk": empty.pk})
    )
    assert b"".join(export.streaming_content).decode().count("\n") == 1  # the headers alone
