"""A teacher books a session and joins a waiting list; a reviewer publishes a session and marks
attendance. axe-core runs on every page, which keeps its Content Security Policy."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from artsmark.accounts.tests.factories import PASSWORD, UserFactory
from artsmark.schools.models import SchoolMembership
from artsmark.schools.tests.factories import (
    BridgeMembershipFactory,
    SchoolFactory,
    SchoolMembershipFactory,
    bridge_organisation,
    local_authority,
)
from learning import services
from learning.enums import BookingStatus
from learning.models import Booking, LearningSession
from learning.tests.factories import BookingFactory, LearningSessionFactory, days_from_now
from tests.browser import check_accessibility, click, login, visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def cast():
    school = SchoolFactory(name="Larkspur Primary School", local_authority=local_authority("316"))
    teacher = UserFactory(email="lena.learning@example.test", full_name="Lena Ford")
    SchoolMembershipFactory(user=teacher, school=school, role=SchoolMembership.Role.LEAD)
    other = UserFactory(email="omar.learning@example.test", full_name="Omar Shah")
    SchoolMembershipFactory(user=other, school=school)
    reviewer = BridgeMembershipFactory(
        user=UserFactory(email="rita.learning@example.test", full_name="Rita Reviewer"),
        organisation=bridge_organisation("a-new-direction"),
    ).user
    open_day = LearningSessionFactory(title="Development day in Stratford", capacity=10)
    full = LearningSessionFactory(title="Module: dance for everyone", kind="module", capacity=1)
    services.book_session(session=full, user=other, school=school)
    starts = days_from_now(-1)
    yesterday = LearningSessionFactory(
        title="Module: pupil voice",
        kind="module",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
    )
    BookingFactory(session=yesterday, user=other, school=school)
    return {
        "teacher": teacher,
        "reviewer": reviewer,
        "open_day": open_day,
        "full": full,
        "yesterday": yesterday,
    }


def test_teacher_books_and_waits_reviewer_publishes_and_marks_attendance(
    live_server, new_page, cast
):
    base = live_server.url
    teacher = new_page()
    login(teacher, live_server, cast["teacher"].email, PASSWORD)
    check_accessibility(teacher)

    # 1. The teacher finds a session with places and books one.
    visit(teacher, base + reverse("learning:sessions"))
    teacher.get_by_label("Kind of session", exact=True).select_option("development_day")
    click(teacher, "button", "Show sessions")
    assert teacher.get_by_text("Module: dance for everyone").count() == 0
    click(teacher, "link", "Development day in Stratford")
    click(teacher, "button", "Book a place")
    assert teacher.get_by_text("You have a place on").first.is_visible()
    booking = Booking.objects.get(user=cast["teacher"])
    assert booking.status == BookingStatus.BOOKED

    # 2. A full module: the page offers the waiting list, and says where they are in it.
    visit(teacher, base + reverse("learning:session", args=[cast["full"].pk]))
    assert teacher.get_by_text("This session is full.").is_visible()
    click(teacher, "button", "Join the waiting list")
    assert teacher.get_by_text("You are number 1 on the waiting list").first.is_visible()

    # 3. Their bookings; cancelling asks first.
    click(teacher, "link", "Your bookings")
    click(teacher, "link", "Cancel this booking")
    assert teacher.get_by_role("heading", name="Cancel your booking?").is_visible()
    click(teacher, "link", "No, keep it")
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.BOOKED

    # 4. The reviewer publishes a session.
    reviewing = new_page()
    login(reviewing, live_server, cast["reviewer"].email, PASSWORD)
    check_accessibility(reviewing)
    visit(reviewing, base + reverse("learning:manage"))
    click(reviewing, "link", "Publish a session")
    starts = timezone.localtime() + datetime.timedelta(days=20)
    reviewing.get_by_label("Kind of session").select_option("module")
    reviewing.get_by_label("Title").fill("Module: music in the curriculum")
    reviewing.get_by_label("Starts").fill(starts.strftime("%Y-%m-%dT10:00"))
    reviewing.get_by_label("Ends").fill(starts.strftime("%Y-%m-%dT12:00"))
    reviewing.get_by_label("This session is online").check()
    reviewing.get_by_label("Number of places").fill("15")
    reviewing.get_by_label("Schools", exact=True).check()
    click(reviewing, "button", "Publish the session")
    assert reviewing.get_by_role("heading", name="Module: music in the curriculum").is_visible()
    assert LearningSession.objects.filter(title="Module: music in the curriculum").exists()

    # 5. Yesterday's module: the reviewer marks who came.
    visit(reviewing, base + reverse("learning:session_bookings", args=[cast["yesterday"].pk]))
    reviewing.get_by_label("Omar Shah (Larkspur Primary School)").check()
    click(reviewing, "button", "Save attendance")
    assert reviewing.get_by_text("Attendance saved: 1 of 1 attended.").is_visible()
    assert Booking.objects.get(session=cast["yesterday"]).attended is True
    click(reviewing, "link", "Sessions you organise")
    click(reviewing, "link", "Past")

    # 6. The organiser pages that change a session: checked, not submitted.
    open_day = cast["open_day"].pk
    visit(reviewing, base + reverse("learning:session_edit", args=[open_day]))
    visit(reviewing, base + reverse("learning:session_cancel", args=[open_day]))
