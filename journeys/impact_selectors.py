"""Reads for the impact pages: the task list, each part's page, the snapshot a submission
freezes, what blocks submission, the assessment page and the journey page's impact panel.

Each function runs a fixed number of queries whatever the number of goals or evidence items.
"""

from django.db.models import Prefetch
from django.urls import reverse

from artsmark.common import vocab
from artsmark.common.reports.selectors import reports_about
from journeys.access import can_write
from journeys.enums import (
    IMPACT_EDITABLE_STAGES,
    AwardLevel,
    EvidenceKind,
    ReviewDecision,
    ReviewKind,
    SectionStatus,
    Stage,
    StrandLevel,
)
from journeys.framework_cache import framework_parts
from journeys.models import (
    Award,
    CommitmentVersion,
    EvidenceItem,
    Goal,
    ImpactDraft,
    ImpactReflection,
    ImpactVersion,
    PrincipleRating,
    Review,
    StrandJudgement,
)
from journeys.services.fees import payment_outstanding

# Stages in which the journey page shows the Statement of Impact panel to the school.
IMPACT_STAGES = (
    Stage.CERTIFIED,
    Stage.IMPACT_DRAFT,
    Stage.IMPACT_SUBMITTED,
    Stage.IMPACT_RETURNED,
    Stage.AWARDED,
    Stage.NOT_AWARDED,
)


def word_count(text):
    return len((text or "").split())


def _url(journey, name, **kwargs):
    return reverse(f"journeys:{name}", kwargs={"pk": journey.pk, **kwargs})


def draft_for(journey):
    """The journey's ImpactDraft, or an unsaved empty one (never None)."""
    draft = ImpactDraft.objects.filter(journey=journey).select_related("updated_by").first()
    return draft or ImpactDraft(journey=journey)


def _status(*, done, started):
    if done:
        return SectionStatus.COMPLETED
    return SectionStatus.IN_PROGRESS if started else SectionStatus.NOT_STARTED


def goals_with_reflections(*, journey):
    """[(goal, reflection or None)] in the plan's order (two queries)."""
    goals = list(Goal.objects.filter(journey=journey).order_by("order", "id"))
    reflections = {
        r.goal_id: r
        for r in ImpactReflection.objects.filter(journey=journey).select_related("updated_by")
    }
    return [(goal, reflections.get(goal.pk)) for goal in goals]


def reflection_status(reflection):
    if reflection is not None and reflection.is_completed and reflection.text.strip():
        return SectionStatus.COMPLETED
    if reflection is not None and reflection.text.strip():
        return SectionStatus.IN_PROGRESS
    return SectionStatus.NOT_STARTED


# --- Task list ----------------------------------------------------------------------------


def impact_task_list(*, journey):
    """Each goal's reflection with its status, then the assessment, evidence and level."""
    rows = [
        {"goal": goal, "reflection": reflection, "status": reflection_status(reflection)}
        for goal, reflection in goals_with_reflections(journey=journey)
    ]
    draft = draft_for(journey)
    principle_total = len(framework_parts(journey.framework_id).quality_principles)
    rated = sum(1 for value in (draft.final_ratings or {}).values() if value.get("level"))
    evidence_count = draft.evidence.count() if draft.pk else 0
    locker_count = EvidenceItem.objects.filter(journey=journey).count()
    return {
        "reflections": rows,
        "completed_count": sum(1 for row in rows if row["status"] == SectionStatus.COMPLETED),
        "draft": draft,
        "rated_count": rated,
        "principle_total": principle_total,
        "assessment_status": _status(done=rated >= principle_total, started=rated),
        "evidence_count": evidence_count,
        "locker_count": locker_count,
        "evidence_status": _status(done=evidence_count, started=False),
        "level_label": draft.get_level_applied_for_display() if draft.level_applied_for else "",
        "level_status": _status(done=draft.level_applied_for, started=draft.level_reason),
        "editable": journey.stage in IMPACT_EDITABLE_STAGES,
        "versions": impact_versions(journey=journey),
    }


