"""Writing the Statement of Impact: reflections per goal, final self-assessment, evidence
chosen from the locker, the level applied for, and submission.

Each part has its own version number (ImpactReflection.version per goal; the assessment,
evidence and level versions on ImpactDraft). A save names the version it was based on; a
stale save that would change what a colleague saved is refused with an ImpactConflictError
carrying both the newer stored value and the refused one, so neither is lost.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from artsmark.schools.access import is_member
from journeys.enums import IMPACT_EDITABLE_STAGES, AwardLevel, ReviewKind, Stage
from journeys.models import EvidenceItem, ImpactDraft, ImpactReflection, ImpactVersion, Journey
from journeys.services.commitment import SubmissionBlockedError
from journeys.services.reviews import open_review
from journeys.services.stages import change_stage

MAX_TEXT = 50_000


class ImpactConflictError(ValidationError):
    """A save based on an older version than the stored one: nothing was changed.

    `current` is what is stored now (the colleague's newer value), `refused` what this save
    tried to store, `version` the stored version to base the next deliberate save on.
    """

    def __init__(self, *, part, current, refused, version, updated_by, updated_at):
        who = updated_by.get_short_name() if updated_by else "A colleague"
        when = timezone.localtime(updated_at).strftime("%H:%M") if updated_at else "just now"
        super().__init__(
            f"{who} saved this at {when}, after you opened it. Your changes have not been "
            "saved: they are still in the form below. Compare them with the newer version, "
            "combine them, and save again.",
            code="conflict",
        )
        self.part = part
        self.current = current
        self.refused = refused
        self.version = version
        self.updated_by = updated_by
        self.updated_at = updated_at


def _check_writer(journey, actor):
    if not (actor.is_superuser or is_member(actor, journey.school)):
        raise ValidationError(
            "Only members of the school can change its Statement of Impact.", code="actor"
        )


def start_impact(*, journey, actor):
    """Make sure the Statement of Impact may be edited now; the first edit moves
    `certified` on to `impact_draft`."""
    _check_writer(journey, actor)
    if journey.stage == Stage.CERTIFIED:
        change_stage(
            journey=journey,
            to=Stage.IMPACT_DRAFT,
            actor=actor,
            note="Started the Statement of Impact.",
        )
    if journey.stage not in IMPACT_EDITABLE_STAGES:
        raise ValidationError(
            f"The Statement of Impact cannot be changed now: {_WHY_NOT.get(journey.stage, _EARLY)}",
            code="stage",
        )


_EARLY = "your school must be Artsmark Certified first."
_WHY_NOT = {
    Stage.IMPACT_SUBMITTED: "it has been submitted and is being reviewed.",
    Stage.AWARDED: "this journey has been decided.",
    Stage.NOT_AWARDED: "this journey has been decided.",
    Stage.WITHDRAWN: "this journey was withdrawn.",
}


def _locked_draft(journey):
    """The journey's ImpactDraft, made if missing, locked for this transaction."""
    ImpactDraft.objects.get_or_create(journey=journey)
    return (
        ImpactDraft.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .get(journey=journey)
    )


def _version(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError("This form is out of date: reload the page.") from None


# --- Reflections per goal -----------------------------------------------------------------


def save_reflection(*, journey, goal, text, based_on_version, actor, completed=None):
    """Save the reflection on one goal if nobody has saved it since `based_on_version`."""
    if goal.journey_id != journey.pk:
        raise ValidationError("That goal is not part of this journey.")
    based_on_version = _version(based_on_version)
    text = str(text or "")
    if len(text) > MAX_TEXT:
        raise ValidationError(f"A reflection can be at most {MAX_TEXT:,} characters long.")
    start_impact(journey=journey, actor=actor)
    with transaction.atomic():
        ImpactReflection.objects.get_or_create(journey=journey, goal=goal)
        reflection = (
            ImpactReflection.objects.select_for_update(of=("self",))
            .select_related("updated_by")
            .get(journey=journey, goal=goal)
        )
        # A stale save of the very text that is stored (e.g. the user's own autosave landed
        # first) overwrites nothing, so it is not a conflict.
        if reflection.version != based_on_version and reflection.text != text:
            raise ImpactConflictError(
                part="reflection",
                current=reflection.text,
                refused=text,
                version=reflection.version,
                updated_by=reflection.updated_by,
                updated_at=reflection.updated_at,
            )
        reflection.text = text
        reflection.version += 1
        reflection.updated_by = actor
        if completed is not None:
            reflection.is_completed = bool(completed)
        reflection.save()
    return reflection


# --- Final self-assessment ----------------------------------------------------------------


def save_final_assessment(*, journey, actor, ratings, based_on_version):
    """`ratings`: {principle slug: (scale level slug or "", evidence)}; merged into the draft."""
    based_on_version = _version(based_on_version)
    framework = journey.framework
    scale = set(framework.scale_levels.values_list("slug", flat=True))
    principles = set(framework.quality_principles.values_list("slug", flat=True))
    if set(ratings) - principles:
        raise ValidationError("Unknown Quality Principle.")
    new = {}
    for slug, (raw_level, raw_evidence) in ratings.items():
        level, evidence = str(raw_level or ""), str(raw_evidence or "")
        if level and level not in scale:
            raise ValidationError("Choose a level from the framework's scale.")
        if len(evidence) > MAX_TEXT:
            raise ValidationError("The evidence notes are too long.")
        new[slug] = {"level": level, "evidence": evidence}
    start_impact(journey=journey, actor=actor)
    with transaction.atomic():
        draft = _locked_draft(journey)
        stored = draft.final_ratings or {}
        unchanged = all(stored.get(slug) == value for slug, value in new.items())
        if draft.assessment_version != based_on_version and not unchanged:
            raise ImpactConflictError(
                part="assessment",
                current=stored,
                refused=new,
                version=draft.assessment_version,
                updated_by=draft.updated_by,
                updated_at=draft.updated_at,
            )
        draft.final_ratings = {**stored, **new}
        draft.assessment_version += 1
        draft.updated_by = actor
        draft.save(
            update_fields=["final_ratings", "assessment_version", "updated_by", "updated_at"]
        )
    return draft


# --- Evidence chosen from the locker ------------------------------------------------------


def choose_evidence(*, journey, actor, evidence_ids, based_on_version):
    """Choose which of the journey's own evidence items the Statement of Impact presents."""
    based_on_version = _version(based_on_version)
    try:
        wanted = {int(pk) for pk in evidence_ids}
    except (TypeError, ValueError):
        raise ValidationError("Choose evidence from your school's evidence locker.") from None
    own = set(
        EvidenceItem.objects.filter(journey=journey, pk__in=wanted).values_list("pk", flat=True)
    )
    if own != wanted:
        raise ValidationError("Choose evidence from your school's evidence locker.")
    start_impact(journey=journey, actor=actor)
    with transaction.atomic():
        draft = _locked_draft(journey)
        stored = set(draft.evidence.values_list("pk", flat=True))
        if draft.evidence_version != based_on_version and stored != wanted:
            raise ImpactConflictError(
                part="evidence",
                current=sorted(stored),
                refused=sorted(wanted),
                version=draft.evidence_version,
                updated_by=draft.updated_by,
                updated_at=draft.updated_at,
            )
        draft.evidence.set(wanted)
        draft.evidence_version += 1
        draft.updated_by = actor
        draft.save(update_fields=["evidence_version", "updated_by", "updated_at"])
    return draft


# --- The level applied for ----------------------------------------------------------------


def set_level_applied_for(*, journey, actor, level, reason, based_on_version):
    based_on_version = _version(based_on_version)
    level, reason = str(level or ""), str(reason or "").strip()
    if level and level not in AwardLevel.values:
        raise ValidationError("Choose Silver, Gold or Platinum.")
    if len(reason) > MAX_TEXT:
        raise ValidationError("The reason is too long.")
    start_impact(journey=journey, actor=actor)
    with transaction.atomic():
        draft = _locked_draft(journey)
        stored = {"level": draft.level_applied_for, "reason": draft.level_reason}
        new = {"level": level, "reason": reason}
        if draft.level_version != based_on_version and stored != new:
            raise ImpactConflictError(
                part="level",
                current=stored,
                refused=new,
                version=draft.level_version,
                updated_by=draft.updated_by,
                updated_at=draft.updated_at,
            )
        draft.level_applied_for, draft.level_reason = level, reason
        draft.level_version += 1
        draft.updated_by = actor
        draft.save(
            update_fields=[
                "level_applied_for",
                "level_reason",
                "level_version",
                "updated_by",
                "updated_at",
            ]
        )
    return draft


# --- Submission ---------------------------------------------------------------------------


def submit_impact(*, journey, actor):
    """Freeze the Statement of Impact as a new version and open its review, in one go."""
    from journeys.impact_selectors import impact_problems, impact_snapshot

    _check_writer(journey, actor)
    with transaction.atomic():
        locked = Journey.objects.select_for_update().select_related("framework").get(pk=journey.pk)
        if locked.stage not in IMPACT_EDITABLE_STAGES:
            raise ValidationError(
                "This Statement of Impact is not ready to be submitted.", code="stage"
            )
        snapshot = impact_snapshot(journey=locked)
        problems = impact_problems(journey=locked, snapshot=snapshot)
        if problems:
            raise SubmissionBlockedError(problems)
        if locked.stage == Stage.CERTIFIED:
            start_impact(journey=locked, actor=actor)
        number = locked.impact_versions.count() + 1
        version = ImpactVersion.objects.create(
            journey=locked, number=number, content=snapshot, submitted_by=actor
        )
        change_stage(
            journey=locked,
            to=Stage.IMPACT_SUBMITTED,
            actor=actor,
            note=f"Submitted Statement of Impact version {number}.",
        )
        open_review(journey=locked, kind=ReviewKind.IMPACT, version_number=number)
    journey.stage = locked.stage
    journey.stage_changed_at = locked.stage_changed_at
    return version
