"""Journeys with plans worth reporting on, built through the journeys services."""

import datetime

from journeys.enums import ReviewDecision
from journeys.models import Answer, Journey, SectionDraft
from journeys.services import checkpoints, commitment, delivery, registration, reviews
from journeys.tests.helpers import pay_invoice, sign_off
from learning.tests.factories import attended_session

GOALS = [
    (
        "Every pupil performs to an audience each year",
        ["involving", "belonging"],
        ["cyp-engagement", "range-of-offer"],
        ["theatre", "music"],
    ),
    (
        "Bring artists into the classroom termly",
        ["authentic", "excellence"],
        ["partnerships"],
        ["visual-arts"],
    ),
    (
        "Build staff confidence in teaching dance",
        ["progression"],
        ["cpd", "curriculum"],
        ["dance"],
    ),
    (
        "Celebrate the cultures of our community",
        ["inclusive", "inspiring"],
        ["equality-diversity", "values-ethos"],
        ["combined-arts"],
    ),
]


def planned_journey(*, school, lead, goals=GOALS, submit=False, reviewer=None):
    """A journey with a self-assessment, goals and a partnership; optionally submitted and
    certified by `reviewer` (so that it has a baseline and reviewer feedback)."""
    journey = registration.register_school(school=school, actor=lead)
    levels = ["developing", "secure", "embedded"]
    scale = list(journey.framework.scale_levels.values_list("slug", flat=True))
    levels = scale or levels
    ratings = {
        p.slug: (levels[i % len(levels)], f"Evidence for {p.title.lower()}.")
        for i, p in enumerate(journey.framework.quality_principles.all())
    }
    strands = {
        s.slug: (["silver", "gold", "working_towards"][i % 3], "")
        for i, s in enumerate(journey.framework.strands.all())
    }
    commitment.save_self_assessment(journey=journey, actor=lead, ratings=ratings, strands=strands)
    made = []
    for index, (title, principles, strand_slugs, art_forms) in enumerate(goals):
        made.append(
            commitment.add_goal(
                journey=journey,
                actor=lead,
                title=title,
                description="Why this matters to our pupils and how it builds on what we do.",
                quality_principles=principles,
                strands=strand_slugs,
                art_forms=art_forms,
                actions="Plan with staff in the autumn term.\nRun sessions in spring.",
                success_measure=f"{60 + index * 5}% of pupils take part by July.",
                baseline=f"{20 + index * 5}% in the last school year",
                timescale="By July next year",
                lead_name="Ms Amina Okafor",
            )
        )
    if made:
        delivery.record_partnership(
            journey=journey,
            partner_name="Theatre Royal Stratford East",
            description="Workshops for years 5 and 6.",
            goal=made[0],
            actor=lead,
            started_on=datetime.date(2025, 1, 1),
        )
    if submit and reviewer is not None:
        _submit_and_certify(journey, lead, reviewer)
    return Journey.objects.get(pk=journey.pk)


def _submit_and_certify(journey, lead, reviewer):
    journey = Journey.objects.select_related("framework").get(pk=journey.pk)
    # Answers written straight to the draft: save_section's locking is not under test here.
    for section in journey.framework.sections.prefetch_related("questions"):
        SectionDraft.objects.create(journey=journey, section=section, is_completed=True)
        for question in section.questions.all():
            Answer.objects.create(
                journey=journey, question=question, text="We will " + "build on our work " * 5
            )
    sign_off(journey=journey, lead=lead)
    for kind in journey.framework.required_session_kinds:
        attended_session(school=journey.school, user=lead, kind=kind)
    commitment.submit_commitment(journey=journey, actor=lead)
    pay_invoice(journey=journey)  # nothing is assessed until the registration fee is paid
    reviews.decide_commitment(
        review=journey.reviews.get(decision=""),
        actor=reviewer,
        decision=ReviewDecision.APPROVED,
        feedback="A clear, ambitious plan. Well done on the partnership with the theatre.",
    )
    # A later checkpoint: the school now rates itself one step higher on two principles.
    journey.refresh_from_db()
    scale = list(journey.framework.scale_levels.values_list("slug", flat=True))
    baseline = {r.principle: r.level for r in journey.principle_ratings.all()}
    ratings = {
        slug: (scale[-1] if index < 2 else level, "")
        for index, (slug, level) in enumerate(
            (p, baseline[p])
            for p in journey.framework.quality_principles.values_list("slug", flat=True)
        )
    }
    checkpoints.take_checkpoint(journey=journey, actor=lead, label="Spring term", ratings=ratings)
