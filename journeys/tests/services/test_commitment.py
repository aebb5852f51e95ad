import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from journeys.enums import Stage
from journeys.models import Answer, CommitmentVersion, DraftConflict, Journey
from journeys.selectors import commitment_problems, commitment_snapshot
from journeys.services import commitment
from journeys.services.commitment import DraftConflictError, section_answers
from journeys.tests.factories import GoalFactory, JourneyFactory
from journeys.tests.helpers import complete_statement, sign_off


def _first_section(journey):
    return journey.framework.sections.prefetch_related("questions").first()


def test_save_section_moves_a_registered_journey_into_drafting(world):
    journey = JourneyFactory(school=world.school_a, stage=Stage.REGISTERED)
    section = _first_section(journey)
    draft = commitment.save_section(
        journey=journey,
        section=section,
        answers={"school-context": "A big school."},
        based_on_version=0,
        actor=world.teacher_a,
    )
    assert draft.version == 1
    assert Journey.objects.get(pk=journey.pk).stage == Stage.COMMITMENT_DRAFT
    assert section_answers(journey=journey, section=section)["school-context"] == "A big school."


def test_save_section_from_a_stale_version_is_refused_and_kept(world):
    journey = JourneyFactory(school=world.school_a)
    section = _first_section(journey)
    colleague = world.teacher_a
    commitment.save_section(
        journey=journey,
        section=section,
        answers={"school-context": "First text."},
        based_on_version=0,
        actor=colleague,
    )
    with pytest.raises(DraftConflictError) as error:
        commitment.save_section(
            journey=journey,
            section=section,
            answers={"school-context": "Second text, from an old page."},
            based_on_version=0,
            actor=colleague,
        )
    assert error.value.current_answers["school-context"] == "First text."
    assert Answer.objects.get(journey=journey).text == "First text."
    kept = DraftConflict.objects.get()
    assert kept.answers == {"school-context": "Second text, from an old page."}
    assert (kept.based_on_version, kept.stored_version) == (0, 1)


def test_save_section_by_reviewer_is_refused(world):
    journey = JourneyFactory(school=world.school_a)
    with pytest.raises(ValidationError, match="Only members"):
        commitment.save_section(
            journey=journey,
            section=_first_section(journey),
            answers={"school-context": "x"},
            based_on_version=0,
            actor=world.reviewer_a,
        )
    assert Answer.objects.count() == 0


