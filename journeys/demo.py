"""Demo journeys at several stages (SPEC.md, "The demo world"). Idempotent.

Built through the services, so the demo's timelines look like real ones. A school that
already has a journey is left alone, so running `seed_demo` again changes nothing.
"""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from artsmark.accounts.models import User
from artsmark.schools.access import reviews_school
from artsmark.schools.models import School, SchoolMembership
from journeys import fees_demo
from journeys.enums import ArtsAwardLevel, AwardLevel, ReviewDecision, Stage, StrandLevel
from journeys.models import Journey, Review
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

ROSEWOOD_ANSWERS = {
    "school-context": (
        "Rosewood is a three-form entry community primary school in Newham with 420 pupils "
        "aged 3 to 11. Over 40 languages are spoken at home and 38% of pupils are eligible "
        "for free school meals."
    ),
    "development-priorities": (
        "Our development plan prioritises oracy and pupils' wellbeing. Drama and music give "
        "pupils confident voices; making art together builds belonging."
    ),
    "current-provision": (
        "Weekly music from a visiting specialist, a Year 5 choir, an after-school art club and "
        "one theatre trip a year for Key Stage 2."
    ),
}
SCHOOL_GOALS = [
    {
        "title": "Every pupil performs to an audience each year",
        "description": "Build confidence and oracy through performance.",
        "quality_principles": ["involving", "belonging"],
        "strands": ["cyp-engagement", "range-of-offer"],
        "art_forms": ["theatre", "music"],
        "actions": "Termly class assemblies; a summer arts festival planned by the arts council.",
        "success_measure": "Share of pupils who perform to an audience at least once a year.",
        "baseline": "45% of pupils in 2024/25",
        "timescale": "By July 2027",
        "lead_name": "Priya Shah, Artsmark lead",
    },
    {
        "title": "Artists in every classroom",
        "description": "Work with practising artists to raise ambition in art and design.",
        "quality_principles": ["authentic", "excellence"],
        "strands": ["partnerships", "curriculum"],
        "art_forms": ["visual-arts", "craft-design"],
        "actions": "A residency each term with a local artist; staff co-plan units.",
        "success_measure": "Pupil survey: 'I know what an artist does'.",
        "baseline": "30% agree",
        "timescale": "Two years",
        "lead_name": "Art coordinator",
    },
]
# URN -> the stage its demo journey reaches.
OTHER_STAGES = {
    990003: Stage.COMMITMENT_SUBMITTED,
    990004: Stage.REGISTERED,
    990005: Stage.COMMITMENT_SUBMITTED,
    990006: Stage.CERTIFIED,
    990007: Stage.COMMITMENT_DRAFT,
    990008: Stage.COMMITMENT_RETURNED,
    990009: Stage.CERTIFIED,
    990010: Stage.REGISTERED,
    990011: Stage.COMMITMENT_SUBMITTED,
    990013: Stage.CERTIFIED,
    990014: Stage.COMMITMENT_DRAFT,
    # London schools at the later stages, for A New Direction's reviewer.
    990016: Stage.COMMITMENT_RETURNED,
    990017: Stage.CERTIFIED,
    990018: Stage.IMPACT_SUBMITTED,
    990019: Stage.AWARDED,
}
# Schools whose demo journey is delivered in full: activities, evidence and a checkpoint.
DELIVERING = {990017, 990018, 990019}
# The submission the London reviewer has taken (it shows as assigned in the queue).
ASSIGNED_URN = 990003
REVIEWER_EMAIL = "reviewer@example.org"
DEMO_STAFF_EMAIL = "admin@example.org"


def _lead_of(school):
    """The school's lead, or a demo lead made for it (demo URNs only)."""
    membership = school.memberships.filter(role=SchoolMembership.Role.LEAD).first()
    if membership:
        return membership.user
    user, _ = User.objects.get_or_create(
        email=f"lead.{school.urn}@example.org",
        defaults={"full_name": f"Artsmark lead of {school.name}"},
    )
    SchoolMembership.objects.get_or_create(
        user=user,
        school=school,
        defaults={"role": SchoolMembership.Role.LEAD, "status": SchoolMembership.Status.APPROVED},
    )
    return user


def _draft(journey, lead, answers, goals):
    for section in journey.framework.sections.prefetch_related("questions"):
        texts = {q.slug: answers[q.slug] for q in section.questions.all() if q.slug in answers}
        if texts:
            commitment.save_section(
                journey=journey,
                section=section,
                answers=texts,
                based_on_version=0,
                actor=lead,
                # The task list calls a section complete only when it is marked so as well.
                completed=True,
            )
    for goal in goals:
        commitment.add_goal(journey=journey, actor=lead, **goal)


