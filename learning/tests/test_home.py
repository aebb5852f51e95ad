"""The learning programme's home page panels (learning.home.learning_panels)."""

import pytest
from django.urls import reverse

from learning import services
from learning.home import learning_panels
from learning.tests.helpers import session_with


@pytest.fixture
def with_learning_panels(settings):
    settings.HOME_PANELS = [*settings.HOME_PANELS, "learning.home.learning_panels"]


def _home(client_for, user):
    response = client_for(user).get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_home_teacher_sees_their_next_sessions(world, client_for, with_learning_panels):
    session = session_with(title="Development day in Stratford", capacity=1)
    services.book_session(session=session, user=world.teacher_b, school=world.school_b)
    services.book_session(
        session=session, user=world.teacher_a, school=world.school_a, join_waiting_list=True
    )
    content = _home(client_for, world.teacher_a)
    assert "Learning programme" in content
    assert "Development day in Stratford" in content
    assert "Waiting list" in content
    assert reverse("learning:sessions") in content


def test_home_teacher_without_bookings_is_offered_sessions(world, client_for, with_learning_panels):
    content = _home(client_for, world.teacher_a)
    assert "You have no sessions booked." in content
    assert "Find a session to book" in content


def test_home_organiser_sees_their_next_sessions(world, client_for, with_learning_panels):
    session_with(title="Module in Newham")
    content = _home(client_for, world.reviewer_a)
    assert "Sessions you organise" in content
    assert "Module in Newham" in content
    assert "Module in Newham" not in _home(client_for, world.reviewer_other)


def test_learning_panels_for_someone_without_a_role_are_none(world):
    from artsmark.accounts.tests.factories import UserFactory

    assert learning_panels(UserFactory()) == []
    assert learning_panels(world.partner) == []