def impact_versions(*, journey):
    return list(
        ImpactVersion.objects.filter(journey=journey)
        .select_related("submitted_by")
        .defer("content")
        .order_by("-number")
    )


# --- The parts' pages ---------------------------------------------------------------------


def reflection_page_data(*, journey, goal):
    reflection = (
        ImpactReflection.objects.filter(journey=journey, goal=goal)
        .select_related("updated_by")
        .first()
    )
    return {
        "reflection": reflection,
        "version": reflection.version if reflection else 0,
        "text": reflection.text if reflection else "",
        "completed": bool(reflection and reflection.is_completed),
    }


def final_assessment_data(*, journey):
    """The scale, the principles, the draft's final ratings and the baseline ratings."""
    framework = journey.framework
    scale = framework_parts(framework.pk).scale_levels
    labels = {level.slug: level.label for level in scale}
    baseline = dict(
        PrincipleRating.objects.filter(journey=journey).values_list("principle", "level")
    )
    draft = draft_for(journey)
    ratings = draft.final_ratings or {}
    principles = framework_parts(framework.pk).quality_principles
    return {
        "scale": scale,
        "draft": draft,
        "version": draft.assessment_version,
        "principles": [
            {
                "principle": p,
                "level": ratings.get(p.slug, {}).get("level", ""),
                "evidence": ratings.get(p.slug, {}).get("evidence", ""),
                "baseline_label": labels.get(baseline.get(p.slug, ""), ""),
            }
            for p in principles
        ],
        "scale_labels": labels,
    }


def locker(*, journey):
    """The journey's evidence items with their goals (two queries)."""
    return list(
        EvidenceItem.objects.filter(journey=journey)
        .prefetch_related(Prefetch("goals", queryset=Goal.objects.order_by("order", "id")))
        .order_by("-created_at", "-id")
    )


def evidence_choice_data(*, journey):
    draft = draft_for(journey)
    chosen = set(draft.evidence.values_list("pk", flat=True)) if draft.pk else set()
    return {
        "draft": draft,
        "version": draft.evidence_version,
        "items": [_evidence_row(item) for item in locker(journey=journey)],
        "chosen": chosen,
    }


def _evidence_row(item):
    return {
        "pk": item.pk,
        "title": item.title,
        "description": item.description,
        "kind": item.kind,
        "kind_label": EvidenceKind(item.kind).label,
        "arts_award_level_label": item.get_arts_award_level_display()
        if item.arts_award_level
        else "",
        "arts_award_pupils": item.arts_award_pupils,
        "goals": [goal.title for goal in item.goals.all()],
        "strands": [vocab.label(vocab.STRANDS, slug) for slug in item.strands],
        "quality_principles": [
            vocab.label(vocab.QUALITY_PRINCIPLES, slug) for slug in item.quality_principles
        ],
        "original_name": item.original_name,
    }


# --- Check your answers and the frozen snapshot -------------------------------------------


def impact_snapshot(*, journey):
    """Everything a submission freezes, as plain data with labels (never bare slugs)."""
    framework = journey.framework
    assessment = final_assessment_data(journey=journey)
    draft = assessment["draft"]
    chosen = list(
        draft.evidence.prefetch_related(
            Prefetch("goals", queryset=Goal.objects.order_by("order", "id"))
        ).order_by("created_at", "id")
        if draft.pk
        else []
    )
    return {
        "framework_version": framework.version,
        "reflections": [
            {
                "goal_pk": goal.pk,
                "goal_title": goal.title,
                "success_measure": goal.success_measure,
                "baseline": goal.baseline,
                "text": reflection.text if reflection else "",
                "words": word_count(reflection.text if reflection else ""),
            }
            for goal, reflection in goals_with_reflections(journey=journey)
        ],
        "final_ratings": [
            {
                "principle": row["principle"].slug,
                "title": row["principle"].title,
                "level": row["level"],
                "level_label": assessment["scale_labels"].get(row["level"], ""),
                "evidence": row["evidence"],
                "baseline_label": row["baseline_label"],
            }
            for row in assessment["principles"]
        ],
        "evidence": [_evidence_row(item) for item in chosen],
        "level_applied_for": draft.level_applied_for,
        "level_label": AwardLevel(draft.level_applied_for).label if draft.level_applied_for else "",
        "level_reason": draft.level_reason,
    }


