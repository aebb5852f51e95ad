"""Small builders the learning tests share."""

import datetime

from artsmark.accounts.tests.factories import UserFactory
from artsmark.schools.tests.factories import SchoolMembershipFactory
from learning.models import LearningSession
from learning.tests.factories import LearningSessionFactory, days_from_now


def member_of(school, email=None):
    """A new approved member of `school`."""
    user = UserFactory(**({"email": email} if email else {}))
    SchoolMembershipFactory(user=user, school=school)
    return user


def session_with(**kwargs):
    """An upcoming session (A New Direction's, for schools) with `kwargs` changed."""
    return LearningSessionFactory(**kwargs)


def move_to_the_past(session, days=1):
    """Time passes: the session took place `days` days ago (as if the clock had moved on)."""
    starts = days_from_now(-days)
    LearningSession.objects.filter(pk=session.pk).update(
        starts_at=starts, ends_at=starts + datetime.timedelta(hours=3)
    )
    session.refresh_from_db()
    return session
