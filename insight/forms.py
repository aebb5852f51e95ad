"""Filters of the dashboards, their CSV exports and the public list of awarded schools.

All are GET forms. A value we do not know is an error the page shows (and an export refuses
with a 400), never silently dropped: figures shown under a filter the reader asked for but did
not get would mislead.
"""

from django import forms

from insight.selectors import ANY_FINISHED, ANY_OPEN, InsightFilters
from journeys.enums import Stage

INVALID_LOCAL_AUTHORITY = (
    "Choose a local authority from the list (in the region, if you chose one)."
)


def chosen_region(data, regions):
    """The id of the region the unvalidated `data` names, if it is one of `regions`; else None.

    Read before validation, to narrow the local authority choices. Compared as text, so that
    no value can raise: "²" passes str.isdigit() but int() refuses it, and so does a number
    of 5,000 digits.
    """
    if data is None:
        return None
    return {str(region.pk): region.pk for region in regions}.get(data.get("region", ""))


def regions_of(local_authorities):
    """The distinct regions of local authorities (select_related("region")), by name."""
    regions = {la.region_id: la.region for la in local_authorities}
    return sorted(regions.values(), key=lambda region: region.name)


def local_authority_choices(local_authorities, region_id=None):
    """The local authorities of one region, or all of them grouped by region (<optgroup>s),
    so that the list narrows to a region with no JavaScript: choose the region, apply."""
    if region_id:
        return [(la.pk, la.name) for la in local_authorities if la.region_id == region_id]
    groups = {}
    for la in sorted(local_authorities, key=lambda la: (la.region.name, la.name)):
        groups.setdefault(la.region.name, []).append((la.pk, la.name))
    return list(groups.items())


# What sites and mail programs add to a link they pass on (Facebook adds fbclid to every
# outbound link): not a mistyped filter, so not a reason to refuse the page.
LINK_TRACKING = frozenset({"fbclid", "gclid", "msclkid", "mc_cid", "mc_eid"})
LINK_TRACKING_PREFIX = "utm_"
SHOWN_KEY_LENGTH = 40


def _is_link_tracking(key):
    return key in LINK_TRACKING or key.startswith(LINK_TRACKING_PREFIX)


class StrictGetForm(forms.Form):
    """A GET form that refuses parameters it does not know and parameters given twice.

    Link tracking parameters are let through (and ignored): a shared link still works.
    """

    allowed_extra = ()

    def clean(self):
        cleaned = super().clean()
        known = set(self.fields) | set(self.allowed_extra)
        unknown = sorted(
            key for key in self.data if key not in known and not _is_link_tracking(key)
        )
        if unknown:
            names = ", ".join(sorted(self.fields))
            shown = ", ".join(key[:SHOWN_KEY_LENGTH] for key in unknown)
            raise forms.ValidationError(
                f"Unknown filter{'s' if len(unknown) > 1 else ''}: {shown}. "
                f"The filters are: {names}."
            )
        getlist = getattr(self.data, "getlist", lambda key: [self.data[key]])
        repeated = sorted(key for key in known & set(self.data) if len(getlist(key)) > 1)
        if repeated:
            raise forms.ValidationError(f"Give each filter once: {', '.join(repeated)}.")
        return cleaned


class InsightFilterForm(StrictGetForm):
    """The dashboard's filters, limited to the area the dashboard covers."""

    region = forms.TypedChoiceField(
        label="Region",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Choose a region from the list."},
    )
    local_authority = forms.TypedChoiceField(
        label="Local authority",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": INVALID_LOCAL_AUTHORITY},
    )
    phase = forms.ChoiceField(
        label="Phase of education",
        required=False,
        error_messages={"invalid_choice": "Choose a phase of education from the list."},
    )
    stage = forms.ChoiceField(
        label="Stage",
        required=False,
        error_messages={"invalid_choice": "Choose a stage from the list."},
    )
    registered_from = forms.DateField(
        label="Registered on or after",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a real date, like 2025-09-01."},
    )
    registered_to = forms.DateField(
        label="Registered on or before",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a real date, like 2026-07-31."},
    )

    def __init__(self, data=None, *, local_authorities, phases):
        super().__init__(data)
        regions = regions_of(local_authorities)
        self.fields["region"].choices = [("", "Any region")] + [(r.pk, r.name) for r in regions]
        region_id = chosen_region(data, regions)
        self.fields["local_authority"].choices = [
            ("", "Any local authority"),
            *local_authority_choices(local_authorities, region_id),
        ]
        self.fields["phase"].choices = [("", "Any phase")] + [(p, p) for p in phases]
        self.fields["stage"].choices = [
            ("", "Any stage"),
            (ANY_OPEN, "Any open stage"),
            (ANY_FINISHED, "Finished: awarded, not awarded or withdrawn"),
            *Stage.choices,
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("registered_from"), cleaned.get("registered_to")
        if start and end and start > end:
            self.add_error(
                "registered_to", "The end of the registration dates must be on or after the start."
            )
        return cleaned

    def filters(self):
        """The valid filters (call after is_valid()); unbound: no filter."""
        if not self.is_bound:
            return InsightFilters()
        data = self.cleaned_data
        return InsightFilters(
            region_id=data.get("region"),
            local_authority_id=data.get("local_authority"),
            phase=data.get("phase") or "",
            stage=data.get("stage") or "",
            registered_from=data.get("registered_from"),
            registered_to=data.get("registered_to"),
        )


class AwardedSchoolsForm(StrictGetForm):
    """The public list's filters. `page` is the paginator's; other unknown keys are refused
    too, so that a mistyped link says so rather than listing every school."""

    allowed_extra = ("page",)

    region = forms.TypedChoiceField(
        label="Region",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Choose a region from the list."},
    )
    local_authority = forms.TypedChoiceField(
        label="Local authority",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": INVALID_LOCAL_AUTHORITY},
    )
    include_expired = forms.BooleanField(
        label="Include schools whose award has expired", required=False
    )

    def __init__(self, data=None, *, local_authorities):
        super().__init__(data)
        regions = regions_of(local_authorities)
        self.fields["region"].choices = [("", "Any region")] + [(r.pk, r.name) for r in regions]
        self.fields["local_authority"].choices = [
            ("", "Any local authority"),
            *local_authority_choices(local_authorities, chosen_region(data, regions)),
        ]
