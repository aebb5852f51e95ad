"""Reads for the delivery pages: activities, the evidence locker and checkpoints.

Each function runs a fixed number of queries whatever the number of rows.
"""

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch

from artsmark.common import vocab
from journeys.access import can_write
from journeys.enums import DELIVERY_STAGES, Stage
from journeys.framework_cache import framework_parts
from journeys.models import CommitmentVersion, Goal, Journey

PAGE_SIZE = 25
# The delivery panel shows from certification on; a withdrawn journey shows it only if the
# school had logged something before it was withdrawn.
SHOWN_STAGES = (*DELIVERY_STAGES, Stage.IMPACT_SUBMITTED, Stage.AWARDED, Stage.NOT_AWARDED)
CHANGES = {1: "Moved up", 0: "No change", -1: "Moved down"}


def delivery_counts(*, journey):
    return Journey.objects.filter(pk=journey.pk).aggregate(
        activities=Count("activities", distinct=True),
        evidence=Count("evidence", distinct=True),
        checkpoints=Count("checkpoints", distinct=True),
    )


def self_assessment_comparison(*, journey):
    """The baseline (first submitted Statement of Commitment) against the latest checkpoint.

    Three queries: the baseline ratings, the latest checkpoint, the scale's order.
    """
    baseline = (
        CommitmentVersion.objects.filter(journey=journey)
        .order_by("number")
        .values_list("content__principle_ratings", flat=True)
        .first()
    )
    baseline = baseline if isinstance(baseline, list) else []
    latest = journey.checkpoints.select_related("created_by").order_by("-created_at", "-id").first()
    latest_ratings = latest.ratings if latest and isinstance(latest.ratings, list) else []
    order = {
        slug: index
        for index, slug in enumerate(
            level.slug for level in framework_parts(journey.framework_id).scale_levels
        )
    }
    by_principle = {}
    for when, ratings in (("baseline", baseline), ("latest", latest_ratings)):
        for rating in ratings:
            if not isinstance(rating, dict) or not rating.get("principle"):
                continue
            row = by_principle.setdefault(
                rating["principle"],
                {
                    "principle": rating["principle"],
                    "title": rating.get("title")
                    or vocab.label(vocab.QUALITY_PRINCIPLES, rating["principle"]),
                    "baseline": "",
                    "latest": "",
                    "change": "",
                },
            )
            row[when] = rating.get("level_label") or ""
            row[f"{when}_level"] = rating.get("level") or ""
    for row in by_principle.values():
        before = order.get(row.get("baseline_level"))
        after = order.get(row.get("latest_level"))
        if before is not None and after is not None:
            row["change"] = CHANGES[(after > before) - (after < before)]
    return {
        "rows": list(by_principle.values()),
        "has_baseline": bool(baseline),
        "latest": latest,
    }


def journey_page_extra(*, journey, user):
    """What the journey page shows of the delivery part (a fixed number of queries)."""
    if journey.stage not in SHOWN_STAGES and journey.stage != Stage.WITHDRAWN:
        return {"delivery_panel": None}
    counts = delivery_counts(journey=journey)
    if journey.stage == Stage.WITHDRAWN and not any(counts.values()):
        return {"delivery_panel": None}
    return {
        "delivery_panel": {
            "counts": counts,
            "comparison": self_assessment_comparison(journey=journey),
            "is_delivering": journey.stage in DELIVERY_STAGES,
        }
    }


def delivery_overview(*, journey, user):
    """The delivery page: counts, each goal with what served it, baseline against latest."""
    goals = list(
        journey.goals.annotate(
            activity_count=Count("activities", distinct=True),
            evidence_count=Count("evidence", distinct=True),
        ).order_by("order", "id")
    )
    return {
        "journey": journey,
        "counts": delivery_counts(journey=journey),
        "comparison": self_assessment_comparison(journey=journey),
        "goals": goals,
        "can_write": can_write(user, journey),
        "is_delivering": journey.stage in DELIVERY_STAGES,
    }


def _ordered_goals():
    return Prefetch("goals", queryset=Goal.objects.order_by("order", "id"))


def activities_page(*, journey, page_number):
    activities = journey.activities.select_related("created_by").prefetch_related(_ordered_goals())
    return Paginator(activities, PAGE_SIZE).get_page(page_number)


def _with_labels(item):
    item.strand_labels = [vocab.label(vocab.STRANDS, slug) for slug in item.strands]
    item.principle_labels = [
        vocab.label(vocab.QUALITY_PRINCIPLES, slug) for slug in item.quality_principles
    ]
    return item


def evidence_page(*, journey, page_number):
    items = journey.evidence.select_related("uploaded_by").prefetch_related(_ordered_goals())
    page = Paginator(items, PAGE_SIZE).get_page(page_number)
    page.object_list = [_with_labels(item) for item in page.object_list]
    return page


def checkpoints_page(*, journey, page_number):
    checkpoints = journey.checkpoints.select_related("created_by").order_by("-created_at", "-id")
    return Paginator(checkpoints, PAGE_SIZE).get_page(page_number)


def journey_goals(*, journey):
    """The goals a delivery form offers as checkboxes."""
    return journey.goals.order_by("order", "id")


def checkpoint_form_data(*, journey):
    parts = framework_parts(journey.framework_id)
    latest = journey.checkpoints.order_by("-created_at", "-id").first()
    return {
        "scale": parts.scale_levels,
        "principles": parts.quality_principles,
        "latest": latest,
    }
