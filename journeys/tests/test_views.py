import datetime

import pytest
from django.urls import reverse

from journeys.enums import Stage
from journeys.models import Answer, Journey
from journeys.services import commitment
from journeys.tests.factories import GoalFactory, JourneyFactory
from journeys.tests.helpers import complete_statement
from tests.queries import count_page_queries

_count_queries = count_page_queries


@pytest.mark.parametrize("name", ["journeys:detail", "journeys:commitment", "journeys:goals"])
def test_journey_pages_query_count_same_with_1_and_10_goals(world, client_for, name):
    client = client_for(world.teacher_a)
    counts = []
    for goals in (1, 10):
        Journey.objects.all().delete()
        journey = JourneyFactory(school=world.school_a)
        GoalFactory.create_batch(goals, journey=journey)
        commitment.record_sign_off(
            journey=journey,
            actor=world.teacher_a,
            headteacher_name="A",
            headteacher_signed_on=journey.created_at.date(),
            chair_name="B",
            chair_signed_on=journey.created_at.date(),
        )
        counts.append(_count_queries(client, reverse(name, kwargs={"pk": journey.pk})))
    assert counts[0] == counts[1]


def test_home_query_count_same_with_1_and_3_schools(world, client_for):
    from artsmark.schools.tests.factories import SchoolFactory, SchoolMembershipFactory

    client = client_for(world.teacher_a)
    JourneyFactory(school=world.school_a)
    one = _count_queries(client, reverse("home"))
    for _ in range(2):
        school = SchoolFactory()
        SchoolMembershipFactory(user=world.teacher_a, school=school)
        JourneyFactory(school=school)
    assert _count_queries(client, reverse("home")) == one


def test_area_submissions_query_count_same_with_1_and_5(world, client_for):
    from artsmark.schools.tests.factories import SchoolFactory
    from journeys.enums import ReviewKind
    from journeys.services.reviews import open_review

    def submitted(school):
        journey = JourneyFactory(school=school, stage=Stage.COMMITMENT_SUBMITTED)
        open_review(journey=journey, kind=ReviewKind.COMMITMENT, version_number=1)

    client = client_for(world.reviewer_a)
    organisation = world.reviewer_a.bridge_memberships.get().organisation
    url = reverse("journeys:area_submissions", kwargs={"organisation_pk": organisation.pk})
    submitted(world.school_a)
    one = _count_queries(client, url)
    for _ in range(4):
        submitted(SchoolFactory())
    response = client.get(url)
    assert response.content.count(b"Test Primary School") == 4
    assert _count_queries(client, url) == one


def test_home_shows_register_for_a_lead_without_a_journey(world, client_for):
    response = client_for(world.teacher_a).get(reverse("home"))
    assert reverse("journeys:register", kwargs={"school_pk": world.school_a.pk}) in (
        response.content.decode()
    )


def test_register_view_opens_a_journey(world, client_for):
    client = client_for(world.teacher_a)
    url = reverse("journeys:register", kwargs={"school_pk": world.school_a.pk})
    response = client.post(url)
    journey = Journey.objects.get(school=world.school_a)
    assert response.status_code == 302
    assert response["Location"] == reverse("journeys:detail", kwargs={"pk": journey.pk})
    page = client.get(response["Location"]).content.decode()
    assert "Start your Statement of Commitment" in page
    assert "Registered for Artsmark" in page


def _section_url(journey):
    section = journey.framework.sections.first()
    return section, reverse("journeys:section", kwargs={"pk": journey.pk, "section_pk": section.pk})


def test_section_post_without_javascript_saves_and_returns_to_task_list(world, client_for):
    journey = JourneyFactory(school=world.school_a)
    _section, url = _section_url(journey)
    response = client_for(world.teacher_a).post(
        url, {"version": 0, "school-context": "Hello.", "completed": "on"}
    )
    assert response.status_code == 302
    draft = journey.section_drafts.get()
    assert (draft.version, draft.is_completed) == (1, True)


