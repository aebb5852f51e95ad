"""Writing the Statement of Commitment: sections, goals, self-assessment, sign-off, submission."""

import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from artsmark.common import vocab
from artsmark.common.activity import record_activity
from artsmark.schools.access import is_lead, is_member
from journeys.enums import COMMITMENT_EDITABLE_STAGES, ReviewKind, Stage, StrandLevel
from journeys.models import (
    Answer,
    CommitmentVersion,
    DraftConflict,
    Goal,
    Journey,
    PrincipleRating,
    SectionDraft,
    SignOff,
    StrandAssessment,
)
from journeys.services.reviews import open_review
from journeys.services.stages import change_stage


class DraftConflictError(ValidationError):
    """A save based on an older version than the stored one. Carries both texts."""

    def __init__(self, *, draft, current_answers, conflict):
        who = draft.updated_by.get_short_name() if draft.updated_by else "A colleague"
        when = timezone.localtime(draft.updated_at).strftime("%H:%M")
        super().__init__(
            f"{who} saved this section at {when}, after you opened it. Your text has not been "
            "saved: it is still in the form below. Compare it with the newer text, combine "
            "them, and save again.",
            code="conflict",
        )
        self.draft = draft
        self.current_answers = current_answers
        self.conflict = conflict


def _check_writer(journey, actor):
    if not (actor.is_superuser or is_member(actor, journey.school)):
        raise ValidationError("Only members of the school can change its Statement of Commitment.")


def start_drafting(*, journey, actor):
    """Make sure the draft may be edited now; the first edit moves `registered` on."""
    _check_writer(journey, actor)
    if journey.stage == Stage.REGISTERED:
        change_stage(
            journey=journey,
            to=Stage.COMMITMENT_DRAFT,
            actor=actor,
            note="Started the Statement of Commitment.",
        )
    if journey.stage not in COMMITMENT_EDITABLE_STAGES:
        raise ValidationError(
            "The Statement of Commitment cannot be changed now: it has been submitted."
        )


def section_answers(*, journey, section):
    """{question slug: text} of the stored draft of a section."""
    texts = dict(
        Answer.objects.filter(journey=journey, question__section=section).values_list(
            "question__slug", "text"
        )
    )
    return {q.slug: texts.get(q.slug, "") for q in section.questions.all()}


def save_section(*, journey, section, answers, based_on_version, actor, completed=None):
    """Save a section's answers if nobody has saved it since `based_on_version`.

    A stale save changes nothing in the draft: it is kept as a DraftConflict and raised as a
    DraftConflictError carrying the newer text, so that neither text is lost.
    """
    if section.framework_id != journey.framework_id:
        raise ValidationError("That section is not part of this journey's framework.")
    start_drafting(journey=journey, actor=actor)
    questions = {q.slug: q for q in section.questions.all()}
    answers = {slug: str(text) for slug, text in answers.items() if slug in questions}
    with transaction.atomic():
        SectionDraft.objects.get_or_create(journey=journey, section=section)
        draft = (
            SectionDraft.objects.select_for_update(of=("self",))
            .select_related("updated_by")
            .get(journey=journey, section=section)
        )
        stored = section_answers(journey=journey, section=section)
        # A stale save whose text matches what is stored overwrites nothing (e.g. the
        # user's own autosave landed first), so it is not a conflict.
        same_text = all(stored.get(slug, "") == text for slug, text in answers.items())
        if draft.version != based_on_version and not same_text:
            conflict = DraftConflict.objects.create(
                journey=journey,
                section=section,
                user=actor,
                based_on_version=based_on_version,
                stored_version=draft.version,
                answers=answers,
            )
            error = DraftConflictError(
                draft=draft,
                current_answers=stored,
                conflict=conflict,
            )
        else:
            error = None
            for slug, text in answers.items():
                Answer.objects.update_or_create(
                    journey=journey, question=questions[slug], defaults={"text": text}
                )
            draft.version += 1
            draft.updated_by = actor
            if completed is not None:
                draft.is_completed = completed
            draft.save()
    if error is not None:
        raise error
    return draft


class StaleSaveError(ValidationError):
    """A save of the self-assessment or a goal based on an older state than the stored one.

    Nothing is saved; the page shows the stored values beside the user's, which stay in the
    form, and `version` is the stored state's version for the user's next deliberate save.
    """

    def __init__(self, *, what, version):
        super().__init__(
            f"A colleague changed {what} after you opened it. Your changes have not been "
            "saved: they are still in the form below. Compare them with the newer values "
            "shown, then save again.",
            code="conflict",
        )
        self.version = version


