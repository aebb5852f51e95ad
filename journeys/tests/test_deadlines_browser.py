"""An overdue school asks for more time and its reviewer grants it, as people would do it.

Each person has their own browser context; axe-core, the pages' CSP and the console are
checked on every page visited (tests/browser.py).
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from artsmark.accounts.tests.factories import PASSWORD, UserFactory
from artsmark.schools.models import SchoolMembership
from artsmark.schools.tests.factories import (
    BridgeMembershipFactory,
    SchoolFactory,
    SchoolMembershipFactory,
    bridge_organisation,
    local_authority,
)
from journeys.enums import ExtensionStatus, Stage
from journeys.models import ExtensionRequest, Journey
from journeys.templatetags.journey_tags import long_date
from journeys.tests.factories import JourneyFactory
from tests.browser import check_accessibility, click, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCHOOL = "Foxglove Primary School"


def test_overdue_school_asks_for_more_time_and_reviewer_grants(live_server, new_page):
    today = timezone.localdate()
    school = SchoolFactory(name=SCHOOL, local_authority=local_authority("316"))
    lead = UserFactory(email="lead.deadlines@example.test", full_name="Dina Lane")
    SchoolMembershipFactory(user=lead, school=school, role=SchoolMembership.Role.LEAD)
    organisation = bridge_organisation("a-new-direction")
    reviewer = BridgeMembershipFactory(
        user=UserFactory(email="reviewer.deadlines@example.test", full_name="Rob Reviewer"),
        organisation=organisation,
    ).user
    journey = JourneyFactory(
        school=school,
        stage=Stage.COMMITMENT_DRAFT,
        commitment_due=today - datetime.timedelta(days=4),
    )
    asked_for = today + datetime.timedelta(days=30)
    base = live_server.url

    # 1. The teacher sees the overdue tag and asks for more time; an empty form says why not.
    teacher = new_page()
    login(teacher, live_server, lead.email, PASSWORD)
    teacher.goto(base + reverse("journeys:detail", args=[journey.pk]))
    check_accessibility(teacher)
    assert teacher.get_by_text("Overdue", exact=True).is_visible()
    click(teacher, "link", "Ask for more time")
    click(teacher, "button", "Send the request")
    assert teacher.get_by_text("There is a problem").is_visible()
    assert ExtensionRequest.objects.count() == 0
    teacher.get_by_label("The due date you are asking for").fill(asked_for.isoformat())
    teacher.get_by_label("Why do you need more time?").fill("Our headteacher is on leave.")
    click(teacher, "button", "Send the request")
    assert teacher.get_by_text("Waiting for a decision").first.is_visible()

    # 2. The reviewer finds the request on the Bridge Organisation's page and grants it.
    reviewing = new_page()
    login(reviewing, live_server, reviewer.email, PASSWORD)
    reviewing.goto(base + reverse("journeys:bridge_deadlines", args=[organisation.pk]))
    check_accessibility(reviewing)
    assert reviewing.get_by_text("Overdue by 4 days").first.is_visible()
    # The row's link: the school's name, then (for screen readers) what it does.
    click(reviewing, "link", "decide on the request")
    assert reviewing.get_by_role("heading", name=f"{SCHOOL} asks for more time").is_visible()
    reviewing.get_by_label("Grant: move the due date").check()
    click(reviewing, "button", "Record the decision")
    assert reviewing.get_by_text("request for more time was granted").is_visible()

    extension = ExtensionRequest.objects.get()
    assert extension.status == ExtensionStatus.GRANTED
    assert Journey.objects.get(pk=journey.pk).commitment_due == asked_for

    # 3. The teacher sees the new date and the decision on the timeline.
    teacher.goto(base + reverse("journeys:detail", args=[journey.pk]))
    check_accessibility(teacher)
    assert teacher.get_by_text(long_date(asked_for)).first.is_visible()
    assert teacher.get_by_text("Extension granted").first.is_visible()
