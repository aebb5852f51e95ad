from django import forms
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from artsmark.common.vocab import ART_FORMS, KEY_STAGES, QUALITY_PRINCIPLES
from artsmark.schools.models import LocalAuthority, Region
from partners.enums import Cost, OfferType
from partners.models import Offer, PartnerOrganisation
from partners.selectors import (
    AREA_ANYWHERE,
    AREA_LOCAL_AUTHORITY,
    AREA_REGION,
    MAX_QUERY_LENGTH,
    DirectorySearch,
)


class Checkboxes(forms.MultipleHiddenInput):
    """Reads every value given. The page draws the checkboxes itself (partners.presentation),
    the first with the id <field id>_0: where the error summary links to."""

    def id_for_label(self, id_):
        return f"{id_}_0" if id_ else id_


class Options(forms.Field):
    """Values picked from a list of (value, label) options, each checked against a set.

    The directory's filters: the page draws their checkboxes and select itself
    (partners.presentation), so unlike a ChoiceField this never normalises and copies some
    two hundred choices for every search typed."""

    default_error_messages = {
        "invalid_choice": "Select a valid choice. %(value)s is not one of the available choices."
    }

    def __init__(self, *, options=(), coerce=str, multiple=True, **kwargs):
        widget = Checkboxes if multiple else forms.HiddenInput
        super().__init__(widget=widget, required=False, **kwargs)
        self.coerce, self.multiple = coerce, multiple
        self.options = options

    @property
    def options(self):
        return self._options

    @options.setter
    def options(self, options):
        self._options = list(options)
        self._allowed = {str(value) for value, _ in self._options}

    def to_python(self, value):
        given = value if isinstance(value, list | tuple) else [value]
        values = [str(v) for v in given if v not in (None, "")]
        for v in values:
            if v not in self._allowed:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": v},
                )
        values = [self.coerce(v) for v in values]
        if self.multiple:
            return values
        return values[0] if values else None


class SearchText(forms.CharField):
    """Any text at all is a fair query: long input is cut, not refused."""

    def to_python(self, value):
        return super().to_python(value)[:MAX_QUERY_LENGTH]


class DirectorySearchForm(forms.Form):
    q = SearchText(label="Search partners", required=False, strip=True)
    offer_type = Options(options=OfferType.choices, label="Type of offer")
    art_form = Options(options=ART_FORMS, label="Art form")
    key_stage = Options(options=KEY_STAGES, label="Key stage")
    quality_principle = Options(options=QUALITY_PRINCIPLES, label="Quality Principle")
    cost = Options(options=Cost.choices, label="Cost")
    region = Options(label="Region served", coerce=int)
    local_authority = Options(label="Local authority served", coerce=int, multiple=False)
    artsmark_partner = forms.BooleanField(label="Artsmark Partners only", required=False)
    page = forms.IntegerField(
        required=False, min_value=1, max_value=100000, widget=forms.HiddenInput
    )

    def __init__(self, *args, regions, local_authorities, **kwargs):
        """regions and local_authorities: lists of (id, name)."""
        super().__init__(*args, **kwargs)
        self.fields["region"].options = regions
        self.fields["local_authority"].options = local_authorities

    def search(self):
        data = self.cleaned_data
        return DirectorySearch(
            text=data.get("q") or "",
            offer_type=data.get("offer_type") or [],
            art_form=data.get("art_form") or [],
            key_stage=data.get("key_stage") or [],
            quality_principle=data.get("quality_principle") or [],
            cost=data.get("cost") or [],
            region=data.get("region") or [],
            local_authority=data.get("local_authority"),
            artsmark_partner=bool(data.get("artsmark_partner")),
            page=data.get("page") or 1,
        )


class RegionGroupedCheckboxes(forms.widgets.ChoiceWidget):
    """Checkboxes grouped by region, each group a fieldset in a <details> that opens with
    the keyboard: some 150 local authorities without a Ctrl-click list. The choices are
    (region name, [(id, name), ...]) pairs."""

    allow_multiple_selected = True
    input_type = "checkbox"
    template_name = "partners/widgets/grouped_checkboxes.html"
    use_fieldset = True

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["groups"] = [
            {
                "name": group,
                "options": options,
                "chosen": sum(1 for option in options if option["selected"]),
            }
            for group, options, _ in context["widget"]["optgroups"]
        ]
        return context

    def _render(self, template_name, context, renderer=None):
        # The project's templates folder, which Django's default form renderer does not read.
        return mark_safe(render_to_string(template_name, context))  # noqa: S308 (a template)

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return False  # an unticked box sends nothing: that means none chosen

    def id_for_label(self, id_, index="0"):
        return f"{id_}_{index}" if id_ else id_


