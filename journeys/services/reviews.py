"""Reviews of submitted statements: opening one on submission, its due date.

A review is opened in the same transaction as the submission it is about, so the queue
never shows a submission without a review or a review without a submission.
"""

import datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from artsmark.common.activity import record_activity
from artsmark.schools.access import is_member, leads_review_of, reviews_school
from journeys import notifications
from journeys.enums import (
    COMMITMENT_EDITABLE_STAGES,
    IMPACT_EDITABLE_STAGES,
    ReviewDecision,
    ReviewKind,
    Stage,
)
from journeys.models import FeedbackRequest, Journey, Review, ReviewComment
from journeys.services.fees import check_assessable
from journeys.services.stages import change_stage


def add_working_days(day, days):
    """The date `days` working days (Monday to Friday) after `day`.

    Bank holidays are not counted out: a review due on one is due that day.
    """
    while days > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def open_review(*, journey, kind, version_number):
    """Open the review of a version just submitted; called inside the submitting transaction."""
    now = timezone.now()
    return Review.objects.create(
        journey=journey,
        kind=kind,
        version_number=version_number,
        submitted_at=now,
        due_on=add_working_days(timezone.localdate(now), journey.framework.review_working_days),
    )


# --- Who reviews ----------------------------------------------------------------------------


def is_organisation_lead(user, school):
    """A lead of a Bridge Organisation covering the school (they assign its reviews)."""
    return leads_review_of(user, school)


def _check_reviewer(journey, actor):
    if not (actor.is_superuser or reviews_school(actor, journey.school)):
        raise ValidationError(
            "Only reviewers of the school's Bridge Organisation can do that.", code="actor"
        )


def lock_undecided_review(*, review):
    """The review, locked for this transaction; a ValidationError if it is decided already.

    Two reviewers deciding at once: the second waits for the first, then finds it decided.
    """
    locked = (
        Review.objects.select_for_update(of=("self",))
        .select_related("decided_by")
        .get(pk=review.pk)
    )
    if locked.is_decided:
        who = locked.decided_by.get_short_name() if locked.decided_by else "Someone"
        when = timezone.localtime(locked.decided_at).strftime("%-d %B %Y at %H:%M")
        raise ValidationError(
            f"{who} already decided on this submission ({locked.get_decision_display()}) "
            f"on {when}. Nothing has been changed.",
            code="stale",
        )
    return locked


def close_review(*, review, actor, decision, feedback="", award_level=""):
    """Record the decision on a locked, undecided review (inside the deciding transaction)."""
    if decision != ReviewDecision.WITHDRAWN:
        # Nothing is assessed until the registration fee is paid (services/fees.py).
        check_assessable(review.journey_id)
    review.decision = decision
    review.feedback = feedback
    review.award_level = award_level
    review.decided_by = actor
    review.decided_at = timezone.now()
    fields = ["decision", "feedback", "award_level", "decided_by", "decided_at"]
    if review.assigned_to_id is None:
        review.assigned_to = actor
        review.assigned_at = review.decided_at
        fields += ["assigned_to", "assigned_at"]
    review.save(update_fields=fields)
    return review


# --- Assignment and comments ----------------------------------------------------------------


def take_review(*, review, actor):
    """A reviewer assigns an undecided review to themself."""
    return assign_review(review=review, actor=actor, reviewer=actor)


def assign_review(*, review, actor, reviewer):
    """Assign an undecided review: to oneself, or (an organisation lead) to a colleague."""
    journey = review.journey
    _check_reviewer(journey, actor)
    check_assessable(journey)
    if reviewer != actor and not (
        actor.is_superuser or is_organisation_lead(actor, journey.school)
    ):
        raise ValidationError(
            "Only an organisation lead can assign a submission to someone else.", code="actor"
        )
    if not reviews_school(reviewer, journey.school):
        raise ValidationError(
            "That person is not a reviewer of a Bridge Organisation covering this school.",
            code="reviewer",
        )
    with transaction.atomic():
        locked = lock_undecided_review(review=review)
        locked.assigned_to = reviewer
        locked.assigned_at = timezone.now()
        locked.save(update_fields=["assigned_to", "assigned_at"])
        record_activity(
            subject=journey,
            actor=actor,
            verb="review_assigned",
            note=reviewer.get_full_name() or reviewer.email,
        )
        if reviewer != actor:
            transaction.on_commit(
                partial(notifications.review_assigned, review_id=review.pk, assigned_by_id=actor.pk)
            )
    review.assigned_to, review.assigned_at = locked.assigned_to, locked.assigned_at
    return review


def save_comment(*, review, actor, part, text):
    """Set (or, with empty text, remove) the reviewer's comment on one part of a submission."""
    _check_reviewer(review.journey, actor)
    part = (part or "").strip()
    if not part or len(part) > 60:
        raise ValidationError("Choose which part of the statement the comment is about.")
    text = (text or "").strip()
    with transaction.atomic():
        lock_undecided_review(review=review)
        if not text:
            ReviewComment.objects.filter(review=review, part=part).delete()
            return None
        comment, _ = ReviewComment.objects.update_or_create(
            review=review, part=part, defaults={"text": text, "author": actor}
        )
    return comment


