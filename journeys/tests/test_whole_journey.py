"""The whole journey, registration to award, driven through the services as people would.

A lead registers and writes the Statement of Commitment; the Bridge Organisation's reviewer
returns it with a comment; the lead changes it and resubmits; the reviewer sees what changed
and approves; the school delivers (activity, evidence, checkpoint) and writes its Statement of
Impact; the reviewer returns it once for more evidence, then awards Gold.
"""

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from artsmark.common.models import ReportRequest
from journeys.enums import AwardLevel, ReviewDecision, ReviewKind, Stage, StrandLevel
from journeys.models import Award, Journey, Review
from journeys.review_selectors import review_page_data
from journeys.services import (
    award,
    checkpoints,
    commitment,
    delivery,
    evidence,
    impact,
    registration,
    reviews,
)
from journeys.tests.delivery_permission_cases import png_bytes
from journeys.tests.helpers import complete_statement, pay_invoice, sign_off


def _stage(journey):
    return Journey.objects.get(pk=journey.pk).stage


def _open_review(journey, kind):
    return Review.objects.get(journey=journey, kind=kind, decision="")


def _emails_to(address):
    return [message for message in mail.outbox if address in message.to]


def _commitment_round_trip(journey, lead, reviewer, on_commit):
    """Submit, be returned with a comment, change an answer, resubmit, be approved."""
    complete_statement(journey=journey, lead=lead)
    commitment.submit_commitment(journey=journey, actor=lead)
    review = _open_review(journey, ReviewKind.COMMITMENT)
    pay_invoice(journey=journey)  # nothing is assessed until the registration fee is paid
    reviews.take_review(review=review, actor=reviewer)
    section = journey.framework.sections.order_by("order", "id").first()
    reviews.save_comment(
        review=review, actor=reviewer, part=section.slug, text="Say how pupils shaped this."
    )
    with on_commit(execute=True):  # the emails go once the decision commits
        reviews.decide_commitment(
            review=review,
            actor=reviewer,
            decision=ReviewDecision.RETURNED,
            feedback="Link your goals to your priorities.",
            version_number=1,
        )
    journey.refresh_from_db()  # as the next request would read it
    assert journey.stage == Stage.COMMITMENT_RETURNED
    assert any("Link your goals" in m.body for m in _emails_to(lead.email))

    question = section.questions.order_by("order", "id").first()
    draft = journey.section_drafts.get(section=section)
    commitment.save_section(
        journey=journey,
        section=section,
        answers={question.slug: "Our pupil arts council chose every goal in this plan."},
        based_on_version=draft.version,
        actor=lead,
    )
    sign_off(journey=journey, lead=lead)
    commitment.submit_commitment(journey=journey, actor=lead)
    second = _open_review(journey, ReviewKind.COMMITMENT)
    assert second.version_number == 2

    page = review_page_data(review=second, user=reviewer)
    assert page["compared"] is True
    changed = [s for s in page["sections"] if s.get("changed")]
    assert [s["slug"] for s in changed] == [section.slug]
    reviews.decide_commitment(
        review=second,
        actor=reviewer,
        decision=ReviewDecision.APPROVED,
        feedback="A clear plan, now led by pupils.",
        version_number=2,
    )
    journey.refresh_from_db()
    assert journey.stage == Stage.CERTIFIED


def _deliver(journey, lead):
    goals = list(journey.goals.all())
    delivery.log_activity(
        journey=journey,
        actor=lead,
        happened_on=timezone.localdate(),
        title="Summer festival",
        pupils_involved=120,
        goals=goals[:1],
    )
    item = evidence.add_evidence_file(
        journey=journey,
        actor=lead,
        upload=SimpleUploadedFile("festival.png", png_bytes(), content_type="image/png"),
        title="Festival photo",
        description="",
        goals=goals[:1],
        strands=["cyp-engagement"],
        quality_principles=["involving"],
    )
    checkpoints.take_checkpoint(
        journey=journey,
        actor=lead,
        label="Year one",
        ratings={p.slug: ("embedded", "") for p in journey.framework.quality_principles.all()},
    )
    return item


