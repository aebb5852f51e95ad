"""What a teacher reads on the Statement of Commitment pages: dates, labels, statuses, and
what a submitted statement says (issue 14, "Teachers")."""

import datetime

import pytest
from django.urls import reverse

from journeys.enums import SectionStatus
from journeys.models import CommitmentVersion, FrameworkQuestion, SignOff
from journeys.selectors import commitment_problems, commitment_snapshot, task_list
from journeys.services import commitment
from journeys.tests.factories import JourneyFactory
from journeys.tests.helpers import complete_statement

SIGNED_ON = datetime.date(2025, 11, 30)


def _url(name, journey, **kwargs):
    return reverse(f"journeys:{name}", kwargs={"pk": journey.pk, **kwargs})


def _submitted(world):
    journey = complete_statement(
        journey=JourneyFactory(school=world.school_a), lead=world.teacher_a
    )
    commitment.submit_commitment(journey=journey, actor=world.teacher_a)
    return journey


def test_sign_off_form_round_trips_its_dates(world, client_for):
    journey = JourneyFactory(school=world.school_a)
    client = client_for(world.teacher_a)
    url = _url("sign_off", journey)
    commitment.record_sign_off(
        journey=journey,
        actor=world.teacher_a,
        headteacher_name="Dr Jane Evans",
        headteacher_signed_on=SIGNED_ON,
        chair_name="Mr Raj Patel",
        chair_signed_on=SIGNED_ON,
    )
    page = client.get(url).content.decode()
    assert page.count('value="2025-11-30"') == 2
    assert "30/11/2025" not in page
    response = client.post(
        url,
        {
            "headteacher_name": "Dr Jane Evans",
            "headteacher_signed_on": "2025-11-30",
            "chair_name": "Mr Raj Patel",
            "chair_signed_on": "2025-11-30",
            "confirm": "on",
        },
    )
    assert response.status_code == 302
    sign_off = SignOff.objects.get(journey=journey)
    assert (sign_off.headteacher_signed_on, sign_off.chair_signed_on) == (SIGNED_ON, SIGNED_ON)


def test_check_page_dates_read_day_month_name_year(world, client_for):
    journey = JourneyFactory(school=world.school_a)
    commitment.record_sign_off(
        journey=journey,
        actor=world.teacher_a,
        headteacher_name="Dr Jane Evans",
        headteacher_signed_on=SIGNED_ON,
        chair_name="Mr Raj Patel",
        chair_signed_on=SIGNED_ON,
    )
    page = client_for(world.teacher_a).get(_url("check", journey)).content.decode()
    assert page.count("30 November 2025") == 2
    assert "2025-11-30" not in page


def test_delivery_activity_date_input_renders_iso(world):
    from journeys.delivery_forms import DateInput

    html = DateInput().render("happened_on", SIGNED_ON)
    assert 'value="2025-11-30"' in html


@pytest.mark.parametrize("page", ["check", "version"])
def test_commitment_pages_show_labels_not_codes(world, client_for, page):
    journey = complete_statement(
        journey=JourneyFactory(school=world.school_a), lead=world.teacher_a
    )
    goal = journey.goals.first()
    commitment.update_goal(
        goal=goal,
        actor=world.teacher_a,
        quality_principles=["involving", "belonging"],
        art_forms=["visual-arts"],
    )
    if page == "version":
        commitment.submit_commitment(journey=journey, actor=world.teacher_a)
        url = _url("version", journey, number=1)
    else:
        url = _url("check", journey)
    content = client_for(world.teacher_a).get(url).content.decode()
    assert (
        "Actively involving children and young people, Developing belonging and ownership"
        in content
    )
    assert "Children and young people&#x27;s engagement" in content
    assert "Visual arts" in content
    assert "involving, belonging" not in content
    assert "cyp-engagement" not in content
    assert "visual-arts" not in content


def _messages(problems):
    return sorted(problem["message"] for problem in problems)


