"""Writing and submitting the Statement of Impact (services/impact.py)."""

import pytest
from django.core.exceptions import ValidationError

from journeys.enums import ReviewKind, Stage
from journeys.models import ImpactDraft, ImpactReflection, ImpactVersion, Review
from journeys.services import impact
from journeys.services.award import decide_impact
from journeys.services.commitment import SubmissionBlockedError
from journeys.tests.factories import JourneyFactory
from journeys.tests.impact_fixtures import (
    REFLECTION,
    add_evidence,
    all_strands,
    certified_journey,
    complete_impact,
    impact_review,
)


@pytest.fixture
def journey(world):
    return certified_journey(school=world.school_a, lead=world.teacher_a, reviewer=world.reviewer_a)


def test_save_reflection_first_edit_starts_the_statement_of_impact(world, journey):
    goal = journey.goals.first()

    reflection = impact.save_reflection(
        journey=journey, goal=goal, text="We did it.", based_on_version=0, actor=world.teacher_a
    )

    journey.refresh_from_db()
    assert journey.stage == Stage.IMPACT_DRAFT
    assert reflection.version == 1
    assert reflection.text == "We did it."


def test_save_reflection_conflict_refused_and_keeps_both_texts(world, journey):
    goal = journey.goals.first()
    colleague = world.teacher_a
    impact.save_reflection(
        journey=journey, goal=goal, text="First text.", based_on_version=0, actor=colleague
    )

    with pytest.raises(impact.ImpactConflictError) as caught:
        impact.save_reflection(
            journey=journey, goal=goal, text="Second text.", based_on_version=0, actor=colleague
        )

    assert caught.value.current == "First text."
    assert caught.value.refused == "Second text."
    assert caught.value.version == 1
    stored = ImpactReflection.objects.get(journey=journey, goal=goal)
    assert (stored.text, stored.version) == ("First text.", 1)


def test_save_reflection_stale_save_of_the_same_text_is_not_a_conflict(world, journey):
    goal = journey.goals.first()
    impact.save_reflection(
        journey=journey, goal=goal, text="Same.", based_on_version=0, actor=world.teacher_a
    )

    again = impact.save_reflection(
        journey=journey, goal=goal, text="Same.", based_on_version=0, actor=world.teacher_a
    )

    assert again.version == 2


def test_save_reflection_goal_of_another_journey_refused(world, journey):
    other = JourneyFactory(school=world.school_b)
    from journeys.tests.factories import GoalFactory

    goal = GoalFactory(journey=other)
    with pytest.raises(ValidationError):
        impact.save_reflection(
            journey=journey, goal=goal, text="x", based_on_version=0, actor=world.teacher_a
        )
    assert ImpactReflection.objects.count() == 0


def test_save_reflection_by_a_reviewer_refused(world, journey):
    with pytest.raises(ValidationError):
        impact.save_reflection(
            journey=journey,
            goal=journey.goals.first(),
            text="x",
            based_on_version=0,
            actor=world.reviewer_a,
        )
    journey.refresh_from_db()
    assert journey.stage == Stage.CERTIFIED
    assert ImpactReflection.objects.count() == 0


def test_save_reflection_before_certification_refused(world):
    journey = JourneyFactory(school=world.school_a)
    from journeys.tests.factories import GoalFactory

    goal = GoalFactory(journey=journey)
    with pytest.raises(ValidationError, match="Artsmark Certified first"):
        impact.save_reflection(
            journey=journey, goal=goal, text="x", based_on_version=0, actor=world.teacher_a
        )


def test_save_final_assessment_conflict_keeps_both(world, journey):
    impact.save_final_assessment(
        journey=journey,
        actor=world.teacher_a,
        ratings={"involving": ("embedded", "Pupils lead.")},
        based_on_version=0,
    )

    with pytest.raises(impact.ImpactConflictError) as caught:
        impact.save_final_assessment(
            journey=journey,
            actor=world.teacher_a,
            ratings={"involving": ("secure", "Mine.")},
            based_on_version=0,
        )

    assert caught.value.current["involving"] == {"level": "embedded", "evidence": "Pupils lead."}
    assert caught.value.refused["involving"] == {"level": "secure", "evidence": "Mine."}
    draft = ImpactDraft.objects.get(journey=journey)
    assert draft.final_ratings == {"involving": {"level": "embedded", "evidence": "Pupils lead."}}


def test_save_final_assessment_unknown_level_refused(world, journey):
    with pytest.raises(ValidationError):
        impact.save_final_assessment(
            journey=journey,
            actor=world.teacher_a,
            ratings={"involving": ("brilliant", "")},
            based_on_version=0,
        )
    assert ImpactDraft.objects.count() == 0


