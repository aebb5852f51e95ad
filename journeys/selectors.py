"""Reads for journeys: the journey page, the task list, check-your-answers, reviewer lists.

Each function runs a fixed number of queries whatever the number of goals or answers.
"""

from django.db.models import Count, Prefetch, Q
from django.urls import reverse

from artsmark.common import vocab
from artsmark.common.activity import activity_for
from artsmark.schools.access import is_lead
from journeys.enums import (
    COMMITMENT_EDITABLE_STAGES,
    SectionStatus,
    Stage,
    StrandLevel,
    timeline_label,
)
from journeys.models import (
    Answer,
    CommitmentVersion,
    FrameworkQuestion,
    FrameworkSection,
    Journey,
    PrincipleRating,
    SectionDraft,
    SignOff,
    StrandAssessment,
)


def word_count(text):
    return len((text or "").split())


def open_journey_for_school(*, school):
    return Journey.objects.open().filter(school=school).select_related("framework").first()


def sections_with_questions(*, framework):
    return list(
        FrameworkSection.objects.filter(framework=framework).prefetch_related(
            Prefetch("questions", queryset=FrameworkQuestion.objects.order_by("order", "id"))
        )
    )


def _sign_off(journey):
    return SignOff.objects.filter(journey=journey).select_related("confirmed_by").first()


# --- Task list ----------------------------------------------------------------------------


def section_status(draft, answered):
    if draft is not None and draft.is_completed:
        return SectionStatus.COMPLETED
    if answered:
        return SectionStatus.IN_PROGRESS
    return SectionStatus.NOT_STARTED


def task_list(*, journey):
    """Each section with its status, then goals, self-assessment and sign-off."""
    sections = sections_with_questions(framework=journey.framework)
    drafts = {d.section_id: d for d in SectionDraft.objects.filter(journey=journey)}
    answered = set(
        Answer.objects.filter(journey=journey)
        .exclude(text="")
        .values_list("question__section_id", flat=True)
    )
    rows = [
        {
            "section": section,
            "status": section_status(drafts.get(section.pk), section.pk in answered),
        }
        for section in sections
    ]
    counts = Journey.objects.filter(pk=journey.pk).aggregate(
        goals=Count("goals", distinct=True),
        rated=Count("principle_ratings", filter=~Q(principle_ratings__level=""), distinct=True),
        strands=Count("strand_assessments", filter=~Q(strand_assessments__level=""), distinct=True),
    )
    framework = journey.framework
    goals_status = (
        SectionStatus.COMPLETED
        if counts["goals"] >= framework.min_goals
        else SectionStatus.IN_PROGRESS
        if counts["goals"]
        else SectionStatus.NOT_STARTED
    )
    principle_total, strand_total = len(vocab.QUALITY_PRINCIPLES), len(vocab.STRANDS)
    assessed = counts["rated"] + counts["strands"]
    assessment_status = (
        SectionStatus.COMPLETED
        if counts["rated"] >= principle_total and counts["strands"] >= strand_total
        else SectionStatus.IN_PROGRESS
        if assessed
        else SectionStatus.NOT_STARTED
    )
    sign_off = _sign_off(journey)
    return {
        "sections": rows,
        "goal_count": counts["goals"],
        "goals_status": goals_status,
        "assessment_status": assessment_status,
        "rated_count": counts["rated"],
        "strand_count": counts["strands"],
        "sign_off": sign_off,
        "sign_off_status": SectionStatus.COMPLETED if sign_off else SectionStatus.NOT_STARTED,
        "completed_count": sum(1 for row in rows if row["status"] == SectionStatus.COMPLETED),
        "editable": journey.stage in COMMITMENT_EDITABLE_STAGES,
    }


def section_page_data(*, journey, section):
    draft = (
        SectionDraft.objects.filter(journey=journey, section=section)
        .select_related("updated_by")
        .first()
    )
    texts = dict(
        Answer.objects.filter(journey=journey, question__section=section).values_list(
            "question_id", "text"
        )
    )
    questions = list(section.questions.all())
    return {
        "draft": draft,
        "version": draft.version if draft else 0,
        "questions": [(q, texts.get(q.pk, "")) for q in questions],
    }


# --- Self-assessment ----------------------------------------------------------------------


def self_assessment_data(*, journey):
    framework = journey.framework
    ratings = {r.principle: r for r in PrincipleRating.objects.filter(journey=journey)}
    strands = {s.strand: s for s in StrandAssessment.objects.filter(journey=journey)}
    scale = list(framework.scale_levels.all())
    return {
        "scale": scale,
        "principles": [(p, ratings.get(p.slug)) for p in framework.quality_principles.all()],
        "strands": [(s, strands.get(s.slug)) for s in framework.strands.all()],
    }


# --- Check your answers and the frozen snapshot -------------------------------------------


