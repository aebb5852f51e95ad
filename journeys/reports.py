"""The data of the journeys' reports: plain dicts that the print templates lay out.

`progress_report_data(journey)` and `regional_report_data(organisation)` are registered in
settings.REPORT_KINDS; the report pipeline (artsmark/common/reports) renders them in a
worker. Each runs a fixed number of queries whatever the number of goals or schools.
"""

import datetime
from collections import Counter
from types import SimpleNamespace

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from artsmark.common import charts, vocab
from artsmark.common.activity import activity_for
from artsmark.schools.models import School
from journeys.enums import Stage, StrandLevel, timeline_label
from journeys.models import (
    CommitmentVersion,
    Journey,
    Partnership,
    PrincipleRating,
    SelfAssessmentCheckpoint,
)

# Stage changes whose note is the reviewer's feedback to the school.
FEEDBACK_STAGES = {
    Stage.COMMITMENT_RETURNED,
    Stage.CERTIFIED,
    Stage.IMPACT_RETURNED,
    Stage.AWARDED,
    Stage.NOT_AWARDED,
}


def _labels(vocabulary, slugs):
    return [vocab.label(vocabulary, slug) for slug in slugs]


def _date(value):
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date()
    return value


# --- Progress report ----------------------------------------------------------------------


def _principle_profile(journey):
    """Each Quality Principle with its baseline and latest rating on the framework's scale.

    The baseline is the self-assessment in the first submitted Statement of Commitment; the
    latest is the newest checkpoint taken during delivery or, before one, the current draft.
    Before a first submission there is only the current draft.
    """
    framework = journey.framework
    scale = list(framework.scale_levels.all())
    position = {level.slug: index + 1 for index, level in enumerate(scale)}
    label = {level.slug: level.label for level in scale}
    current = {
        r.principle: r for r in PrincipleRating.objects.filter(journey=journey).order_by("id")
    }
    checkpoint = (
        SelfAssessmentCheckpoint.objects.filter(journey=journey).order_by("-created_at").first()
    )
    if checkpoint is not None:
        current = {
            row["principle"]: SimpleNamespace(level=row["level"], evidence=row["evidence"])
            for row in checkpoint.ratings
        }
    first = (
        CommitmentVersion.objects.filter(journey=journey)
        .order_by("number")
        .only("content", "submitted_at")
        .first()
    )
    baseline = {}
    if first is not None:
        baseline = {
            row["principle"]: row.get("level", "")
            for row in first.content.get("principle_ratings", [])
        }
    rows = []
    for principle in framework.quality_principles.all():
        rating = current.get(principle.slug)
        latest_level = rating.level if rating else ""
        base_level = baseline.get(principle.slug, "") if first else latest_level
        rows.append(
            {
                "slug": principle.slug,
                "title": principle.title,
                "baseline": label.get(base_level, ""),
                "latest": label.get(latest_level, "") if first else "",
                "baseline_value": position.get(base_level),
                "latest_value": position.get(latest_level) if first else None,
                "evidence": rating.evidence if rating else "",
            }
        )
    return {
        "scale": [level.label for level in scale],
        "baseline_date": _date(first.submitted_at) if first else None,
        "has_latest": first is not None,
        "principles": rows,
    }


def _profile_chart(profile):
    titles = [row["title"] for row in profile["principles"]]
    if profile["has_latest"]:
        series = [
            ("Baseline", [row["baseline_value"] for row in profile["principles"]]),
            ("Latest", [row["latest_value"] for row in profile["principles"]]),
        ]
    else:
        series = [("Self-assessment", [row["baseline_value"] for row in profile["principles"]])]
    return charts.horizontal_bars(
        title="Quality Principles self-assessment profile",
        categories=titles,
        series=series,
        scale_max=max(len(profile["scale"]), 1),
        scale_labels=profile["scale"],
        width=470,
    )


