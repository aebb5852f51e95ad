"""Every list page runs as many queries for one row as for five (CONVENTIONS.md, "Tests")."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from learning import services
from learning.enums import BookingStatus
from learning.home import learning_panels
from learning.tests.factories import BookingFactory
from learning.tests.helpers import member_of, move_to_the_past, session_with
from partners.tests.factories import PartnerOrganisationFactory


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


def _sessions_with_bookings(world, count, *, past=False, waiting=True):
    """`count` full sessions: teacher_a has a place on each, teacher_b waits."""
    sessions = []
    for index in range(count):
        session = session_with(title=f"Session {index}", capacity=1)
        services.book_session(session=session, user=world.teacher_a, school=world.school_a)
        if waiting:
            services.book_session(
                session=session,
                user=world.teacher_b,
                school=world.school_b,
                join_waiting_list=True,
            )
        if past:
            move_to_the_past(session, days=index + 1)
        sessions.append(session)
    return sessions


@pytest.mark.parametrize(
    ("role", "name"),
    [
        ("teacher_a", "sessions"),
        ("teacher_b", "sessions"),
        ("teacher_a", "my_bookings"),
        ("teacher_b", "my_bookings"),
        ("reviewer_a", "manage"),
        ("admin", "manage"),
    ],
)
def test_list_query_count_does_not_grow_with_rows(world, client_for, role, name):
    client = client_for(world.user(role))
    url = reverse(f"learning:{name}")
    _sessions_with_bookings(world, 1)
    one = _queries(client, url)
    _sessions_with_bookings(world, 4)
    assert _queries(client, url) == one


def test_past_lists_query_count_does_not_grow_with_rows(world, client_for):
    _sessions_with_bookings(world, 1, past=True, waiting=False)
    teacher, reviewer = client_for(world.teacher_a), client_for(world.reviewer_a)
    mine, organised = reverse("learning:my_bookings"), reverse("learning:manage")
    counts = (_queries(teacher, mine), _queries(reviewer, organised, {"when": "past"}))
    _sessions_with_bookings(world, 4, past=True, waiting=False)
    assert (_queries(teacher, mine), _queries(reviewer, organised, {"when": "past"})) == counts


def test_session_bookings_query_count_does_not_grow_with_bookings(world, client_for):
    session = move_to_the_past(session_with(capacity=10))  # the attendance form shows too
    url = reverse("learning:session_bookings", kwargs={"pk": session.pk})
    client = client_for(world.reviewer_a)
    BookingFactory(session=session, school=world.school_a)
    one = _queries(client, url)
    for status in (BookingStatus.BOOKED, BookingStatus.WAITING, BookingStatus.CANCELLED):
        BookingFactory(
            session=session,
            school=world.school_a,
            status=status,
            cancelled_at=timezone.now() if status == BookingStatus.CANCELLED else None,
        )
    BookingFactory(session=session, partner_organisation=PartnerOrganisationFactory())
    assert _queries(client, url) == one


def test_session_page_query_count_does_not_grow_with_bookings(world, client_for):
    session = session_with(capacity=1)
    url = reverse("learning:session", kwargs={"pk": session.pk})
    services.book_session(session=session, user=world.teacher_b, school=world.school_b)
    client = client_for(world.teacher_a)
    one = _queries(client, url)
    for _ in range(4):
        services.book_session(
            session=session,
            user=member_of(world.school_b),
            school=world.school_b,
            join_waiting_list=True,
        )
    assert _queries(client, url) == one


def test_home_panels_query_count_does_not_grow_with_rows(world):
    from artsmark.schools.tests.factories import BridgeMembershipFactory, bridge_organisation

    # A teacher who also reviews: both panels.
    BridgeMembershipFactory(
        user=world.teacher_a, organisation=bridge_organisation("a-new-direction")
    )
    _sessions_with_bookings(world, 1)
    with CaptureQueriesContext(connection) as one:
        panels = learning_panels(world.teacher_a)
    assert [len(p.get("bookings", p.get("sessions"))) for p in panels] == [1, 1]
    _sessions_with_bookings(world, 4)
    with CaptureQueriesContext(connection) as five:
        panels = learning_panels(world.teacher_a)
    assert len(five) == len(one)
    assert [len(p.get("bookings", p.get("sessions"))) for p in panels] == [5, 5]