def test_save_section_after_submission_is_refused(world):
    journey = JourneyFactory(school=world.school_a, stage=Stage.COMMITMENT_SUBMITTED)
    with pytest.raises(ValidationError, match="submitted"):
        commitment.save_section(
            journey=journey,
            section=_first_section(journey),
            answers={"school-context": "x"},
            based_on_version=0,
            actor=world.teacher_a,
        )
    assert Answer.objects.count() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_save_section_two_connections_same_base_exactly_one_wins(world):
    """Two colleagues save the same section from the same version at the same moment."""
    journey = JourneyFactory(school=world.school_a)
    colleague = world.teacher_a
    section = _first_section(journey)
    commitment.save_section(
        journey=journey,
        section=section,
        answers={"school-context": "Base text."},
        based_on_version=0,
        actor=colleague,
    )
    barrier = threading.Barrier(2)
    outcomes = {}

    def save(name):
        try:
            barrier.wait(timeout=10)
            commitment.save_section(
                journey=Journey.objects.get(pk=journey.pk),
                section=section,
                answers={"school-context": f"Text typed by {name}."},
                based_on_version=1,
                actor=colleague,
            )
            outcomes[name] = "saved"
        except DraftConflictError as error:
            outcomes[name] = ("conflict", error.current_answers["school-context"])
        finally:
            connection.close()  # each thread has its own database connection

    threads = [threading.Thread(target=save, args=(name,)) for name in ("Ada", "Ben")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    winners = [name for name, outcome in outcomes.items() if outcome == "saved"]
    losers = [name for name, outcome in outcomes.items() if outcome != "saved"]
    assert len(winners) == 1
    assert len(losers) == 1
    winner, loser = winners[0], losers[0]
    # The loser was shown the winner's text, and the loser's own text was kept.
    assert outcomes[loser] == ("conflict", f"Text typed by {winner}.")
    assert Answer.objects.get(journey=journey).text == f"Text typed by {winner}."
    assert DraftConflict.objects.get(journey=journey).answers == {
        "school-context": f"Text typed by {loser}."
    }
    assert journey.section_drafts.get().version == 2


def test_submit_commitment_freezes_a_version(world, mailoutbox, django_capture_on_commit_callbacks):
    journey = JourneyFactory(school=world.school_a)
    complete_statement(journey=journey, lead=world.teacher_a)
    with django_capture_on_commit_callbacks(execute=True):
        version = commitment.submit_commitment(journey=journey, actor=world.teacher_a)
    journey.refresh_from_db()
    assert journey.stage == Stage.COMMITMENT_SUBMITTED
    assert version.number == 1
    assert version.content["answers"]["school-context"].startswith("Our school")
    assert len(version.content["goals"]) == 2
    assert version.content["sign_off"]["headteacher_name"] == "Dr Jane Evans"
    # The reviewers of the school's Bridge Organisation are told; nobody else.
    assert [m.to for m in mailoutbox] == [[world.reviewer_a.email]]


def test_submitted_version_unchanged_by_later_edits(world):
    journey = JourneyFactory(school=world.school_a)
    complete_statement(journey=journey, lead=world.teacher_a)
    commitment.submit_commitment(journey=journey, actor=world.teacher_a)
    frozen = CommitmentVersion.objects.get(journey=journey).content
    # The reviewer returns it; the school edits the draft again.
    journey.refresh_from_db()
    from journeys.services.stages import change_stage

    change_stage(
        journey=journey, to=Stage.COMMITMENT_RETURNED, actor=world.reviewer_a, note="More."
    )
    section = _first_section(journey)
    draft = journey.section_drafts.get(section=section)
    commitment.save_section(
        journey=journey,
        section=section,
        answers={"school-context": "Rewritten after feedback."},
        based_on_version=draft.version,
        actor=world.teacher_a,
    )
    goal = journey.goals.first()
    commitment.update_goal(goal=goal, actor=world.teacher_a, title="A new title")
    commitment.remove_goal(goal=journey.goals.last(), actor=world.teacher_a)
    version = CommitmentVersion.objects.get(journey=journey)
    assert version.content == frozen
    assert version.content["answers"]["school-context"].startswith("Our school")
    assert [g["title"] for g in version.content["goals"]] == [
        "Every pupil performs to an audience",
        "Artists in every classroom",
    ]
    with pytest.raises(ValueError, match="cannot be changed"):
        version.save()


def test_submit_commitment_resubmission_makes_version_two(world):
    journey = JourneyFactory(school=world.school_a)
    complete_statement(journey=journey, lead=world.teacher_a)
    commitment.submit_commitment(journey=journey, actor=world.teacher_a)
    from journeys.services.reviews import decide_commitment

    decide_commitment(
        review=journey.reviews.get(),
        actor=world.reviewer_a,
        decision="returned",
        feedback="More.",
    )
    # The sign-off is given again for the next version.
    with pytest.raises(ValidationError):
        commitment.submit_commitment(journey=journey, actor=world.teacher_a)
    sign_off(journey=journey, lead=world.teacher_a)
    version = commitment.submit_commitment(journey=journey, actor=world.teacher_a)
    assert version.number == 2
    assert Journey.objects.get(pk=journey.pk).stage == Stage.COMMITMENT_SUBMITTED


def test_submit_commitment_with_problems_changes_nothing(world):
    journey = JourneyFactory(school=world.school_a)
    with pytest.raises(commitment.SubmissionBlockedError) as error:
        commitment.submit_commitment(journey=journey, actor=world.teacher_a)
    messages = error.value.messages
    assert any("answer “Describe your school" in m for m in messages)
    assert any("Add at least 2 goals (you have 0)" in m for m in messages)
    assert any("rate “Being authentic”" in m for m in messages)
    assert any("Sign-off" in m for m in messages)
    assert Journey.objects.get(pk=journey.pk).stage == Stage.COMMITMENT_DRAFT
    assert CommitmentVersion.objects.count() == 0


def test_commitment_problems_word_limit_exceeded(world):
    journey = JourneyFactory(school=world.school_a)
    complete_statement(journey=journey, lead=world.teacher_a)
    section = _first_section(journey)
    draft = journey.section_drafts.get(section=section)
    commitment.save_section(
        journey=journey,
        section=section,
        answers={"school-context": "word " * 251},
        based_on_version=draft.version,
        actor=world.teacher_a,
    )
    problems = commitment_problems(journey=journey, snapshot=commitment_snapshot(journey=journey))
    assert [p["message"] for p in problems] == [
        (
            "School context and priorities: “Describe your school and its community” has 251 "
            "words; the limit is 250"
        )
    ]


def test_move_goal_swaps_neighbours(world):
    journey = JourneyFactory(school=world.school_a)
    first, second, third = (GoalFactory(journey=journey, order=i) for i in range(3))
    commitment.move_goal(goal=third, direction="up", actor=world.teacher_a)
    assert list(journey.goals.order_by("order").values_list("pk", flat=True)) == [
        first.pk,
        third.pk,
        second.pk,
    ]
    commitment.move_goal(goal=first, direction="up", actor=world.teacher_a)  # already first
    assert journey.goals.order_by("order").first() == first


def test_add_goal_with_unknown_quality_principle_is_refused(world):
    journey = JourneyFactory(school=world.school_a)
    with pytest.raises(ValidationError):
        commitment.add_goal(
            journey=journey, actor=world.teacher_a, title="X", quality_principles=["nope"]
        )
    assert journey.goals.count() == 0


def test_save_self_assessment_rejects_unknown_level(world):
    journey = JourneyFactory(school=world.school_a)
    with pytest.raises(ValidationError, match="scale"):
        commitment.save_self_assessment(
            journey=journey,
            actor=world.teacher_a,
            ratings={"excellence": ("superb", "")},
            strands={},
        )
    assert journey.principle_ratings.count() == 0


def test_record_sign_off_by_a_member_who_is_not_lead_is_refused(world):
    from artsmark.schools.tests.factories import SchoolMembershipFactory

    member = SchoolMembershipFactory(school=world.school_a).user
    journey = JourneyFactory(school=world.school_a)
    with pytest.raises(ValidationError, match="lead"):
        sign_off(journey=journey, lead=member)


def test_save_section_stale_but_identical_text_is_not_a_conflict(world):
    """The user's own autosave landed first: the deliberate save overwrites nothing."""
    journey = JourneyFactory(school=world.school_a)
    section = _first_section(journey)
    answers = {"school-context": "Same words."}
    commitment.save_section(
        journey=journey, section=section, answers=answers, based_on_version=0, actor=world.teacher_a
    )
    draft = commitment.save_section(
        journey=journey,
        section=section,
        answers=answers,
        based_on_version=0,
        actor=world.teacher_a,
        completed=True,
    )
    assert (draft.version, draft.is_completed) == (2, True)
    assert DraftConflict.objects.count() == 0
