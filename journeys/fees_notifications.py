"""Emails about a school's registration invoice, to its Artsmark leads.

Called after the change commits (`transaction.on_commit`) with ids; each returns quietly if
the row has gone.
"""

from django.urls import reverse

from artsmark.common.notify import send_templated_email
from artsmark.schools.models import SchoolMembership
from journeys.models import Invoice


def lead_emails(school):
    return list(
        SchoolMembership.objects.filter(
            school=school,
            role=SchoolMembership.Role.LEAD,
            status=SchoolMembership.Status.APPROVED,
        ).values_list("user__email", flat=True)
    )


def _context(invoice):
    return {
        "invoice": invoice,
        "school": invoice.journey.school,
        "amount": f"£{invoice.amount_pence / 100:,.2f}",
        "path": reverse("journeys:detail", kwargs={"pk": invoice.journey_id}),
        "invoice_path": reverse("journeys:invoice", kwargs={"invoice_pk": invoice.pk}),
    }


def invoice_raised(*, invoice_id):
    """Tell the school's leads what registration costs, when it is due and how to pay."""
    invoice = Invoice.objects.select_related("journey__school").filter(pk=invoice_id).first()
    if invoice is None:
        return 0
    return send_templated_email(
        template="emails/invoice_raised",
        to=lead_emails(invoice.journey.school),
        context=_context(invoice),
    )


def payment_recorded(*, invoice_id):
    """Tell the school's leads that their payment has been received."""
    invoice = Invoice.objects.select_related("journey__school").filter(pk=invoice_id).first()
    if invoice is None or not invoice.is_paid:
        return 0
    return send_templated_email(
        template="emails/payment_recorded",
        to=lead_emails(invoice.journey.school),
        context=_context(invoice),
    )
