"""The one door through which a journey's stage changes (CONVENTIONS.md, "One door").

`TRANSITIONS` lists every allowed (from, to) pair and who may make it. `change_stage` checks
the table and the actor, saves, appends to the activity log and sends the notifications once
the transaction commits. Nothing else assigns `Journey.stage`.
"""

import datetime
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from artsmark.common.activity import record_activity
from artsmark.schools.access import is_member, reviews_school
from journeys import notifications
from journeys.enums import OPEN_STAGES, Stage
from journeys.models import Journey


class Actor(StrEnum):
    TEACHER = "teacher"  # an approved member of the journey's school
    REVIEWER = "reviewer"  # a reviewer of a Bridge Organisation covering the school
    ADMIN = "admin"  # platform staff (superuser)


TEACHER, REVIEWER, ADMIN = Actor.TEACHER, Actor.REVIEWER, Actor.ADMIN

TRANSITIONS = {
    (Stage.REGISTERED, Stage.COMMITMENT_DRAFT): {TEACHER, ADMIN},
    (Stage.COMMITMENT_DRAFT, Stage.COMMITMENT_SUBMITTED): {TEACHER, ADMIN},
    (Stage.COMMITMENT_SUBMITTED, Stage.COMMITMENT_RETURNED): {REVIEWER, ADMIN},
    (Stage.COMMITMENT_SUBMITTED, Stage.CERTIFIED): {REVIEWER, ADMIN},
    (Stage.COMMITMENT_RETURNED, Stage.COMMITMENT_SUBMITTED): {TEACHER, ADMIN},
    (Stage.CERTIFIED, Stage.IMPACT_DRAFT): {TEACHER, ADMIN},
    (Stage.IMPACT_DRAFT, Stage.IMPACT_SUBMITTED): {TEACHER, ADMIN},
    (Stage.IMPACT_SUBMITTED, Stage.IMPACT_RETURNED): {REVIEWER, ADMIN},
    (Stage.IMPACT_RETURNED, Stage.IMPACT_SUBMITTED): {TEACHER, ADMIN},
    (Stage.IMPACT_SUBMITTED, Stage.AWARDED): {REVIEWER, ADMIN},
    (Stage.IMPACT_SUBMITTED, Stage.NOT_AWARDED): {REVIEWER, ADMIN},
    # Any open stage can be withdrawn, by a reviewer or admin, with a reason.
    **{(stage, Stage.WITHDRAWN): {REVIEWER, ADMIN} for stage in OPEN_STAGES},
}
NOTE_REQUIRED = {Stage.WITHDRAWN, Stage.COMMITMENT_RETURNED, Stage.IMPACT_RETURNED}


def actor_roles(*, journey, actor):
    """What the actor may act as on this journey (a user can be several things)."""
    roles = set()
    if actor is None or not actor.is_authenticated:
        return roles
    if actor.is_superuser:
        roles.add(ADMIN)
    if is_member(actor, journey.school):
        roles.add(TEACHER)
    if reviews_school(actor, journey.school):
        roles.add(REVIEWER)
    return roles


def allowed_next_stages(*, journey, actor):
    roles = actor_roles(journey=journey, actor=actor)
    return [
        to for (frm, to), allowed in TRANSITIONS.items() if frm == journey.stage and roles & allowed
    ]


def change_stage(*, journey, to, actor, note=""):
    """Move `journey` to stage `to`, or raise ValidationError and change nothing."""
    to = Stage(to)
    with transaction.atomic():
        # Lock the row so two people acting at once cannot both move it from the same stage.
        locked = Journey.objects.select_for_update().get(pk=journey.pk)
        frm = Stage(locked.stage)
        allowed = TRANSITIONS.get((frm, to))
        if allowed is None:
            raise ValidationError(
                f"A journey cannot move from “{frm.label}” to “{to.label}”.", code="transition"
            )
        if not actor_roles(journey=locked, actor=actor) & allowed:
            raise ValidationError(
                f"You are not allowed to move this journey from “{frm.label}” to “{to.label}”.",
                code="actor",
            )
        if to in NOTE_REQUIRED and not note.strip():
            raise ValidationError("Please give a reason.", code="note")
        locked.stage = to
        locked.stage_changed_at = timezone.now()
        fields = ["stage", "stage_changed_at", *_set_due_dates(locked, to)]
        locked.save(update_fields=fields)
        record_activity(
            subject=locked,
            actor=actor,
            verb="stage_changed",
            from_state=frm,
            to_state=to,
            note=note,
        )
        transaction.on_commit(
            lambda: notifications.stage_changed(journey_id=locked.pk, frm=frm, to=to, note=note)
        )
    for field in fields:
        setattr(journey, field, getattr(locked, field))
    return journey


def _add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for candidate in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


def _set_due_dates(journey, to):
    """The due dates a stage starts, from the journey's framework version."""
    today = timezone.localdate()
    framework = journey.framework
    if to == Stage.CERTIFIED:
        journey.certified_on = today
        journey.impact_due = _add_months(today, framework.delivery_months)
        return ["certified_on", "impact_due"]
    if to == Stage.AWARDED:
        journey.award_expires = _add_months(today, framework.award_valid_months)
        return ["award_expires"]
    return []
