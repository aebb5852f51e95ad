"""A new teacher signs up, verifies their email, asks to join a school, the lead approves."""

import re

import pytest
from django.core import mail

from artsmark.accounts.tests.factories import PASSWORD, UserFactory
from artsmark.schools.models import SchoolMembership
from artsmark.schools.tests.factories import SchoolFactory, SchoolMembershipFactory
from tests.browser import check_accessibility, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NEW_PASSWORD = "a-long-and-unusual-passphrase-42"


def _link_in_last_email(to):
    message = [m for m in mail.outbox if to in m.to][-1]
    return re.search(r"https?://\S+", message.body).group(0)


def _log_out(page):
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()


def test_teacher_signs_up_joins_school_and_lead_approves(live_server, browser_page, settings):
    settings.SITE_URL = live_server.url
    page = browser_page
    school = SchoolFactory(name="Rosebank Primary School", urn=123456)
    lead = UserFactory(email="lead.rosebank@example.test")
    SchoolMembershipFactory(user=lead, school=school, role=SchoolMembership.Role.LEAD)

    page.goto(live_server.url)
    check_accessibility(page)
    page.get_by_role("link", name="Create an account").first.click()
    check_accessibility(page)

    # A mistake first: the passwords differ. The form says so and keeps what was typed.
    page.get_by_label("Full name").fill("Jo Teacher")
    page.get_by_label("Email").fill("jo.teacher@example.test")
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.get_by_label("Password (again)").fill("something else entirely")
    page.get_by_role("button", name="Create account").click()
    assert page.get_by_role("alert").filter(has_text="There is a problem").is_visible()
    assert page.get_by_label("Email").input_value() == "jo.teacher@example.test"
    check_accessibility(page)

    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.get_by_label("Password (again)").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create account").click()
    assert page.get_by_role("heading", name="Check your email").is_visible()
    check_accessibility(page)

    page.goto(_link_in_last_email("jo.teacher@example.test"))
    check_accessibility(page)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()
    # Confirming in the browser that signed up signs in, and goes home.
    assert page.get_by_text("your email address jo.teacher@example.test is confirmed").is_visible()
    assert page.get_by_role("button", name="Log out").is_visible()
    check_accessibility(page)

    page.get_by_role("link", name="Find your school").click()
    page.get_by_label("School name, URN or postcode").fill("Rosebank")
    page.get_by_role("button", name="Search").click()
    page.get_by_text("1 school found").wait_for()
    check_accessibility(page)
    page.get_by_role("link", name="Ask to join Rosebank Primary School").click()
    check_accessibility(page)
    page.get_by_label("Message to the approver (optional)").fill("I teach music in Year 5.")
    page.get_by_role("button", name="Send request").click()
    assert page.get_by_text("Waiting for approval").is_visible()
    check_accessibility(page)
    assert any("lead.rosebank@example.test" in m.to for m in mail.outbox)
    _log_out(page)

    login(page, live_server, "lead.rosebank@example.test", PASSWORD)
    page.get_by_role("link", name="Rosebank Primary School", exact=True).click()
    assert page.get_by_text("I teach music in Year 5.").is_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Approve jo.teacher@example.test").click()
    assert page.get_by_text("Jo Teacher is now a member.").is_visible()
    check_accessibility(page)
    _log_out(page)

    login(page, live_server, "jo.teacher@example.test", NEW_PASSWORD)
    page.get_by_role("link", name="Rosebank Primary School", exact=True).click()
    assert page.get_by_role("heading", name="Rosebank Primary School").is_visible()
    check_accessibility(page)
    membership = SchoolMembership.objects.get(user__email="jo.teacher@example.test")
    assert (membership.status, membership.role) == ("approved", "member")
