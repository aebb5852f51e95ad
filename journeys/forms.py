from django import forms
from django.utils import timezone

from artsmark.common import vocab
from journeys.enums import StrandLevel
from journeys.models import Goal


class SectionForm(forms.Form):
    """One textarea per question of a section, plus the version the text was based on."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    completed = forms.BooleanField(
        required=False,
        label="I have completed this section",
        initial=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            attrs = {"rows": 8, "data-word-count": "1"}
            if question.word_limit:
                attrs["data-word-limit"] = str(question.word_limit)
            self.fields[question.slug] = forms.CharField(
                label=question.title,
                required=False,
                help_text=question.guidance,
                widget=forms.Textarea(attrs=attrs),
                max_length=50_000,
            )

    def answers(self):
        return {q.slug: self.cleaned_data.get(q.slug, "") for q in self.questions}

    def question_fields(self):
        return [(q, self[q.slug]) for q in self.questions]


class GoalForm(forms.ModelForm):
    # The state of the goal the user was shown (autosave refuses a save based on an older one).
    version = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    # The goal an autosave of the "add a goal" page has already created.
    goal = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    quality_principles = forms.MultipleChoiceField(
        label="Quality Principles this goal serves",
        choices=vocab.QUALITY_PRINCIPLES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    strands = forms.MultipleChoiceField(
        label="Framework strands",
        choices=vocab.STRANDS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    art_forms = forms.MultipleChoiceField(
        label="Art forms",
        choices=vocab.ART_FORMS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="We use these to suggest partners who can help.",
    )

    class Meta:
        model = Goal
        fields = [
            "title",
            "description",
            "quality_principles",
            "strands",
            "art_forms",
            "actions",
            "success_measure",
            "baseline",
            "timescale",
            "lead_name",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "actions": forms.Textarea(attrs={"rows": 4}),
            "success_measure": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "title": "What is the goal?",
            "actions": "What actions will you take?",
            "success_measure": "How will you measure success?",
            "baseline": "Baseline figure (where you are now)",
        }
        help_texts = {
            "baseline": "For example: 40% of pupils take part in an after-school arts club.",
            "timescale": "For example: by July 2026.",
        }


class SelfAssessmentForm(forms.Form):
    """A rating and evidence per Quality Principle; a best fit and a note per strand."""

    def __init__(self, *args, scale, principles, strands, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"] = forms.CharField(
            required=False, max_length=64, widget=forms.HiddenInput
        )
        scale_choices = [(level.slug, level.label) for level in scale]
        self.principle_rows = []
        for principle in principles:
            self.fields[f"rating_{principle.slug}"] = forms.ChoiceField(
                label=f"Rating for {principle.title}",
                choices=scale_choices,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"evidence_{principle.slug}"] = forms.CharField(
                label="Evidence notes",
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                max_length=5000,
            )
            self.principle_rows.append(principle)
        self.strand_rows = []
        for strand in strands:
            self.fields[f"strand_{strand.slug}"] = forms.ChoiceField(
                label=f"Best fit for {strand.title}",
                choices=StrandLevel.choices,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"note_{strand.slug}"] = forms.CharField(
                label="Note",
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                max_length=5000,
            )
            self.strand_rows.append(strand)

    def principle_fields(self):
        return [
            (p, self[f"rating_{p.slug}"], self[f"evidence_{p.slug}"]) for p in self.principle_rows
        ]

    def strand_fields(self):
        return [(s, self[f"strand_{s.slug}"], self[f"note_{s.slug}"]) for s in self.strand_rows]

    def ratings(self):
        return {
            p.slug: (self.cleaned_data[f"rating_{p.slug}"], self.cleaned_data[f"evidence_{p.slug}"])
            for p in self.principle_rows
        }

    def strand_levels(self):
        return {
            s.slug: (self.cleaned_data[f"strand_{s.slug}"], self.cleaned_data[f"note_{s.slug}"])
            for s in self.strand_rows
        }


class DateInput(forms.DateInput):
    """A browser date picker: it only accepts (and shows) ISO dates, whatever the locale."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):
        super().__init__(attrs=attrs, format=format)


class SignOffForm(forms.Form):
    headteacher_name = forms.CharField(label="Headteacher's name", max_length=200)
    headteacher_signed_on = forms.DateField(
        label="Date the headteacher signed off", widget=DateInput
    )
    chair_name = forms.CharField(label="Chair of governors' name", max_length=200)
    chair_signed_on = forms.DateField(
        label="Date the chair of governors signed off", widget=DateInput
    )
    confirm = forms.BooleanField(
        label="I confirm that the headteacher and the chair of governors have read and agreed "
        "this Statement of Commitment",
        error_messages={"required": "Confirm that both have agreed the statement."},
    )

    def _not_future(self, name):
        value = self.cleaned_data[name]
        if value > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future.")
        return value

    def clean_headteacher_signed_on(self):
        return self._not_future("headteacher_signed_on")

    def clean_chair_signed_on(self):
        return self._not_future("chair_signed_on")