def commitment_snapshot(*, journey):
    """Everything a submission freezes, as plain data (also what check-your-answers shows)."""
    framework = journey.framework
    sections = sections_with_questions(framework=framework)
    texts = dict(Answer.objects.filter(journey=journey).values_list("question_id", "text"))
    scale = {level.slug: level.label for level in framework.scale_levels.all()}
    ratings = {r.principle: r for r in PrincipleRating.objects.filter(journey=journey)}
    strand_rows = {s.strand: s for s in StrandAssessment.objects.filter(journey=journey)}
    sign_off = _sign_off(journey)
    strand_levels = dict(StrandLevel.choices)
    return {
        "framework_version": framework.version,
        "sections": [
            {
                "slug": section.slug,
                "pk": section.pk,
                "title": section.title,
                "questions": [
                    {
                        "slug": q.slug,
                        "title": q.title,
                        "text": texts.get(q.pk, ""),
                        "words": word_count(texts.get(q.pk, "")),
                        "word_limit": q.word_limit,
                        "required": q.required,
                    }
                    for q in section.questions.all()
                ],
            }
            for section in sections
        ],
        "answers": {
            q.slug: texts.get(q.pk, "") for section in sections for q in section.questions.all()
        },
        "goals": [
            {
                "pk": goal.pk,
                "title": goal.title,
                "description": goal.description,
                "quality_principles": goal.quality_principles,
                "strands": goal.strands,
                "art_forms": goal.art_forms,
                "actions": goal.actions,
                "success_measure": goal.success_measure,
                "baseline": goal.baseline,
                "timescale": goal.timescale,
                "lead_name": goal.lead_name,
            }
            for goal in journey.goals.order_by("order", "id")
        ],
        "principle_ratings": [
            {
                "principle": p.slug,
                "title": p.title,
                "level": getattr(ratings.get(p.slug), "level", ""),
                "level_label": scale.get(getattr(ratings.get(p.slug), "level", ""), ""),
                "evidence": getattr(ratings.get(p.slug), "evidence", ""),
            }
            for p in framework.quality_principles.all()
        ],
        "strand_assessments": [
            {
                "strand": s.slug,
                "title": s.title,
                "level": getattr(strand_rows.get(s.slug), "level", ""),
                "level_label": strand_levels.get(getattr(strand_rows.get(s.slug), "level", ""), ""),
                "note": getattr(strand_rows.get(s.slug), "note", ""),
            }
            for s in framework.strands.all()
        ],
        "sign_off": None
        if sign_off is None
        else {
            "headteacher_name": sign_off.headteacher_name,
            "headteacher_signed_on": sign_off.headteacher_signed_on.isoformat(),
            "chair_name": sign_off.chair_name,
            "chair_signed_on": sign_off.chair_signed_on.isoformat(),
            "confirmed_by": str(sign_off.confirmed_by or ""),
        },
    }


def _url(journey, name, **kwargs):
    return reverse(f"journeys:{name}", kwargs={"pk": journey.pk, **kwargs})


def _answer_problems(journey, snapshot):
    problems = []
    for section in snapshot["sections"]:
        link = _url(journey, "section", section_pk=section["pk"])
        for q in section["questions"]:
            anchor = f"{link}#id_{q['slug']}"
            if q["required"] and not q["text"].strip():
                message = f"{section['title']}: answer “{q['title']}”"
                problems.append({"message": message, "url": anchor})
            if q["word_limit"] and q["words"] > q["word_limit"]:
                message = (
                    f"{section['title']}: “{q['title']}” has {q['words']} words; "
                    f"the limit is {q['word_limit']}"
                )
                problems.append({"message": message, "url": anchor})
    return problems


def _goal_problems(journey, snapshot):
    minimum, count = journey.framework.min_goals, len(snapshot["goals"])
    problems = []
    if count < minimum:
        message = f"Add at least {minimum} goals (you have {count})"
        problems.append({"message": message, "url": _url(journey, "goals")})
    for goal in snapshot["goals"]:
        if not goal["quality_principles"]:
            message = f"Goal “{goal['title']}”: choose the Quality Principles it serves"
            problems.append(
                {"message": message, "url": _url(journey, "goal_edit", goal_pk=goal["pk"])}
            )
    return problems


def _assessment_problems(journey, snapshot):
    framework = journey.framework
    page = _url(journey, "self_assessment")
    problems = []
    if framework.require_all_principles_rated:
        problems += [
            {
                "message": f"Self-assessment: rate “{rating['title']}”",
                "url": f"{page}#principle-{rating['principle']}",
            }
            for rating in snapshot["principle_ratings"]
            if not rating["level"]
        ]
    if framework.require_all_strands_rated:
        problems += [
            {
                "message": f"Self-assessment: choose a best fit for “{strand['title']}”",
                "url": f"{page}#strand-{strand['strand']}",
            }
            for strand in snapshot["strand_assessments"]
            if not strand["level"]
        ]
    return problems


def commitment_problems(*, journey, snapshot):
    """Everything that blocks submission, each with a link to where to fix it."""
    problems = [
        *_answer_problems(journey, snapshot),
        *_goal_problems(journey, snapshot),
        *_assessment_problems(journey, snapshot),
    ]
    if journey.framework.require_sign_off and snapshot["sign_off"] is None:
        problems.append(
            {
                "message": "Sign-off: record the headteacher's and chair of governors' sign-off",
                "url": _url(journey, "sign_off"),
            }
        )
    return problems


