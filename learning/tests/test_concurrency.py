"""Two members book the last place at the same moment, on two real database connections."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from learning import services
from learning.enums import BookingStatus
from learning.models import Booking
from learning.tests.helpers import member_of, session_with


def _at_once(session, people, **kwargs):
    """Each (user, school) books in its own thread, released together by a barrier."""
    barrier = threading.Barrier(len(people))
    outcomes = {}

    def book(user, school):
        try:
            barrier.wait(timeout=10)
            booking = services.book_session(session=session, user=user, school=school, **kwargs)
            outcomes[user.email] = booking.status
        except ValidationError as error:
            outcomes[user.email] = error.code
        finally:
            connection.close()  # each thread has its own database connection

    threads = [threading.Thread(target=book, args=person) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_members_booking_the_last_place_at_once_get_one_place(world):
    session = session_with(capacity=2)
    services.book_session(session=session, user=world.teacher_a, school=world.school_a)
    colleague = member_of(world.school_a, "colleague.a@example.test")

    outcomes = _at_once(session, [(colleague, world.school_a), (world.teacher_b, world.school_b)])

    assert sorted(outcomes.values()) == ["booked", "full"]
    assert Booking.objects.filter(session=session, status=BookingStatus.BOOKED).count() == 2
    assert Booking.objects.filter(session=session).count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_members_asking_for_the_last_place_or_the_queue_one_waits(world):
    session = session_with(capacity=1)
    colleague = member_of(world.school_a, "colleague.a@example.test")

    outcomes = _at_once(
        session,
        [(world.teacher_a, world.school_a), (colleague, world.school_a)],
        join_waiting_list=True,
    )

    assert sorted(outcomes.values()) == ["booked", "waiting"]
    statuses = sorted(Booking.objects.filter(session=session).values_list("status", flat=True))
    assert statuses == [BookingStatus.BOOKED, BookingStatus.WAITING]
