"""Reads for journeys: the journey page, the task list, check-your-answers, reviewer lists.

Each function runs a fixed number of queries whatever the number of goals or answers.
"""

from django.urls import reverse

from artsmark.common.activity import activity_for
from artsmark.schools.access import is_lead, is_member
from journeys.enums import (
    COMMITMENT_EDITABLE_STAGES,
    ReviewKind,
    SectionStatus,
    Stage,
    StrandLevel,
    timeline_label,
)
from journeys.framework_cache import framework_parts
from journeys.models import (
    Answer,
    CommitmentVersion,
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
    return list(framework_parts(framework.pk).sections)


def _sign_off(journey):
    return SignOff.objects.filter(journey=journey).select_related("confirmed_by").first()


# --- Task list ----------------------------------------------------------------------------


def section_status(*, completed, answered, problems):
    """The task list's word for a section: "Completed" only when the rules say so."""
    if completed and not problems:
        return SectionStatus.COMPLETED
    if answered or completed:
        return SectionStatus.IN_PROGRESS
    return SectionStatus.NOT_STARTED


def task_list(*, journey):
    """Each section with its status, then goals, self-assessment and sign-off.

    Statuses come from the same rules as check-your-answers and submission
    (`section_problems`, `goal_problems`), so "Completed" here means nothing blocks there.
    A submitted statement shows what was submitted and what happens next instead.
    """
    sign_off = _sign_off(journey)
    snapshot = commitment_snapshot(journey=journey, sign_off=sign_off)
    framework = journey.framework
    drafts = {d.section_id: d for d in SectionDraft.objects.filter(journey=journey)}
    rows = []
    for section in snapshot["sections"]:
        draft = drafts.get(section["pk"])
        completed = bool(draft and draft.is_completed)
        problems = section_problems(journey=journey, section=section, completed=completed)
        rows.append(
            {
                "section": section,
                "status": section_status(
                    completed=completed,
                    answered=any(q["text"].strip() for q in section["questions"]),
                    problems=problems,
                ),
                "problems": problems,
            }
        )
    goals = snapshot["goals"]
    complete_goals = [goal for goal in goals if not goal_problems(journey=journey, goal=goal)]
    goals_status = (
        SectionStatus.COMPLETED
        if not _goal_problems(journey, snapshot)
        else SectionStatus.IN_PROGRESS
        if goals
        else SectionStatus.NOT_STARTED
    )
    rated = sum(1 for r in snapshot["principle_ratings"] if r["level"])
    strands = sum(1 for s in snapshot["strand_assessments"] if s["level"])
    assessment_status = (
        SectionStatus.COMPLETED
        if not _assessment_problems(journey, snapshot)
        and rated == len(snapshot["principle_ratings"])
        and strands == len(snapshot["strand_assessments"])
        else SectionStatus.IN_PROGRESS
        if rated + strands
        else SectionStatus.NOT_STARTED
    )
    editable = journey.stage in COMMITMENT_EDITABLE_STAGES
    return {
        "sections": rows,
        "goal_count": len(goals),
        "complete_goal_count": len(complete_goals),
        "goals_status": goals_status,
        "assessment_status": assessment_status,
        "rated_count": rated,
        "strand_count": strands,
        "principle_total": len(snapshot["principle_ratings"]),
        "strand_total": len(snapshot["strand_assessments"]),
        "min_goals": framework.min_goals,
        "sign_off": sign_off,
        "sign_off_status": SectionStatus.COMPLETED if sign_off else SectionStatus.NOT_STARTED,
        "completed_count": sum(1 for row in rows if row["status"] == SectionStatus.COMPLETED),
        "editable": editable,
        "submission": None if editable else submitted_statement(journey=journey),
    }


def submitted_statement(*, journey):
    """The latest submitted version (number, date, who) and its open review, if any."""
    from journeys.models import Review

    version = (
        CommitmentVersion.objects.filter(journey=journey)
        .select_related("submitted_by")
        .defer("content")
        .order_by("-number")
        .first()
    )
    if version is None:
        return None
    review = (
        Review.objects.filter(journey=journey, decision="", kind=ReviewKind.COMMITMENT)
        .order_by("-id")
        .only("id", "due_on", "kind", "version_number")
        .first()
    )
    return {"version": version, "review": review}


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
    from journeys.services.commitment import state_version

    parts = framework_parts(journey.framework_id)
    ratings = {r.principle: r for r in PrincipleRating.objects.filter(journey=journey)}
    strands = {s.strand: s for s in StrandAssessment.objects.filter(journey=journey)}
    stored = {f"rating:{r.principle}": [r.level, r.evidence] for r in ratings.values()}
    stored.update({f"strand:{a.strand}": [a.level, a.note] for a in strands.values()})
    return {
        "scale": parts.scale_levels,
        "principles": [(p, ratings.get(p.slug)) for p in parts.quality_principles],
        "strands": [(s, strands.get(s.slug)) for s in parts.strands],
        # The same fingerprint as self_assessment_version(), from the rows read here.
        "version": state_version(stored),
    }


def self_assessment_version(*, journey):
    """The fingerprint of the stored self-assessment that an autosave is based on."""
    from journeys.services.commitment import self_assessment_values, state_version

    return state_version(self_assessment_values(journey=journey))


# --- Check your answers and the frozen snapshot -------------------------------------------


_UNREAD = object()


def commitment_snapshot(*, journey, sign_off=_UNREAD):
    """Everything a submission freezes, as plain data (also what check-your-answers shows).

    `sign_off`: the journey's SignOff (or None) when the caller has read it already.
    """
    framework = journey.framework
    parts = framework_parts(framework.pk)
    sections = parts.sections
    texts = dict(Answer.objects.filter(journey=journey).values_list("question_id", "text"))
    scale = {level.slug: level.label for level in parts.scale_levels}
    ratings = {r.principle: r for r in PrincipleRating.objects.filter(journey=journey)}
    strand_rows = {s.strand: s for s in StrandAssessment.objects.filter(journey=journey)}
    if sign_off is _UNREAD:
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
            for p in parts.quality_principles
        ],
        "strand_assessments": [
            {
                "strand": s.slug,
                "title": s.title,
                "level": getattr(strand_rows.get(s.slug), "level", ""),
                "level_label": strand_levels.get(getattr(strand_rows.get(s.slug), "level", ""), ""),
                "note": getattr(strand_rows.get(s.slug), "note", ""),
            }
            for s in parts.strands
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


def section_problems(*, journey, section, completed=True):
    """What stops a section (from a snapshot) being complete, each with where to fix it.

    The one rule for a complete section, used by the task list, check-your-answers and
    submission alike: every required question answered, none over its word limit, and the
    section marked as completed by the school.
    """
    link = _url(journey, "section", section_pk=section["pk"])
    problems = []
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
    if not completed and not problems:
        message = f"{section['title']}: mark the section as completed"
        problems.append({"message": message, "url": f"{link}#id_completed"})
    return problems


def _answer_problems(journey, snapshot):
    completed = set(
        SectionDraft.objects.filter(journey=journey, is_completed=True).values_list(
            "section_id", flat=True
        )
    )
    problems = []
    for section in snapshot["sections"]:
        problems += section_problems(
            journey=journey, section=section, completed=section["pk"] in completed
        )
    return problems


GOAL_REQUIRED = [
    ("quality_principles", "choose the Quality Principles it serves"),
    ("actions", "say what actions you will take"),
    ("success_measure", "say how you will measure success"),
]


def goal_problems(*, journey, goal):
    """The one rule for a complete goal (a snapshot's goal dict): a title, the Quality
    Principles it serves, its actions and its success measure."""
    url = _url(journey, "goal_edit", goal_pk=goal["pk"])
    title = (goal["title"] or "").strip() or "Untitled"
    return [
        {"message": f"Goal “{title}”: {what}", "url": url}
        for field, what in GOAL_REQUIRED
        if not (goal[field] if isinstance(goal[field], list) else (goal[field] or "").strip())
    ]


def _goal_problems(journey, snapshot):
    minimum = journey.framework.min_goals
    problems = []
    complete = 0
    for goal in snapshot["goals"]:
        found = goal_problems(journey=journey, goal=goal)
        complete += not found
        problems += found
    if complete < minimum:
        count = len(snapshot["goals"])
        message = (
            f"Add at least {minimum} goals (you have {count})"
            if complete == count
            else f"Complete at least {minimum} goals (you have {complete} complete of {count})"
        )
        problems.insert(0, {"message": message, "url": _url(journey, "goals")})
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


_SUBMIT_CHECKS = {}


def _submit_checks(dotted_paths):
    """The callables of settings.COMMITMENT_SUBMIT_CHECKS, imported once."""
    if dotted_paths not in _SUBMIT_CHECKS:
        from django.utils.module_loading import import_string

        _SUBMIT_CHECKS[dotted_paths] = [import_string(dotted) for dotted in dotted_paths]
    return _SUBMIT_CHECKS[dotted_paths]


def commitment_problems(*, journey, snapshot):
    """Everything that blocks submission, each with a link to where to fix it.

    Other apps' rules come from settings.COMMITMENT_SUBMIT_CHECKS (e.g. the learning
    programme's required sessions), so that journeys never imports those apps.
    """
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
    from django.conf import settings

    for check in _submit_checks(tuple(getattr(settings, "COMMITMENT_SUBMIT_CHECKS", ()))):
        problems += check(journey)
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
    from journeys import deadline_selectors, delivery_selectors, impact_selectors, review_selectors

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
        "can_write": user.is_superuser or is_member(user, journey.school),
        "is_lead": is_lead(user, journey.school),
        "deadlines_panel": deadline_selectors.journey_deadlines(journey=journey, user=user),
        "fees": _fees(journey=journey, user=user),
        **extra,
    }


def _fees(*, journey, user):
    from journeys.fees_selectors import journey_fees

    return journey_fees(journey=journey, user=user)


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