def _complete(journey, lead):
    framework = journey.framework
    generic = "We have planned this with staff, pupils and governors; details are in our goals."
    answers = {q.slug: generic for s in framework.sections.all() for q in s.questions.all()}
    _draft(journey, lead, answers, SCHOOL_GOALS)
    levels = ["development", "secure", "embedded"]
    commitment.save_self_assessment(
        journey=journey,
        actor=lead,
        ratings={
            p.slug: (levels[i % 3], "Seen in pupil voice surveys and lesson visits.")
            for i, p in enumerate(framework.quality_principles.all())
        },
        strands={s.slug: ("silver", "") for s in framework.strands.all()},
    )
    today = timezone.localdate()
    commitment.record_sign_off(
        journey=journey,
        actor=lead,
        headteacher_name="Headteacher",
        headteacher_signed_on=today,
        chair_name="Chair of governors",
        chair_signed_on=today,
    )
    commitment.submit_commitment(journey=journey, actor=lead)


def _advance(journey, lead, target, staff):
    if target == Stage.REGISTERED:
        return
    if target == Stage.COMMITMENT_DRAFT:
        _draft(journey, lead, ROSEWOOD_ANSWERS, SCHOOL_GOALS[:1])
        return
    _complete(journey, lead)
    if target == Stage.COMMITMENT_SUBMITTED:
        return
    review = journey.reviews.get(decision="")
    if target == Stage.COMMITMENT_RETURNED:
        _comment(review, staff)
        reviews.decide_commitment(
            review=review,
            actor=staff,
            decision=ReviewDecision.RETURNED,
            feedback="Please link your goals more clearly to your development priorities.",
        )
        return
    reviews.decide_commitment(
        review=review, actor=staff, decision=ReviewDecision.APPROVED, feedback="A strong plan."
    )
    if journey.school.urn in DELIVERING:
        _deliver(journey, lead)
    if target in (Stage.IMPACT_SUBMITTED, Stage.AWARDED):
        _show_impact(journey, lead, target, staff)


def _comment(review, reviewer):
    sections = review.journey.framework.sections.order_by("order", "id")
    first = sections.first()
    if first is not None:
        reviews.save_comment(
            review=review,
            actor=reviewer,
            part=first.slug,
            text="Say more about how pupils' voices shaped this plan.",
        )
    reviews.save_comment(
        review=review,
        actor=reviewer,
        part="goals",
        text="Give each goal a baseline figure so that you can show progress.",
    )