class ListingForm(forms.ModelForm):
    website = forms.URLField(required=False, assume_scheme="https", max_length=200)
    serves_regions = forms.ModelMultipleChoiceField(
        label="Regions served",
        queryset=Region.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Serving a region means serving every local authority in it.",
    )
    serves_local_authorities = forms.ModelMultipleChoiceField(
        label="Other local authorities served",
        queryset=LocalAuthority.objects.all(),
        required=False,
        widget=RegionGroupedCheckboxes,
        help_text="Open a region to tick the local authorities you work in outside the regions "
        "above.",
    )
    art_forms = forms.MultipleChoiceField(
        label="Art forms", choices=ART_FORMS, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = PartnerOrganisation
        fields = [
            "name",
            "description",
            "website",
            "contact_email",
            "contact_phone",
            "postcode",
            "local_authority",
            "serves_regions",
            "serves_local_authorities",
            "art_forms",
        ]
        labels = {"local_authority": "Local authority where you are based"}
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        authorities = LocalAuthority.objects.select_related("region").order_by(
            "region__name", "name"
        )
        groups = {}
        for authority in authorities:
            groups.setdefault(authority.region.name, []).append((authority.pk, authority.name))
        self.fields["serves_local_authorities"].widget.choices = list(groups.items())


class OfferForm(forms.ModelForm):
    key_stages = forms.MultipleChoiceField(
        label="Key stages", choices=KEY_STAGES, required=True, widget=forms.CheckboxSelectMultiple
    )
    art_forms = forms.MultipleChoiceField(
        label="Art forms", choices=ART_FORMS, required=False, widget=forms.CheckboxSelectMultiple
    )
    quality_principles = forms.MultipleChoiceField(
        label="Quality Principles it supports",
        choices=QUALITY_PRINCIPLES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Offer
        fields = [
            "title",
            "description",
            "offer_type",
            "key_stages",
            "age_range",
            "art_forms",
            "curriculum_links",
            "learning_outcomes",
            "quality_principles",
            "cost",
            "cost_note",
            "school_provides",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "curriculum_links": forms.Textarea(attrs={"rows": 2}),
            "learning_outcomes": forms.Textarea(attrs={"rows": 2}),
            "school_provides": forms.Textarea(attrs={"rows": 2}),
        }


class JoinOrganisationForm(forms.Form):
    message = forms.CharField(
        label="Message to the organisation's administrator (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FindOrganisationForm(forms.Form):
    q = SearchText(label="Organisation name", required=False)


class ReturnForm(forms.Form):
    comments = forms.CharField(
        label="Comments for the organisation",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required when you return a listing: say what needs to change.",
    )


class EnquiryForm(forms.Form):
    school = forms.ModelChoiceField(label="Your school", queryset=None, empty_label=None)
    goal = forms.ModelChoiceField(
        label="Which goal is this about? (optional)", queryset=None, required=False
    )
    subject = forms.CharField(max_length=200)
    body = forms.CharField(
        label="Your message", max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args, schools, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["goal"].queryset = goals
        self.fields["goal"].label_from_instance = lambda goal: f"{goal.journey.school}: {goal}"


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="Your reply", max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class MatchingFilterForm(forms.Form):
    """Narrow the partners matched to a plan: by where they work and by art form (GET)."""

    area = forms.ChoiceField(label="Where", required=False, widget=forms.RadioSelect)
    art_form = forms.ChoiceField(
        label="Art form", required=False, choices=[("", "Any art form"), *ART_FORMS]
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        la = school.local_authority
        self.fields["area"].choices = [
            (AREA_ANYWHERE, "Anywhere (partners near you first)"),
            (AREA_LOCAL_AUTHORITY, f"Partners serving {la.name}"),
            (AREA_REGION, f"Partners serving {la.region.name}"),
        ]
        self.fields["area"].initial = AREA_ANYWHERE

    def filters(self):
        """The chosen filters; anything invalid is left out (and reported on the page)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "area": data.get("area") or AREA_ANYWHERE,
            "art_form": data.get("art_form") or "",
        }


class ArtsmarkPartnerForm(forms.Form):
    is_artsmark_partner = forms.BooleanField(
        label="This organisation is an Artsmark Partner",
        required=False,
        help_text="Tick only once it has signed up to the Artsmark Partner code of practice.",
    )