def test_section_autosave_returns_saved_status_and_new_version(world, client_for):
    journey = JourneyFactory(school=world.school_a)
    _section, url = _section_url(journey)
    response = client_for(world.teacher_a).post(
        url, {"version": 0, "school-context": "Typing…"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Saved at" in body
    assert 'name="version" value="1"' in body
    assert Answer.objects.get(journey=journey, question__slug="school-context").text == "Typing…"


def test_section_stale_save_shows_newer_text_and_keeps_mine(world, client_for):
    journey = JourneyFactory(school=world.school_a)
    section, url = _section_url(journey)
    commitment.save_section(
        journey=journey,
        section=section,
        answers={"school-context": "Colleague's newer text."},
        based_on_version=0,
        actor=world.teacher_a,
    )
    response = client_for(world.teacher_a).post(
        url, {"version": 0, "school-context": "My own text."}
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert "Colleague&#x27;s newer text." in body
    assert "My own text.</textarea>" in body
    assert 'name="version" value="1"' in body
    stored = Answer.objects.get(journey=journey, question__slug="school-context")
    assert stored.text == "Colleague's newer text."


def test_check_page_lists_problems_and_submission_fails(world, client_for):
    journey = JourneyFactory(school=world.school_a)
    url = reverse("journeys:check", kwargs={"pk": journey.pk})
    response = client_for(world.teacher_a).post(url)
    body = response.content.decode()
    assert response.status_code == 400
    assert "Your statement could not be submitted" in body
    assert "Add at least 2 goals (you have 0)" in body
    assert Journey.objects.get(pk=journey.pk).stage == Stage.COMMITMENT_DRAFT


def test_check_page_submits_a_complete_statement(world, client_for):
    journey = JourneyFactory(school=world.school_a)
    complete_statement(journey=journey, lead=world.teacher_a)
    client = client_for(world.teacher_a)
    response = client.post(reverse("journeys:check", kwargs={"pk": journey.pk}))
    assert response.status_code == 302
    assert Journey.objects.get(pk=journey.pk).stage == Stage.COMMITMENT_SUBMITTED
    version_url = reverse("journeys:version", kwargs={"pk": journey.pk, "number": 1})
    assert "Every pupil performs to an audience" in client.get(version_url).content.decode()
    # Edit pages of a submitted statement send the user back to the task list.
    _section, url = _section_url(journey)
    assert client.get(url).status_code == 302


def test_goal_views_add_edit_and_remove(world, client_for):
    journey = JourneyFactory(school=world.school_a)
    client = client_for(world.teacher_a)
    add = reverse("journeys:goal_add", kwargs={"pk": journey.pk})
    response = client.post(add, {"title": "", "quality_principles": ["excellence"]})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    response = client.post(
        add,
        {
            "title": "Perform more",
            "quality_principles": ["excellence", "involving"],
            "art_forms": ["dance"],
        },
    )
    goal = journey.goals.get()
    assert goal.quality_principles == ["excellence", "involving"]
    assert goal.art_forms == ["dance"]
    edit = reverse("journeys:goal_edit", kwargs={"pk": journey.pk, "goal_pk": goal.pk})
    client.post(edit, {"title": "Perform much more"})
    goal.refresh_from_db()
    assert goal.title == "Perform much more"
    remove = reverse("journeys:goal_delete", kwargs={"pk": journey.pk, "goal_pk": goal.pk})
    client.post(remove)
    assert journey.goals.count() == 0


def test_goal_of_another_journey_is_404(world, client_for):
    journey = JourneyFactory(school=world.school_a)
    other_goal = GoalFactory(journey=JourneyFactory(school=world.school_b))
    url = reverse("journeys:goal_edit", kwargs={"pk": journey.pk, "goal_pk": other_goal.pk})
    assert client_for(world.teacher_a).get(url).status_code == 404


def test_self_assessment_view_saves_ratings(world, client_for):
    journey = JourneyFactory(school=world.school_a)
    url = reverse("journeys:self_assessment", kwargs={"pk": journey.pk})
    response = client_for(world.teacher_a).post(
        url,
        {
            "rating_excellence": "embedded",
            "evidence_excellence": "Our choir.",
            "strand_cpd": "gold",
        },
    )
    assert response.status_code == 302
    rating = journey.principle_ratings.get(principle="excellence")
    assert (rating.level, rating.evidence) == ("embedded", "Our choir.")
    assert journey.strand_assessments.get(strand="cpd").level == "gold"


def test_self_assessment_view_unknown_level_shows_error(world, client_for):
    journey = JourneyFactory(school=world.school_a)
    url = reverse("journeys:self_assessment", kwargs={"pk": journey.pk})
    response = client_for(world.teacher_a).post(url, {"rating_excellence": "superb"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert journey.principle_ratings.count() == 0


def test_sign_off_view_refuses_future_dates(world, client_for):
    journey = JourneyFactory(school=world.school_a)
    url = reverse("journeys:sign_off", kwargs={"pk": journey.pk})
    response = client_for(world.teacher_a).post(
        url,
        {
            "headteacher_name": "Dr Evans",
            "headteacher_signed_on": "2999-01-01",
            "chair_name": "Mr Patel",
            "chair_signed_on": "2999-01-01",
            "confirm": "on",
        },
    )
    assert response.status_code == 200
    assert "cannot be in the future" in response.content.decode()
    assert not hasattr(Journey.objects.get(pk=journey.pk), "sign_off")


def _awarded_journey(world, *, expires_in):
    from journeys.services.award import decide_impact
    from journeys.tests.impact_fixtures import all_strands, impact_review, submitted_journey

    journey = submitted_journey(
        school=world.school_a, lead=world.teacher_a, reviewer=world.reviewer_a
    )
    decide_impact(
        review=impact_review(journey),
        actor=world.reviewer_a,
        decision="awarded",
        feedback="Outstanding.",
        judgements=all_strands(journey, level="gold"),
        award_level="gold",
    )
    journey.refresh_from_db()
    expires = journey.award.awarded_on + datetime.timedelta(days=expires_in)
    Journey.objects.filter(pk=journey.pk).update(award_expires=expires)
    journey.award.__class__.objects.filter(pk=journey.award.pk).update(expires_on=expires)
    return journey


def test_home_shows_an_awarded_school_its_award_not_register(world, client_for):
    journey = _awarded_journey(world, expires_in=400)
    page = client_for(world.teacher_a).get(reverse("home")).content.decode()
    assert "Artsmark Gold, valid until" in page
    assert reverse("journeys:detail", kwargs={"pk": journey.pk}) in page
    assert reverse("journeys:register", kwargs={"school_pk": world.school_a.pk}) not in page
    assert reverse("journeys:renew", kwargs={"pk": journey.pk}) not in page  # not open yet


def test_home_offers_the_lead_renewal_once_it_opens(world, client_for):
    journey = _awarded_journey(world, expires_in=30)
    page = client_for(world.teacher_a).get(reverse("home")).content.decode()
    assert reverse("journeys:renew", kwargs={"pk": journey.pk}) in page
    assert "Renew your Artsmark award" in page


def test_home_query_count_same_with_1_and_3_finished_journeys(world, client_for):
    from artsmark.schools.tests.factories import SchoolFactory, SchoolMembershipFactory

    client = client_for(world.teacher_a)
    JourneyFactory(school=world.school_a, stage=Stage.NOT_AWARDED)
    one = _count_queries(client, reverse("home"))
    for _ in range(2):
        school = SchoolFactory()
        SchoolMembershipFactory(user=world.teacher_a, school=school)
        JourneyFactory(school=school, stage=Stage.WITHDRAWN)
        JourneyFactory(school=school, stage=Stage.NOT_AWARDED)
    page = client.get(reverse("home")).content.decode()
    assert page.count("Your last Artsmark journey ended") == 3
    assert _count_queries(client, reverse("home")) == one
