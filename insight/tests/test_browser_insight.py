"""Insight in the browser: a reviewer reads the dashboard, filters it and finds the exports;
anyone narrows the awarded schools list to a region, then a local authority, with no
JavaScript needed. axe-core and the pages' Content Security Policy on every page."""

import pytest
from django.urls import reverse

from artsmark.accounts.tests.factories import PASSWORD
from artsmark.schools.tests.factories import SchoolFactory, bridge_organisation, local_authority
from insight.tests.builders import award, days, review
from journeys.enums import Stage
from journeys.tests.factories import JourneyFactory
from partners.tests.factories import published_organisation
from tests.browser import check_accessibility, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _area(world):
    camden = local_authority("202")
    submitted = JourneyFactory(school=world.school_a, stage=Stage.COMMITMENT_SUBMITTED)
    review(submitted, due_on=days(-4))
    gold = JourneyFactory(
        school=SchoolFactory(name="Camden Gold School", local_authority=camden, phase="Secondary"),
        stage=Stage.AWARDED,
    )
    award(gold, level="gold", awarded_on=days(-40))
    JourneyFactory(
        school=SchoolFactory(name="Late Newham Primary"),
        stage=Stage.REGISTERED,
        commitment_due=days(-9),
    )
    brum = JourneyFactory(school=world.school_b, stage=Stage.AWARDED)
    award(brum, level="platinum", awarded_on=days(-10))
    published_organisation(name="Newham Theatre", local_authority=local_authority("316"))


def test_reviewer_reads_and_filters_the_dashboard(world, live_server, browser_page):
    _area(world)
    page = browser_page
    login(page, live_server, world.reviewer_a.email, PASSWORD)
    organisation = bridge_organisation("a-new-direction")
    page.goto(
        live_server.url + reverse("insight:dashboard", kwargs={"organisation_pk": organisation.pk})
    )
    page.get_by_role("heading", name="Dashboard: A New Direction").wait_for()
    assert page.get_by_role("img", name="Journeys by stage").is_visible()
    assert page.get_by_role("table", name="Journeys by stage").is_visible()
    assert page.get_by_role("link", name="Star Primary School").first.is_visible()
    check_accessibility(page)

    page.get_by_label("Phase of education", exact=True).select_option("Secondary")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("heading", name="At a glance, with your filters").wait_for()
    assert "phase=Secondary" in page.get_by_role("link", name="Journeys (CSV)").get_attribute(
        "href"
    )
    check_accessibility(page)

    page.get_by_label("Registered on or after").fill("2030-01-01")
    page.get_by_label("Registered on or before").fill("2029-01-01")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert page.get_by_text("No figures are shown until the filters are corrected").is_visible()
    check_accessibility(page)


def test_anyone_narrows_the_awarded_schools_list(world, live_server, browser_page):
    _area(world)
    page = browser_page
    page.goto(live_server.url + reverse("insight:awarded_schools"))
    page.get_by_role("heading", name="Artsmark awarded schools").wait_for()
    assert page.get_by_text("Elm Tree Academy").is_visible()
    check_accessibility(page)

    page.get_by_label("Region", exact=True).select_option(label="London")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("heading", name="1 school").wait_for()
    options = page.get_by_label("Local authority", exact=True).locator("option").all_inner_texts()
    assert "Camden" in options
    assert "Birmingham" not in options
    page.get_by_label("Local authority", exact=True).select_option(label="Camden")
    page.get_by_role("button", name="Apply filters").click()
    assert page.get_by_text("Camden Gold School").is_visible()
    check_accessibility(page)
