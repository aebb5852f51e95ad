"""Self-assessment checkpoints: the school re-takes its Quality Principles self-assessment."""

from django.core.exceptions import ValidationError
from django.db import transaction

from artsmark.common.activity import record_activity
from journeys.models import SelfAssessmentCheckpoint
from journeys.services.delivery import check_delivery_writer

MAX_EVIDENCE = 5000


def take_checkpoint(*, journey, actor, label, ratings):
    """Freeze a re-taken self-assessment.

    `ratings`: {principle slug: (scale level slug, evidence)}, one per Quality Principle of
    the journey's framework. Stored as a list of dicts in the framework's order, with each
    principle's title and level label as they were, so later framework edits change nothing.
    """
    check_delivery_writer(journey, actor)
    framework = journey.framework
    scale = {level.slug: level.label for level in framework.scale_levels.all()}
    principles = list(framework.quality_principles.all())
    slugs = {p.slug for p in principles}
    if set(ratings) - slugs:
        raise ValidationError("Unknown Quality Principle.")
    missing = [p.title for p in principles if not (ratings.get(p.slug) or ("", ""))[0]]
    if missing:
        raise ValidationError(f"Choose a rating for every Quality Principle: {', '.join(missing)}.")
    for level, evidence in ratings.values():
        if level not in scale:
            raise ValidationError("Choose a level from the framework's scale.")
        if len(evidence or "") > MAX_EVIDENCE:
            raise ValidationError(f"Evidence notes must be {MAX_EVIDENCE} characters or fewer.")
    label = (label or "").strip()
    if len(label) > 100:
        raise ValidationError("The name of the checkpoint must be 100 characters or fewer.")
    frozen = [
        {
            "principle": p.slug,
            "title": p.title,
            "level": ratings[p.slug][0],
            "level_label": scale[ratings[p.slug][0]],
            "evidence": (ratings[p.slug][1] or "").strip(),
        }
        for p in principles
    ]
    with transaction.atomic():
        checkpoint = SelfAssessmentCheckpoint.objects.create(
            journey=journey, label=label, ratings=frozen, created_by=actor
        )
        record_activity(
            subject=journey, actor=actor, verb="checkpoint_taken", note=label or "Self-assessment"
        )
    return checkpoint
