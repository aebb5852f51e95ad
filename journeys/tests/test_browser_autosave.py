"""Autosave of the self-assessment in the browser: ratings and notes save as the teacher
goes, and a colleague's newer save is never overwritten (both are kept). axe on each page."""

import pytest
from django.urls import reverse

from journeys.models import PrincipleRating
from journeys.services import commitment
from journeys.tests.factories import JourneyFactory
from tests.browser import check_accessibility, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_self_assessment_autosaves_and_keeps_a_colleagues_newer_save(
    live_server, browser_page, world
):
    from artsmark.accounts.tests.factories import PASSWORD

    page = browser_page
    journey = JourneyFactory(school=world.school_a)
    login(page, live_server, world.teacher_a.email, PASSWORD)
    page.goto(live_server.url + reverse("journeys:self_assessment", kwargs={"pk": journey.pk}))
    check_accessibility(page)

    # A rating and a note save without pressing a button.
    excellence = page.locator("#principle-excellence")
    excellence.get_by_label("Embedded").check()
    excellence.locator("textarea").fill("Our choir sings at the town hall.")
    excellence.locator("textarea").blur()
    page.get_by_text("Saved at").wait_for()
    check_accessibility(page)
    rating = PrincipleRating.objects.get(journey=journey, principle="excellence")
    assert (rating.level, rating.evidence) == ("embedded", "Our choir sings at the town hall.")

    # A colleague saves meanwhile; my next autosave is refused and shows their text.
    commitment.save_self_assessment(
        journey=journey,
        actor=world.teacher_a,
        ratings={"excellence": ("secure", "A colleague's evidence.")},
        strands={},
    )
    excellence.locator("textarea").fill("My newer evidence.")
    excellence.locator("textarea").blur()
    page.get_by_role("heading", name="Your changes have not been saved").wait_for()
    assert page.get_by_text("A colleague's evidence.").first.is_visible()
    assert excellence.locator("textarea").input_value() == "My newer evidence."
    check_accessibility(page)
    rating.refresh_from_db()
    assert rating.evidence == "A colleague's evidence."

    # Saving deliberately after reading theirs keeps mine.
    page.get_by_role("button", name="Save self-assessment").click()
    page.wait_for_load_state()
    page.get_by_text("Your self-assessment has been saved").wait_for()
    check_accessibility(page)
    rating.refresh_from_db()
    assert (rating.level, rating.evidence) == ("embedded", "My newer evidence.")
