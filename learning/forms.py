"""Forms of the learning pages: a session's details, booking, attendance, cancelling."""

from django import forms

from artsmark.common.vocab import SESSION_KINDS
from artsmark.schools.models import BridgeOrganisation
from learning.access import learning_roles
from learning.enums import Audience
from learning.services import MAX_CAPACITY

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
NATIONAL = "national"


class DateTimeInput(forms.DateTimeInput):
    """The browser's date and time picker (it sends and shows ISO local times)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_FORMAT)


def _datetime_field(label):
    return forms.DateTimeField(
        label=label,
        widget=DateTimeInput,
        # The picker sends ISO; a browser without one sends what was typed, as the help says.
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M"],
        help_text="UK time, for example 14/03/2027 09:30.",
    )


class SessionForm(forms.Form):
    """A session's details. On a new session, who runs it (the organiser) as well."""

    organiser = forms.ChoiceField(label="Run by")
    kind = forms.ChoiceField(label="Kind of session", choices=SESSION_KINDS)
    title = forms.CharField(max_length=200)
    description = forms.CharField(
        label="What the session covers",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
    )
    starts_at = _datetime_field("Starts")
    ends_at = _datetime_field("Ends")
    online = forms.BooleanField(label="This session is online", required=False)
    venue = forms.CharField(
        label="Venue address",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
        required=False,
        help_text="Needed unless the session is online.",
    )
    joining_instructions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text="Shown only to people with a place: a meeting link, where to sign in, "
        "what to bring.",
    )
    capacity = forms.IntegerField(label="Number of places", min_value=1, max_value=MAX_CAPACITY)
    audience = forms.ChoiceField(
        label="Who can book", choices=Audience.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, organisers=None, **kwargs):
        """`organisers`: the choice of who runs a new session; None when editing one."""
        super().__init__(*args, **kwargs)
        if organisers is None:
            del self.fields["organiser"]
            return
        field = self.fields["organiser"]
        field.choices = organisers
        if len(organisers) == 1:
            field.widget = forms.HiddenInput()
            field.initial = organisers[0][0]

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "The session must end after it starts.")
        if not data.get("online") and not (data.get("venue") or "").strip():
            self.add_error("venue", "Give the venue's address, or tick “This session is online”.")
        return data

    def chosen_organiser(self):
        """The chosen Bridge Organisation, or None for a national session."""
        value = self.cleaned_data["organiser"]
        if value == NATIONAL:
            return None
        return BridgeOrganisation.objects.get(pk=int(value))

    def session_fields(self):
        data = self.cleaned_data
        fields = {name: data[name] for name in self.fields if name != "organiser"}
        fields["description"] = fields["description"].strip()
        return fields


def organiser_choices(user):
    """Who may run a session the user publishes: their Bridge Organisations (platform staff:
    any, or national)."""
    if user.is_superuser:
        organisations = BridgeOrganisation.objects.filter(is_active=True)
        choices = [(NATIONAL, "Platform staff (a national session)")]
    else:
        organisations = BridgeOrganisation.objects.filter(
            pk__in=learning_roles(user).organisation_ids
        )
        choices = []
    return choices + [(str(o.pk), o.name) for o in organisations.order_by("name")]


class BookingForm(forms.Form):
    """Book a place: for which school or partner organisation, and whether to wait."""

    booking_for = forms.ChoiceField(label="Who are you booking for?", widget=forms.RadioSelect)
    join_waiting_list = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["booking_for"]
        field.choices = [(value, label) for value, label, _, _ in choices]
        self.lookup = {value: (school, partner) for value, _, school, partner in choices}
        self.only = choices[0][0] if len(choices) == 1 else None
        if self.only:
            # Nothing to choose: the one school (or organisation) the user belongs to.
            field.widget = forms.HiddenInput()
            field.initial = self.only
            field.required = False

    def chosen_for(self):
        """(school, partner organisation): one of them None."""
        return self.lookup[self.cleaned_data["booking_for"] or self.only]


class AttendanceForm(forms.Form):
    attended = forms.MultipleChoiceField(
        label="Who attended?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick everyone who came. Anyone not ticked is recorded as not attending.",
    )

    def __init__(self, *args, bookings, names, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["attended"]
        field.choices = [(str(booking.pk), names[booking.pk]) for booking in bookings]
        field.initial = [str(booking.pk) for booking in bookings if booking.attended]


class CancelSessionForm(forms.Form):
    reason = forms.CharField(
        label="Why is the session cancelled?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Everyone with a place or on the waiting list is emailed this.",
    )


class KindFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of session",
        choices=[("", "All kinds"), *SESSION_KINDS],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