# --- Decisions on a Statement of Commitment -------------------------------------------------

COMMITMENT_DECISIONS = {
    ReviewDecision.APPROVED: Stage.CERTIFIED,
    ReviewDecision.RETURNED: Stage.COMMITMENT_RETURNED,
}


def decide_commitment(*, review, actor, decision, feedback="", version_number=None):
    """Approve a submitted Statement of Commitment (the school is certified) or return it.

    `version_number` is the version the reviewer read: if the school has submitted another
    since, or someone else decided first, nothing changes and a ValidationError says why.
    Returning needs feedback; the school's members are emailed the decision.
    """
    if review.kind != ReviewKind.COMMITMENT:
        raise ValidationError("This is not a review of a Statement of Commitment.")
    try:
        to = COMMITMENT_DECISIONS[ReviewDecision(decision)]
    except (ValueError, KeyError):
        raise ValidationError("Choose whether to approve or return the statement.") from None
    feedback = (feedback or "").strip()
    if decision == ReviewDecision.RETURNED and not feedback:
        raise ValidationError(
            "Write feedback for the school: say what to change before it submits again.",
            code="feedback",
        )
    _check_reviewer(review.journey, actor)
    check_assessable(review.journey)
    with transaction.atomic():
        locked = lock_undecided_review(review=review)
        if version_number is not None and int(version_number) != locked.version_number:
            raise ValidationError(
                "The school has submitted a newer version since you opened this page. "
                "Nothing has been changed: read the newer version first.",
                code="stale",
            )
        change_stage(journey=review.journey, to=to, actor=actor, note=feedback)
        close_review(review=locked, actor=actor, decision=decision, feedback=feedback)
    return locked


# --- Withdrawal -----------------------------------------------------------------------------


def withdraw_journey(*, journey, actor, reason):
    """A reviewer or admin ends an open journey, with a reason; the school may register again."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Give the reason for withdrawing the journey.", code="note")
    with transaction.atomic():
        open_review = Review.objects.filter(journey=journey, decision="").first()
        if open_review is not None:
            locked = lock_undecided_review(review=open_review)
        change_stage(journey=journey, to=Stage.WITHDRAWN, actor=actor, note=reason)
        if open_review is not None:
            close_review(
                review=locked, actor=actor, decision=ReviewDecision.WITHDRAWN, feedback=reason
            )
    return journey


# --- Informal feedback on a draft -----------------------------------------------------------

FEEDBACK_STAGES = {
    ReviewKind.COMMITMENT: COMMITMENT_EDITABLE_STAGES,
    ReviewKind.IMPACT: IMPACT_EDITABLE_STAGES,
}


def request_feedback(*, journey, actor, kind, message=""):
    """A school member asks the Bridge Organisation to look at a draft (the stage stays)."""
    if not (actor.is_superuser or is_member(actor, journey.school)):
        raise ValidationError("Only members of the school can ask for feedback.", code="actor")
    kind = ReviewKind(kind)
    if journey.stage not in FEEDBACK_STAGES[kind]:
        raise ValidationError(
            f"You can ask for feedback on your {kind.label} only while you are drafting it."
        )
    with transaction.atomic():
        Journey.objects.select_for_update().filter(pk=journey.pk).first()
        if FeedbackRequest.objects.filter(journey=journey, answered_at__isnull=True).exists():
            raise ValidationError(
                "You have already asked for feedback: your Bridge Organisation will answer "
                "that request first.",
                code="duplicate",
            )
        feedback_request = FeedbackRequest.objects.create(
            journey=journey, kind=kind, message=(message or "").strip(), requested_by=actor
        )
        record_activity(subject=journey, actor=actor, verb="feedback_requested")
        transaction.on_commit(
            partial(notifications.feedback_requested, feedback_request_id=feedback_request.pk)
        )
    return feedback_request


def answer_feedback(*, feedback_request, actor, answer):
    """A reviewer answers a request for informal feedback; the stage does not change."""
    _check_reviewer(feedback_request.journey, actor)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError("Write your feedback before sending it.", code="answer")
    with transaction.atomic():
        locked = FeedbackRequest.objects.select_for_update().get(pk=feedback_request.pk)
        if locked.answered_at is not None:
            raise ValidationError(
                "This request has already been answered. Nothing has been changed.",
                code="stale",
            )
        locked.answer = answer
        locked.answered_by = actor
        locked.answered_at = timezone.now()
        locked.save(update_fields=["answer", "answered_by", "answered_at"])
        record_activity(subject=locked.journey, actor=actor, verb="feedback_given")
        transaction.on_commit(
            partial(notifications.feedback_answered, feedback_request_id=locked.pk)
        )
    return locked