def test_choose_evidence_only_from_the_journeys_own_locker(world, journey):
    own = add_evidence(journey=journey, lead=world.teacher_a)
    other_journey = certified_journey(
        school=world.school_b, lead=world.teacher_b, reviewer=world.reviewer_other
    )
    theirs = add_evidence(journey=other_journey, lead=world.teacher_b, title="Not yours")

    with pytest.raises(ValidationError, match="evidence locker"):
        impact.choose_evidence(
            journey=journey,
            actor=world.teacher_a,
            evidence_ids=[own.pk, theirs.pk],
            based_on_version=0,
        )
    assert not ImpactDraft.objects.filter(journey=journey, evidence=theirs).exists()

    draft = impact.choose_evidence(
        journey=journey, actor=world.teacher_a, evidence_ids=[own.pk], based_on_version=0
    )
    assert list(draft.evidence.values_list("pk", flat=True)) == [own.pk]
    assert draft.evidence_version == 1


def test_set_level_applied_for_refuses_unknown_level_and_conflicts(world, journey):
    with pytest.raises(ValidationError):
        impact.set_level_applied_for(
            journey=journey, actor=world.teacher_a, level="bronze", reason="", based_on_version=0
        )
    impact.set_level_applied_for(
        journey=journey, actor=world.teacher_a, level="gold", reason="A", based_on_version=0
    )
    with pytest.raises(impact.ImpactConflictError) as caught:
        impact.set_level_applied_for(
            journey=journey, actor=world.teacher_a, level="silver", reason="B", based_on_version=0
        )
    assert caught.value.current == {"level": "gold", "reason": "A"}
    assert caught.value.refused == {"level": "silver", "reason": "B"}
    assert ImpactDraft.objects.get(journey=journey).level_applied_for == "gold"


def test_submit_impact_blocked_lists_every_problem_and_changes_nothing(world, journey):
    impact.save_reflection(
        journey=journey,
        goal=journey.goals.first(),
        text="Only one.",
        based_on_version=0,
        actor=world.teacher_a,
    )

    with pytest.raises(SubmissionBlockedError) as caught:
        impact.submit_impact(journey=journey, actor=world.teacher_a)

    messages = [problem["message"] for problem in caught.value.problems]
    second_goal = journey.goals.order_by("order", "id")[1]
    assert f"Reflect on the goal “{second_goal.title}”" in messages
    assert sum(1 for m in messages if m.startswith("Final self-assessment")) == 7
    assert any(m.startswith("Evidence:") for m in messages)
    assert any(m.startswith("Level:") for m in messages)
    assert all(
        problem["url"].startswith(f"/journeys/{journey.pk}/impact/")
        for problem in caught.value.problems
    )
    journey.refresh_from_db()
    assert journey.stage == Stage.IMPACT_DRAFT
    assert ImpactVersion.objects.count() == 0
    assert Review.objects.filter(kind=ReviewKind.IMPACT).count() == 0


def test_submit_impact_freezes_a_version_with_labels_and_opens_a_review(world, journey):
    complete_impact(journey=journey, lead=world.teacher_a)

    version = impact.submit_impact(journey=journey, actor=world.teacher_a)

    journey.refresh_from_db()
    assert journey.stage == Stage.IMPACT_SUBMITTED
    assert version.number == 1
    content = version.content
    assert [r["text"] for r in content["reflections"]] == [REFLECTION, REFLECTION]
    assert content["level_label"] == "Gold"
    assert content["final_ratings"][0]["level_label"] == "Embedded"
    assert content["final_ratings"][0]["baseline_label"] == "Secure"
    assert content["evidence"][0]["kind_label"] == "Arts Award achievement"
    assert content["evidence"][0]["strands"] == ["Children and young people's engagement"]
    review = impact_review(journey)
    assert (review.kind, review.version_number) == (ReviewKind.IMPACT, 1)


def test_submitted_version_does_not_change_with_later_edits(world, journey):
    complete_impact(journey=journey, lead=world.teacher_a)
    first = impact.submit_impact(journey=journey, actor=world.teacher_a)
    frozen = first.content
    decide_impact(
        review=impact_review(journey),
        actor=world.reviewer_a,
        decision="returned",
        feedback="Show more evidence on CPD.",
        judgements=all_strands(journey),
    )
    journey.refresh_from_db()
    goal = journey.goals.first()
    reflection = ImpactReflection.objects.get(journey=journey, goal=goal)

    impact.save_reflection(
        journey=journey,
        goal=goal,
        text="A new, longer reflection.",
        based_on_version=reflection.version,
        actor=world.teacher_a,
    )
    second = impact.submit_impact(journey=journey, actor=world.teacher_a)

    first.refresh_from_db()
    assert first.content == frozen
    assert first.content["reflections"][0]["text"] == REFLECTION
    assert second.number == 2
    assert second.content["reflections"][0]["text"] == "A new, longer reflection."
    with pytest.raises(ValueError, match="cannot be changed"):
        first.save()


def test_edits_refused_while_submitted(world, journey):
    complete_impact(journey=journey, lead=world.teacher_a)
    impact.submit_impact(journey=journey, actor=world.teacher_a)
    goal = journey.goals.first()
    with pytest.raises(ValidationError, match="submitted"):
        impact.save_reflection(
            journey=journey, goal=goal, text="Late.", based_on_version=1, actor=world.teacher_a
        )
    assert ImpactReflection.objects.get(journey=journey, goal=goal).text == REFLECTION