def test_completeness_verdict_same_from_task_list_check_and_submit(world, client_for):
    journey = complete_statement(
        journey=JourneyFactory(school=world.school_a), lead=world.teacher_a, goals=1
    )
    question = FrameworkQuestion.objects.filter(
        section__framework=journey.framework, word_limit__isnull=False
    ).first()
    too_long = " ".join(["word"] * (question.word_limit + 20))
    commitment.save_section(
        journey=journey,
        section=question.section,
        answers={question.slug: too_long},
        based_on_version=journey.section_drafts.get(section=question.section).version,
        actor=world.teacher_a,
        completed=True,
    )
    commitment.add_goal(journey=journey, actor=world.teacher_a, title="Only a title")

    tasks = task_list(journey=journey)
    row = next(r for r in tasks["sections"] if r["section"]["pk"] == question.section_id)
    assert row["status"] == SectionStatus.IN_PROGRESS
    assert tasks["goals_status"] == SectionStatus.IN_PROGRESS
    assert tasks["complete_goal_count"] == 1

    checked = commitment_problems(journey=journey, snapshot=commitment_snapshot(journey=journey))
    expected = [
        (
            f"{question.section.title}: “{question.title}” has {question.word_limit + 20} "
            f"words; the limit is {question.word_limit}"
        ),
        "Complete at least 2 goals (you have 1 complete of 2)",
        "Goal “Only a title”: choose the Quality Principles it serves",
        "Goal “Only a title”: say how you will measure success",
        "Goal “Only a title”: say what actions you will take",
    ]
    assert _messages(checked) == sorted(expected)
    page = client_for(world.teacher_a).get(_url("check", journey)).content.decode()
    for message in expected:
        assert message.replace("“", "&ldquo;") in page or message in page

    with pytest.raises(commitment.SubmissionBlockedError) as blocked:
        commitment.submit_commitment(journey=journey, actor=world.teacher_a)
    assert _messages(blocked.value.problems) == sorted(expected)
    assert CommitmentVersion.objects.filter(journey=journey).count() == 0


def test_task_list_section_completed_only_when_marked_and_within_rules(world):
    journey = complete_statement(
        journey=JourneyFactory(school=world.school_a), lead=world.teacher_a
    )
    tasks = task_list(journey=journey)
    assert [r["status"] for r in tasks["sections"]] == [SectionStatus.COMPLETED] * len(
        tasks["sections"]
    )
    assert tasks["goals_status"] == SectionStatus.COMPLETED
    assert commitment_problems(journey=journey, snapshot=commitment_snapshot(journey=journey)) == []


def test_submitted_task_list_says_what_was_submitted_and_what_next(world, client_for):
    journey = _submitted(world)
    review = journey.reviews.get(decision="")
    page = client_for(world.teacher_a).get(_url("commitment", journey)).content.decode()
    assert "Version 1" in page
    assert f"by {world.teacher_a.full_name or world.teacher_a.email}" in page
    assert review.due_on.strftime("%-d %B %Y") in page
    assert "Not started" not in page
    assert "Check your answers and submit" not in page


def test_submitted_check_page_lists_nothing_to_do(world, client_for):
    journey = _submitted(world)
    review = journey.reviews.get(decision="")
    page = client_for(world.teacher_a).get(_url("check", journey)).content.decode()
    assert "What still needs doing" not in page
    assert "Sign-off: record" not in page
    assert "Version 1" in page
    assert review.due_on.strftime("%-d %B %Y") in page
    assert "Dr Jane Evans" in page  # the submitted sign-off, not the cleared draft one
    assert "Submit Statement of Commitment" not in page


def test_submitted_message_shown_once_after_redirect(world, client_for):
    journey = _submitted(world)
    section = journey.framework.sections.first()
    response = client_for(world.teacher_a).get(
        _url("section", journey, section_pk=section.pk), follow=True
    )
    assert response.redirect_chain[-1][0] == _url("commitment", journey)
    assert response.content.decode().count("cannot be changed") == 1


# --- Autosave of the self-assessment and goals --------------------------------------------


def _self_assessment_version(client, journey):
    response = client.get(_url("self_assessment", journey))
    return response.context["form"]["version"].value()


