"""Emails about a school's registration invoice.

They go where the deadline reminders go (`school_recipients`): the school's approved Artsmark
leads, or its approved members if it has no lead (platform staff can register such a school).
Called after the change commits (`transaction.on_commit`) with ids; each returns quietly if
the row has gone.
"""

from django.urls import reverse

from artsmark.common.notify import send_templated_email
from journeys.models import Invoice
from journeys.services.deadlines import school_recipients


def _recipients(school):
    return school_recipients({school.pk}).get(school.pk, [])


def _context(invoice):
    from journeys.services.fees import format_pence  # fees imports this module

    return {
        "invoice": invoice,
        "school": invoice.journey.school,
        "amount": format_pence(invoice.amount_pence),
        "path": reverse("journeys:detail", kwargs={"pk": invoice.journey_id}),
        "invoice_path": reverse("journeys:invoice", kwargs={"invoice_pk": invoice.pk}),
    }


def invoice_raised(*, invoice_id):
    """Tell the school what registration costs, when it is due and how to pay."""
    invoice = Invoice.objects.select_related("journey__school").filter(pk=invoice_id).first()
    if invoice is None:
        return 0
    return send_templated_email(
        template="emails/invoice_raised",
        to=_recipients(invoice.journey.school),
        context=_context(invoice),
    )


def payment_recorded(*, invoice_id):
    """Tell the school that its payment has been received."""
    invoice = Invoice.objects.select_related("journey__school").filter(pk=invoice_id).first()
    if invoice is None or not invoice.is_paid:
        return 0
    return send_templated_email(
        template="emails/payment_recorded",
        to=_recipients(invoice.journey.school),
        context=_context(invoice),
    )
