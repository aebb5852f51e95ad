"""Booking, the waiting list, attendance and the Statement of Commitment's due date."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from artsmark.common.activity import activity_for
from artsmark.schools.tests.factories import bridge_organisation
from journeys.enums import Stage
from journeys.models import Journey
from journeys.tests.factories import JourneyFactory
from learning import services
from learning.enums import Audience, BookingStatus
from learning.models import Booking, LearningSession
from learning.tests.factories import BookingFactory
from learning.tests.helpers import member_of, move_to_the_past, session_with
from partners.tests.factories import PartnerMembershipFactory


def _statuses(session):
    return list(
        Booking.objects.filter(session=session).order_by("id").values_list("user__email", "status")
    )


# --- Booking --------------------------------------------------------------------------------


def test_book_session_gives_a_place_and_emails_the_details(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    session = session_with(capacity=2, joining_instructions="Bring a packed lunch.")
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.book_session(
            session=session, user=world.teacher_a, school=world.school_a
        )
    assert booking.status == BookingStatus.BOOKED
    assert booking.school == world.school_a
    (email,) = mailoutbox
    assert email.to == [world.teacher_a.email]
    assert "You have a place" in email.subject or "Your place" in email.subject
    assert "Bring a packed lunch." in email.body


def test_book_session_full_is_refused_and_changes_nothing(world):
    session = session_with(capacity=1)
    services.book_session(session=session, user=world.teacher_a, school=world.school_a)
    before = _statuses(session)
    with pytest.raises(ValidationError, match="This session is full") as error:
        services.book_session(session=session, user=world.teacher_b, school=world.school_b)
    assert error.value.code == "full"
    assert _statuses(session) == before


def test_book_session_full_with_waiting_list_chosen_joins_the_queue(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    session = session_with(capacity=1)
    services.book_session(session=session, user=world.teacher_a, school=world.school_a)
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.book_session(
            session=session, user=world.teacher_b, school=world.school_b, join_waiting_list=True
        )
    assert booking.status == BookingStatus.WAITING
    (email,) = mailoutbox
    assert "waiting list" in email.subject
    assert "number 1" in email.body


def test_book_session_second_in_the_queue_is_told_their_number(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    session = session_with(capacity=1)
    services.book_session(session=session, user=world.teacher_a, school=world.school_a)
    services.book_session(
        session=session,
        user=member_of(world.school_a),
        school=world.school_a,
        join_waiting_list=True,
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.book_session(
            session=session, user=world.teacher_b, school=world.school_b, join_waiting_list=True
        )
    (email,) = mailoutbox
    assert "number 2" in email.body


def test_book_session_over_several_days_emails_both_dates(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    starts = timezone.localtime(session_with().starts_at)
    session = session_with(starts_at=starts, ends_at=starts + datetime.timedelta(days=1, hours=6))
    with django_capture_on_commit_callbacks(execute=True):
        services.book_session(session=session, user=world.teacher_a, school=world.school_a)
    (email,) = mailoutbox
    ends = timezone.localtime(session.ends_at)
    assert f"{ends:%A} {ends.day} {ends:%B %Y}, {ends:%H:%M}" in email.body


def test_book_session_with_places_left_books_even_when_waiting_list_chosen(world):
    session = session_with(capacity=5)
    booking = services.book_session(
        session=session, user=world.teacher_a, school=world.school_a, join_waiting_list=True
    )
    assert booking.status == BookingStatus.BOOKED


def test_book_session_twice_is_refused(world):
    session = session_with(capacity=5)
    services.book_session(session=session, user=world.teacher_a, school=world.school_a)
    with pytest.raises(ValidationError, match="already have a place") as error:
        services.book_session(session=session, user=world.teacher_a, school=world.school_a)
    assert error.value.code == "duplicate"
    assert Booking.objects.filter(session=session).count() == 1


def test_book_session_waiting_then_again_is_refused(world):
    session = session_with(capacity=1)
    services.book_session(session=session, user=world.teacher_b, school=world.school_b)
    services.book_session(
        session=session, user=world.teacher_a, school=world.school_a, join_waiting_list=True
    )
    with pytest.raises(ValidationError, match="already on this session's waiting list"):
        services.book_session(
            session=session, user=world.teacher_a, school=world.school_a, join_waiting_list=True
        )
    assert Booking.objects.filter(session=session).count() == 2


def test_book_session_after_cancelling_books_again(world):
    session = session_with(capacity=5)
    first = services.book_session(session=session, user=world.teacher_a, school=world.school_a)
    services.cancel_booking(booking=first, actor=world.teacher_a)
    again = services.book_session(session=session, user=world.teacher_a, school=world.school_a)
    assert again.pk != first.pk
    assert again.status == BookingStatus.BOOKED


def test_book_session_in_the_past_is_refused(world):
    session = move_to_the_past(session_with())
    with pytest.raises(ValidationError, match="booking has closed") as error:
        services.book_session(session=session, user=world.teacher_a, school=world.school_a)
    assert error.value.code == "past"
    assert Booking.objects.count() == 0


def test_book_session_cancelled_is_refused(world):
    session = session_with()
    services.cancel_session(session=session, actor=world.reviewer_a, reason="Venue closed.")
    with pytest.raises(ValidationError, match="cancelled"):
        services.book_session(session=session, user=world.teacher_a, school=world.school_a)
    assert Booking.objects.count() == 0


def test_book_session_for_a_school_not_yours_is_refused(world):
    session = session_with()
    with pytest.raises(ValidationError, match="approved member") as error:
        services.book_session(session=session, user=world.teacher_b, school=world.school_a)
    assert error.value.code == "for"
    assert Booking.objects.count() == 0


def test_book_session_for_partners_only_by_a_teacher_is_refused(world):
    session = session_with(kind="partner_training", audience=Audience.PARTNERS, organiser=None)
    with pytest.raises(ValidationError, match="partner organisations' staff") as error:
        services.book_session(session=session, user=world.teacher_a, school=world.school_a)
    assert error.value.code == "audience"
    assert Booking.objects.count() == 0


def test_book_session_for_schools_only_by_a_partner_is_refused(world):
    membership = PartnerMembershipFactory(user=world.partner)
    session = session_with(audience=Audience.SCHOOLS)
    with pytest.raises(ValidationError, match="for schools, not for partner"):
        services.book_session(
            session=session, user=world.partner, partner_organisation=membership.organisation
        )
    assert Booking.objects.count() == 0


def test_book_session_partner_staff_book_partner_training(world):
    membership = PartnerMembershipFactory(user=world.partner)
    session = session_with(kind="partner_training", audience=Audience.PARTNERS, organiser=None)
    booking = services.book_session(
        session=session, user=world.partner, partner_organisation=membership.organisation
    )
    assert booking.status == BookingStatus.BOOKED
    assert booking.partner_organisation == membership.organisation


def test_book_session_for_nobody_is_refused(world):
    with pytest.raises(ValidationError, match="Choose the school or the partner"):
        services.book_session(session=session_with(), user=world.teacher_a)


# --- Cancelling and the waiting list ----------------------------------------------------------


def test_cancel_booking_moves_the_first_waiting_up_and_emails_them(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    session = session_with(capacity=1)
    services.book_session(session=session, user=world.teacher_a, school=world.school_a)
    first = member_of(world.school_b, "first.waiting@example.test")
    second = member_of(world.school_b, "second.waiting@example.test")
    for user in (first, second):
        services.book_session(
            session=session, user=user, school=world.school_b, join_waiting_list=True
        )
    mailoutbox.clear()
    booking = Booking.objects.get(session=session, user=world.teacher_a)

    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.cancel_booking(booking=booking, actor=world.teacher_a)

    assert [b.user for b in promoted] == [first]
    assert _statuses(session) == [
        (world.teacher_a.email, BookingStatus.CANCELLED),
        (first.email, BookingStatus.BOOKED),
        (second.email, BookingStatus.WAITING),
    ]
    assert Booking.objects.get(user=first).promoted_at is not None
    (email,) = mailoutbox
    assert email.to == [first.email]
    assert "A place is yours" in email.subject


def test_cancel_booking_from_waiting_list_moves_nobody(world):
    session = session_with(capacity=1)
    services.book_session(session=session, user=world.teacher_a, school=world.school_a)
    waiting = services.book_session(
        session=session, user=world.teacher_b, school=world.school_b, join_waiting_list=True
    )
    assert services.cancel_booking(booking=waiting, actor=world.teacher_b) == []
    assert Booking.objects.get(user=world.teacher_a).status == BookingStatus.BOOKED


def test_cancel_booking_twice_is_refused(world):
    booking = services.book_session(
        session=session_with(), user=world.teacher_a, school=world.school_a
    )
    services.cancel_booking(booking=booking, actor=world.teacher_a)
    cancelled_at = Booking.objects.get(pk=booking.pk).cancelled_at
    with pytest.raises(ValidationError, match="already been cancelled"):
        services.cancel_booking(booking=Booking.objects.get(pk=booking.pk), actor=world.teacher_a)
    assert Booking.objects.get(pk=booking.pk).cancelled_at == cancelled_at


def test_cancel_booking_after_the_session_started_is_refused(world):
    session = session_with()
    booking = services.book_session(session=session, user=world.teacher_a, school=world.school_a)
    move_to_the_past(session)
    with pytest.raises(ValidationError, match="has started"):
        services.cancel_booking(booking=booking, actor=world.teacher_a)
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.BOOKED


def test_cancel_booking_by_someone_else_is_refused(world):
    booking = services.book_session(
        session=session_with(), user=world.teacher_a, school=world.school_a
    )
    with pytest.raises(ValidationError, match="Only the person who booked"):
        services.cancel_booking(booking=booking, actor=world.teacher_b)
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.BOOKED


def test_update_session_more_places_moves_the_waiting_list_up_in_order(world):
    session = session_with(capacity=1)
    services.book_session(session=session, user=world.teacher_a, school=world.school_a)
    waiting = [member_of(world.school_b) for _ in range(3)]
    for user in waiting:
        services.book_session(
            session=session, user=user, school=world.school_b, join_waiting_list=True
        )
    fields = {name: getattr(session, name) for name in services.SESSION_FIELDS}
    services.update_session(session=session, actor=world.reviewer_a, **(fields | {"capacity": 3}))
    statuses = dict(Booking.objects.filter(session=session).values_list("user_id", "status"))
    assert [statuses[user.pk] for user in waiting] == ["booked", "booked", "waiting"]


def test_update_session_fewer_places_than_booked_is_refused(world):
    session = session_with(capacity=3)
    for user in (world.teacher_a, member_of(world.school_a)):
        services.book_session(session=session, user=user, school=world.school_a)
    fields = {name: getattr(session, name) for name in services.SESSION_FIELDS}
    with pytest.raises(ValidationError, match="at least 2 places"):
        services.update_session(
            session=session, actor=world.reviewer_a, **(fields | {"capacity": 1})
        )
    assert LearningSession.objects.get(pk=session.pk).capacity == 3


def test_update_session_into_the_past_is_refused_and_changes_nothing(world):
    session = session_with()
    services.book_session(session=session, user=world.teacher_a, school=world.school_a)
    fields = {name: getattr(session, name) for name in services.SESSION_FIELDS}
    starts = timezone.now() - datetime.timedelta(days=1)
    moved = fields | {"starts_at": starts, "ends_at": starts + datetime.timedelta(hours=2)}
    with pytest.raises(ValidationError, match="cannot be moved into the past") as error:
        services.update_session(session=session, actor=world.reviewer_a, **moved)
    assert error.value.code == "past"
    assert LearningSession.objects.get(pk=session.pk).starts_at == session.starts_at


def test_update_session_that_took_place_can_have_its_times_corrected(world):
    session = move_to_the_past(session_with())
    fields = {name: getattr(session, name) for name in services.SESSION_FIELDS}
    ends = session.ends_at + datetime.timedelta(hours=1)
    services.update_session(session=session, actor=world.reviewer_a, **(fields | {"ends_at": ends}))
    assert LearningSession.objects.get(pk=session.pk).ends_at == ends


def test_update_session_by_another_region_is_refused(world):
    session = session_with()
    fields = {name: getattr(session, name) for name in services.SESSION_FIELDS}
    with pytest.raises(ValidationError, match="organisers"):
        services.update_session(session=session, actor=world.reviewer_other, **fields)


def test_cancel_session_cancels_every_booking_and_emails_them(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    session = session_with(capacity=1)
    services.book_session(session=session, user=world.teacher_a, school=world.school_a)
    services.book_session(
        session=session, user=world.teacher_b, school=world.school_b, join_waiting_list=True
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_session(session=session, actor=world.reviewer_a, reason="Snow.")
    assert set(Booking.objects.values_list("status", flat=True)) == {BookingStatus.CANCELLED}
    # One email each: people from different schools never see one another's addresses.
    assert sorted(email.to for email in mailoutbox) == sorted(
        [[world.teacher_a.email], [world.teacher_b.email]]
    )
    assert all("Snow." in email.body for email in mailoutbox)
    assert all(email.cc == email.bcc == [] for email in mailoutbox)


# --- Publishing -------------------------------------------------------------------------------


def _fields(**changes):
    starts = timezone.now() + datetime.timedelta(days=7)
    return {
        "kind": "module",
        "title": "Module: dance in the curriculum",
        "description": "",
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=2),
        "online": True,
        "venue": "",
        "joining_instructions": "",
        "capacity": 10,
        "audience": Audience.SCHOOLS,
        **changes,
    }


def test_create_session_by_a_reviewer_for_their_organisation(world):
    organisation = bridge_organisation("a-new-direction")
    session = services.create_session(actor=world.reviewer_a, organiser=organisation, **_fields())
    assert session.organiser == organisation
    assert session.created_by == world.reviewer_a


@pytest.mark.parametrize(
    ("role", "slug"), [("reviewer_a", "arts-connect"), ("reviewer_a", None), ("teacher_a", None)]
)
def test_create_session_for_an_organisation_not_yours_is_refused(world, role, slug):
    organiser = bridge_organisation(slug) if slug else None
    with pytest.raises(ValidationError, match="Only reviewers"):
        services.create_session(actor=world.user(role), organiser=organiser, **_fields())
    assert LearningSession.objects.count() == 0


def test_create_session_national_by_platform_staff(world):
    session = services.create_session(actor=world.admin, organiser=None, **_fields())
    assert session.organiser is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"online": False, "venue": " "}, "venue's address"),
        ({"capacity": 0}, "between 1 and"),
        ({"starts_at": timezone.now() - datetime.timedelta(days=1)}, "start in the future"),
        ({"ends_at": timezone.now()}, "end after it starts"),
    ],
)
def test_create_session_bad_input_is_refused(world, changes, message):
    with pytest.raises(ValidationError, match=message):
        services.create_session(actor=world.admin, organiser=None, **_fields(**changes))
    assert LearningSession.objects.count() == 0


# --- Attendance -------------------------------------------------------------------------------


def _booked_and_waiting(world, capacity=1):
    session = session_with(capacity=capacity)
    booked = services.book_session(session=session, user=world.teacher_a, school=world.school_a)
    waiting = services.book_session(
        session=session, user=world.teacher_b, school=world.school_b, join_waiting_list=True
    )
    return session, booked, waiting


def test_mark_attendance_before_the_session_starts_is_refused(world):
    session, booked, _ = _booked_and_waiting(world)
    with pytest.raises(ValidationError, match="once the session has started") as error:
        services.mark_attendance(
            session=session, attended_booking_ids=[booked.pk], actor=world.reviewer_a
        )
    assert error.value.code == "early"
    assert Booking.objects.get(pk=booked.pk).attended is None


def test_mark_attendance_of_the_waiting_list_is_refused_and_changes_nothing(world):
    session, booked, waiting = _booked_and_waiting(world)
    move_to_the_past(session)
    with pytest.raises(ValidationError, match="Only people with a place") as error:
        services.mark_attendance(
            session=session, attended_booking_ids=[booked.pk, waiting.pk], actor=world.reviewer_a
        )
    assert error.value.code == "not_booked"
    assert list(Booking.objects.values_list("attended", flat=True)) == [None, None]


def test_mark_attendance_by_another_region_is_refused(world):
    session, booked, _ = _booked_and_waiting(world)
    move_to_the_past(session)
    with pytest.raises(ValidationError, match="organisers"):
        services.mark_attendance(
            session=session, attended_booking_ids=[booked.pk], actor=world.reviewer_other
        )
    assert Booking.objects.get(pk=booked.pk).attended is None


def test_mark_attendance_records_who_came_and_who_did_not(world):
    session = session_with(capacity=3)
    came = services.book_session(session=session, user=world.teacher_a, school=world.school_a)
    absent = services.book_session(session=session, user=world.teacher_b, school=world.school_b)
    move_to_the_past(session)
    result = services.mark_attendance(
        session=session, attended_booking_ids=[str(came.pk)], actor=world.reviewer_a
    )
    assert (result["attended"], result["booked"]) == (1, 2)
    came.refresh_from_db()
    absent.refresh_from_db()
    assert (came.attended, absent.attended) == (True, False)
    assert came.attendance_marked_by == world.reviewer_a
    assert absent.attendance_marked_at is not None


def test_mark_attendance_on_the_schools_journey_timeline_and_due_date(world):
    journey = JourneyFactory(
        school=world.school_a, stage=Stage.COMMITMENT_DRAFT, commitment_due=timezone.localdate()
    )
    session = session_with()
    booking = services.book_session(session=session, user=world.teacher_a, school=world.school_a)
    move_to_the_past(session, days=2)

    services.mark_attendance(
        session=session, attended_booking_ids=[booking.pk], actor=world.reviewer_a
    )

    journey.refresh_from_db()
    days = journey.framework.commitment_due_days
    expected = timezone.localdate(session.starts_at) + datetime.timedelta(days=days)
    assert journey.commitment_due == expected
    verbs = [entry.verb for entry in activity_for(journey)]
    assert verbs == ["learning_session_attended", "commitment_due_changed"]
    assert session.title in activity_for(journey).first().note


def test_set_commitment_due_never_moves_the_date_earlier(world):
    later = timezone.localdate() + datetime.timedelta(days=400)
    journey = JourneyFactory(school=world.school_a, commitment_due=later)
    session = session_with()
    booking = services.book_session(session=session, user=world.teacher_a, school=world.school_a)
    move_to_the_past(session)
    services.mark_attendance(
        session=session, attended_booking_ids=[booking.pk], actor=world.reviewer_a
    )
    assert Journey.objects.get(pk=journey.pk).commitment_due == later


def test_set_commitment_due_unchanged_when_the_school_had_attended_already(world):
    earlier = session_with(title="Earlier development day")
    BookingFactory(session=earlier, user=world.teacher_a, school=world.school_a, attended=True)
    due = timezone.localdate()
    journey = JourneyFactory(school=world.school_a, commitment_due=due)
    session = session_with()
    booking = services.book_session(session=session, user=world.teacher_a, school=world.school_a)
    move_to_the_past(session)
    services.mark_attendance(
        session=session, attended_booking_ids=[booking.pk], actor=world.reviewer_a
    )
    assert Journey.objects.get(pk=journey.pk).commitment_due == due
    assert [e.verb for e in activity_for(journey)] == ["learning_session_attended"]


def test_set_commitment_due_unchanged_for_a_kind_not_required(world):
    due = timezone.localdate()
    journey = JourneyFactory(school=world.school_a, commitment_due=due)
    session = session_with(kind="module")
    booking = services.book_session(session=session, user=world.teacher_a, school=world.school_a)
    move_to_the_past(session)
    services.mark_attendance(
        session=session, attended_booking_ids=[booking.pk], actor=world.reviewer_a
    )
    assert Journey.objects.get(pk=journey.pk).commitment_due == due