def _write_impact(journey, lead, item):
    for goal in journey.goals.all():
        impact.save_reflection(
            journey=journey,
            goal=goal,
            text="Every class performed this year.",
            based_on_version=0,
            actor=lead,
            completed=True,
        )
    principles = journey.framework.quality_principles.all()
    impact.save_final_assessment(
        journey=journey,
        actor=lead,
        ratings={p.slug: ("embedded", "Pupils lead.") for p in principles},
        based_on_version=0,
    )
    impact.choose_evidence(journey=journey, actor=lead, evidence_ids=[item.pk], based_on_version=0)
    impact.set_level_applied_for(
        journey=journey, actor=lead, level=AwardLevel.GOLD, reason="Gold fits.", based_on_version=0
    )
    impact.submit_impact(journey=journey, actor=lead)
    assert _stage(journey) == Stage.IMPACT_SUBMITTED


def test_whole_journey_from_registration_to_gold_award(world, django_capture_on_commit_callbacks):
    lead, reviewer = world.teacher_a, world.reviewer_a
    journey = registration.register_school(school=world.school_a, actor=lead)
    _commitment_round_trip(journey, lead, reviewer, django_capture_on_commit_callbacks)
    item = _deliver(journey, lead)
    _write_impact(journey, lead, item)

    strands = {s.slug: (StrandLevel.GOLD, "") for s in journey.framework.strands.all()}
    first = _open_review(journey, ReviewKind.IMPACT)
    award.decide_impact(
        review=first,
        actor=reviewer,
        decision=ReviewDecision.RETURNED,
        feedback="Add evidence of pupils' progression.",
        judgements=strands,
        version_number=1,
    )
    journey.refresh_from_db()
    assert journey.stage == Stage.IMPACT_RETURNED
    impact.submit_impact(journey=journey, actor=lead)

    with django_capture_on_commit_callbacks(execute=True):
        award.decide_impact(
            review=_open_review(journey, ReviewKind.IMPACT),
            actor=reviewer,
            decision=ReviewDecision.AWARDED,
            award_level=AwardLevel.GOLD,
            feedback="Congratulations on Gold.",
            judgements=strands,
            version_number=2,
        )

    journey.refresh_from_db()
    assert journey.stage == Stage.AWARDED
    gold = Award.objects.get(journey=journey)
    assert gold.level == AwardLevel.GOLD
    assert gold.expires_on == gold.awarded_on.replace(year=gold.awarded_on.year + 2)
    assert journey.award_expires == gold.expires_on
    # The certificate is asked for once the award commits; a worker makes it.
    assert ReportRequest.objects.filter(kind="certificate", object_id=journey.pk).count() == 1
    decisions = list(journey.reviews.order_by("id").values_list("kind", "decision"))
    assert decisions == [
        (ReviewKind.COMMITMENT, ReviewDecision.RETURNED),
        (ReviewKind.COMMITMENT, ReviewDecision.APPROVED),
        (ReviewKind.IMPACT, ReviewDecision.RETURNED),
        (ReviewKind.IMPACT, ReviewDecision.AWARDED),
    ]
    assert any("Congratulations on Gold" in m.body for m in _emails_to(lead.email))


def test_withdrawn_journey_lets_the_school_register_again(world):
    journey = registration.register_school(school=world.school_a, actor=world.teacher_a)
    complete_statement(journey=journey, lead=world.teacher_a)
    commitment.submit_commitment(journey=journey, actor=world.teacher_a)

    reviews.withdraw_journey(journey=journey, actor=world.reviewer_a, reason="The school closed.")

    assert _stage(journey) == Stage.WITHDRAWN
    assert journey.reviews.get().decision == ReviewDecision.WITHDRAWN
    again = registration.register_school(school=world.school_a, actor=world.teacher_a)
    assert again.pk != journey.pk
    assert again.stage == Stage.REGISTERED
