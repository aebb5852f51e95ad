"""Deciding on a Statement of Impact (services/award.py): award, working towards, return."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from artsmark.common.models import ReportRequest
from journeys.enums import ReviewDecision, ReviewKind, Stage
from journeys.models import Award, Review, StrandJudgement
from journeys.services import impact
from journeys.services.award import decide_impact
from journeys.services.reviews import open_review
from journeys.tests.impact_fixtures import all_strands, impact_review, submitted_journey


@pytest.fixture
def journey(world):
    return submitted_journey(school=world.school_a, lead=world.teacher_a, reviewer=world.reviewer_a)


def _award(journey, actor, **overrides):
    arguments = {
        "review": impact_review(journey),
        "actor": actor,
        "decision": "awarded",
        "feedback": "An inspiring year of arts for every pupil.",
        "judgements": all_strands(journey),
        "award_level": "gold",
    }
    arguments.update(overrides)
    return decide_impact(**arguments)


def _state(journey):
    journey.refresh_from_db()
    return {
        "stage": journey.stage,
        "awards": Award.objects.count(),
        "judgements": StrandJudgement.objects.count(),
        "undecided": Review.objects.filter(journey=journey, decision="").count(),
        "award_expires": journey.award_expires,
    }


def test_award_records_level_date_and_expiry_two_years_on(world, journey):
    review = _award(journey, world.reviewer_a)

    award = Award.objects.get(journey=journey)
    today = timezone.localdate()
    assert award.level == "gold"
    assert award.awarded_on == today
    leap_day = (today.month, today.day) == (2, 29)
    two_years_on = (
        datetime.date(today.year + 2, 2, 28) if leap_day else today.replace(year=today.year + 2)
    )
    assert award.expires_on == two_years_on
    assert award.review == review
    journey.refresh_from_db()
    assert journey.stage == Stage.AWARDED
    assert journey.award_expires == award.expires_on
    assert review.decision == ReviewDecision.AWARDED
    assert review.award_level == "gold"
    assert StrandJudgement.objects.filter(review=review).count() == 8


def test_award_asks_for_the_certificate_once_committed(
    world, journey, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        _award(journey, world.reviewer_a)
    assert not ReportRequest.objects.filter(kind="certificate").exists()

    # Run them here, inside the test's transaction: the certificate row is made, and its
    # own nudge to the broker waits for a commit that never comes (no worker is needed).
    for callback in callbacks:
        callback()

    report = ReportRequest.objects.get(kind="certificate")
    assert report.object_id == journey.pk
    assert report.requested_by == world.reviewer_a


def test_not_awarded_records_working_towards_without_an_award(world, journey):
    review = _award(journey, world.reviewer_a, decision="not_awarded", award_level="gold")

    journey.refresh_from_db()
    assert journey.stage == Stage.NOT_AWARDED
    assert review.award_level == ""
    assert Award.objects.count() == 0
    assert StrandJudgement.objects.filter(review=review).count() == 8


def test_decision_without_feedback_refused_and_nothing_changed(world, journey):
    before = _state(journey)
    with pytest.raises(ValidationError, match="Write feedback"):
        _award(journey, world.reviewer_a, feedback="   ")
    assert _state(journey) == before


def test_decision_with_a_strand_not_judged_refused(world, journey):
    judgements = all_strands(journey)
    judgements.pop("cpd")
    before = _state(journey)
    with pytest.raises(ValidationError, match="CPD"):
        _award(journey, world.reviewer_a, judgements=judgements)
    assert _state(journey) == before


def test_award_without_a_level_refused(world, journey):
    before = _state(journey)
    with pytest.raises(ValidationError, match="level to award"):
        _award(journey, world.reviewer_a, award_level="")
    assert _state(journey) == before


def test_stale_decision_refused_and_nothing_changed(world, journey):
    review = impact_review(journey)
    _award(journey, world.reviewer_a)
    before = _state(journey)

    with pytest.raises(ValidationError, match="already decided"):
        decide_impact(
            review=review,
            actor=world.admin,
            decision="not_awarded",
            feedback="Working towards.",
            judgements=all_strands(journey, level="silver"),
        )

    assert _state(journey) == before
    assert Award.objects.get().level == "gold"


def test_decision_on_an_older_version_refused(world, journey):
    before = _state(journey)
    with pytest.raises(ValidationError, match="newer version"):
        _award(journey, world.reviewer_a, version_number=0)
    assert _state(journey) == before


def test_second_award_refused_with_a_clear_message(world, journey):
    _award(journey, world.reviewer_a)
    # Another undecided impact review of the same journey (as if submitted again).
    extra = open_review(journey=journey, kind=ReviewKind.IMPACT, version_number=2)
    before = _state(journey)

    with pytest.raises(ValidationError, match="already has an award"):
        decide_impact(
            review=extra,
            actor=world.reviewer_a,
            decision="awarded",
            feedback="Again.",
            judgements=all_strands(journey),
            award_level="platinum",
        )

    assert _state(journey) == before
    assert Award.objects.get().level == "gold"
    extra.refresh_from_db()
    assert extra.decision == ""


def test_return_beyond_the_frameworks_limit_refused(world, journey):
    assert journey.framework.max_impact_returns == 1
    decide_impact(
        review=impact_review(journey),
        actor=world.reviewer_a,
        decision="returned",
        feedback="More evidence on partnerships, please.",
        judgements={},
    )
    journey.refresh_from_db()
    assert journey.stage == Stage.IMPACT_RETURNED
    impact.submit_impact(journey=journey, actor=world.teacher_a)
    before = _state(journey)

    with pytest.raises(ValidationError, match="already been returned 1 time"):
        decide_impact(
            review=impact_review(journey),
            actor=world.reviewer_a,
            decision="returned",
            feedback="Still more, please.",
            judgements={},
        )

    assert _state(journey) == before
    assert before["stage"] == Stage.IMPACT_SUBMITTED
    # Deciding for real is still possible.
    _award(journey, world.reviewer_a, award_level="silver")
    assert Award.objects.get().level == "silver"


def test_reviewer_of_another_area_cannot_decide(world, journey):
    before = _state(journey)
    with pytest.raises(ValidationError):
        _award(journey, world.reviewer_other)
    with pytest.raises(ValidationError):
        _award(journey, world.teacher_a)
    assert _state(journey) == before


def test_unknown_decision_refused(world, journey):
    before = _state(journey)
    with pytest.raises(ValidationError, match="Choose whether"):
        _award(journey, world.reviewer_a, decision="approved")
    assert _state(journey) == before


def test_asking_for_the_certificate_again_makes_one_request_until_it_is_ready(
    world, client_for, journey
):
    url = reverse("journeys:impact_certificate", kwargs={"pk": journey.pk})
    client = client_for(world.teacher_a)

    response = client.post(url, follow=True)  # not awarded yet
    assert "has no award" in response.content.decode()
    assert ReportRequest.objects.filter(kind="certificate").count() == 0

    _award(journey, world.reviewer_a)
    ReportRequest.objects.filter(kind="certificate").delete()  # as if the first one failed
    client.post(url)
    client.post(url)
    certificates = ReportRequest.objects.filter(kind="certificate", object_id=journey.pk)
    assert certificates.count() == 1
    assert certificates.get().status == ReportRequest.Status.QUEUED
