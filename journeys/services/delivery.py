"""Delivery: partnerships and the activities a certified school logs against its goals."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from artsmark.common.activity import record_activity
from artsmark.schools.access import is_member
from journeys.enums import DELIVERY_STAGES, PartnershipSource
from journeys.models import Activity, Partnership

MAX_PUPILS = 100_000
FUTURE_DATE = "The date cannot be in the future: log an activity once it has happened."


def record_partnership(
    *,
    journey,
    partner_name,
    description,
    actor,
    goal=None,
    source=PartnershipSource.MANUAL,
    source_reference="",
    started_on=None,
):
    """Add a partnership to a journey (by hand, or when a school accepts an enquiry)."""
    partner_name = (partner_name or "").strip()
    if not partner_name:
        raise ValidationError("Enter the partner's name.")
    if goal is not None and goal.journey_id != journey.pk:
        raise ValidationError("That goal belongs to another journey.")
    if not journey.is_open:
        raise ValidationError("This journey has ended, so partnerships cannot be added.")
    with transaction.atomic():
        partnership = Partnership.objects.create(
            journey=journey,
            partner_name=partner_name[:200],
            description=description or "",
            goal=goal,
            started_on=started_on,
            source=PartnershipSource(source),
            source_reference=source_reference or "",
            created_by=actor if actor is not None and actor.is_authenticated else None,
        )
        record_activity(
            subject=journey,
            actor=actor,
            verb="partnership_recorded",
            note=partnership.partner_name,
        )
    return partnership


# --- Activities -----------------------------------------------------------------------------


def check_delivery_writer(journey, actor):
    """Members of the school (or platform staff) log delivery, and only while delivering."""
    if not (actor.is_superuser or is_member(actor, journey.school)):
        raise ValidationError("Only members of the school can change its activities.")
    if journey.stage not in DELIVERY_STAGES:
        raise ValidationError(
            "Activities can be logged only while the school is delivering its plan (from "
            "Artsmark Certified until the Statement of Impact is submitted)."
        )


def _clean_activity(journey, *, happened_on, title, description, pupils_involved, partners, goals):
    title = (title or "").strip()
    if not title:
        raise ValidationError("Say what happened.")
    if len(title) > 200:
        raise ValidationError("“What happened” must be 200 characters or fewer.")
    if happened_on is None:
        raise ValidationError("Enter the date of the activity.")
    if happened_on > timezone.localdate():
        raise ValidationError(
            "The date cannot be in the future: log an activity once it has happened."
        )
    if pupils_involved is not None and not 0 <= pupils_involved <= MAX_PUPILS:
        raise ValidationError("Enter the number of pupils involved as a whole number, 0 or more.")
    partners = (partners or "").strip()
    if len(partners) > 300:
        raise ValidationError("The partners must be 300 characters or fewer.")
    goals = list(goals or [])
    if any(goal.journey_id != journey.pk for goal in goals):
        raise ValidationError("Choose goals of this journey only.")
    return {
        "happened_on": happened_on,
        "title": title,
        "description": (description or "").strip(),
        "pupils_involved": pupils_involved,
        "partners": partners,
    }, goals


def log_activity(
    *,
    journey,
    actor,
    happened_on,
    title,
    description="",
    pupils_involved=None,
    partners="",
    goals=(),
):
    """Log something the school did while delivering its plan, with the goals it served."""
    check_delivery_writer(journey, actor)
    fields, goals = _clean_activity(
        journey,
        happened_on=happened_on,
        title=title,
        description=description,
        pupils_involved=pupils_involved,
        partners=partners,
        goals=goals,
    )
    with transaction.atomic():
        activity = Activity.objects.create(journey=journey, created_by=actor, **fields)
        activity.goals.set(goals)
        record_activity(subject=journey, actor=actor, verb="activity_logged", note=activity.title)
    return activity


def update_activity(
    *,
    activity,
    actor,
    happened_on,
    title,
    description="",
    pupils_involved=None,
    partners="",
    goals=(),
):
    journey = activity.journey
    check_delivery_writer(journey, actor)
    fields, goals = _clean_activity(
        journey,
        happened_on=happened_on,
        title=title,
        description=description,
        pupils_involved=pupils_involved,
        partners=partners,
        goals=goals,
    )
    for name, value in fields.items():
        setattr(activity, name, value)
    with transaction.atomic():
        activity.save(update_fields=[*fields, "updated_at"])
        activity.goals.set(goals)
        record_activity(subject=journey, actor=actor, verb="activity_updated", note=activity.title)
    return activity


def remove_activity(*, activity, actor):
    journey = activity.journey
    check_delivery_writer(journey, actor)
    with transaction.atomic():
        title = activity.title
        activity.delete()
        record_activity(subject=journey, actor=actor, verb="activity_removed", note=title)
