"""Forms of the Statement of Impact pages and of the reviewer's assessment page.

They check the shape of the input; the services (services/impact.py, services/award.py)
decide whether it may be saved.
"""

from django import forms

from journeys.enums import AwardLevel, ReviewDecision, StrandLevel


class ReflectionForm(forms.Form):
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    text = forms.CharField(
        label="Your reflection",
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    completed = forms.BooleanField(
        required=False,
        label="I have completed this reflection",
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


class FinalAssessmentForm(forms.Form):
    """A rating and evidence notes per Quality Principle."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, scale, principles, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(level.slug, level.label) for level in scale]
        self.principles = principles
        for principle in principles:
            self.fields[f"rating_{principle.slug}"] = forms.ChoiceField(
                label=f"Rating for {principle.title}",
                choices=choices,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"evidence_{principle.slug}"] = forms.CharField(
                label=f"What shows it: {principle.title}",
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                max_length=5000,
            )

    def principle_fields(self):
        return [(p, self[f"rating_{p.slug}"], self[f"evidence_{p.slug}"]) for p in self.principles]

    def ratings(self):
        return {
            p.slug: (
                self.cleaned_data.get(f"rating_{p.slug}", ""),
                self.cleaned_data.get(f"evidence_{p.slug}", ""),
            )
            for p in self.principles
        }


class EvidenceChoiceForm(forms.Form):
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    evidence = forms.TypedMultipleChoiceField(
        label="Evidence to present",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].choices = [(item["pk"], item["title"]) for item in items]


class LevelForm(forms.Form):
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    level = forms.ChoiceField(
        label="Which level are you applying for?",
        choices=AwardLevel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose Silver, Gold or Platinum."},
    )
    reason = forms.CharField(
        label="Why this level? (optional)",
        help_text="Say briefly how your school meets the level's descriptors.",
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


DECISION_CHOICES = [
    (ReviewDecision.AWARDED.value, "Award a level"),
    (ReviewDecision.NOT_AWARDED.value, "Working towards: do not award"),
    (ReviewDecision.RETURNED.value, "Return for more evidence"),
]


class AssessmentForm(forms.Form):
    """A judgement and a note per strand; the decision, the level and the feedback."""

    version_number = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label="Your decision",
        choices=DECISION_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose your decision."},
    )
    award_level = forms.ChoiceField(
        label="Level to award",
        choices=AwardLevel.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    feedback = forms.CharField(
        label="Feedback for the school",
        help_text="The school reads this: what it does well and what would take it further.",
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Write feedback for the school."},
    )

    def __init__(self, *args, strands, can_return=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.strands = strands
        if not can_return:
            self.fields["decision"].choices = [
                choice for choice in DECISION_CHOICES if choice[0] != ReviewDecision.RETURNED
            ]
        for strand in strands:
            self.fields[f"strand_{strand.slug}"] = forms.ChoiceField(
                label=f"Judgement on {strand.title}",
                choices=StrandLevel.choices,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"note_{strand.slug}"] = forms.CharField(
                label=f"Note on {strand.title}",
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                max_length=5000,
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == ReviewDecision.AWARDED and not cleaned.get("award_level"):
            self.add_error("award_level", "Choose the level to award: Silver, Gold or Platinum.")
        if cleaned.get("decision") in (ReviewDecision.AWARDED, ReviewDecision.NOT_AWARDED):
            for strand in self.strands:
                if not cleaned.get(f"strand_{strand.slug}"):
                    self.add_error(
                        f"strand_{strand.slug}",
                        "Choose working towards, Silver, Gold or Platinum.",
                    )
        return cleaned

    def strand_fields(self):
        return [(s, self[f"strand_{s.slug}"], self[f"note_{s.slug}"]) for s in self.strands]

    def judgements(self):
        return {
            s.slug: (
                self.cleaned_data.get(f"strand_{s.slug}", ""),
                self.cleaned_data.get(f"note_{s.slug}", ""),
            )
            for s in self.strands
        }
