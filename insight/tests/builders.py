"""Test data for the insight tests: journeys with their reviews, awards and invoices.

Rows are made directly (test data only: the portal writes them through its services), so
that a test can put any date anywhere, e.g. a review overdue by ten days.
"""

import datetime

from django.utils import timezone

from artsmark.schools.models import School
from journeys.enums import ReviewDecision, ReviewKind, Stage
from journeys.models import Award, Framework, Invoice, Journey, Review

DAY = datetime.timedelta(days=1)


def today():
    return timezone.localdate()


def days(n):
    """The date n days from today (negative: ago)."""
    return today() + n * DAY


def review(journey, *, due_on, decision="", kind=None, version_number=1, award_level=""):
    if kind is None:
        kind = ReviewKind.IMPACT if "impact" in journey.stage else ReviewKind.COMMITMENT
    return Review.objects.create(
        journey=journey,
        kind=kind,
        version_number=version_number,
        submitted_at=timezone.now(),
        due_on=due_on,
        decision=decision,
        award_level=award_level,
        decided_at=timezone.now() if decision else None,
    )


def award(journey, *, level, awarded_on, expires_on=None):
    decided = review(
        journey,
        due_on=awarded_on,
        decision=ReviewDecision.AWARDED,
        kind=ReviewKind.IMPACT,
        version_number=9,
        award_level=level,
    )
    expires_on = expires_on or awarded_on + 730 * DAY
    Journey.objects.filter(pk=journey.pk).update(award_expires=expires_on)
    return Award.objects.create(
        journey=journey, review=decided, level=level, awarded_on=awarded_on, expires_on=expires_on
    )


def invoice(journey, *, due_on, paid_on=None, amount_pence=50_000):
    return Invoice.objects.create(
        journey=journey,
        number=f"TEST-{journey.pk}",
        description="Artsmark registration",
        amount_pence=amount_pence,
        issued_on=due_on - 30 * DAY,
        due_on=due_on,
        paid_on=paid_on,
    )


STAGE_CYCLE = [
    Stage.REGISTERED,
    Stage.COMMITMENT_DRAFT,
    Stage.COMMITMENT_SUBMITTED,
    Stage.CERTIFIED,
    Stage.IMPACT_SUBMITTED,
    Stage.AWARDED,
]


def bulk_journeys(count, *, local_authority, start=0, phase="Primary"):
    """`count` schools in one local authority, each with a journey (stages in turn, every
    due date passed), an overdue review when submitted, an award when awarded, and an
    unpaid invoice: every list and figure of a dashboard has rows."""
    framework = Framework.objects.current()
    schools = School.objects.bulk_create(
        School(
            urn=500_000 + start + n,
            name=f"Bulk School {start + n}",
            phase=phase,
            local_authority=local_authority,
        )
        for n in range(count)
    )
    journeys = Journey.objects.bulk_create(
        Journey(
            school=school,
            framework=framework,
            stage=STAGE_CYCLE[n % len(STAGE_CYCLE)],
            commitment_due=days(-5),
            impact_due=days(-5),
        )
        for n, school in enumerate(schools)
    )
    reviews = Review.objects.bulk_create(
        Review(
            journey=journey,
            kind=_review_kind(journey),
            version_number=1,
            submitted_at=timezone.now(),
            due_on=days(-3),
            decision=ReviewDecision.AWARDED if journey.stage == Stage.AWARDED else "",
            award_level="gold" if journey.stage == Stage.AWARDED else "",
            decided_at=timezone.now() if journey.stage == Stage.AWARDED else None,
        )
        for journey in journeys
        if journey.stage in (Stage.COMMITMENT_SUBMITTED, Stage.IMPACT_SUBMITTED, Stage.AWARDED)
    )
    Award.objects.bulk_create(
        Award(
            journey_id=decided.journey_id,
            review=decided,
            level="gold",
            awarded_on=days(-20),
            expires_on=days(100),
        )
        for decided in reviews
        if decided.decision
    )
    Invoice.objects.bulk_create(
        Invoice(
            journey=journey,
            number=f"BULK-{journey.pk}",
            description="Artsmark registration",
            amount_pence=50_000,
            issued_on=days(-40),
            due_on=days(-10),
        )
        for journey in journeys
    )
    return journeys


def _review_kind(journey):
    if journey.stage == Stage.COMMITMENT_SUBMITTED:
        return ReviewKind.COMMITMENT
    return ReviewKind.IMPACT