def impact_problems(*, journey, snapshot):
    """Everything that blocks submission, each with a link to where to fix it."""
    problems = []
    if not snapshot["reflections"]:
        problems.append(
            {"message": "Your plan has no goals to reflect on", "url": _url(journey, "impact")}
        )
    for row in snapshot["reflections"]:
        if not row["text"].strip():
            problems.append(
                {
                    "message": f"Reflect on the goal “{row['goal_title']}”",
                    "url": _url(journey, "impact_reflection", goal_pk=row["goal_pk"]) + "#id_text",
                }
            )
    page = _url(journey, "impact_assessment")
    problems += [
        {
            "message": f"Final self-assessment: rate “{row['title']}”",
            "url": f"{page}#principle-{row['principle']}",
        }
        for row in snapshot["final_ratings"]
        if not row["level"]
    ]
    if not snapshot["evidence"]:
        problems.append(
            {
                "message": "Evidence: choose at least one item from your evidence locker",
                "url": _url(journey, "impact_evidence"),
            }
        )
    if not snapshot["level_applied_for"]:
        problems.append(
            {
                "message": "Level: choose the level you are applying for",
                "url": _url(journey, "impact_level") + "#id_level_0",
            }
        )
    return problems


# --- The reviewer's assessment page -------------------------------------------------------


def assessment_page_data(*, review):
    """The Statement of Impact under review beside the approved Statement of Commitment,
    the framework's strands with their descriptors, and what has been decided (fixed queries)."""
    journey = review.journey
    impact = ImpactVersion.objects.filter(journey=journey, number=review.version_number).first()
    commitment = (
        CommitmentVersion.objects.filter(journey=journey).select_related("submitted_by").last()
    )
    strands = framework_parts(journey.framework_id).strands
    judgements = {j.strand: j for j in StrandJudgement.objects.filter(review=review)}
    returns = Review.objects.filter(
        journey=journey, kind=ReviewKind.IMPACT, decision=ReviewDecision.RETURNED
    ).count()
    limit = journey.framework.max_impact_returns
    return {
        "journey": journey,
        "review": review,
        "impact": impact,
        "commitment": commitment,
        "strands": [(strand, judgements.get(strand.slug)) for strand in strands],
        "returns": returns,
        "return_limit": limit,
        "can_return": returns < limit,
        "award": Award.objects.filter(review=review).first() if review.is_decided else None,
        "strand_levels": StrandLevel.choices,
        "unpaid_invoice": None if review.is_decided else payment_outstanding(journey),
    }


# --- The journey page and the school's page -----------------------------------------------


def latest_certificate(*, journey):
    reports = reports_about(subject=journey, kind="certificate", limit=1)
    return reports[0] if reports else None


def journey_page_extra(*, journey, user):
    """What the journey page shows of the impact part (a fixed number of queries)."""
    if journey.stage not in IMPACT_STAGES:
        return {"impact": None}
    award = Award.objects.filter(journey=journey).first()
    decided = list(
        Review.objects.filter(journey=journey, kind=ReviewKind.IMPACT)
        .exclude(decision="")
        .order_by("-decided_at", "-id")[:1]
    )
    return {
        "impact": {
            "can_write": can_write(user, journey),
            "editable": journey.stage in IMPACT_EDITABLE_STAGES,
            "not_started": journey.stage == Stage.CERTIFIED,
            "versions": impact_versions(journey=journey),
            "award": award,
            "certificate": latest_certificate(journey=journey) if award else None,
            "last_decision": decided[0] if decided else None,
        }
    }


def awards_of_school(*, school):
    """The school's awards, newest first (one query)."""
    return list(
        Award.objects.filter(journey__school=school)
        .select_related("journey")
        .order_by("-awarded_on", "-id")
    )
