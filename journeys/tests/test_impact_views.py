"""The Statement of Impact pages and the reviewer's assessment page."""

from html import unescape

import pytest
from django.urls import reverse

from journeys.enums import Stage
from journeys.models import (
    Award,
    Framework,
    ImpactReflection,
    ImpactVersion,
    Journey,
    StrandJudgement,
)
from journeys.services import impact
from journeys.tests.impact_fixtures import (
    REFLECTION,
    add_evidence,
    certified_journey,
    impact_review,
    submitted_journey,
)
from tests.queries import count_page_queries


@pytest.fixture
def journey(world):
    return certified_journey(school=world.school_a, lead=world.teacher_a, reviewer=world.reviewer_a)


_count_queries = count_page_queries


def _url(name, journey, **kwargs):
    return reverse(f"journeys:{name}", kwargs={"pk": journey.pk, **kwargs})


@pytest.fixture
def one_goal_allowed(db):
    """The framework's minimum is two goals; these tests compare one goal with ten."""
    Framework.objects.filter(is_current=True).update(min_goals=1)


def test_impact_task_list_query_count_same_with_1_and_10_goals(world, client_for, one_goal_allowed):
    client = client_for(world.teacher_a)
    counts = []
    for goals in (1, 10):
        Journey.objects.all().delete()
        journey = certified_journey(
            school=world.school_a, lead=world.teacher_a, reviewer=world.reviewer_a, goals=goals
        )
        for goal in journey.goals.all():
            impact.save_reflection(
                journey=journey, goal=goal, text="x", based_on_version=0, actor=world.teacher_a
            )
        add_evidence(journey=journey, lead=world.teacher_a)
        counts.append(_count_queries(client, _url("impact", journey)))
    assert counts[0] == counts[1]


def test_assess_page_query_count_same_with_1_and_10_goals(world, client_for, one_goal_allowed):
    client = client_for(world.reviewer_a)
    counts = []
    for goals in (1, 10):
        Journey.objects.all().delete()
        journey = submitted_journey(
            school=world.school_a, lead=world.teacher_a, reviewer=world.reviewer_a, goals=goals
        )
        url = reverse("journeys:assess", kwargs={"review_pk": impact_review(journey).pk})
        counts.append(_count_queries(client, url))
    assert counts[0] == counts[1]


def test_journey_page_invites_a_certified_school_to_start(world, client_for, journey):
    html = client_for(world.teacher_a).get(_url("detail", journey)).content.decode()
    assert "Start your Statement of Impact" in html
    assert _url("impact", journey) in html


def test_task_list_before_certification_says_when_it_opens(world, client_for):
    from journeys.tests.factories import JourneyFactory

    journey = JourneyFactory(school=world.school_a)
    html = client_for(world.teacher_a).get(_url("impact", journey)).content.decode()
    assert "opens once your school is Artsmark Certified" in html