def test_self_assessment_autosave_saves_and_returns_new_version(world, client_for):
    journey = JourneyFactory(school=world.school_a)
    client = client_for(world.teacher_a)
    version = _self_assessment_version(client, journey)
    response = client.post(
        _url("self_assessment", journey),
        {"version": version, "rating_excellence": "embedded", "evidence_excellence": "Choir."},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Saved at" in content
    new_version = _self_assessment_version(client, journey)
    assert f'value="{new_version}"' in content
    assert new_version != version
    rating = journey.principle_ratings.get(principle="excellence")
    assert (rating.level, rating.evidence) == ("embedded", "Choir.")


def test_self_assessment_stale_save_refused_and_both_kept(world, client_for):
    journey = JourneyFactory(school=world.school_a)
    mine, colleague = client_for(world.teacher_a), client_for(world.teacher_a)
    version = _self_assessment_version(mine, journey)
    colleague.post(
        _url("self_assessment", journey),
        {"version": version, "rating_excellence": "secure", "evidence_excellence": "Theirs."},
        HTTP_HX_REQUEST="true",
    )
    response = mine.post(
        _url("self_assessment", journey),
        {"version": version, "rating_excellence": "embedded", "evidence_excellence": "Mine."},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert "Your changes have not been saved" in content
    assert "Theirs." in content
    assert "data-autosave-paused" in content
    rating = journey.principle_ratings.get(principle="excellence")
    assert (rating.level, rating.evidence) == ("secure", "Theirs.")
    # Without JavaScript: the page keeps my text, shows theirs, and nothing is saved.
    page = mine.post(
        _url("self_assessment", journey),
        {"version": version, "rating_excellence": "embedded", "evidence_excellence": "Mine."},
    )
    assert page.status_code == 409
    body = page.content.decode()
    assert "Mine." in body and "Theirs." in body
    assert journey.principle_ratings.get(principle="excellence").evidence == "Theirs."
    # Saving again deliberately, now based on the newer version, goes through.
    again = mine.post(
        _url("self_assessment", journey),
        {
            "version": page.context["form"]["version"].value(),
            "rating_excellence": "embedded",
            "evidence_excellence": "Mine.",
        },
    )
    assert again.status_code == 302
    assert journey.principle_ratings.get(principle="excellence").evidence == "Mine."


def test_goal_autosave_on_add_page_creates_once_then_updates(world, client_for):
    journey = JourneyFactory(school=world.school_a)
    client = client_for(world.teacher_a)
    url = _url("goal_add", journey)
    first = client.post(url, {"title": "Sing daily"}, HTTP_HX_REQUEST="true")
    goal = journey.goals.get()
    assert f'name="goal" value="{goal.pk}"' in first.content.decode()
    version = first.content.decode().split('name="version" value="')[1].split('"')[0]
    client.post(
        url,
        {"title": "Sing every day", "goal": goal.pk, "version": version},
        HTTP_HX_REQUEST="true",
    )
    assert list(journey.goals.values_list("title", flat=True)) == ["Sing every day"]


def test_goal_autosave_without_title_saves_nothing(world, client_for):
    journey = JourneyFactory(school=world.school_a)
    response = client_for(world.teacher_a).post(
        _url("goal_add", journey), {"actions": "Lots."}, HTTP_HX_REQUEST="true"
    )
    assert "Not saved yet" in response.content.decode()
    assert journey.goals.count() == 0


def test_goal_stale_save_refused_and_both_kept(world, client_for):
    journey = JourneyFactory(school=world.school_a)
    goal = commitment.add_goal(journey=journey, actor=world.teacher_a, title="Sing daily")
    mine, colleague = client_for(world.teacher_a), client_for(world.teacher_a)
    url = _url("goal_edit", journey, goal_pk=goal.pk)
    version = mine.get(url).context["form"]["version"].value()
    colleague.post(url, {"title": "Their title", "version": version}, HTTP_HX_REQUEST="true")
    response = mine.post(url, {"title": "My title", "version": version}, HTTP_HX_REQUEST="true")
    assert "Their title" in response.content.decode()
    assert "data-autosave-paused" in response.content.decode()
    page = mine.post(url, {"title": "My title", "version": version})
    assert page.status_code == 409
    assert "My title" in page.content.decode() and "Their title" in page.content.decode()
    goal.refresh_from_db()
    assert goal.title == "Their title"


def test_goal_of_another_journey_cannot_be_autosaved_through_add(world, client_for):
    journey = JourneyFactory(school=world.school_a)
    other = commitment.add_goal(
        journey=JourneyFactory(school=world.school_b), actor=world.teacher_b, title="Theirs"
    )
    response = client_for(world.teacher_a).post(
        _url("goal_add", journey), {"title": "Mine", "goal": other.pk}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.title == "Theirs"
    assert journey.goals.count() == 0
