"""The learning pages as people use them: lists, booking, the waiting list, organising."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from artsmark.schools.models import SchoolMembership
from artsmark.schools.tests.factories import SchoolMembershipFactory, bridge_organisation
from learning import services
from learning.enums import Audience, BookingStatus
from learning.models import Booking, LearningSession
from learning.tests.factories import LearningSessionFactory
from learning.tests.helpers import move_to_the_past, session_with
from partners.tests.factories import PartnerMembershipFactory


def _url(name, **kwargs):
    return reverse(f"learning:{name}", kwargs=kwargs)


def _text(response):
    return response.content.decode()


def _messages(response):
    return [str(message) for message in response.context["messages"]]


def _statuses(session):
    return list(
        Booking.objects.filter(session=session).order_by("id").values_list("user__email", "status")
    )


# --- The list of sessions ---------------------------------------------------------------------


def test_sessions_list_shows_places_full_and_own_booking(world, client_for):
    open_one = session_with(title="Development day with places", capacity=10)
    full = session_with(title="Module that is full", kind="module", capacity=1)
    services.book_session(session=full, user=world.teacher_b, school=world.school_b)
    services.book_session(session=open_one, user=world.teacher_a, school=world.school_a)
    move_to_the_past(session_with(title="A session that took place"))

    content = _text(client_for(world.teacher_a).get(_url("sessions")))

    assert "Development day with places" in content
    assert "9 of 10 places left" in content
    assert "Booked: you have a place" in content
    assert "Module that is full" in content
    assert "<strong>Full</strong>: you can join the waiting list" in content
    assert "A session that took place" not in content


def test_sessions_list_filtered_by_kind(world, client_for):
    session_with(title="A development day")
    session_with(title="A module", kind="module")
    content = _text(client_for(world.teacher_a).get(_url("sessions"), {"kind": "module"}))
    assert "A module" in content
    assert "A development day" not in content
    # A kind that does not exist shows every session rather than an error.
    response = client_for(world.teacher_a).get(_url("sessions"), {"kind": "<script>"})
    assert response.status_code == 200
    assert "A development day" in _text(response)


def test_sessions_list_hides_sessions_for_another_audience(world, client_for):
    session_with(title="Partner training day", audience=Audience.PARTNERS, organiser=None)
    assert "Partner training day" not in _text(client_for(world.teacher_a).get(_url("sessions")))
    PartnerMembershipFactory(user=world.partner)
    assert "Partner training day" in _text(client_for(world.partner).get(_url("sessions")))


def test_sessions_list_empty_states(world, client_for):
    from artsmark.accounts.tests.factories import UserFactory

    nobody = _text(client_for(UserFactory()).get(_url("sessions")))
    assert "Find your school" in nobody
    teacher = _text(client_for(world.teacher_a).get(_url("sessions"), {"kind": "module"}))
    assert "no upcoming sessions of this kind" in teacher
    assert "no upcoming sessions at the moment" in _text(
        client_for(world.teacher_a).get(_url("sessions"))
    )


# --- Booking ----------------------------------------------------------------------------------


def test_book_a_place_says_so_and_emails(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    session = session_with(capacity=5)
    client = client_for(world.teacher_a)
    assert "Book a place" in _text(client.get(_url("session", pk=session.pk)))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("book", pk=session.pk), follow=True)

    assert f"You have a place on “{session.title}”" in " ".join(_messages(response))
    booking = Booking.objects.get(session=session)
    assert (booking.user, booking.school, booking.status) == (
        world.teacher_a,
        world.school_a,
        BookingStatus.BOOKED,
    )
    assert "Cancel your booking" in _text(response)
    assert len(mailoutbox) == 1


def test_book_a_full_session_is_refused_with_a_clear_message(world, client_for):
    session = session_with(capacity=1)
    client = client_for(world.teacher_a)
    page = _text(client.get(_url("session", pk=session.pk)))
    assert "Book a place" in page
    # Someone else takes the last place before the teacher presses the button.
    services.book_session(session=session, user=world.teacher_b, school=world.school_b)

    response = client.post(_url("book", pk=session.pk), {"join_waiting_list": "False"})

    assert response.status_code == 409
    assert "There is a problem" in _text(response)
    assert "This session is full" in _text(response)
    assert "Join the waiting list" in _text(response)
    assert list(Booking.objects.values_list("user", flat=True)) == [world.teacher_b.pk]


def test_join_the_waiting_list_says_which_place_in_the_queue(world, client_for):
    session = session_with(capacity=1)
    services.book_session(session=session, user=world.teacher_b, school=world.school_b)
    client = client_for(world.teacher_a)
    page = _text(client.get(_url("session", pk=session.pk)))
    assert "This session is full" in page
    assert "Join the waiting list" in page

    response = client.post(_url("book", pk=session.pk), {"join_waiting_list": "True"}, follow=True)

    assert "You are number 1 on the waiting list" in " ".join(_messages(response))
    assert "you do not have a place yet" in " ".join(_messages(response))
    assert Booking.objects.get(user=world.teacher_a).status == BookingStatus.WAITING
    assert "Leave the waiting list" in _text(response)


def test_book_twice_is_refused_and_nothing_changes(world, client_for):
    session = session_with()
    client = client_for(world.teacher_a)
    client.post(_url("book", pk=session.pk))
    response = client.post(_url("book", pk=session.pk))
    assert response.status_code == 409
    assert "You already have a place on this session." in _text(response)
    assert Booking.objects.count() == 1


def test_book_a_past_session_is_refused(world, client_for):
    session = move_to_the_past(session_with())
    response = client_for(world.teacher_a).post(_url("book", pk=session.pk))
    assert response.status_code == 400
    assert "booking has closed" in _text(response)
    assert Booking.objects.count() == 0


def test_book_for_one_of_several_schools(world, client_for):
    SchoolMembershipFactory(user=world.teacher_a, school=world.school_b)
    session = session_with()
    client = client_for(world.teacher_a)
    page = _text(client.get(_url("session", pk=session.pk)))
    assert "Who are you booking for?" in page
    assert world.school_b.name in page

    client.post(_url("book", pk=session.pk), {"booking_for": f"school-{world.school_b.pk}"})

    assert Booking.objects.get().school == world.school_b


def test_book_for_several_schools_without_choosing_is_refused(world, client_for):
    SchoolMembershipFactory(user=world.teacher_a, school=world.school_b)
    session = session_with()
    response = client_for(world.teacher_a).post(_url("book", pk=session.pk))
    assert response.status_code == 400
    assert "Choose who you are booking for." in _text(response)
    assert Booking.objects.count() == 0


def test_book_for_a_school_you_are_not_member_of_is_refused(world, client_for):
    session = session_with()
    response = client_for(world.teacher_a).post(
        _url("book", pk=session.pk), {"booking_for": f"school-{world.school_b.pk}"}
    )
    assert response.status_code == 400
    assert Booking.objects.count() == 0


def test_pending_member_cannot_book(world, client_for):
    from artsmark.accounts.tests.factories import UserFactory

    pending = UserFactory()
    SchoolMembershipFactory(
        user=pending, school=world.school_a, status=SchoolMembership.Status.PENDING
    )
    session = session_with()
    assert client_for(pending).get(_url("session", pk=session.pk)).status_code == 404
    assert client_for(pending).post(_url("book", pk=session.pk)).status_code == 404
    assert Booking.objects.count() == 0


def test_joining_instructions_only_for_people_with_a_place(world, client_for):
    session = session_with(joining_instructions="Door code 4321.")
    services.book_session(session=session, user=world.teacher_a, school=world.school_a)
    assert "Door code 4321." in _text(
        client_for(world.teacher_a).get(_url("session", pk=session.pk))
    )
    assert "Door code 4321." not in _text(
        client_for(world.teacher_b).get(_url("session", pk=session.pk))
    )
    assert "Door code 4321." in _text(
        client_for(world.reviewer_a).get(_url("session", pk=session.pk))
    )


def test_partner_staff_book_partner_training_for_their_organisation(world, client_for):
    organisation = PartnerMembershipFactory(user=world.partner).organisation
    session = session_with(
        title="Partner training: working with schools",
        kind="partner_training",
        audience=Audience.PARTNERS,
        organiser=None,
    )
    client = client_for(world.partner)
    assert "Book a place" in _text(client.get(_url("session", pk=session.pk)))

    response = client.post(_url("book", pk=session.pk), follow=True)

    assert f"You have a place on “{session.title}”" in " ".join(_messages(response))
    booking = Booking.objects.get(session=session)
    assert (booking.user, booking.school, booking.partner_organisation) == (
        world.partner,
        None,
        organisation,
    )
    assert f"You have a place for {organisation.name}" in _text(response)


# --- Cancelling a booking ----------------------------------------------------------------------


def test_cancel_booking_asks_first_then_gives_the_place_to_the_first_waiting(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    session = session_with(capacity=1)
    booking = services.book_session(session=session, user=world.teacher_a, school=world.school_a)
    services.book_session(
        session=session, user=world.teacher_b, school=world.school_b, join_waiting_list=True
    )
    client = client_for(world.teacher_a)
    confirm = client.get(_url("booking_cancel", booking_pk=booking.pk))
    assert "Cancel your booking?" in _text(confirm)
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.BOOKED

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("booking_cancel", booking_pk=booking.pk), follow=True)

    assert response.redirect_chain[-1][0] == _url("my_bookings")
    assert [m.to for m in mailoutbox] == [[world.teacher_b.email]]
    assert "is cancelled" in " ".join(_messages(response))
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CANCELLED
    assert Booking.objects.get(user=world.teacher_b).status == BookingStatus.BOOKED


def test_leave_the_waiting_list_asks_first_and_keeps_the_place_taken(world, client_for):
    session = session_with(capacity=1)
    services.book_session(session=session, user=world.teacher_b, school=world.school_b)
    waiting = services.book_session(
        session=session, user=world.teacher_a, school=world.school_a, join_waiting_list=True
    )
    client = client_for(world.teacher_a)
    confirm = _text(client.get(_url("booking_cancel", booking_pk=waiting.pk)))
    assert "Leave the waiting list?" in confirm
    assert "You will lose your place in the queue." in confirm

    response = client.post(_url("booking_cancel", booking_pk=waiting.pk), follow=True)

    assert "Your place on the waiting list for" in " ".join(_messages(response))
    assert _statuses(session) == [
        (world.teacher_b.email, BookingStatus.BOOKED),
        (world.teacher_a.email, BookingStatus.CANCELLED),
    ]


def test_cancel_booking_twice_shows_a_message_and_changes_nothing(world, client_for):
    booking = services.book_session(
        session=session_with(), user=world.teacher_a, school=world.school_a
    )
    client = client_for(world.teacher_a)
    client.post(_url("booking_cancel", booking_pk=booking.pk))
    response = client.post(_url("booking_cancel", booking_pk=booking.pk))
    assert response.status_code == 400
    assert "This booking has already been cancelled." in _text(response)
    assert Booking.objects.filter(status=BookingStatus.CANCELLED).count() == 1


def test_cancel_someone_elses_booking_is_not_found(world, client_for):
    booking = services.book_session(
        session=session_with(), user=world.teacher_a, school=world.school_a
    )
    assert (
        client_for(world.teacher_b).post(_url("booking_cancel", booking_pk=booking.pk)).status_code
        == 404
    )
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.BOOKED


# --- My bookings ------------------------------------------------------------------------------


def test_my_bookings_lists_places_queue_and_attendance(world, client_for):
    upcoming = session_with(title="Coming module", kind="module", capacity=1)
    services.book_session(session=upcoming, user=world.teacher_b, school=world.school_b)
    services.book_session(
        session=upcoming, user=world.teacher_a, school=world.school_a, join_waiting_list=True
    )
    past = session_with(title="Last month's development day")
    booking = services.book_session(session=past, user=world.teacher_a, school=world.school_a)
    move_to_the_past(past, days=30)
    services.mark_attendance(
        session=past, attended_booking_ids=[booking.pk], actor=world.reviewer_a
    )

    content = _text(client_for(world.teacher_a).get(_url("my_bookings")))

    assert "Coming module" in content
    assert "You are number 1 on the waiting list" in content
    assert "Last month&#x27;s development day" in content
    assert "Attended" in content


def test_my_bookings_empty(world, client_for):
    content = _text(client_for(world.teacher_a).get(_url("my_bookings")))
    assert "You have no sessions booked." in content
    assert "No past sessions yet." in content


# --- Organisers -------------------------------------------------------------------------------


def _form(**changes):
    starts = timezone.localtime() + datetime.timedelta(days=10)
    return {
        "organiser": str(bridge_organisation("a-new-direction").pk),
        "kind": "module",
        "title": "Module: music in the curriculum",
        "description": "Planning a music curriculum.",
        "starts_at": starts.strftime("%Y-%m-%dT10:00"),
        "ends_at": starts.strftime("%Y-%m-%dT12:00"),
        "venue": "Stratford Library, London E15 1EL",
        "joining_instructions": "",
        "capacity": "12",
        "audience": "schools",
        **changes,
    }


def test_organiser_publishes_a_session(world, client_for):
    client = client_for(world.reviewer_a)
    assert "Publish a session" in _text(client.get(_url("session_create")))
    response = client.post(_url("session_create"), _form())
    session = LearningSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("session", pk=session.pk)
    assert session.organiser == bridge_organisation("a-new-direction")
    assert timezone.localtime(session.starts_at).hour == 10


def test_organiser_publishes_with_dates_typed_as_the_help_text_shows(world, client_for):
    day = timezone.localdate() + datetime.timedelta(days=30)
    typed = {"starts_at": f"{day:%d/%m/%Y} 09:30", "ends_at": f"{day:%d/%m/%Y} 15:00"}
    response = client_for(world.reviewer_a).post(_url("session_create"), _form(**typed))
    assert response.status_code == 302
    starts = timezone.localtime(LearningSession.objects.get().starts_at)
    assert (starts.date(), starts.hour, starts.minute) == (day, 9, 30)


def test_organiser_publish_with_bad_input_shows_errors_and_saves_nothing(world, client_for):
    response = client_for(world.reviewer_a).post(
        _url("session_create"), _form(venue="", capacity="0", ends_at=_form()["starts_at"])
    )
    content = _text(response)
    assert response.status_code == 400
    assert "There is a problem" in content
    assert "Give the venue" in content
    assert "The session must end after it starts." in content
    assert LearningSession.objects.count() == 0


def test_organiser_cannot_publish_for_another_organisation(world, client_for):
    other = bridge_organisation("arts-connect")
    response = client_for(world.reviewer_a).post(
        _url("session_create"), _form(organiser=str(other.pk))
    )
    assert response.status_code == 400
    assert LearningSession.objects.count() == 0


def test_admin_publishes_a_national_session(world, client_for):
    response = client_for(world.admin).post(_url("session_create"), _form(organiser="national"))
    assert response.status_code == 302
    assert LearningSession.objects.get().organiser is None


def test_organiser_edits_a_session(world, client_for):
    session = session_with(capacity=1)
    services.book_session(session=session, user=world.teacher_a, school=world.school_a)
    services.book_session(
        session=session, user=world.teacher_b, school=world.school_b, join_waiting_list=True
    )
    client = client_for(world.reviewer_a)
    page = client.get(_url("session_edit", pk=session.pk))
    assert session.title in _text(page)
    data = _form(title="A new title", capacity="2")
    del data["organiser"]
    response = client.post(_url("session_edit", pk=session.pk), data)
    assert response.status_code == 302
    assert LearningSession.objects.get(pk=session.pk).title == "A new title"
    assert Booking.objects.get(user=world.teacher_b).status == BookingStatus.BOOKED


def test_organiser_edit_below_the_places_taken_is_refused(world, client_for):
    session = session_with(capacity=5)
    services.book_session(session=session, user=world.teacher_a, school=world.school_a)
    services.book_session(session=session, user=world.teacher_b, school=world.school_b)
    data = _form(capacity="1")
    del data["organiser"]
    response = client_for(world.reviewer_a).post(_url("session_edit", pk=session.pk), data)
    assert response.status_code == 400
    assert "2 people have a place" in _text(response)
    assert LearningSession.objects.get(pk=session.pk).capacity == 5


def test_organiser_edit_into_the_past_is_refused_with_a_message(world, client_for):
    session = session_with()
    services.book_session(session=session, user=world.teacher_a, school=world.school_a)
    data = _form(starts_at="2001-01-01T10:00", ends_at="2001-01-01T12:00")
    del data["organiser"]
    response = client_for(world.reviewer_a).post(_url("session_edit", pk=session.pk), data)
    assert response.status_code == 400
    assert "cannot be moved into the past" in _text(response)
    assert LearningSession.objects.get(pk=session.pk).starts_at == session.starts_at


def test_organiser_marks_attendance(world, client_for):
    session = session_with(capacity=1)
    came = services.book_session(session=session, user=world.teacher_a, school=world.school_a)
    services.book_session(
        session=session, user=world.teacher_b, school=world.school_b, join_waiting_list=True
    )
    move_to_the_past(session)
    client = client_for(world.reviewer_a)
    page = _text(client.get(_url("session_bookings", pk=session.pk)))
    assert "Mark attendance" in page
    assert world.teacher_b.get_full_name() in page  # on the waiting list

    response = client.post(
        _url("session_bookings", pk=session.pk), {"attended": [str(came.pk)]}, follow=True
    )

    assert "Attendance saved: 1 of 1 attended." in " ".join(_messages(response))
    assert Booking.objects.get(pk=came.pk).attended is True


def test_organiser_marks_attendance_of_someone_waiting_is_refused(world, client_for):
    session = session_with(capacity=1)
    services.book_session(session=session, user=world.teacher_a, school=world.school_a)
    waiting = services.book_session(
        session=session, user=world.teacher_b, school=world.school_b, join_waiting_list=True
    )
    move_to_the_past(session)
    response = client_for(world.reviewer_a).post(
        _url("session_bookings", pk=session.pk), {"attended": [str(waiting.pk)]}
    )
    assert response.status_code == 400
    assert "There is a problem" in _text(response)
    assert list(Booking.objects.values_list("attended", flat=True)) == [None, None]


def test_organiser_marks_attendance_before_the_start_is_refused(world, client_for):
    session = session_with()
    booking = services.book_session(session=session, user=world.teacher_a, school=world.school_a)
    client = client_for(world.reviewer_a)
    assert "You can mark attendance once the session has started." in _text(
        client.get(_url("session_bookings", pk=session.pk))
    )
    response = client.post(_url("session_bookings", pk=session.pk), {"attended": [booking.pk]})
    assert response.status_code == 400
    assert "once the session has started" in _text(response)
    assert Booking.objects.get(pk=booking.pk).attended is None


def test_organiser_cancels_a_session(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    session = session_with()
    services.book_session(session=session, user=world.teacher_a, school=world.school_a)
    mailoutbox.clear()
    client = client_for(world.reviewer_a)
    assert "Cancel the session?" in _text(client.get(_url("session_cancel", pk=session.pk)))
    empty = client.post(_url("session_cancel", pk=session.pk), {"reason": ""})
    assert empty.status_code == 400
    assert LearningSession.objects.get(pk=session.pk).cancelled_at is None

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url("session_cancel", pk=session.pk), {"reason": "The venue flooded."}
        )

    assert response.status_code == 302
    assert LearningSession.objects.get(pk=session.pk).cancelled_at is not None
    assert Booking.objects.get().status == BookingStatus.CANCELLED
    assert [m.to for m in mailoutbox] == [[world.teacher_a.email]]
    page = _text(client_for(world.teacher_a).get(_url("session", pk=session.pk)))
    assert "This session has been cancelled." in page
    assert "The venue flooded." in page


def test_organiser_list_shows_their_sessions_only(world, client_for):
    session_with(title="London session")
    session_with(title="Birmingham session", organiser=bridge_organisation("arts-connect"))
    session_with(title="National session", organiser=None)
    london = _text(client_for(world.reviewer_a).get(_url("manage")))
    assert "London session" in london
    assert "Birmingham session" not in london
    assert "National session" not in london
    everything = _text(client_for(world.admin).get(_url("manage")))
    assert all(title in everything for title in ("London", "Birmingham", "National session"))


def test_organiser_list_empty(world, client_for):
    assert "You have no sessions coming up." in _text(
        client_for(world.reviewer_a).get(_url("manage"))
    )
    past = _text(client_for(world.reviewer_a).get(_url("manage"), {"when": "past"}))
    assert "No past sessions yet." in past


def test_national_session_is_managed_by_platform_staff_only(world, client_for):
    session = session_with(organiser=None)
    assert client_for(world.reviewer_a).get(_url("session_edit", pk=session.pk)).status_code == 403
    assert client_for(world.admin).get(_url("session_edit", pk=session.pk)).status_code == 200


@pytest.mark.parametrize("name", ["sessions", "my_bookings", "manage"])
def test_junk_page_numbers_are_not_an_error(world, client_for, name):
    LearningSessionFactory()
    response = client_for(world.admin).get(_url(name), {"page": "99999999999999999999"})
    assert response.status_code == 200


def test_learning_templates_have_no_inline_script_or_style():
    folder = Path(settings.BASE_DIR) / "templates" / "learning"
    for template in folder.rglob("*.html"):
        text = template.read_text()
        assert "<script" not in text, template
        assert "style=" not in text, template
