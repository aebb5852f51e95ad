"""Forms of the deadline pages: asking for more time, deciding on a request.

The forms check only that the input is a date and text; whether the date is late enough is
the service's rule (services/deadlines.py), and its message is shown beside the field.
"""

from django import forms

from journeys.delivery_forms import DateInput
from journeys.services.deadlines import REASON_LIMIT
from journeys.templatetags.journey_tags import long_date

GRANT, REFUSE = "grant", "refuse"


class ExtensionRequestForm(forms.Form):
    requested_due_on = forms.DateField(
        label="The due date you are asking for",
        widget=DateInput,
        error_messages={
            "required": "Enter the new due date you are asking for.",
            "invalid": "Enter the new due date as a real date, for example 31 July 2026.",
        },
    )
    reason = forms.CharField(
        label="Why do you need more time?",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=REASON_LIMIT,
        help_text="Your Bridge Organisation reads this when it decides.",
        error_messages={"required": "Say why you need more time."},
    )

    def __init__(self, *args, deadline=None, **kwargs):
        super().__init__(*args, **kwargs)
        if deadline is not None:
            due_on = long_date(deadline.due_on)
            help_text = f"The {deadline.label} is due on {due_on}: choose a later date."
            self.fields["requested_due_on"].help_text = help_text


class ExtensionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            (GRANT, "Grant: move the due date"),
            (REFUSE, "Refuse: the due date stays as it is"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to grant or refuse the request."},
    )
    new_due_on = forms.DateField(
        label="New due date (if you grant)",
        widget=DateInput,
        required=False,
        help_text="The date the school asked for, or another date after the current due date.",
        error_messages={"invalid": "Enter the new due date as a real date."},
    )
    note = forms.CharField(
        label="Note to the school",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=REASON_LIMIT,
        help_text="Needed if you refuse: the school reads it.",
    )
