"""Registration fees: the invoice a registration raises, and recording its payment.

The portal never takes a payment: a school pays by bank transfer quoting the invoice number,
and platform staff record the payment here. Until the invoice is paid the school may draft and
submit, but nobody assesses its statements (`check_assessable`, called by the review
services). A journey without an invoice (a framework without fee bands, or a journey older
than fees) has nothing to pay.
"""

import datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from artsmark.common.activity import record_activity
from journeys import fees_notifications
from journeys.models import Invoice
from journeys.templatetags.journey_tags import long_date

NUMBER_PREFIX = "AM"


def format_pence(pence):
    return f"£{pence / 100:,.2f}"


# --- The fee -------------------------------------------------------------------------------


def fee_for(*, framework, school):
    """The framework's fee band that applies to `school`, or None if it has no fee table.

    The band with the smallest upper limit the school fits under; the band without a limit
    for a larger school, and for a school whose number of pupils is not known.
    """
    bands = list(framework.fee_bands.all())
    if not bands:
        return None
    pupils = school.number_of_pupils
    if pupils is not None:
        fitting = [b for b in bands if b.max_pupils is not None and pupils <= b.max_pupils]
        if fitting:
            return min(fitting, key=lambda band: band.max_pupils)
    open_ended = [b for b in bands if b.max_pupils is None]
    if open_ended:
        return open_ended[0]
    # A table with limits only: a school above (or without) every limit pays the top band.
    return max(bands, key=lambda band: band.max_pupils)


# --- Raising the invoice ---------------------------------------------------------------------


def _next_invoice_id():
    """The next id of the invoice table, from its own sequence.

    Taking the id first gives the number from it in the same insert: two registrations at
    the same moment get different ids from PostgreSQL, so never the same number.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [Invoice._meta.db_table])
        return cursor.fetchone()[0]


def invoice_number(*, pk, issued_on):
    return f"{NUMBER_PREFIX}-{issued_on.year}-{pk:06d}"


def raise_invoice(*, journey):
    """The journey's registration invoice, raised now if it has none (idempotent).

    Returns None when the journey's framework has no fee table. The school's leads are
    emailed the amount, the due date and how to pay once the transaction commits.
    """
    existing = Invoice.objects.filter(journey_id=journey.pk).first()
    if existing is not None:
        return existing
    school, framework = journey.school, journey.framework
    band = fee_for(framework=framework, school=school)
    if band is None:
        return None
    issued_on = timezone.localdate()
    pk = _next_invoice_id()
    try:
        with transaction.atomic():
            invoice = Invoice.objects.create(
                pk=pk,
                journey=journey,
                number=invoice_number(pk=pk, issued_on=issued_on),
                description=f"Artsmark registration fee: {school.name} ({band.label})",
                amount_pence=band.amount_pence,
                issued_on=issued_on,
                due_on=issued_on + datetime.timedelta(days=framework.invoice_due_days),
            )
    except IntegrityError:
        # Raised by someone else between the check and the insert: theirs is the invoice.
        return Invoice.objects.get(journey_id=journey.pk)
    transaction.on_commit(partial(fees_notifications.invoice_raised, invoice_id=invoice.pk))
    return invoice


# --- Payment ---------------------------------------------------------------------------------


def _already_paid_message(invoice):
    recorded = ""
    if invoice.payment_recorded_by is not None:
        who = invoice.payment_recorded_by.full_name or invoice.payment_recorded_by.email
        recorded = f", recorded by {who}"
    reference = f" (reference {invoice.payment_reference})" if invoice.payment_reference else ""
    return (
        f"This invoice was already paid on {long_date(invoice.paid_on)}{reference}{recorded}. "
        "Nothing has been changed."
    )


def record_payment(*, invoice, paid_on, reference, actor):
    """Record that the school paid `invoice` on `paid_on` (a bank transfer's reference).

    Platform staff only. A second payment, a date in the future or before the invoice was
    issued, or no reference is refused with a ValidationError and nothing changes. The row
    is locked, so two people recording the same payment at once cannot both succeed.
    """
    if actor is None or not actor.is_superuser:
        raise ValidationError("Only platform staff can record a payment.", code="actor")
    reference = (reference or "").strip()
    if not reference:
        raise ValidationError(
            "Enter the payment's reference, as it appears on the bank statement.",
            code="reference",
        )
    if len(reference) > 100:
        raise ValidationError("The reference must be at most 100 characters.", code="reference")
    if not isinstance(paid_on, datetime.date):
        raise ValidationError("Enter the date the payment was received.", code="paid_on")
    if paid_on > timezone.localdate():
        raise ValidationError("The payment date cannot be in the future.", code="paid_on")
    with transaction.atomic():
        locked = (
            Invoice.objects.select_for_update(of=("self",))
            .select_related("payment_recorded_by", "journey")
            .get(pk=invoice.pk)
        )
        if locked.is_paid:
            raise ValidationError(_already_paid_message(locked), code="already_paid")
        if paid_on < locked.issued_on:
            raise ValidationError(
                "The payment date cannot be before the invoice was issued "
                f"({long_date(locked.issued_on)}).",
                code="paid_on",
            )
        locked.paid_on = paid_on
        locked.payment_reference = reference
        locked.payment_recorded_by = actor
        locked.payment_recorded_at = timezone.now()
        locked.save(
            update_fields=[
                "paid_on",
                "payment_reference",
                "payment_recorded_by",
                "payment_recorded_at",
            ]
        )
        record_activity(
            subject=locked.journey,
            actor=actor,
            verb="payment_recorded",
            note=f"Invoice {locked.number} paid on {long_date(paid_on)}.",
        )
        transaction.on_commit(partial(fees_notifications.payment_recorded, invoice_id=locked.pk))
    for field in ("paid_on", "payment_reference", "payment_recorded_by", "payment_recorded_at"):
        setattr(invoice, field, getattr(locked, field))
    return invoice


# --- Assessing waits for payment -------------------------------------------------------------


def payment_outstanding(journey):
    """The unpaid invoice of a journey (or journey id), or None when there is nothing to pay."""
    journey_id = getattr(journey, "pk", journey)
    return Invoice.objects.filter(journey_id=journey_id, paid_on__isnull=True).first()


def is_assessable(journey):
    return payment_outstanding(journey) is None


def unpaid_message(invoice):
    return (
        f"The registration invoice {invoice.number} is unpaid: record the payment before assessing."
    )


def check_assessable(journey):
    """Raise a ValidationError if the registration invoice of a journey (or id) is unpaid."""
    invoice = payment_outstanding(journey)
    if invoice is not None:
        raise ValidationError(unpaid_message(invoice), code="unpaid")
