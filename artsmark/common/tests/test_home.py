"""The home page leads with each role's work (issue 14)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from artsmark.accounts.tests.factories import UserFactory
from artsmark.schools.models import SchoolMembership
from artsmark.schools.tests.factories import SchoolFactory, SchoolMembershipFactory
from journeys.tests.factories import JourneyFactory
from partners.tests.factories import PartnerMembershipFactory

FIND_PROMPT = "You are not a member of a school yet"


def _headings(content):
    """The h2 headings of the page's panels, in order."""
    import re

    return re.findall(r"<h2[^>]*>(.*?)</h2>", content)


def _home(client_for, user):
    response = client_for(user).get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_home_partner_leads_with_their_organisation(world, client_for):
    PartnerMembershipFactory(user=world.partner)
    content = _home(client_for, world.partner)
    headings = _headings(content)
    assert headings[0] == "Your partner organisations"
    assert content.index("Your partner organisations") < content.index(FIND_PROMPT)


def test_home_reviewer_leads_with_the_review_queue(world, client_for):
    content = _home(client_for, world.reviewer_a)
    assert _headings(content)[0].startswith("Submissions to review:")
    assert FIND_PROMPT not in content


def test_home_teacher_leads_with_their_journey(world, client_for):
    JourneyFactory(school=world.school_a)
    content = _home(client_for, world.teacher_a)
    assert _headings(content)[0] == "Artsmark"
    assert FIND_PROMPT not in content


def test_home_user_without_a_role_is_offered_find_your_school(world, client_for):
    content = _home(client_for, UserFactory(email="new.user@example.test"))
    assert FIND_PROMPT in content
    assert reverse("schools:find") in content


def test_home_lead_sees_join_requests_for_their_school(world, client_for):
    asking = UserFactory(email="asking@example.test")
    SchoolMembershipFactory(
        user=asking, school=world.school_a, status=SchoolMembership.Status.PENDING
    )
    SchoolMembershipFactory(
        user=UserFactory(email="other.school@example.test"),
        school=world.school_b,
        status=SchoolMembership.Status.PENDING,
    )
    content = _home(client_for, world.teacher_a)
    assert "asking@example.test" in content
    assert reverse("schools:detail", kwargs={"pk": world.school_a.pk}) + "#requests-title" in (
        content
    )
    assert "other.school@example.test" not in content


def test_home_member_not_lead_sees_no_join_requests(world, client_for):
    member = UserFactory(email="member@example.test")
    SchoolMembershipFactory(user=member, school=world.school_a, role=SchoolMembership.Role.MEMBER)
    SchoolMembershipFactory(
        user=UserFactory(email="asking@example.test"),
        school=world.school_a,
        status=SchoolMembership.Status.PENDING,
    )
    content = _home(client_for, member)
    assert "asking@example.test" not in content
    assert "Requests to join your school" not in content


def _count_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


def test_home_join_requests_query_count_same_with_1_and_5(world, client_for):
    client = client_for(world.teacher_a)
    SchoolMembershipFactory(school=world.school_a, status=SchoolMembership.Status.PENDING)
    one = _count_queries(client)
    for _ in range(2):
        school = SchoolFactory()
        SchoolMembershipFactory(
            user=world.teacher_a, school=school, role=SchoolMembership.Role.LEAD
        )
        SchoolMembershipFactory(school=school, status=SchoolMembership.Status.PENDING)
        SchoolMembershipFactory(school=school, status=SchoolMembership.Status.PENDING)
    content = client.get(reverse("home")).content.decode()
    assert content.count("Approve or decline") == 5
    assert _count_queries(client) == one
