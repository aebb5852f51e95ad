"""Renewing an award: a new journey on the current framework, started from the last one.

Renewal opens `Framework.renewal_invitation_days` before an awarded journey's award expires
(and stays open once it has expired). The school's Artsmark lead starts a new journey through
`register_school` (so it has its own invoice) and chooses what it carries over into the new
draft: the goals, the self-assessment (only what the current framework still has) and the
partnerships. Everything happens in one transaction: a refusal changes nothing.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from artsmark.common.activity import record_activity
from artsmark.schools.access import is_lead
from journeys.enums import Stage
from journeys.models import Framework, Journey
from journeys.services import commitment, delivery
from journeys.services.registration import register_school
from journeys.templatetags.journey_tags import long_date


def can_renew(user, journey):
    """The school's Artsmark lead and platform staff renew its award."""
    return user.is_superuser or is_lead(user, journey.school)


def renewal_opens_on(journey):
    """The day renewal opens for an awarded journey (None if it has no award expiry)."""
    if journey.award_expires is None:
        return None
    days = journey.framework.renewal_invitation_days
    return journey.award_expires - datetime.timedelta(days=days)


def renewal_problem(*, journey, today=None):
    """Why `journey` cannot be renewed now, in the school's words; None if it can."""
    today = today or timezone.localdate()
    if journey.stage != Stage.AWARDED or journey.award_expires is None:
        return "Only an awarded journey can be renewed."
    opens_on = renewal_opens_on(journey)
    if today < opens_on:
        return (
            f"Renewal opens on {long_date(opens_on)}, "
            f"{journey.framework.renewal_invitation_days} days before the award expires on "
            f"{long_date(journey.award_expires)}."
        )
    if journey.renewals.exclude(stage=Stage.WITHDRAWN).exists():
        return "This award has already been renewed: the new journey is on the school's page."
    if Journey.objects.open().filter(school_id=journey.school_id).exists():
        return (
            f"{journey.school.name} already has an Artsmark journey under way: finish or "
            "withdraw it before renewing."
        )
    return None


# --- What carries over -------------------------------------------------------------------------


def carried_self_assessment(*, journey, framework):
    """The journey's latest self-assessment, limited to what `framework` still has.

    Ratings: the final self-assessment of the Statement of Impact where the school made one,
    otherwise the Statement of Commitment's; a level that is no longer on the scale is left
    to choose again (its evidence is kept). Returns (ratings, strands) as the commitment
    service takes them.
    """
    principles = set(framework.quality_principles.values_list("slug", flat=True))
    scale = set(framework.scale_levels.values_list("slug", flat=True))
    strand_slugs = set(framework.strands.values_list("slug", flat=True))
    ratings = {
        r.principle: (r.level, r.evidence)
        for r in journey.principle_ratings.all()
        if r.principle in principles
    }
    final = getattr(getattr(journey, "impact_draft", None), "final_ratings", None) or {}
    for slug, value in final.items():
        if slug in principles and isinstance(value, dict):
            ratings[slug] = (value.get("level") or "", value.get("evidence") or "")
    ratings = {
        slug: (level if level in scale else "", evidence or "")
        for slug, (level, evidence) in ratings.items()
        if level or evidence
    }
    strands = {
        s.strand: (s.level, s.note)
        for s in journey.strand_assessments.all()
        if s.strand in strand_slugs and (s.level or s.note)
    }
    return ratings, strands


def _copy_goals(old, new, actor):
    copied = {}
    for goal in old.goals.order_by("order", "id"):
        copied[goal.pk] = commitment.add_goal(
            journey=new, actor=actor, **commitment.goal_values(goal)
        )
    return copied


def _copy_partnerships(old, new, actor, goals):
    partnerships = list(old.partnerships.order_by("started_on", "created_at", "pk"))
    for partnership in partnerships:
        delivery.record_partnership(
            journey=new,
            partner_name=partnership.partner_name,
            description=partnership.description,
            goal=goals.get(partnership.goal_id),
            started_on=partnership.started_on,
            actor=actor,
        )
    return len(partnerships)


def _copy(old, new, actor, *, copy_goals, copy_self_assessment, copy_partnerships):
    """Carry the chosen items into the new draft; a list of what was carried, for the log."""
    carried, goals = [], {}
    if copy_goals:
        goals = _copy_goals(old, new, actor)
        carried.append(f"{len(goals)} goal{'s' if len(goals) != 1 else ''}")
    if copy_self_assessment:
        ratings, strands = carried_self_assessment(journey=old, framework=new.framework)
        if ratings or strands:
            commitment.save_self_assessment(
                journey=new, actor=actor, ratings=ratings, strands=strands
            )
        carried.append("the self-assessment")
    if copy_partnerships:
        count = _copy_partnerships(old, new, actor, goals)
        carried.append(f"{count} partnership{'s' if count != 1 else ''}")
    return carried


def renew_journey(*, journey, actor, copy_goals, copy_self_assessment, copy_partnerships):
    """Start the school's next journey from an awarded one whose renewal is open.

    Only the school's Artsmark lead or platform staff. Returns the new journey; raises a
    ValidationError and changes nothing if renewal is not open or the school has a journey
    under way.
    """
    if actor is None or not can_renew(actor, journey):
        raise ValidationError("Only the school's Artsmark lead can renew its Artsmark.")
    if Framework.objects.current() is None:
        raise ValidationError("Renewal is closed: there is no current Artsmark framework.")
    with transaction.atomic():
        # Lock the old journey: two clicks on "Renew" start one journey, the second is told.
        old = (
            Journey.objects.select_for_update(of=("self",))
            .select_related("school", "framework")
            .get(pk=journey.pk)
        )
        problem = renewal_problem(journey=old)
        if problem is not None:
            raise ValidationError(problem, code="renewal")
        new = register_school(school=old.school, actor=actor)
        new.renewed_from = old
        new.save(update_fields=["renewed_from"])
        carried = _copy(
            old,
            new,
            actor,
            copy_goals=copy_goals,
            copy_self_assessment=copy_self_assessment,
            copy_partnerships=copy_partnerships,
        )
        what = ("Carried over: " + ", ".join(carried) + ".") if carried else "Nothing carried over."
        record_activity(
            subject=old,
            actor=actor,
            verb="renewal_started",
            note=f"A new journey started on framework version {new.framework.version}.",
        )
        record_activity(
            subject=new,
            actor=actor,
            verb="started_as_renewal",
            note=f"Renews the award that expires on {long_date(old.award_expires)}. {what}",
        )
    return Journey.objects.select_related("school", "framework").get(pk=new.pk)
