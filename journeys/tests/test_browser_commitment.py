"""A teacher registers the school, writes the whole Statement of Commitment, fails a
submission once, fixes the problems, signs off and submits. axe-core runs on every page."""

import pytest
from django.utils import timezone

from artsmark.accounts.tests.factories import PASSWORD, UserFactory
from artsmark.schools.models import SchoolMembership
from artsmark.schools.tests.factories import SchoolFactory, SchoolMembershipFactory
from journeys.enums import Stage
from journeys.models import CommitmentVersion, Journey
from learning.tests.factories import attended_session
from tests.browser import check_accessibility, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ANSWER = "Pupils sing, paint and perform every week, and we want every child to take part."


def _go(page, name):
    page.get_by_role("link", name=name, exact=True).first.click()
    page.wait_for_load_state()
    check_accessibility(page)


def _write_sections(page):
    task_list_url = page.url
    links = page.locator("ul.task-list").first.get_by_role("link")
    hrefs = [link.get_attribute("href") for link in links.all()]
    for href in hrefs:
        page.goto(page.url.split("/journeys/")[0] + href)
        check_accessibility(page)
        for textarea in page.locator("textarea[data-word-count]").all():
            textarea.fill(ANSWER)
        page.get_by_label("I have completed this section").check()
        page.get_by_role("button", name="Save and return to the task list").click()
        # The save may wait for an autosave in flight before it goes.
        page.wait_for_url(task_list_url)


def _add_goal(page, title, principle):
    _go(page, "Add a goal")
    page.get_by_label("What is the goal?").fill(title)
    page.get_by_label(principle).check()
    page.get_by_label("Music").check()
    page.get_by_label("What actions will you take?").fill("A performance each term.")
    page.get_by_label("How will you measure success?").fill("Share of pupils who perform.")
    page.get_by_label("Baseline figure (where you are now)").fill("40% of pupils")
    page.get_by_role("button", name="Save goal").click()
    page.wait_for_load_state()
    check_accessibility(page)


def test_teacher_writes_and_submits_statement_of_commitment(live_server, browser_page):
    page = browser_page
    school = SchoolFactory(name="Larkspur Primary School", urn=123999)
    lead = UserFactory(email="lead.larkspur@example.test", full_name="Lena Ford")
    SchoolMembershipFactory(user=lead, school=school, role=SchoolMembership.Role.LEAD)

    login(page, live_server, lead.email, PASSWORD)
    check_accessibility(page)
    page.get_by_role("link", name="Register for Artsmark").click()
    page.wait_for_load_state()
    check_accessibility(page)
    page.get_by_role("button", name="Register for Artsmark").click()
    page.wait_for_load_state()
    check_accessibility(page)
    assert page.get_by_role("heading", name="Stage: Registered").is_visible()

    _go(page, "Start your Statement of Commitment")
    task_list_url = page.url

    # Autosave: typing in a section saves it without pressing a button.
    page.locator("ul.task-list").first.get_by_role("link").first.click()
    page.wait_for_load_state()
    page.locator("#id_school-context").fill("Autosaved words.")
    page.locator("#id_school-context").blur()
    page.get_by_text("Saved at").wait_for()
    check_accessibility(page)
    page.goto(task_list_url)

    _write_sections(page)
    page.goto(task_list_url)
    check_accessibility(page)
    assert page.locator("ul.task-list").first.get_by_text("Completed").count() == 9

    # One goal only, and nothing rated: the submission fails and lists the problems.
    _go(page, "Goals")
    _add_goal(
        page, "Every pupil performs each year", "Actively involving children and young people"
    )
    page.goto(task_list_url)
    _go(page, "Check your answers and submit")
    page.get_by_role("button", name="Submit Statement of Commitment").click()
    page.wait_for_load_state()
    check_accessibility(page)
    problems = page.locator("ul.problems li")
    assert page.get_by_text("Your statement could not be submitted").is_visible()
    assert page.get_by_text("Add at least 2 goals (you have 1)").is_visible()
    assert page.get_by_text("Self-assessment: rate “Being authentic”").is_visible()
    assert page.get_by_text("Sign-off: record the headteacher").is_visible()
    assert page.get_by_text("Learning programme: attend a development day").is_visible()
    assert problems.count() == 1 + 7 + 8 + 1 + 1
    assert Journey.objects.get(school=school).stage == Stage.COMMITMENT_DRAFT

    # Fix the problems: a second goal, the self-assessment, the sign-off.
    page.goto(task_list_url)
    _go(page, "Goals")
    _add_goal(page, "Artists in every classroom", "Being authentic")
    page.get_by_role("button", name="Move up goal Artists in every classroom").click()
    page.wait_for_load_state()
    assert page.locator("ol h2").first.inner_text() == "Artists in every classroom"

    page.goto(task_list_url)
    _go(page, "Self-assessment")
    for fieldset in page.locator("fieldset[id^=principle-]").all():
        fieldset.get_by_label("Secure").check()
        fieldset.locator("textarea").fill("Seen in lessons and pupil surveys.")
    for fieldset in page.locator("fieldset[id^=strand-]").all():
        fieldset.get_by_label("Silver").check()
    page.get_by_role("button", name="Save self-assessment").click()
    page.wait_for_load_state()
    check_accessibility(page)

    # The lead attends a development day (booked and marked elsewhere: learning's own tests).
    attended_session(school=school, user=lead)

    page.goto(task_list_url)
    _go(page, "Headteacher and chair of governors' sign-off")
    today = timezone.localdate().isoformat()
    page.get_by_label("Headteacher's name").fill("Dr Jane Evans")
    page.get_by_label("Date the headteacher signed off").fill(today)
    page.get_by_label("Chair of governors' name").fill("Mr Raj Patel")
    page.get_by_label("Date the chair of governors signed off").fill(today)
    page.get_by_label("I confirm that the headteacher").check()
    page.get_by_role("button", name="Record sign-off").click()
    page.wait_for_load_state()
    check_accessibility(page)

    assert page.locator("ul.problems").count() == 0
    page.get_by_role("button", name="Submit Statement of Commitment").click()
    page.wait_for_load_state()
    check_accessibility(page)
    assert page.get_by_text("has been submitted").first.is_visible()
    journey = Journey.objects.get(school=school)
    assert journey.stage == Stage.COMMITMENT_SUBMITTED
    content = CommitmentVersion.objects.get(journey=journey).content
    assert [g["title"] for g in content["goals"]] == [
        "Artists in every classroom",
        "Every pupil performs each year",
    ]
    _go(page, "Version 1")
