"""Who is emailed about a journey: approved, active members; active reviewers of the area."""

import pytest

from artsmark.accounts.tests.factories import UserFactory
from artsmark.schools.models import SchoolMembership
from artsmark.schools.tests.factories import SchoolMembershipFactory
from journeys.notifications import reviewer_emails, school_emails

pytestmark = pytest.mark.django_db


def test_school_emails_leave_out_deactivated_accounts(world):
    gone = UserFactory(email="gone@example.test", is_active=False)
    SchoolMembershipFactory(
        user=gone, school=world.school_a, status=SchoolMembership.Status.APPROVED
    )
    emails = school_emails(world.school_a)
    assert world.teacher_a.email in emails
    assert "gone@example.test" not in emails


def test_reviewer_emails_leave_out_deactivated_accounts(world):
    assert world.reviewer_a.email in reviewer_emails(world.school_a)
    world.reviewer_a.is_active = False
    world.reviewer_a.save(update_fields=["is_active"])
    assert world.reviewer_a.email not in reviewer_emails(world.school_a)