def test_reflection_autosave_with_htmx_returns_status_and_new_version(world, client_for, journey):
    goal = journey.goals.first()
    url = _url("impact_reflection", journey, goal_pk=goal.pk)

    response = client_for(world.teacher_a).post(
        url, {"version": 0, "text": "Draft words."}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Saved at" in html
    assert 'name="version" value="1"' in html
    assert ImpactReflection.objects.get(goal=goal).text == "Draft words."
    journey.refresh_from_db()
    assert journey.stage == Stage.IMPACT_DRAFT


def test_reflection_conflict_shows_both_texts_and_changes_nothing(world, client_for, journey):
    goal = journey.goals.first()
    impact.save_reflection(
        journey=journey, goal=goal, text="Colleague's text.", based_on_version=0, actor=world.admin
    )
    url = _url("impact_reflection", journey, goal_pk=goal.pk)
    client = client_for(world.teacher_a)

    htmx = client.post(url, {"version": 0, "text": "My text."}, HTTP_HX_REQUEST="true")
    page = client.post(url, {"version": 0, "text": "My text.", "completed": "on"})

    assert "Colleague&#x27;s text." in htmx.content.decode()
    assert "data-autosave-paused" in htmx.content.decode()
    assert 'name="version" value="1"' in htmx.content.decode()
    assert page.status_code == 409
    html = page.content.decode()
    assert "Colleague&#x27;s text." in html
    assert "My text." in html
    assert 'name="version" value="1"' in html
    stored = ImpactReflection.objects.get(goal=goal)
    assert (stored.text, stored.version, stored.is_completed) == ("Colleague's text.", 1, False)


def test_evidence_page_with_an_empty_locker_says_so(world, client_for, journey):
    html = client_for(world.teacher_a).get(_url("impact_evidence", journey)).content.decode()
    assert "Your evidence locker is empty" in html


def test_evidence_page_lists_the_locker_with_labels(world, client_for, journey):
    item = add_evidence(journey=journey, lead=world.teacher_a)
    client = client_for(world.teacher_a)

    html = client.get(_url("impact_evidence", journey)).content.decode()
    response = client.post(_url("impact_evidence", journey), {"version": 0, "evidence": [item.pk]})

    assert "Arts Award achievement: Bronze, 24 pupils" in html
    assert "Children and young people&#x27;s engagement" in html
    assert "cyp-engagement" not in html
    assert response.status_code == 302
    assert list(journey.impact_draft.evidence.all()) == [item]


def test_level_page_without_a_choice_shows_an_error(world, client_for, journey):
    response = client_for(world.teacher_a).post(_url("impact_level", journey), {"version": 0})
    assert "Choose Silver, Gold or Platinum." in response.content.decode()
    assert 'href="#id_level_0"' in response.content.decode()


def test_check_and_submit_freezes_a_version(world, client_for, journey):
    from journeys.tests.impact_fixtures import complete_impact

    complete_impact(journey=journey, lead=world.teacher_a)
    client = client_for(world.teacher_a)
    check = client.get(_url("impact_check", journey))
    assert "What still needs doing" not in check.content.decode()

    response = client.post(_url("impact_check", journey))

    assert response.status_code == 302
    version = ImpactVersion.objects.get(journey=journey)
    page = client.get(_url("impact_version", journey, number=version.number)).content.decode()
    assert REFLECTION in page
    assert "Gold" in page


def test_check_with_problems_refuses_and_links_to_each(world, client_for, journey):
    response = client_for(world.teacher_a).post(_url("impact_check", journey))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Your statement could not be submitted" in html
    goal = journey.goals.first()
    assert _url("impact_reflection", journey, goal_pk=goal.pk) in html
    assert ImpactVersion.objects.count() == 0


def test_assess_page_shows_impact_beside_commitment_and_descriptors(world, client_for):
    journey = submitted_journey(
        school=world.school_a, lead=world.teacher_a, reviewer=world.reviewer_a
    )
    url = reverse("journeys:assess", kwargs={"review_pk": impact_review(journey).pk})

    html = unescape(client_for(world.reviewer_a).get(url).content.decode())

    assert "Statement of Impact, version 1" in html
    assert "Approved Statement of Commitment, version 1" in html
    assert REFLECTION in html
    strand = journey.framework.strands.first()
    assert strand.silver[:40] in html
    assert "Working towards" in html
    assert "Return for more evidence" in html
    assert "Actively involving children and young people" in html  # a label, not "involving"


def test_assess_without_feedback_shows_an_error_and_changes_nothing(world, client_for):
    journey = submitted_journey(
        school=world.school_a, lead=world.teacher_a, reviewer=world.reviewer_a
    )
    review = impact_review(journey)
    data = {"version_number": 1, "decision": "awarded", "award_level": "gold", "feedback": ""}
    for strand in journey.framework.strands.all():
        data[f"strand_{strand.slug}"] = "gold"
    url = reverse("journeys:assess", kwargs={"review_pk": review.pk})

    response = client_for(world.reviewer_a).post(url, data)

    assert response.status_code == 400
    assert "Write feedback for the school." in response.content.decode()
    journey.refresh_from_db()
    assert journey.stage == Stage.IMPACT_SUBMITTED
    assert Award.objects.count() == StrandJudgement.objects.count() == 0


def test_assess_award_then_read_only(world, client_for):
    journey = submitted_journey(
        school=world.school_a, lead=world.teacher_a, reviewer=world.reviewer_a
    )
    review = impact_review(journey)
    data = {
        "version_number": 1,
        "decision": "awarded",
        "award_level": "gold",
        "feedback": "A joyful year.",
    }
    for strand in journey.framework.strands.all():
        data[f"strand_{strand.slug}"] = "gold"
    url = reverse("journeys:assess", kwargs={"review_pk": review.pk})
    client = client_for(world.reviewer_a)

    response = client.post(url, data)

    assert response.status_code == 302
    award = Award.objects.get(journey=journey)
    assert award.level == "gold"
    page = client.get(url).content.decode()
    assert "Record the decision" not in page
    assert "This decision cannot be changed" in page
    assert f"valid until {award.expires_on.day} {award.expires_on:%B %Y}" in page
    again = client.post(url, {**data, "award_level": "platinum"})
    assert again.status_code == 302
    assert Award.objects.get(journey=journey).level == "gold"
    # The school may read the decided assessment.
    assert client_for(world.teacher_a).get(url).status_code == 200