# --- The journey page ---------------------------------------------------------------------


def next_step(*, journey, user):
    """What the school (or reviewer) should do next, as text and an optional link."""
    stage = journey.stage
    detail = {"pk": journey.pk}
    if stage == Stage.REGISTERED:
        return {
            "text": "Start writing your Statement of Commitment.",
            "url": reverse("journeys:commitment", kwargs=detail),
            "label": "Start your Statement of Commitment",
        }
    if stage in (Stage.COMMITMENT_DRAFT, Stage.COMMITMENT_RETURNED):
        text = (
            "Your statement was returned: read the feedback, change your draft and submit again."
            if stage == Stage.COMMITMENT_RETURNED
            else "Complete each section, then check your answers and submit."
        )
        return {
            "text": text,
            "url": reverse("journeys:commitment", kwargs=detail),
            "label": "Continue your Statement of Commitment",
        }
    texts = {
        Stage.COMMITMENT_SUBMITTED: "Your Bridge Organisation is reviewing your statement.",
        Stage.CERTIFIED: (
            "Deliver your plan: log activities, keep evidence and re-take the "
            "self-assessment at checkpoints."
        ),
        Stage.IMPACT_DRAFT: "Write your Statement of Impact.",
        Stage.IMPACT_SUBMITTED: "Your Statement of Impact is being reviewed.",
        Stage.IMPACT_RETURNED: (
            "Your Statement of Impact was returned for more evidence: read the feedback, "
            "add to it and submit again."
        ),
        Stage.AWARDED: "Congratulations: your school has been awarded Artsmark.",
        Stage.NOT_AWARDED: "This journey has ended without an award.",
        Stage.WITHDRAWN: "This journey was withdrawn.",
    }
    if stage == Stage.CERTIFIED:
        return {
            "text": texts[stage],
            "url": reverse("journeys:delivery", kwargs=detail),
            "label": "Go to delivery",
            "reader_label": "See the school's activities and evidence",
        }
    if stage in (Stage.IMPACT_DRAFT, Stage.IMPACT_RETURNED):
        return {
            "text": texts[stage],
            "url": reverse("journeys:impact", kwargs=detail),
            "label": "Continue your Statement of Impact",
            "reader_label": "Read the Statement of Impact draft",
        }
    return {"text": texts[stage], "url": None, "label": None}


def journey_page_data(*, journey, user):
    from journeys import delivery_selectors, impact_selectors, review_selectors

    extra = {}
    for part in (review_selectors, delivery_selectors, impact_selectors):
        extra.update(part.journey_page_extra(journey=journey, user=user))
    versions = list(
        CommitmentVersion.objects.filter(journey=journey)
        .select_related("submitted_by")
        .defer("content")
        .order_by("-number")
    )
    return {
        "journey": journey,
        "next_step": next_step(journey=journey, user=user),
        "timeline": _timeline(journey),
        "goals": list(journey.goals.order_by("order", "id")),
        "partnerships": list(journey.partnerships.select_related("goal")),
        "versions": versions,
        "stages": _stage_progress(journey),
        "can_write": user.is_superuser
        or user.school_memberships.filter(school=journey.school, status="approved").exists(),
        "is_lead": is_lead(user, journey.school),
        **extra,
    }


def _timeline(journey):
    entries = list(activity_for(journey))
    labels = dict(Stage.choices)
    for entry in entries:
        entry.to_label = labels.get(entry.to_state, entry.to_state)
        entry.what = timeline_label(entry.verb)
    return entries


_MAIN_PATH = [
    Stage.REGISTERED,
    Stage.COMMITMENT_DRAFT,
    Stage.COMMITMENT_SUBMITTED,
    Stage.CERTIFIED,
    Stage.IMPACT_DRAFT,
    Stage.IMPACT_SUBMITTED,
    Stage.AWARDED,
]
_POSITION = {
    Stage.COMMITMENT_RETURNED: 1,
    Stage.IMPACT_RETURNED: 4,
    Stage.NOT_AWARDED: 6,
    Stage.WITHDRAWN: -1,
}


def _stage_progress(journey):
    current = _POSITION.get(journey.stage)
    if current is None:
        current = _MAIN_PATH.index(journey.stage)
    return [
        {"label": stage.label, "done": index < current, "current": index == current}
        for index, stage in enumerate(_MAIN_PATH)
    ]


# --- Lists --------------------------------------------------------------------------------


def journeys_of_user(*, user):
    """The open journey of each school the user is an approved member of."""
    return (
        Journey.objects.open()
        .filter(
            school__memberships__user=user,
            school__memberships__status="approved",
        )
        .select_related("school")
    )


def submitted_in_area(*, organisation):
    """Statements of Commitment waiting for review in a Bridge Organisation's area."""
    return (
        Journey.objects.filter(
            stage=Stage.COMMITMENT_SUBMITTED,
            school__local_authority__bridge_organisations=organisation,
        )
        .select_related("school__local_authority")
        .order_by("stage_changed_at", "id")
    )
