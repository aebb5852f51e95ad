"""Django admin: sessions and bookings are listed, searched and shown to platform staff."""

import pytest
from django.urls import reverse

from learning import services
from learning.models import Booking, LearningSession
from learning.tests.helpers import session_with


@pytest.fixture
def booking(world):
    session = session_with(title="Development day in Stratford")
    return services.book_session(session=session, user=world.teacher_a, school=world.school_a)


@pytest.mark.parametrize("model", [LearningSession, Booking])
def test_admin_lists_searches_and_shows(world, client_for, booking, model):
    client = client_for(world.admin)
    name = f"admin:learning_{model._meta.model_name}"
    listing = client.get(reverse(f"{name}_changelist"), {"q": "Stratford"})
    assert listing.status_code == 200
    assert "Development day in Stratford" in listing.content.decode()
    obj = booking.session if model is LearningSession else booking
    assert client.get(reverse(f"{name}_change", args=[obj.pk])).status_code == 200


def test_admin_cannot_add_bookings_or_change_places(world, client_for, booking):
    client = client_for(world.admin)
    assert client.get(reverse("admin:learning_booking_add")).status_code == 403
    page = client.get(reverse("admin:learning_learningsession_change", args=[booking.session_id]))
    assert 'name="capacity"' not in page.content.decode()
