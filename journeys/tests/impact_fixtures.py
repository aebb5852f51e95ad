"""Journeys at the impact stages, built through the services as a school and reviewer would."""

from journeys.enums import ArtsAwardLevel, EvidenceKind, ReviewDecision, ReviewKind
from journeys.models import EvidenceItem, ImpactDraft
from journeys.services import impact
from journeys.services.commitment import submit_commitment
from journeys.services.reviews import decide_commitment
from journeys.tests.factories import JourneyFactory
from journeys.tests.helpers import complete_statement

REFLECTION = "Every class performed this year; 82% of pupils performed to an audience."


def certified_journey(*, school, lead, reviewer, goals=2):
    """A journey whose Statement of Commitment was submitted and approved."""
    journey = JourneyFactory(school=school)
    complete_statement(journey=journey, lead=lead, goals=goals)
    submit_commitment(journey=journey, actor=lead)
    decide_commitment(
        review=journey.reviews.get(),
        actor=reviewer,
        decision=ReviewDecision.APPROVED,
        feedback="A clear, ambitious plan.",
    )
    journey.refresh_from_db()
    return journey


def add_evidence(*, journey, lead, title="Arts Award Bronze: Year 6"):
    item = EvidenceItem.objects.create(
        journey=journey,
        kind=EvidenceKind.ARTS_AWARD,
        title=title,
        arts_award_level=ArtsAwardLevel.BRONZE,
        arts_award_pupils=24,
        strands=["cyp-engagement"],
        quality_principles=["involving"],
        uploaded_by=lead,
    )
    item.goals.set(journey.goals.all()[:1])
    return item


def complete_impact(*, journey, lead, level="gold"):
    """Reflect on every goal, rate every principle, choose evidence and a level."""
    for goal in journey.goals.all():
        impact.save_reflection(
            journey=journey,
            goal=goal,
            text=REFLECTION,
            based_on_version=0,
            actor=lead,
            completed=True,
        )
    framework = journey.framework
    draft = ImpactDraft.objects.filter(journey=journey).first() or ImpactDraft()
    draft_versions = {
        "assessment": draft.assessment_version,
        "evidence": draft.evidence_version,
        "level": draft.level_version,
    }
    impact.save_final_assessment(
        journey=journey,
        actor=lead,
        ratings={p.slug: ("embedded", "Pupils lead.") for p in framework.quality_principles.all()},
        based_on_version=draft_versions["assessment"],
    )
    item = add_evidence(journey=journey, lead=lead)
    impact.choose_evidence(
        journey=journey,
        actor=lead,
        evidence_ids=[item.pk],
        based_on_version=draft_versions["evidence"],
    )
    impact.set_level_applied_for(
        journey=journey,
        actor=lead,
        level=level,
        reason="We meet Gold on most strands.",
        based_on_version=draft_versions["level"],
    )
    return journey


def submitted_journey(*, school, lead, reviewer, goals=2):
    """A certified journey whose Statement of Impact has been submitted (review open)."""
    journey = certified_journey(school=school, lead=lead, reviewer=reviewer, goals=goals)
    complete_impact(journey=journey, lead=lead)
    impact.submit_impact(journey=journey, actor=lead)
    journey.refresh_from_db()
    return journey


def impact_review(journey):
    return journey.reviews.get(kind=ReviewKind.IMPACT, decision="")


def all_strands(journey, level="gold", note="Strong."):
    return {s.slug: (level, note) for s in journey.framework.strands.all()}
