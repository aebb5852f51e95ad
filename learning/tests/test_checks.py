"""A Statement of Commitment waits for the learning programme (COMMITMENT_SUBMIT_CHECKS)."""

import pytest
from django.urls import reverse

from journeys.enums import Stage
from journeys.models import CommitmentVersion, Framework, Journey
from journeys.selectors import commitment_problems, commitment_snapshot
from journeys.services import commitment
from journeys.tests.factories import JourneyFactory
from journeys.tests.helpers import complete_statement
from learning import checks, services
from learning.models import Booking
from learning.tests.factories import BookingFactory
from learning.tests.helpers import member_of, move_to_the_past, session_with

MISSING = "Learning programme: attend a development day (book one)"


@pytest.fixture
def ready_but_for_learning(world):
    """School A's statement, complete in every way but the development day."""
    journey = JourneyFactory(school=world.school_a, stage=Stage.COMMITMENT_DRAFT)
    complete_statement(journey=journey, lead=world.teacher_a)
    Booking.objects.filter(school=world.school_a).delete()  # undo the helper's attendance
    return journey


def _problems(journey):
    journey = Journey.objects.select_related("framework").get(pk=journey.pk)
    return commitment_problems(journey=journey, snapshot=commitment_snapshot(journey=journey))


def test_check_page_lists_the_missing_development_day_with_a_link(
    world, client_for, ready_but_for_learning
):
    journey = ready_but_for_learning
    response = client_for(world.teacher_a).get(reverse("journeys:check", kwargs={"pk": journey.pk}))
    content = response.content.decode()
    assert MISSING in content
    assert f'href="{reverse("learning:sessions")}?kind=development_day"' in content
    assert _problems(journey) == [
        {"message": MISSING, "url": f"{reverse('learning:sessions')}?kind=development_day"}
    ]


def test_submission_without_the_development_day_is_refused_and_changes_nothing(
    world, client_for, ready_but_for_learning
):
    journey = ready_but_for_learning
    with pytest.raises(commitment.SubmissionBlockedError) as error:
        commitment.submit_commitment(journey=journey, actor=world.teacher_a)
    assert error.value.messages == [MISSING]
    response = client_for(world.teacher_a).post(
        reverse("journeys:check", kwargs={"pk": journey.pk})
    )
    assert "Your statement could not be submitted" in response.content.decode()
    assert MISSING in response.content.decode()
    assert Journey.objects.get(pk=journey.pk).stage == Stage.COMMITMENT_DRAFT
    assert CommitmentVersion.objects.count() == 0


def test_submission_passes_once_a_colleague_has_attended(world, ready_but_for_learning):
    journey = ready_but_for_learning
    colleague = member_of(world.school_a)
    session = session_with()
    booking = services.book_session(session=session, user=colleague, school=world.school_a)
    assert _problems(journey)[0]["message"].startswith(
        "Learning programme: attend a development day (your school has a place on"
    )
    assert _problems(journey)[0]["url"] == reverse("learning:session", kwargs={"pk": session.pk})
    move_to_the_past(session)
    assert "has not yet marked attendance" in _problems(journey)[0]["message"]

    services.mark_attendance(
        session=session, attended_booking_ids=[booking.pk], actor=world.reviewer_a
    )

    assert _problems(journey) == []
    version = commitment.submit_commitment(journey=journey, actor=world.teacher_a)
    assert version.number == 1
    assert Journey.objects.get(pk=journey.pk).stage == Stage.COMMITMENT_SUBMITTED


def test_attendance_for_another_school_does_not_count(world, ready_but_for_learning):
    # School B's lead attended: school A still has not.
    session = move_to_the_past(session_with())
    BookingFactory(session=session, user=world.teacher_b, school=world.school_b, attended=True)
    assert [p["message"] for p in _problems(ready_but_for_learning)] == [MISSING]


def test_not_attended_or_cancelled_sessions_do_not_count(world, ready_but_for_learning):
    absent = move_to_the_past(session_with(title="Missed it"))
    BookingFactory(session=absent, user=world.teacher_a, school=world.school_a, attended=False)
    called_off = move_to_the_past(session_with(title="Called off"))
    BookingFactory(session=called_off, user=world.teacher_a, school=world.school_a, attended=True)
    called_off.cancelled_at = called_off.starts_at
    called_off.save(update_fields=["cancelled_at"])
    assert [p["message"] for p in _problems(ready_but_for_learning)] == [MISSING]


def test_attendance_counts_after_the_member_has_left(world, ready_but_for_learning):
    leaver = member_of(world.school_a)
    session = move_to_the_past(session_with())
    BookingFactory(session=session, user=leaver, school=world.school_a, attended=True)
    leaver.school_memberships.all().delete()
    leaver.delete()
    assert _problems(ready_but_for_learning) == []


def test_each_required_kind_is_listed(world):
    framework = Framework.objects.current()
    framework.required_session_kinds = ["development_day", "module"]
    framework.save(update_fields=["required_session_kinds"])
    journey = JourneyFactory(school=world.school_a)
    session = move_to_the_past(session_with())
    BookingFactory(session=session, user=world.teacher_a, school=world.school_a, attended=True)
    assert [p["message"] for p in checks.commitment_problems(journey)] == [
        "Learning programme: attend a module (book one)"
    ]


def test_framework_without_required_sessions_asks_for_none(world):
    framework = Framework.objects.current()
    framework.required_session_kinds = []
    framework.save(update_fields=["required_session_kinds"])
    journey = JourneyFactory(school=world.school_a)
    assert checks.commitment_problems(journey) == []
