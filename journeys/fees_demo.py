"""Demo fees and renewal (SPEC.md, "The demo world"). Idempotent; runs after journeys.demo.

Every demo journey has its registration invoice. Most are paid, by bank transfer with a
reference; two London journeys are not: Hillcrest Nursery School's (registered, due later)
and Riverside Special School's (submitted and overdue), so A New Direction's queue shows an
"Unpaid" submission. A journey the demo has assessed (a review taken or decided) is always
paid, on or before the day it was first assessed. Southwark Park Primary School's Gold award
expires in 60 days, so renewal is open: its lead, `lead.990019@example.org`, logs in with the
demo password and can renew (as can `admin@example.org`).
"""

import datetime

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db.models import Min, Q
from django.utils import timezone

from artsmark.accounts.models import User
from artsmark.schools.models import SchoolMembership
from journeys.models import Award, Invoice, Journey, Review
from journeys.services import fees

DEMO_STAFF_EMAIL = "admin@example.org"
# URN -> days after today its unpaid invoice is due (negative: overdue).
UNPAID = {990004: 20, 990005: -15}
EXPIRING_URN = 990019
EXPIRES_IN_DAYS = 60


def _demo_urns():
    from journeys.demo import OTHER_STAGES

    return {990001, 990002, *OTHER_STAGES}


def _first_assessed_on(journey):
    """The day a reviewer first took or decided a review of the journey, or None."""
    first = Review.objects.filter(journey=journey).aggregate(
        taken=Min("assigned_at", filter=Q(assigned_to__isnull=False)),
        decided=Min("decided_at", filter=~Q(decision="")),
    )
    days = [timezone.localdate(moment) for moment in first.values() if moment is not None]
    return min(days) if days else None


def _invoice(journey):
    """The journey's invoice; one raised for a journey older than fees is dated from its
    registration, as it would have been."""
    invoice = Invoice.objects.filter(journey=journey).first()
    if invoice is not None:
        return invoice
    invoice = fees.raise_invoice(journey=journey)
    if invoice is None:
        return None
    registered_on = timezone.localdate(journey.created_at)
    due_on = registered_on + datetime.timedelta(days=journey.framework.invoice_due_days)
    Invoice.objects.filter(pk=invoice.pk).update(issued_on=registered_on, due_on=due_on)
    invoice.issued_on, invoice.due_on = registered_on, due_on
    return invoice


def _leave_unpaid(invoice, due_in_days):
    today = timezone.localdate()
    due_on = today + datetime.timedelta(days=due_in_days)
    issued_on = min(invoice.issued_on, due_on - datetime.timedelta(days=30))
    if (invoice.issued_on, invoice.due_on) != (issued_on, due_on):
        Invoice.objects.filter(pk=invoice.pk).update(issued_on=issued_on, due_on=due_on)


def settle_demo_invoice(*, journey, staff):
    """Pay a demo journey's invoice unless the demo leaves it unpaid (and not yet assessed).

    journeys.demo calls this right after registering a school, before assessing anything.
    """
    invoice = _invoice(journey)
    if invoice is None or invoice.is_paid:
        return invoice
    assessed_on = _first_assessed_on(journey)
    due_in_days = UNPAID.get(journey.school.urn)
    if due_in_days is not None and assessed_on is None:
        _leave_unpaid(invoice, due_in_days)
        return invoice
    paid_on = min(invoice.issued_on + datetime.timedelta(days=7), timezone.localdate())
    if assessed_on is not None:
        paid_on = max(min(paid_on, assessed_on), invoice.issued_on)
    return fees.record_payment(
        invoice=invoice, paid_on=paid_on, reference=f"BACS {invoice.number}", actor=staff
    )


def _can_log_in(user):
    if not user.check_password(settings.DEMO_PASSWORD):
        user.set_password(settings.DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def _expiring_award():
    """The demo's awarded journey, its award expiring within the renewal window."""
    journey = (
        Journey.objects.filter(school__urn=EXPIRING_URN, award__isnull=False)
        .select_related("award", "school")
        .order_by("created_at")
        .first()
    )
    if journey is None:
        return None
    expires_on = timezone.localdate() + datetime.timedelta(days=EXPIRES_IN_DAYS)
    if journey.award.awarded_on >= expires_on:
        return None
    Award.objects.filter(pk=journey.award.pk).update(expires_on=expires_on)
    Journey.objects.filter(pk=journey.pk).update(award_expires=expires_on)
    lead = journey.school.memberships.filter(
        role=SchoolMembership.Role.LEAD, status=SchoolMembership.Status.APPROVED
    ).first()
    if lead is not None:
        _can_log_in(lead.user)
    return journey


def seed(stdout=None):
    staff = User.objects.get(email=DEMO_STAFF_EMAIL)
    journeys = (
        Journey.objects.filter(school__urn__in=_demo_urns())
        .select_related("school", "framework")
        .order_by("school__urn", "created_at")
    )
    unpaid = 0
    for journey in journeys:
        invoice = settle_demo_invoice(journey=journey, staff=staff)
        unpaid += invoice is not None and not invoice.is_paid
    expiring = _expiring_award()
    if stdout:
        stdout.write(
            f"Demo invoices: {unpaid} unpaid."
            + (f" {expiring.school.name}'s award can be renewed." if expiring else "")
        )
