"""Forms of the delivery pages: activities, evidence, Arts Award, checkpoints."""

import copy

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from artsmark.common import vocab
from journeys.enums import ArtsAwardLevel
from journeys.services import evidence as evidence_services
from journeys.services.delivery import FUTURE_DATE, MAX_PUPILS


class DateInput(forms.DateInput):
    """A browser date picker: it only accepts (and shows) ISO dates, whatever the locale."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):
        super().__init__(attrs=attrs, format=format)


class GoalChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.title


def _goals_field(goals, label):
    return GoalChoiceField(
        label=label,
        queryset=goals,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=None if goals.exists() else "Your plan has no goals to choose from.",
    )


def _tag_fields(form, goals):
    """Goals, strands and Quality Principles as checkboxes, labelled in words."""
    form.fields["goals"] = _goals_field(goals, "Goals this evidence shows progress on")
    form.fields["strands"] = forms.MultipleChoiceField(
        label="Framework strands",
        choices=vocab.STRANDS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    form.fields["quality_principles"] = forms.MultipleChoiceField(
        label="Quality Principles",
        choices=vocab.QUALITY_PRINCIPLES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class ActivityForm(forms.Form):
    happened_on = forms.DateField(
        label="Date",
        widget=DateInput,
        error_messages={"required": "Enter the date of the activity."},
    )
    title = forms.CharField(
        label="What happened",
        max_length=200,
        help_text="For example: Year 5 workshop with a visiting dancer.",
        error_messages={"required": "Say what happened."},
    )
    description = forms.CharField(
        label="More detail (optional)",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=10_000,
    )
    pupils_involved = forms.IntegerField(
        label="Number of pupils involved (optional)",
        min_value=0,
        max_value=MAX_PUPILS,
        required=False,
    )
    partners = forms.CharField(
        label="Partners (optional)",
        max_length=300,
        required=False,
        help_text="The artists or organisations you worked with, if any.",
    )

    def __init__(self, *args, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goals"] = _goals_field(goals, "Goals this activity served")

    def clean_happened_on(self):
        value = self.cleaned_data["happened_on"]
        if value > timezone.localdate():
            raise ValidationError(FUTURE_DATE)
        return value


class EvidenceFileForm(forms.Form):
    file = forms.FileField(
        label="File",
        widget=forms.FileInput(
            attrs={
                "accept": ".jpg,.jpeg,.png,.webp,.pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,"
                ".odt,.ods,.odp"
            }
        ),
        error_messages={
            "required": "Choose a file to upload.",
            "empty": "The file is empty. Choose the file again, or another file.",
        },
    )
    title = forms.CharField(
        label="Title (optional)",
        max_length=200,
        required=False,
        help_text="If you leave it blank, we use the file's name.",
    )
    description = forms.CharField(
        label="Description (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=10_000,
    )

    def __init__(self, *args, goals, **kwargs):
        super().__init__(*args, **kwargs)
        _tag_fields(self, goals)
        self.fields["file"].help_text = (
            "Images (JPEG, PNG or WebP), PDFs, or Word, Excel, PowerPoint or OpenDocument "
            f"files, up to {evidence_services.human_size(settings.EVIDENCE_MAX_BYTES)}."
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Checked here too so the message sits by the field; the service checks again.
        evidence_services.inspect_upload(upload)
        return upload


class ArtsAwardForm(forms.Form):
    level = forms.ChoiceField(
        label="Arts Award level",
        choices=ArtsAwardLevel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the Arts Award level."},
    )
    pupils = forms.IntegerField(
        label="Number of pupils who achieved it",
        min_value=1,
        max_value=MAX_PUPILS,
        error_messages={"required": "Enter how many pupils achieved it."},
    )
    title = forms.CharField(
        label="Title (optional)",
        max_length=200,
        required=False,
        help_text="If you leave it blank, we call it after the level and the number of pupils.",
    )
    description = forms.CharField(
        label="Description (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=10_000,
    )

    def __init__(self, *args, goals, **kwargs):
        super().__init__(*args, **kwargs)
        _tag_fields(self, goals)


class EvidenceEditForm(forms.Form):
    """Title, description and tags; for an Arts Award, its level and pupils too."""

    title = forms.CharField(label="Title", max_length=200)
    description = forms.CharField(
        label="Description (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=10_000,
    )

    def __init__(self, *args, goals, arts_award, **kwargs):
        super().__init__(*args, **kwargs)
        if arts_award:
            self.fields["level"] = copy.deepcopy(ArtsAwardForm.base_fields["level"])
            self.fields["pupils"] = copy.deepcopy(ArtsAwardForm.base_fields["pupils"])
        _tag_fields(self, goals)


class CheckpointForm(forms.Form):
    """A rating and evidence notes per Quality Principle, and an optional name."""

    label = forms.CharField(
        label="Name of this checkpoint (optional)",
        max_length=100,
        required=False,
        help_text="For example: End of year 1.",
    )

    def __init__(self, *args, scale, principles, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(level.slug, level.label) for level in scale]
        self.principle_rows = list(principles)
        for principle in self.principle_rows:
            self.fields[f"rating_{principle.slug}"] = forms.ChoiceField(
                label=f"Rating for {principle.title}",
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Choose a rating for {principle.title}."},
            )
            self.fields[f"evidence_{principle.slug}"] = forms.CharField(
                label=f"Evidence notes for {principle.title}",
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                max_length=5000,
            )

    def principle_fields(self):
        return [
            (p, self[f"rating_{p.slug}"], self[f"evidence_{p.slug}"]) for p in self.principle_rows
        ]

    def ratings(self):
        return {
            p.slug: (self.cleaned_data[f"rating_{p.slug}"], self.cleaned_data[f"evidence_{p.slug}"])
            for p in self.principle_rows
        }
