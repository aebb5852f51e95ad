"""Forms of the fee and renewal pages."""

from django import forms

from journeys.delivery_forms import DateInput
from journeys.fees_selectors import STATUSES


class InvoiceFilterForm(forms.Form):
    """Staff's invoice list filters (GET). Only for showing: the selector reads them leniently."""

    q = forms.CharField(label="School, URN or invoice number", required=False, max_length=100)
    status = forms.ChoiceField(label="Payment", required=False)

    def __init__(self, *, filters, counts):
        super().__init__(initial={"q": filters.q, "status": filters.status})
        self.fields["status"].choices = [("", f"All ({counts['all']})")] + [
            (value, f"{label} ({counts[value]})") for value, label in STATUSES.items()
        ]


class PaymentForm(forms.Form):
    paid_on = forms.DateField(
        label="Date the payment was received",
        widget=DateInput,
        help_text="As on the bank statement. It cannot be in the future.",
    )
    reference = forms.CharField(
        label="Payment reference",
        max_length=100,
        help_text="The bank transfer's reference, usually the invoice number.",
    )


class RenewalForm(forms.Form):
    """What the new journey starts from. Each box comes ticked; untick what to leave behind."""

    copy_goals = forms.BooleanField(label="Our goals", required=False, initial=True)
    copy_self_assessment = forms.BooleanField(
        label="Our self-assessment", required=False, initial=True
    )
    copy_partnerships = forms.BooleanField(label="Our partnerships", required=False, initial=True)
