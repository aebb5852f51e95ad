"""A teacher finds a partner by searching and filtering, sends an enquiry, the partner
replies, the teacher accepts, and the partnership shows on the journey. axe-core runs on
every page."""

import re

import pytest

from artsmark.accounts.tests.factories import PASSWORD, UserFactory
from artsmark.schools.models import SchoolMembership
from artsmark.schools.tests.factories import SchoolFactory, SchoolMembershipFactory
from journeys.enums import Stage
from journeys.tests.factories import GoalFactory, JourneyFactory
from partners.models import Enquiry
from partners.tests.factories import PartnerMembershipFactory, published_organisation
from tests.browser import check_accessibility, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _log_out(page):
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()


def _visit(page, url):
    page.goto(url)
    check_accessibility(page)


def test_teacher_finds_partner_enquires_and_accepts(live_server, browser_page):
    page = browser_page
    school = SchoolFactory(name="Larkspur Primary School")
    teacher = UserFactory(email="lead.larkspur@example.test", full_name="Lena Ford")
    SchoolMembershipFactory(user=teacher, school=school, role=SchoolMembership.Role.LEAD)
    journey = JourneyFactory(school=school, stage=Stage.CERTIFIED)
    GoalFactory(journey=journey, title="Every pupil dances in public")
    dance = published_organisation(
        name="Canal Street Dance",
        offer_kwargs={"title": "Street dance workshops", "art_forms": ["dance"], "cost": "free"},
    )
    published_organisation(name="Canal Street Theatre", offer_kwargs={"art_forms": ["theatre"]})
    published_organisation(name="Hilltop Gallery", offer_kwargs={"art_forms": ["visual-arts"]})
    staff = UserFactory(email="learning@canal.example.test", full_name="Dev Patel")
    PartnerMembershipFactory(user=staff, organisation=dance)

    # The teacher searches, then narrows by art form; results update as they go.
    login(page, live_server, teacher.email, PASSWORD)
    _visit(page, f"{live_server.url}/directory/")
    results = page.locator("#directory-results")
    # A misspelt word finds nothing and offers the directory's word instead.
    page.get_by_label("Search partners").fill("thaetre")
    page.wait_for_function(
        "() => document.querySelector('#results-heading').textContent.includes('No partners')"
    )
    results.get_by_role("link", name="theatre").click()
    page.wait_for_load_state()
    assert "Canal Street Theatre" in results.inner_text()
    check_accessibility(page)
    page.get_by_label("Search partners").fill("canal")
    page.wait_for_function(
        "() => document.querySelector('#results-heading').textContent.includes('2 partners')"
    )
    assert "Hilltop Gallery" not in results.inner_text()
    page.locator("fieldset", has_text="Art form").get_by_label(re.compile(r"^Dance")).check()
    page.wait_for_function(
        "() => document.querySelector('#results-heading').textContent.includes('1 partner ')"
    )
    assert "Canal Street Theatre" not in results.inner_text()
    # An art form none of the results has is greyed, still a labelled, usable checkbox.
    assert "facet-count-none" in page.locator("#count-art_form-music").get_attribute("class")
    music = page.locator("fieldset", has_text="Art form").get_by_label(re.compile(r"^Music"))
    assert music.is_enabled()
    assert (
        page.locator("label[for=id_art_form_0]").evaluate("label => getComputedStyle(label).color")
        == "rgb(108, 117, 125)"
    )
    check_accessibility(page)
    results.get_by_role("link", name="Canal Street Dance").click()
    page.wait_for_load_state()
    check_accessibility(page)

    # The enquiry, tied to a goal.
    page.get_by_role("link", name="Send an enquiry to Canal Street Dance").click()
    page.wait_for_load_state()
    check_accessibility(page)
    page.get_by_label("Which goal is this about?").select_option(
        label=f"{school}: Every pupil dances in public"
    )
    page.get_by_label("Subject").fill("Dance with Year 5")
    page.get_by_label("Your message").fill("Could you run workshops in the spring term?")
    page.get_by_role("button", name="Send enquiry").click()
    page.wait_for_load_state()
    check_accessibility(page)
    enquiry = Enquiry.objects.get()
    # Nothing to accept until the partner has answered.
    assert page.get_by_role("link", name="Accept: start a partnership").count() == 0
    _log_out(page)

    # The partner answers from the inbox.
    login(page, live_server, staff.email, PASSWORD)
    _visit(page, f"{live_server.url}/partner-organisations/{dance.pk}/enquiries/")
    page.get_by_role("link", name="Dance with Year 5").click()
    page.wait_for_load_state()
    check_accessibility(page)
    page.get_by_label("Your reply").fill("Yes: Tuesdays from March.")
    page.get_by_role("button", name="Send reply").click()
    page.wait_for_load_state()
    check_accessibility(page)
    _log_out(page)

    # The teacher reads the reply and accepts.
    login(page, live_server, teacher.email, PASSWORD)
    _visit(page, f"{live_server.url}/enquiries/{enquiry.pk}/")
    assert "Yes: Tuesdays from March." in page.content()
    page.get_by_role("link", name="Accept: start a partnership").click()
    page.wait_for_load_state()
    check_accessibility(page)
    page.get_by_role("button", name="Accept and add the partnership").click()
    page.wait_for_load_state()
    check_accessibility(page)

    _visit(page, f"{live_server.url}/journeys/{journey.pk}/")
    partnerships = page.locator("section", has=page.locator("#partnerships-title"))
    assert "Canal Street Dance" in partnerships.inner_text()
    assert "Every pupil dances in public" in partnerships.inner_text()

    # After acceptance the thread stays open: the teacher writes, then the partner.
    _visit(page, f"{live_server.url}/enquiries/{enquiry.pk}/")
    page.get_by_label("Your reply").fill("Which Tuesday in March suits you?")
    page.get_by_role("button", name="Send message").click()
    page.wait_for_load_state()
    check_accessibility(page)
    assert "Which Tuesday in March suits you?" in page.content()
    _log_out(page)

    login(page, live_server, staff.email, PASSWORD)
    _visit(page, f"{live_server.url}/partner-organisations/{dance.pk}/enquiries/")
    assert "Unread" in page.locator("table").inner_text()
    page.get_by_role("link", name="Dance with Year 5").click()
    page.wait_for_load_state()
    check_accessibility(page)
    page.get_by_label("Your reply").fill("The 4th of March, at 9am.")
    page.get_by_role("button", name="Send message").click()
    page.wait_for_load_state()
    check_accessibility(page)
    thread = page.locator("ol.thread").inner_text()
    assert "Which Tuesday in March suits you?" in thread
    assert "The 4th of March, at 9am." in thread
    page.get_by_role("link", name="Back to Canal Street Dance's enquiries").click()
    page.wait_for_load_state()
    check_accessibility(page)
