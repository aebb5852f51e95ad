"""Forms of the review pages: queue filters, comments, assignment, decisions, feedback."""

from django import forms

from journeys.enums import ReviewDecision

TEXT_LIMIT = 20_000


class QueueFilterForm(forms.Form):
    """The queue's filters (GET). Only for showing: the selector reads the values leniently.

    Each option's label carries the number of submissions it would show.
    """

    stage = forms.ChoiceField(label="Stage", required=False)
    local_authority = forms.ChoiceField(label="Local authority", required=False)
    phase = forms.ChoiceField(label="Phase of education", required=False)
    reviewer = forms.ChoiceField(label="Assigned reviewer", required=False)
    overdue = forms.ChoiceField(label="Due date", required=False)

    def __init__(self, *, facets, filters):
        super().__init__(
            initial={
                "stage": filters.stage,
                "local_authority": filters.local_authority or "",
                "phase": filters.phase,
                "reviewer": filters.reviewer,
                "overdue": "yes" if filters.overdue else "",
            }
        )
        for name, anything in (
            ("stage", "Any stage"),
            ("local_authority", "Any local authority"),
            ("phase", "Any phase"),
            ("reviewer", "Anyone or no one"),
        ):
            self.fields[name].choices = [("", anything)] + [
                (option["value"], f"{option['label']} ({option['count']})")
                for option in facets[name]
            ]
        counts = facets["overdue"]
        self.fields["overdue"].choices = [
            ("", f"Any due date ({counts['all']})"),
            ("yes", f"Overdue only ({counts['overdue']})"),
        ]


class CommentForm(forms.Form):
    part = forms.CharField(max_length=60, widget=forms.HiddenInput)
    text = forms.CharField(
        label="Comment",
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Leave it empty to remove the comment.",
    )

    def __init__(self, *args, parts, **kwargs):
        super().__init__(*args, **kwargs)
        self.parts = parts

    def clean_part(self):
        part = self.cleaned_data["part"]
        if part not in self.parts:
            raise forms.ValidationError("Choose which part of the statement the comment is about.")
        return part


class AssignForm(forms.Form):
    """Empty `reviewer`: take it yourself. An organisation lead may choose a colleague."""

    reviewer = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            (ReviewDecision.APPROVED.value, "Approve: the school becomes Artsmark Certified"),
            (ReviewDecision.RETURNED.value, "Return it to the school with feedback"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve or return the statement."},
    )
    feedback = forms.CharField(
        label="Feedback for the school",
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Needed when you return the statement: say what to change before it is "
        "submitted again. The school reads it beside its draft and in the email it gets.",
    )
    version_number = forms.IntegerField(
        min_value=1,
        max_value=32_767,
        widget=forms.HiddenInput,
        error_messages={"required": "Reload the page and decide again."},
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("decision") == ReviewDecision.RETURNED
            and not (data.get("feedback") or "").strip()
        ):
            self.add_error(
                "feedback",
                "Write feedback for the school: say what to change before it submits again.",
            )
        return data


class FeedbackRequestForm(forms.Form):
    message = forms.CharField(
        label="What would you like feedback on? (optional)",
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FeedbackAnswerForm(forms.Form):
    answer = forms.CharField(
        label="Your feedback",
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Advice on the draft: it does not change the journey's stage.",
        error_messages={"required": "Write your feedback before sending it."},
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Reason for withdrawing the journey",
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The school's members are told this reason by email.",
        error_messages={"required": "Give the reason for withdrawing the journey."},
    )
