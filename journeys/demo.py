"""Demo journeys at several stages (SPEC.md, "The demo world"). Idempotent.

Built through the services, so the demo's timelines look like real ones. A school that
already has a journey is left alone, so running `seed_demo` again changes nothing.
"""

from django.utils import timezone

from artsmark.accounts.models import User
from artsmark.schools.models import School, SchoolMembership
from journeys.enums import ReviewDecision, Stage
from journeys.models import Journey
from journeys.services import commitment, registration, reviews

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
}
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
    review = journey.reviews.get(decision="")
    if target == Stage.COMMITMENT_RETURNED:
        reviews.decide_commitment(
            review=review,
            actor=staff,
            decision=ReviewDecision.RETURNED,
            feedback="Please link your goals more clearly to your development priorities.",
        )
    elif target == Stage.CERTIFIED:
        reviews.decide_commitment(
            review=review, actor=staff, decision=ReviewDecision.APPROVED, feedback="A strong plan."
        )


def seed(stdout=None):
    staff = User.objects.get(email=DEMO_STAFF_EMAIL)
    made = 0
    plan = {990001: Stage.COMMITMENT_DRAFT, 990002: Stage.COMMITMENT_DRAFT, **OTHER_STAGES}
    schools = School.objects.filter(urn__in=plan).order_by("urn")
    for school in schools:
        if Journey.objects.filter(school=school).exists():
            continue
        lead = _lead_of(school)
        journey = registration.register_school(school=school, actor=lead)
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
            _advance(journey, lead, plan[school.urn], staff)
        made += 1
    if stdout:
        stdout.write(f"Demo journeys: {made} new.")
