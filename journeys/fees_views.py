"""Fee pages: staff's invoice list, the printable invoice, recording a payment.

Thin: access helpers fetch, services write, selectors read.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from journeys import fees_selectors
from journeys.fees_access import get_invoice_for, require_staff
from journeys.fees_forms import InvoiceFilterForm, PaymentForm
from journeys.services.fees import record_payment

# A refusal about one field is shown beside it; anything else at the top of the form.
FIELD_CODES = {"paid_on", "reference"}


@login_required
def invoice_list(request):
    require_staff(request.user, "see the invoices")
    data = fees_selectors.invoices_page(params=request.GET, page_number=request.GET.get("page", 1))
    data["form"] = InvoiceFilterForm(filters=data["filters"], counts=data["counts"])
    return render(request, "journeys/fees/invoices.html", data)


@login_required
def invoice_detail(request, invoice_pk):
    invoice = get_invoice_for(request.user, invoice_pk)
    data = fees_selectors.invoice_page_data(invoice=invoice, user=request.user)
    return render(request, "journeys/fees/invoice.html", data)


@login_required
def invoice_payment(request, invoice_pk):
    invoice = get_invoice_for(request.user, invoice_pk, record=True)
    initial = {"paid_on": timezone.localdate(), "reference": invoice.number}
    form = PaymentForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                record_payment(
                    invoice=invoice,
                    paid_on=form.cleaned_data["paid_on"],
                    reference=form.cleaned_data["reference"],
                    actor=request.user,
                )
            except ValidationError as exc:
                code = getattr(exc, "code", None)
                form.add_error(code if code in FIELD_CODES else None, exc)
                status = 409 if code == "already_paid" else 400
                invoice.refresh_from_db()
            else:
                messages.success(
                    request,
                    f"The payment of invoice {invoice.number} has been recorded and "
                    f"{invoice.journey.school.name} emailed.",
                )
                return redirect("journeys:invoice", invoice_pk=invoice.pk)
    data = fees_selectors.invoice_page_data(invoice=invoice, user=request.user)
    data["form"] = form
    return render(request, "journeys/fees/payment.html", data, status=status)