def _goals(journey, partnerships):
    by_goal = {}
    for partnership in partnerships:
        by_goal.setdefault(partnership["goal_id"], []).append(partnership)
    return [
        {
            "number": number,
            "title": goal.title,
            "description": goal.description,
            "quality_principles": _labels(vocab.QUALITY_PRINCIPLES, goal.quality_principles),
            "strands": _labels(vocab.STRANDS, goal.strands),
            "art_forms": _labels(vocab.ART_FORMS, goal.art_forms),
            "actions": goal.actions,
            "success_measure": goal.success_measure,
            "baseline": goal.baseline,
            "timescale": goal.timescale,
            "lead_name": goal.lead_name,
            "partnerships": by_goal.get(goal.pk, []),
        }
        for number, goal in enumerate(journey.goals.order_by("order", "id"), start=1)
    ]


def _partnerships(journey):
    return [
        {
            "partner_name": p.partner_name,
            "description": p.description,
            "started_on": p.started_on,
            "goal_id": p.goal_id,
            "goal_title": p.goal.title if p.goal_id else "",
            "source": p.get_source_display(),
        }
        for p in Partnership.objects.filter(journey=journey).select_related("goal")
    ]


def _stage_label(value):
    try:
        return Stage(value).label
    except ValueError:
        return value


def _timeline(journey):
    """The journey's activity log in words, and the reviewers' feedback drawn from it."""
    timeline, feedback = [], []
    for entry in activity_for(journey):
        if entry.verb == "stage_changed":
            what = f"{_stage_label(entry.from_state)} → {_stage_label(entry.to_state)}"
        else:
            what = timeline_label(entry.verb)
        who = (entry.actor.full_name or entry.actor.email) if entry.actor else "The portal"
        row = {"date": _date(entry.created_at), "what": what, "who": who, "note": entry.note}
        timeline.append(row)
        if entry.to_state in FEEDBACK_STAGES and entry.note:
            feedback.append({**row, "decision": _stage_label(entry.to_state)})
    return timeline, feedback


def progress_report_data(journey):
    """Everything a school's progress report shows, as plain data."""
    journey = Journey.objects.select_related("school__local_authority__region", "framework").get(
        pk=journey.pk
    )
    school = journey.school
    profile = _principle_profile(journey)
    strand_levels = dict(StrandLevel.choices)
    strand_rows = {s.strand: s for s in journey.strand_assessments.all()}
    partnerships = _partnerships(journey)
    timeline, feedback = _timeline(journey)
    return {
        "title": f"Artsmark progress report: {school.name}",
        "generated_on": timezone.localdate(),
        "school": {
            "name": school.name,
            "urn": school.urn,
            "local_authority": school.local_authority.name,
            "region": school.local_authority.region.name,
            "phase": school.phase,
            "establishment_type": school.establishment_type,
            "town": school.town,
            "postcode": school.postcode,
            "number_of_pupils": school.number_of_pupils,
        },
        "journey": {
            "stage": journey.get_stage_display(),
            "registered_on": _date(journey.created_at),
            "stage_changed_on": _date(journey.stage_changed_at),
            "commitment_due": journey.commitment_due,
            "certified_on": journey.certified_on,
            "impact_due": journey.impact_due,
            "award_expires": journey.award_expires,
            "framework": str(journey.framework),
        },
        "profile": profile,
        "profile_chart": _profile_chart(profile),
        "strands": [
            {
                "title": strand.title,
                "level": strand_levels.get(getattr(strand_rows.get(strand.slug), "level", ""), ""),
                "note": getattr(strand_rows.get(strand.slug), "note", ""),
            }
            for strand in journey.framework.strands.all()
        ],
        "goals": _goals(journey, partnerships),
        "partnerships": partnerships,
        "feedback": feedback,
        "timeline": timeline,
    }


# --- Regional report ----------------------------------------------------------------------


def _months(end, count):
    """The first days of the `count` months up to and including `end`'s month."""
    year, month = end.year, end.month
    firsts = []
    for _ in range(count):
        firsts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(firsts))