def state_version(values):
    """A short fingerprint of stored values: a save based on another fingerprint is stale."""
    text = json.dumps(values, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _check_not_stale(*, what, stored, incoming, based_on, missing=None):
    """Refuse a save whose base is not the stored state, unless it changes nothing stored
    (e.g. the user's own autosave landed first). `missing`: the value of a key not stored."""
    current = state_version(stored)
    if based_on is None or based_on == current:
        return
    if all(stored.get(key, missing) == value for key, value in incoming.items()):
        return
    raise StaleSaveError(what=what, version=current)


# --- Goals --------------------------------------------------------------------------------

GOAL_FIELDS = [
    "title",
    "description",
    "quality_principles",
    "strands",
    "art_forms",
    "actions",
    "success_measure",
    "baseline",
    "timescale",
    "lead_name",
]
_GOAL_VOCABS = {
    "quality_principles": vocab.QUALITY_PRINCIPLES,
    "strands": vocab.STRANDS,
    "art_forms": vocab.ART_FORMS,
}


def _clean_goal(fields):
    unknown = set(fields) - set(GOAL_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown goal fields: {', '.join(sorted(unknown))}.")
    if "title" in fields and not (fields["title"] or "").strip():
        raise ValidationError("Enter a title for the goal.")
    for name, vocabulary in _GOAL_VOCABS.items():
        if name in fields:
            known = {slug for slug, _ in vocabulary}
            values = list(dict.fromkeys(fields[name] or []))
            if set(values) - known:
                raise ValidationError(f"Unknown choice for {name.replace('_', ' ')}.")
            fields[name] = values
    return fields


def add_goal(*, journey, actor, **fields):
    start_drafting(journey=journey, actor=actor)
    fields = _clean_goal(fields)
    with transaction.atomic():
        Journey.objects.select_for_update().filter(pk=journey.pk).first()
        last = journey.goals.aggregate(n=Max("order"))["n"]
        return Goal.objects.create(journey=journey, order=0 if last is None else last + 1, **fields)


def goal_values(goal):
    return {name: getattr(goal, name) for name in GOAL_FIELDS}


def update_goal(*, goal, actor, based_on_version=None, **fields):
    """Change a goal. With `based_on_version` (see `state_version`), a save based on an older
    state of the goal is refused with StaleSaveError, and nothing changes."""
    start_drafting(journey=goal.journey, actor=actor)
    fields = _clean_goal(fields)
    with transaction.atomic():
        stored = Goal.objects.select_for_update().filter(pk=goal.pk).first()
        if stored is None:
            raise ValidationError("This goal has been removed.")
        _check_not_stale(
            what="this goal",
            stored=goal_values(stored),
            incoming=fields,
            based_on=based_on_version,
        )
        for name, value in fields.items():
            setattr(goal, name, value)
        goal.save(update_fields=[*fields, "updated_at"])
    return goal


def remove_goal(*, goal, actor):
    start_drafting(journey=goal.journey, actor=actor)
    goal.delete()


def move_goal(*, goal, direction, actor):
    """Swap a goal with its neighbour above ("up") or below ("down")."""
    if direction not in {"up", "down"}:
        raise ValidationError("Choose up or down.")
    journey = goal.journey
    start_drafting(journey=journey, actor=actor)
    with transaction.atomic():
        Journey.objects.select_for_update().filter(pk=journey.pk).first()
        goals = list(journey.goals.order_by("order", "id"))
        index = next(i for i, g in enumerate(goals) if g.pk == goal.pk)
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(goals):
            goals[index], goals[other] = goals[other], goals[index]
        for order, item in enumerate(goals):
            if item.order != order:
                item.order = order
                item.save(update_fields=["order"])
    return goal


# --- Self-assessment ----------------------------------------------------------------------


def self_assessment_values(*, journey):
    """The stored self-assessment as {"rating:<slug>": [level, evidence], "strand:<slug>": ...}."""
    values = {
        f"rating:{slug}": [level, evidence]
        for slug, level, evidence in PrincipleRating.objects.filter(journey=journey).values_list(
            "principle", "level", "evidence"
        )
    }
    values.update(
        {
            f"strand:{slug}": [level, note]
            for slug, level, note in StrandAssessment.objects.filter(journey=journey).values_list(
                "strand", "level", "note"
            )
        }
    )
    return values


def save_self_assessment(*, journey, actor, ratings, strands, based_on_version=None):
    """`ratings`: {principle slug: (scale level slug or "", evidence)};
    `strands`: {strand slug: (StrandLevel value or "", note)}.

    With `based_on_version` (the `state_version` of the values the user was shown), a save
    based on an older state is refused with StaleSaveError and nothing changes.
    """
    start_drafting(journey=journey, actor=actor)
    scale = set(journey.framework.scale_levels.values_list("slug", flat=True))
    principles = set(journey.framework.quality_principles.values_list("slug", flat=True))
    strand_slugs = set(journey.framework.strands.values_list("slug", flat=True))
    if set(ratings) - principles or set(strands) - strand_slugs:
        raise ValidationError("Unknown Quality Principle or strand.")
    for level, _ in ratings.values():
        if level and level not in scale:
            raise ValidationError("Choose a level from the framework's scale.")
    for level, _ in strands.values():
        if level and level not in StrandLevel.values:
            raise ValidationError("Choose working towards, Silver, Gold or Platinum.")
    with transaction.atomic():
        Journey.objects.select_for_update().filter(pk=journey.pk).first()
        stored = self_assessment_values(journey=journey)
        incoming = {f"rating:{slug}": [level, text] for slug, (level, text) in ratings.items()}
        incoming.update(
            {f"strand:{slug}": [level, text] for slug, (level, text) in strands.items()}
        )
        _check_not_stale(
            what="the self-assessment",
            stored=stored,
            incoming=incoming,
            based_on=based_on_version,
            missing=["", ""],  # never saved counts as empty
        )
        for slug, (level, evidence) in ratings.items():
            PrincipleRating.objects.update_or_create(
                journey=journey, principle=slug, defaults={"level": level, "evidence": evidence}
            )
        for slug, (level, note) in strands.items():
            StrandAssessment.objects.update_or_create(
                journey=journey, strand=slug, defaults={"level": level, "note": note}
            )


# --- Sign-off and submission --------------------------------------------------------------


def record_sign_off(
    *, journey, actor, headteacher_name, headteacher_signed_on, chair_name, chair_signed_on
):
    """The lead confirms that the headteacher and chair of governors have signed off."""
    if not (actor.is_superuser or is_lead(actor, journey.school)):
        raise ValidationError("Only the school's Artsmark lead can confirm the sign-off.")
    start_drafting(journey=journey, actor=actor)
    today = timezone.localdate()
    if headteacher_signed_on > today or chair_signed_on > today:
        raise ValidationError("Sign-off dates cannot be in the future.")
    if not headteacher_name.strip() or not chair_name.strip():
        raise ValidationError("Enter both names.")
    sign_off, _ = SignOff.objects.update_or_create(
        journey=journey,
        defaults={
            "headteacher_name": headteacher_name.strip(),
            "headteacher_signed_on": headteacher_signed_on,
            "chair_name": chair_name.strip(),
            "chair_signed_on": chair_signed_on,
            "confirmed_by": actor,
        },
    )
    record_activity(subject=journey, actor=actor, verb="signed_off")
    return sign_off


class SubmissionBlockedError(ValidationError):
    def __init__(self, problems):
        super().__init__([problem["message"] for problem in problems], code="blocked")
        self.problems = problems


def submit_commitment(*, journey, actor):
    """Freeze the draft as a new version and send it to the Bridge Organisation's reviewers."""
    from journeys.selectors import commitment_problems, commitment_snapshot

    _check_writer(journey, actor)
    with transaction.atomic():
        locked = Journey.objects.select_for_update().select_related("framework").get(pk=journey.pk)
        if locked.stage not in (Stage.COMMITMENT_DRAFT, Stage.COMMITMENT_RETURNED):
            raise ValidationError("This Statement of Commitment is not ready to be submitted.")
        snapshot = commitment_snapshot(journey=locked)
        problems = commitment_problems(journey=locked, snapshot=snapshot)
        if problems:
            raise SubmissionBlockedError(problems)
        number = locked.commitment_versions.count() + 1
        version = CommitmentVersion.objects.create(
            journey=locked, number=number, content=snapshot, submitted_by=actor
        )
        change_stage(
            journey=locked,
            to=Stage.COMMITMENT_SUBMITTED,
            actor=actor,
            note=f"Submitted version {number}.",
        )
        open_review(journey=locked, kind=ReviewKind.COMMITMENT, version_number=number)
        # The next round needs a fresh sign-off of whatever changes.
        SignOff.objects.filter(journey=locked).delete()
    journey.stage = locked.stage
    journey.stage_changed_at = locked.stage_changed_at
    return version
