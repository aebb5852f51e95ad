"""The learning programme unblocks a Statement of Commitment, in the browser.

A lead teacher whose statement lacks only the development day is blocked at "check your
answers", follows the link, books a development day run by their Bridge Organisation; a
reviewer of that organisation marks them as attended; the teacher submits, and the reviewer's
dashboard counts one more statement submitted. Two people, two browser contexts; axe-core and
the pages' Content Security Policy on every page.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from artsmark.accounts.tests.factories import PASSWORD
from artsmark.schools.tests.factories import bridge_organisation
from journeys.enums import Stage
from journeys.models import Journey
from journeys.services import commitment
from journeys.tests.factories import JourneyFactory
from journeys.tests.helpers import ANSWER, sign_off
from learning.enums import BookingStatus
from learning.models import Booking, LearningSession
from learning.tests.factories import LearningSessionFactory
from tests.browser import check_accessibility, click, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SESSION_TITLE = "Development day: Artsmark in Newham"
SUBMITTED = "Statement of Commitment submitted"


def _reload(page):
    page.reload()
    page.wait_for_load_state()
    check_accessibility(page)


def _statement_without_learning(*, school, lead):
    """A draft complete but for the learning programme: the answers, 2 goals, the
    self-assessment and the sign-off, through the services (as `complete_statement` does,
    without the attended session it adds). A JourneyFactory journey has no invoice to pay,
    and an unpaid one would not block submission anyway (journeys/services/fees.py)."""
    journey = JourneyFactory(school=school, stage=Stage.COMMITMENT_DRAFT)
    framework = journey.framework
    # The premise of the test: the development day is the one session the framework asks for.
    assert framework.required_session_kinds == ["development_day"]
    for section in framework.sections.prefetch_related("questions"):
        commitment.save_section(
            journey=journey,
            section=section,
            answers={question.slug: ANSWER for question in section.questions.all()},
            based_on_version=0,
            actor=lead,
            completed=True,
        )
    for title in ("Every pupil performs to an audience", "Artists in every classroom"):
        commitment.add_goal(
            journey=journey,
            actor=lead,
            title=title,
            quality_principles=["involving"],
            strands=["cyp-engagement"],
            art_forms=["theatre"],
            actions="A pupil arts council plans a performance each term.",
            success_measure="Share of pupils who perform.",
            baseline="35%",
        )
    commitment.save_self_assessment(
        journey=journey,
        actor=lead,
        ratings={p.slug: ("secure", "Evidence.") for p in framework.quality_principles.all()},
        strands={s.slug: ("silver", "") for s in framework.strands.all()},
    )
    sign_off(journey=journey, lead=lead)
    return journey


def _submitted_on_dashboard(page):
    """The count in the "Journeys by stage" table's row for submitted statements."""
    table = page.get_by_role("table", name="Journeys by stage")
    row = table.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=SUBMITTED, exact=True)
    )
    return int(row.get_by_role("cell").inner_text().replace(",", ""))


def _long_date(moment):
    return timezone.localtime(moment).strftime("%-d %B %Y")


def test_development_day_attended_unblocks_submission_and_counts_on_dashboard(
    world, live_server, new_page
):
    school, lead, reviewer = world.school_a, world.teacher_a, world.reviewer_a
    journey = _statement_without_learning(school=school, lead=lead)
    # Booking closes when a session starts, and attendance opens then: the teacher books it
    # while it is still ahead, and the test moves its start into the past before marking.
    starts = timezone.now() + datetime.timedelta(hours=1)
    session = LearningSessionFactory(
        title=SESSION_TITLE,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3),
        organiser=bridge_organisation("a-new-direction"),
    )

    # 1. The teacher checks their answers: only the development day blocks submission.
    teacher = new_page()
    login(teacher, live_server, lead.email, PASSWORD)
    check_accessibility(teacher)
    click(teacher, "link", "Go to your Artsmark journey")
    click(teacher, "link", "Continue your Statement of Commitment")
    click(teacher, "link", "Check your answers and submit")
    check_url = teacher.url
    assert check_url == live_server.url + reverse("journeys:check", kwargs={"pk": journey.pk})
    assert teacher.locator("ul.problems li").all_inner_texts() == [
        "Learning programme: attend a development day (book one)"
    ]

    # 2. The link leads to the development days to come; the teacher books a place.
    click(teacher, "link", "Learning programme: attend a development day")
    assert teacher.get_by_role("heading", name="Upcoming sessions: Development day").is_visible()
    click(teacher, "link", SESSION_TITLE, exact=True)
    assert teacher.get_by_role("heading", name=SESSION_TITLE).is_visible()
    click(teacher, "button", "Book a place")
    assert teacher.get_by_text(f"You have a place on “{SESSION_TITLE}”.").is_visible()
    booking = Booking.objects.get(session=session, user=lead)
    assert (booking.status, booking.school, booking.attended) == (
        BookingStatus.BOOKED,
        school,
        None,
    )
    teacher.goto(check_url)
    check_accessibility(teacher)
    booked_problem = (
        "Learning programme: attend a development day "
        f"(your school has a place on {_long_date(starts)})"
    )
    assert teacher.locator("ul.problems li").all_inner_texts() == [booked_problem]

    # The day comes: the session started ten minutes ago and ends later today (written
    # straight to the database, as if the clock had moved on).
    started = timezone.now() - datetime.timedelta(minutes=10)
    LearningSession.objects.filter(pk=session.pk).update(
        starts_at=started, ends_at=started + datetime.timedelta(hours=3)
    )

    # 3. The reviewer, an organiser of the session, marks the teacher as attended.
    reviewing = new_page()
    login(reviewing, live_server, reviewer.email, PASSWORD)
    check_accessibility(reviewing)
    # A session under way is still listed with those coming up, until it ends.
    click(reviewing, "link", "All your sessions")
    click(reviewing, "link", f"Attendance for {SESSION_TITLE}")
    assert reviewing.get_by_role("heading", name="Bookings and attendance").is_visible()
    reviewing.get_by_label(f"{lead.full_name} ({school.name})").check()
    click(reviewing, "button", "Save attendance")
    assert reviewing.get_by_text("Attendance saved: 1 of 1 attended.").is_visible()
    booking.refresh_from_db()
    assert (booking.attended, booking.attendance_marked_by) == (True, reviewer)

    # 4. Before the submission: the reviewer reads the organisation's dashboard.
    click(reviewing, "link", "Home", exact=True)
    click(reviewing, "link", "A New Direction dashboard")
    assert reviewing.get_by_role("heading", name="Dashboard: A New Direction").is_visible()
    submitted_before = _submitted_on_dashboard(reviewing)
    assert submitted_before == 0

    # 5. The teacher looks again: nothing blocks the statement; they submit it.
    _reload(teacher)
    assert teacher.locator("ul.problems").count() == 0
    click(teacher, "button", "Submit Statement of Commitment")
    assert teacher.url == live_server.url + reverse("journeys:detail", kwargs={"pk": journey.pk})
    assert teacher.get_by_text(
        "Your Statement of Commitment (version 1) has been submitted."
    ).is_visible()
    assert teacher.get_by_role("heading", name=f"Stage: {SUBMITTED}").is_visible()
    assert Journey.objects.get(pk=journey.pk).stage == Stage.COMMITMENT_SUBMITTED

    # 6. The reviewer's dashboard counts one more statement submitted.
    _reload(reviewing)
    assert _submitted_on_dashboard(reviewing) == submitted_before + 1