def _demo_png():
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 320), (242, 236, 224))
    draw = ImageDraw.Draw(image)
    for index, colour in enumerate([(200, 60, 90), (40, 110, 170), (240, 170, 40)]):
        draw.ellipse((40 + index * 140, 90, 180 + index * 140, 230), fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _demo_pdf(school):
    from weasyprint import HTML

    html = (
        f"<h1>{school.name}: arts week programme</h1><p>Monday: dance workshop with a visiting "
        "company. Wednesday: pupils' gallery opening. Friday: whole-school performance.</p>"
    )
    return HTML(string=html).write_pdf()


def _deliver(journey, lead):
    goals = list(journey.goals.order_by("order", "id"))
    certified = journey.certified_on or timezone.localdate()
    delivery.log_activity(
        journey=journey,
        actor=lead,
        happened_on=certified,
        title="Summer arts festival planned by the pupil arts council",
        description="Every class performed; families came to the gallery of pupils' work.",
        pupils_involved=310,
        partners="Newham Youth Theatre",
        goals=goals[:1],
    )
    delivery.log_activity(
        journey=journey,
        actor=lead,
        happened_on=certified,
        title="Artist residency in Year 4",
        pupils_involved=60,
        partners="A local printmaker",
        goals=goals[1:2],
    )
    evidence.add_evidence_file(
        journey=journey,
        actor=lead,
        upload=SimpleUploadedFile("festival.png", _demo_png(), content_type="image/png"),
        title="Pupils' festival banner",
        description="Designed by the arts council.",
        goals=goals[:1],
        strands=["cyp-engagement"],
        quality_principles=["involving"],
    )
    evidence.add_evidence_file(
        journey=journey,
        actor=lead,
        upload=SimpleUploadedFile(
            "arts-week.pdf", _demo_pdf(journey.school), content_type="application/pdf"
        ),
        title="Arts week programme",
        description="",
        goals=goals,
        strands=["range-of-offer"],
        quality_principles=["inspiring"],
    )
    evidence.add_arts_award(
        journey=journey,
        actor=lead,
        level=ArtsAwardLevel.DISCOVER,
        pupils=28,
        title="Year 3 achieved Arts Award Discover",
        goals=goals[:1],
    )
    levels = ["secure", "embedded", "secure"]
    checkpoints.take_checkpoint(
        journey=journey,
        actor=lead,
        label="After the first year",
        ratings={
            p.slug: (levels[i % 3], "Seen in the festival and pupil voice.")
            for i, p in enumerate(journey.framework.quality_principles.all())
        },
    )


IMPACT_REFLECTION = (
    "Every class performed to an audience this year: 82% of pupils, up from 45%. Pupils "
    "planned the summer festival themselves and asked to make it yearly."
)


def _show_impact(journey, lead, target, reviewer):
    """Statement of Impact submitted (and, for `awarded`, assessed and awarded Gold)."""
    for goal in journey.goals.order_by("order", "id"):
        impact.save_reflection(
            journey=journey,
            goal=goal,
            text=IMPACT_REFLECTION,
            based_on_version=0,
            actor=lead,
            completed=True,
        )
    framework = journey.framework
    impact.save_final_assessment(
        journey=journey,
        actor=lead,
        ratings={
            p.slug: ("embedded", "Pupils lead our arts council and festival.")
            for p in framework.quality_principles.all()
        },
        based_on_version=0,
    )
    impact.choose_evidence(
        journey=journey,
        actor=lead,
        evidence_ids=list(journey.evidence.values_list("pk", flat=True)),
        based_on_version=0,
    )
    impact.set_level_applied_for(
        journey=journey,
        actor=lead,
        level=AwardLevel.GOLD,
        reason="Pupils now lead much of our arts provision, across every strand.",
        based_on_version=0,
    )
    impact.submit_impact(journey=journey, actor=lead)
    if target != Stage.AWARDED:
        return
    award.decide_impact(
        review=journey.reviews.get(decision=""),
        actor=reviewer,
        decision=ReviewDecision.AWARDED,
        award_level=AwardLevel.GOLD,
        feedback="Pupils' leadership of the arts is outstanding. Congratulations on Gold.",
        judgements={
            strand.slug: (StrandLevel.GOLD, "Meets the Gold descriptor.")
            for strand in framework.strands.all()
        },
    )


def _assign_demo_review(reviewer):
    """The London reviewer has taken one waiting submission (idempotent)."""
    review = (
        Review.objects.filter(journey__school__urn=ASSIGNED_URN, decision="")
        .select_related("journey__school")
        .first()
    )
    if review is not None and review.assigned_to_id is None and reviewer is not None:
        reviews.take_review(review=review, actor=reviewer)


def seed(stdout=None):
    staff = User.objects.get(email=DEMO_STAFF_EMAIL)
    reviewer = User.objects.filter(email=REVIEWER_EMAIL).first()
    made = 0
    plan = {990001: Stage.COMMITMENT_DRAFT, 990002: Stage.COMMITMENT_DRAFT, **OTHER_STAGES}
    schools = School.objects.filter(urn__in=plan).order_by("urn")
    for school in schools:
        if Journey.objects.filter(school=school).exists():
            continue
        lead = _lead_of(school)
        journey = registration.register_school(school=school, actor=lead)
        # Paid before anything is assessed (a few stay unpaid: journeys/fees_demo.py).
        fees_demo.settle_demo_invoice(journey=journey, staff=staff)
        if school.urn == 990001:
            _draft(journey, lead, ROSEWOOD_ANSWERS, SCHOOL_GOALS)
            commitment.save_self_assessment(
                journey=journey,
                actor=lead,
                ratings={
                    "excellence": ("secure", "Our choir sings at the borough festival."),
                    "inclusive": ("development", "Few pupils with SEND join clubs."),
                    "involving": ("development", "No pupil arts council yet."),
                },
                strands={"partnerships": ("working_towards", "One partner so far.")},
            )
        else:
            # The London reviewer decides on London schools; platform staff on the others.
            decider = reviewer if reviewer and reviews_school(reviewer, school) else staff
            _advance(journey, lead, plan[school.urn], decider)
        made += 1
    _assign_demo_review(reviewer)
    if stdout:
        stdout.write(f"Demo journeys: {made} new.")
