"""Every pair of stages x every kind of actor: the table decides, nothing else changes."""

import pytest
from django.core.exceptions import ValidationError

from artsmark.common.activity import activity_for
from journeys.enums import Stage
from journeys.models import Journey
from journeys.services.stages import ADMIN, REVIEWER, TEACHER, TRANSITIONS, change_stage
from journeys.tests.factories import JourneyFactory

# Who each role of the standard cast acts as on a journey of school A.
ROLE_OF = {
    "teacher_a": TEACHER,
    "reviewer_a": REVIEWER,
    "admin": ADMIN,
    "teacher_b": None,  # a teacher of another school
    "reviewer_other": None,  # a reviewer of another region
}
PAIRS = [(frm, to) for frm in Stage for to in Stage if frm != to]


def _allowed(frm, to, role):
    allowed = TRANSITIONS.get((frm, to), set())
    return ROLE_OF[role] in allowed


@pytest.mark.parametrize("role", list(ROLE_OF))
@pytest.mark.parametrize(("frm", "to"), PAIRS, ids=[f"{f}->{t}" for f, t in PAIRS])
def test_change_stage_follows_the_table(world, frm, to, role):
    journey = JourneyFactory(school=world.school_a, stage=frm)
    actor = world.user(role)
    if _allowed(frm, to, role):
        change_stage(journey=journey, to=to, actor=actor, note="Because.")
        journey.refresh_from_db()
        assert journey.stage == to
        entries = list(activity_for(journey))
        assert [(e.from_state, e.to_state, e.actor_id, e.note) for e in entries] == [
            (frm, to, actor.pk, "Because.")
        ]
    else:
        with pytest.raises(ValidationError) as error:
            change_stage(journey=journey, to=to, actor=actor, note="Because.")
        assert error.value.messages[0].startswith(("A journey cannot", "You are not allowed"))
        assert Journey.objects.get(pk=journey.pk).stage == frm
        assert list(activity_for(journey)) == []


def test_change_stage_reviewer_may_return_or_certify_a_submitted_statement(world):
    for to in (Stage.COMMITMENT_RETURNED, Stage.CERTIFIED):
        journey = JourneyFactory(school=world.school_a, stage=Stage.COMMITMENT_SUBMITTED)
        change_stage(journey=journey, to=to, actor=world.reviewer_a, note="Feedback.")
        assert Journey.objects.get(pk=journey.pk).stage == to
        journey.delete()


def test_change_stage_return_without_a_reason_is_refused(world):
    journey = JourneyFactory(school=world.school_a, stage=Stage.COMMITMENT_SUBMITTED)
    with pytest.raises(ValidationError, match="reason"):
        change_stage(journey=journey, to=Stage.COMMITMENT_RETURNED, actor=world.reviewer_a)
    assert Journey.objects.get(pk=journey.pk).stage == Stage.COMMITMENT_SUBMITTED


def test_change_stage_certified_sets_impact_due_date(world):
    journey = JourneyFactory(school=world.school_a, stage=Stage.COMMITMENT_SUBMITTED)
    change_stage(journey=journey, to=Stage.CERTIFIED, actor=world.reviewer_a)
    journey.refresh_from_db()
    assert journey.certified_on is not None
    assert (journey.impact_due - journey.certified_on).days > 700


def test_change_stage_emails_the_school_after_commit(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    journey = JourneyFactory(school=world.school_a, stage=Stage.COMMITMENT_SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        change_stage(
            journey=journey, to=Stage.COMMITMENT_RETURNED, actor=world.reviewer_a, note="More."
        )
    assert [m.to for m in mailoutbox] == [[world.teacher_a.email]]
    assert "returned" in mailoutbox[0].subject


def test_change_stage_sends_nothing_when_refused(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    journey = JourneyFactory(school=world.school_a, stage=Stage.COMMITMENT_SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        change_stage(journey=journey, to=Stage.CERTIFIED, actor=world.teacher_a)
    assert mailoutbox == []