def _monthly(queryset, field, months):
    counts = {
        _date(row["month"]).replace(day=1): row["n"]
        for row in queryset.annotate(month=TruncMonth(field))
        .values("month")
        .annotate(n=Count("id"))
        .order_by()
    }
    return [counts.get(month, 0) for month in months]


def _by(journeys, key):
    rows = {}
    for journey in journeys:
        row = rows.setdefault(journey[key] or "Not recorded", Counter())
        row["all"] += 1
        row["open"] += journey["is_open"]
        row["certified"] += journey["stage"] == Stage.CERTIFIED
        row["awarded"] += journey["stage"] == Stage.AWARDED
    return [{"name": name, **counts} for name, counts in sorted(rows.items())]


def regional_report_data(organisation, *, months=12):
    """A Bridge Organisation's area: its schools' journeys by stage, area and phase, over time."""
    today = timezone.localdate()
    authorities = list(organisation.local_authorities.select_related("region").order_by("name"))
    area = School.objects.filter(local_authority__in=[la.pk for la in authorities])
    in_area = Journey.objects.filter(school__in=area)
    journeys = [
        {
            "school": j["school__name"],
            "urn": j["school__urn"],
            "local_authority": j["school__local_authority__name"],
            "phase": j["school__phase"],
            "stage": j["stage"],
            "stage_label": _stage_label(j["stage"]),
            "is_open": j["stage"] not in (Stage.AWARDED, Stage.NOT_AWARDED, Stage.WITHDRAWN),
            "registered_on": _date(j["created_at"]),
            "commitment_due": j["commitment_due"],
            "overdue": bool(
                j["commitment_due"]
                and j["commitment_due"] < today
                and j["stage"]
                in (Stage.REGISTERED, Stage.COMMITMENT_DRAFT, Stage.COMMITMENT_RETURNED)
            ),
        }
        for j in in_area.values(
            "school__name",
            "school__urn",
            "school__local_authority__name",
            "school__phase",
            "stage",
            "created_at",
            "commitment_due",
        ).order_by("school__local_authority__name", "school__name", "created_at")
    ]
    stage_counts = Counter(j["stage"] for j in journeys)
    by_stage = [{"stage": stage.label, "count": stage_counts.get(stage, 0)} for stage in Stage]
    month_firsts = _months(today, months)
    since = month_firsts[0]
    registrations = _monthly(
        in_area.filter(created_at__date__gte=since), "created_at", month_firsts
    )
    submissions = _monthly(
        CommitmentVersion.objects.filter(journey__in=in_area, submitted_at__date__gte=since),
        "submitted_at",
        month_firsts,
    )
    period_labels = [month.strftime("%b %y") for month in month_firsts]
    return {
        "title": f"Artsmark regional report: {organisation.name}",
        "generated_on": today,
        "organisation": organisation.name,
        "local_authorities": [la.name for la in authorities],
        "regions": sorted({la.region.name for la in authorities}),
        "schools_in_area": area.count(),
        "journey_count": len(journeys),
        "open_count": sum(j["is_open"] for j in journeys),
        "overdue_count": sum(j["overdue"] for j in journeys),
        "by_stage": by_stage,
        "by_local_authority": _by(journeys, "local_authority"),
        "by_phase": _by(journeys, "phase"),
        "over_time": [
            {"month": label, "registrations": r, "submissions": s}
            for label, r, s in zip(period_labels, registrations, submissions, strict=True)
        ],
        "stage_chart": charts.horizontal_bars(
            title="Journeys by stage",
            categories=[row["stage"] for row in by_stage],
            series=[("Journeys", [row["count"] for row in by_stage])],
            scale_max=max([row["count"] for row in by_stage] + [1]),
            width=470,
        ),
        "time_chart": charts.columns(
            title="Registrations and Statements of Commitment submitted, by month",
            periods=period_labels,
            series=[("Registrations", registrations), ("Submissions", submissions)],
            width=470,
        ),
        "journeys": journeys,
    }
