"""Deciding on a Statement of Impact: judge every strand, then award, not award or return.

All of a decision happens in one transaction (the strand judgements, the review's decision,
the stage change and, on an award, the Award row); the certificate is asked for once it has
committed. Anything wrong (no feedback, a missing strand, someone decided first, a return
beyond the framework's limit, a second award) changes nothing and says why.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from artsmark.common.models import ReportRequest
from artsmark.common.reports.services import request_report
from artsmark.schools.access import reviews_school
from journeys.enums import AwardLevel, ReviewDecision, ReviewKind, Stage, StrandLevel
from journeys.models import Award, Review, StrandJudgement
from journeys.services.reviews import close_review, lock_undecided_review
from journeys.services.stages import _add_months, change_stage

IMPACT_DECISIONS = {
    ReviewDecision.AWARDED: Stage.AWARDED,
    ReviewDecision.NOT_AWARDED: Stage.NOT_AWARDED,
    ReviewDecision.RETURNED: Stage.IMPACT_RETURNED,
}
JUDGED_DECISIONS = (ReviewDecision.AWARDED, ReviewDecision.NOT_AWARDED)


def impact_returns(*, journey):
    """How many times the journey's Statement of Impact has been returned for more evidence."""
    return Review.objects.filter(
        journey=journey, kind=ReviewKind.IMPACT, decision=ReviewDecision.RETURNED
    ).count()


def award_expiry(*, framework, awarded_on):
    """The day an award made on `awarded_on` expires (the framework says how many months)."""
    return _add_months(awarded_on, framework.award_valid_months)


def _check_reviewer(journey, actor):
    if not (actor.is_superuser or reviews_school(actor, journey.school)):
        raise ValidationError(
            "Only reviewers of the school's Bridge Organisation can decide on its "
            "Statement of Impact.",
            code="actor",
        )


def _clean_decision(decision, award_level):
    try:
        decision = ReviewDecision(decision)
        to = IMPACT_DECISIONS[decision]
    except (ValueError, KeyError):
        raise ValidationError(
            "Choose whether to award a level, record “working towards”, or return the "
            "statement for more evidence.",
            code="decision",
        ) from None
    if decision == ReviewDecision.AWARDED:
        if award_level not in AwardLevel.values:
            raise ValidationError(
                "Choose the level to award: Silver, Gold or Platinum.", code="award_level"
            )
    else:
        award_level = ""
    return decision, to, award_level


def _clean_judgements(journey, decision, judgements):
    """{strand slug: (level, note)} checked against the journey's framework."""
    strands = {s.slug: s.title for s in journey.framework.strands.all()}
    judgements = dict(judgements or {})
    if set(judgements) - set(strands):
        raise ValidationError("Judge only the strands of this journey's framework.")
    cleaned = {}
    for slug, value in judgements.items():
        raw_level, raw_note = (value if isinstance(value, (list, tuple)) else (value, ""))[:2]
        level, note = str(raw_level or ""), str(raw_note or "").strip()
        if not level:
            continue
        if level not in StrandLevel.values:
            raise ValidationError(
                f"“{strands[slug]}”: choose working towards, Silver, Gold or Platinum.",
                code="judgements",
            )
        cleaned[slug] = (level, note)
    if decision in JUDGED_DECISIONS:
        missing = [title for slug, title in strands.items() if slug not in cleaned]
        if missing:
            raise ValidationError(
                "Judge every strand before deciding. Not judged yet: " + "; ".join(missing) + ".",
                code="judgements",
            )
    return cleaned


def decide_impact(
    *, review, actor, decision, feedback, judgements, award_level="", version_number=None
):
    """Award a level, record "working towards" (not awarded), or return for more evidence.

    `judgements`: {strand slug: (StrandLevel value, note)}, every strand of the framework
    when awarding or not awarding. `version_number` is the version the reviewer read.
    Returns the decided review; raises ValidationError and changes nothing otherwise.
    """
    if review.kind != ReviewKind.IMPACT:
        raise ValidationError("This is not a review of a Statement of Impact.")
    journey = review.journey
    decision, to, award_level = _clean_decision(decision, award_level)
    feedback = (feedback or "").strip()
    if not feedback:
        raise ValidationError(
            "Write feedback for the school: what it does well and what would take it further.",
            code="feedback",
        )
    cleaned = _clean_judgements(journey, decision, judgements)
    _check_reviewer(journey, actor)
    with transaction.atomic():
        locked = lock_undecided_review(review=review)
        if version_number is not None and str(version_number) != str(locked.version_number):
            raise ValidationError(
                "The school has submitted a newer version since you opened this page. "
                "Nothing has been changed: read the newer version first.",
                code="stale",
            )
        if decision == ReviewDecision.RETURNED:
            limit = journey.framework.max_impact_returns
            if impact_returns(journey=journey) >= limit:
                raise ValidationError(
                    f"This Statement of Impact has already been returned {limit} "
                    f"time{'s' if limit != 1 else ''}, the most the framework allows. "
                    "Award a level or record “working towards”. Nothing has been changed.",
                    code="returns",
                )
        if decision == ReviewDecision.AWARDED and Award.objects.filter(journey=journey).exists():
            raise ValidationError(
                "This journey already has an award: it cannot be awarded twice. "
                "Nothing has been changed.",
                code="awarded",
            )
        change_stage(journey=journey, to=to, actor=actor, note=feedback)
        close_review(
            review=locked,
            actor=actor,
            decision=decision,
            feedback=feedback,
            award_level=award_level,
        )
        StrandJudgement.objects.bulk_create(
            StrandJudgement(review=locked, strand=slug, level=level, note=note)
            for slug, (level, note) in cleaned.items()
        )
        if decision == ReviewDecision.AWARDED:
            _make_award(journey=journey, review=locked, level=award_level, actor=actor)
    return locked


def _make_award(*, journey, review, level, actor):
    awarded_on = timezone.localdate()
    award = Award.objects.create(
        journey=journey,
        review=review,
        level=level,
        awarded_on=awarded_on,
        expires_on=award_expiry(framework=journey.framework, awarded_on=awarded_on),
        awarded_by=actor,
    )
    # The certificate is made by a worker once the award is committed (never on rollback).
    transaction.on_commit(lambda: request_certificate(journey=journey, user=actor))
    return award


def request_certificate(*, journey, user):
    """Ask a worker for the journey's certificate, unless one is ready already (then None)."""
    if not Award.objects.filter(journey=journey).exists():
        raise ValidationError("This journey has no award, so it has no certificate.")
    ready = ReportRequest.objects.filter(
        kind="certificate",
        content_type=ContentType.objects.get_for_model(journey),
        object_id=journey.pk,
        status=ReportRequest.Status.READY,
    )
    if ready.exists():
        return None
    return request_report(kind="certificate", subject=journey, user=user)
