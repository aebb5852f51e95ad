"""Learning sessions and bookings for tests (factory_boy), and an attended session."""

import datetime

import factory
from django.utils import timezone

from artsmark.schools.tests.factories import bridge_organisation
from learning.enums import Audience, BookingStatus
from learning.models import Booking, LearningSession


def days_from_now(days, hour=10):
    """A moment `days` days from now (negative: in the past), at `hour` o'clock local time."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class LearningSessionFactory(factory.django.DjangoModelFactory):
    """An upcoming development day for schools, run by A New Direction (London)."""

    class Meta:
        model = LearningSession

    kind = "development_day"
    title = factory.Sequence(lambda n: f"Development day {n}: Artsmark in practice")
    description = "How the Artsmark journey works, and planning your Statement of Commitment."
    starts_at = factory.LazyFunction(lambda: days_from_now(14))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=3))
    online = False
    venue = "Stratford Library, 3 The Grove, London E15 1EL"
    joining_instructions = "Sign in at the front desk; tea from 9.30."
    capacity = 20
    audience = Audience.SCHOOLS
    organiser = factory.LazyFunction(lambda: bridge_organisation("a-new-direction"))


class BookingFactory(factory.django.DjangoModelFactory):
    """A booked place, straight into the database (the services are what tests test)."""

    class Meta:
        model = Booking

    session = factory.SubFactory(LearningSessionFactory)
    user = factory.SubFactory("artsmark.accounts.tests.factories.UserFactory")
    status = BookingStatus.BOOKED


def attended_session(*, school, user, kind="development_day"):
    """A session of `kind` that took place last month, attended by `user` for `school`.

    Test data for the Statement of Commitment's rule (learning/checks.py): written straight
    to the database, so that it adds nothing to a journey's timeline or due dates.
    """
    starts = days_from_now(-30)
    session = LearningSessionFactory(
        kind=kind,
        title=f"{kind.replace('_', ' ').capitalize()} attended by {school.name}",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3),
        audience=Audience.ALL,
    )
    return BookingFactory(
        session=session,
        user=user,
        school=school,
        attended=True,
        attendance_marked_at=starts,
    )
