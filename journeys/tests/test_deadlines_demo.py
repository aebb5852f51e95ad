"""The demo's deadlines (journeys/deadlines_demo.py): made once, seen by the London reviewer.

The demo schools and users come from their seeder; the journeys the deadline demo uses are made
here at the stages journeys/demo.py takes them to, so this test does not depend on every step
of that seeder.
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from artsmark.accounts.models import User
from artsmark.common.models import ActivityEntry
from artsmark.schools import demo as schools_demo
from artsmark.schools.models import School, SchoolMembership
from journeys import deadlines_demo
from journeys.enums import ExtensionStatus, Stage
from journeys.models import ExtensionRequest, ReminderSent
from journeys.tests.factories import JourneyFactory

DEMO_JOURNEYS = {
    deadlines_demo.PENDING_URN: (Stage.COMMITMENT_RETURNED, "commitment_due", 40),
    deadlines_demo.OVERDUE_URN: (Stage.REGISTERED, "commitment_due", 100),
    deadlines_demo.GRANTED_URN: (Stage.CERTIFIED, "impact_due", 700),
    deadlines_demo.REFUSED_URN: (Stage.COMMITMENT_DRAFT, "commitment_due", 100),
}


def _demo_journeys():
    today = timezone.localdate()
    for urn, (stage, field, days) in DEMO_JOURNEYS.items():
        school = School.objects.get(urn=urn)
        lead = User.objects.create(email=f"lead.{urn}@example.org")
        SchoolMembership.objects.create(
            user=lead,
            school=school,
            role=SchoolMembership.Role.LEAD,
            status=SchoolMembership.Status.APPROVED,
        )
        JourneyFactory(school=school, stage=stage, **{field: today + datetime.timedelta(days)})


@pytest.mark.django_db
def test_deadlines_demo_seed_once_and_london_reviewer_sees_it(
    mailoutbox, django_capture_on_commit_callbacks
):
    schools_demo.seed()
    _demo_journeys()
    with django_capture_on_commit_callbacks(execute=True):
        deadlines_demo.seed()
    counts = (
        ExtensionRequest.objects.count(),
        ReminderSent.objects.count(),
        ActivityEntry.objects.count(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        deadlines_demo.seed()
    assert counts == (
        ExtensionRequest.objects.count(),
        ReminderSent.objects.count(),
        ActivityEntry.objects.count(),
    )

    statuses = dict(ExtensionRequest.objects.values_list("journey__school__urn", "status"))
    assert statuses[deadlines_demo.PENDING_URN] == ExtensionStatus.PENDING
    assert statuses[deadlines_demo.GRANTED_URN] == ExtensionStatus.GRANTED
    assert statuses[deadlines_demo.REFUSED_URN] == ExtensionStatus.REFUSED
    reminded = set(ReminderSent.objects.values_list("journey__school__urn", "days_before"))
    assert (deadlines_demo.OVERDUE_URN, 0) in reminded
    assert (deadlines_demo.PENDING_URN, 7) in reminded

    reviewer = User.objects.get(email="reviewer@example.org")
    client = Client()
    client.force_login(reviewer)
    organisation = reviewer.bridge_memberships.get().organisation_id
    response = client.get(reverse("journeys:bridge_deadlines", args=[organisation]))
    text = " ".join(response.content.decode().split())
    assert "1 request for more time waiting" in text
    assert "Bow Common Primary School" in text
    assert "Hillcrest Nursery School" in text
    assert "12 days" in text  # Hillcrest's Statement of Commitment is overdue
