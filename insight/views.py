"""Thin views of the insight pages: dashboards, their CSV exports, the awarded schools list.

A Bridge Organisation's dashboard is for its reviewers (any role) and platform staff; the
reviewers of another organisation get a 404 (ids do not leak); users who review for no
organisation at all get a 403. The dashboard for all of England is for platform staff only.
"""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from artsmark.common.access import forbid
from artsmark.schools.access import get_bridge_organisation_for
from insight import exports, selectors
from insight.forms import AwardedSchoolsForm, InsightFilterForm
from insight.presentation import dashboard_charts


@dataclass(frozen=True)
class Scope:
    """The area a dashboard covers: one organisation's local authorities, or England."""

    name: str
    slug: str
    organisation: object  # BridgeOrganisation, or None for England
    local_authorities: list

    @property
    def local_authority_ids(self):
        if self.organisation is None:
            return None
        return [la.pk for la in self.local_authorities]

    def url(self, name):
        if self.organisation is None:
            return reverse(f"insight:england{name}")
        return reverse(f"insight:dashboard{name}", kwargs={"organisation_pk": self.organisation.pk})


def _organisation_scope(user, organisation_pk):
    try:
        # The access helper reads the user's memberships with the request's other checks.
        organisation = get_bridge_organisation_for(user, organisation_pk)
    except Http404:
        # Asked only when refused: someone who reviews for no organisation is told why.
        if not user.is_superuser and not user.bridge_memberships.exists():
            raise forbid("Dashboards are for Bridge Organisations' reviewers.") from None
        raise
    return Scope(
        name=organisation.name,
        slug=organisation.slug,
        organisation=organisation,
        local_authorities=selectors.scope_local_authorities(organisation=organisation),
    )


def _england_scope(user):
    if not user.is_superuser:
        raise forbid("The dashboard for all of England is for platform staff.")
    return Scope(
        name="England",
        slug="england",
        organisation=None,
        local_authorities=selectors.scope_local_authorities(),
    )


def _filter_form(request, scope):
    phases = selectors.scope_phases(local_authority_ids=scope.local_authority_ids)
    return InsightFilterForm(
        request.GET or None, local_authorities=scope.local_authorities, phases=phases
    )


def _errors_text(form):
    lines = list(form.non_field_errors())
    for field in form:
        lines.extend(f"{field.label}: {error}" for error in field.errors)
    return "\n".join(lines)


# --- Dashboards -------------------------------------------------------------------------------


def _dashboard(request, scope):
    form = _filter_form(request, scope)
    context = {
        "scope": scope,
        "form": form,
        "dashboard_url": scope.url(""),
        "query": request.GET.urlencode(),
        "export_urls": {
            kind: scope.url(f"_export_{kind}") for kind in ("journeys", "schools", "partners")
        },
    }
    if form.is_bound and not form.is_valid():
        # No figures under filters we could not apply: they would read as filtered.
        return render(request, "insight/dashboard.html", context, status=400)
    data = selectors.dashboard_data(
        local_authority_ids=scope.local_authority_ids,
        filters=form.filters(),
        local_authorities=scope.local_authorities,
    )
    context.update(data=data, charts=dashboard_charts(data))
    return render(request, "insight/dashboard.html", context)


@login_required
@require_GET
def dashboard(request, organisation_pk):
    return _dashboard(request, _organisation_scope(request.user, organisation_pk))


@login_required
@require_GET
def england_dashboard(request):
    return _dashboard(request, _england_scope(request.user))


# --- Exports ----------------------------------------------------------------------------------


def _export(request, scope, kind):
    form = _filter_form(request, scope)
    if form.is_bound and not form.is_valid():
        return HttpResponse(
            f"The export was not made: the filters need correcting.\n{_errors_text(form)}\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    filters = form.filters()
    if kind == "journeys":
        headers, rows = selectors.journey_export_rows(
            local_authority_ids=scope.local_authority_ids, filters=filters
        )
    elif kind == "schools":
        headers, rows = selectors.school_export_rows(
            local_authority_ids=scope.local_authority_ids, filters=filters
        )
    else:
        headers, rows = selectors.partner_export_rows(
            local_authority_ids=scope.local_authority_ids,
            filters=filters,
            local_authorities=scope.local_authorities,
        )
    return exports.csv_response(
        headers=headers, rows=rows, filename=exports.export_filename(kind, scope.slug)
    )


def _organisation_export(kind):
    @login_required
    @require_GET
    def view(request, organisation_pk):
        return _export(request, _organisation_scope(request.user, organisation_pk), kind)

    view.__name__ = f"export_{kind}"
    return view


def _england_export(kind):
    @login_required
    @require_GET
    def view(request):
        return _export(request, _england_scope(request.user), kind)

    view.__name__ = f"england_export_{kind}"
    return view


export_journeys = _organisation_export("journeys")
export_schools = _organisation_export("schools")
export_partners = _organisation_export("partners")
england_export_journeys = _england_export("journeys")
england_export_schools = _england_export("schools")
england_export_partners = _england_export("partners")


# --- The public list of awarded schools -------------------------------------------------------


@require_GET
def awarded_schools(request):
    form = AwardedSchoolsForm(
        request.GET or None, local_authorities=selectors.scope_local_authorities()
    )
    context = {"form": form, "list_url": reverse("insight:awarded_schools")}
    if form.is_bound and not form.is_valid():
        return render(request, "insight/awarded_schools.html", context, status=400)
    data = form.cleaned_data if form.is_bound else {}
    context["page"] = selectors.awarded_schools(
        region_id=data.get("region"),
        local_authority_id=data.get("local_authority"),
        include_expired=bool(data.get("include_expired")),
        page=request.GET.get("page", 1),
    )
    context["show_list"] = True
    context["include_expired"] = bool(data.get("include_expired"))
    context["is_filtered"] = bool(data.get("region") or data.get("local_authority"))
    return render(request, "insight/awarded_schools.html", context)
