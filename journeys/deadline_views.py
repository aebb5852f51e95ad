"""The deadline pages: a school asks for more time; a Bridge Organisation sees requests and
overdue journeys and decides. Thin: access helpers fetch, services write, selectors read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from artsmark.schools.access import get_bridge_organisation_for
from journeys import deadline_selectors
from journeys.access import get_journey_for
from journeys.deadline_access import get_extension_for
from journeys.deadline_forms import GRANT, ExtensionDecisionForm, ExtensionRequestForm
from journeys.enums import ExtensionStatus
from journeys.services import deadlines
from journeys.templatetags.journey_tags import long_date


def _add_service_error(form, error, fields):
    """Show a service's refusal beside the field it is about, or at the top."""
    field = fields.get(getattr(error, "code", None))
    form.add_error(field if field in form.fields else None, error)


# --- The school asks --------------------------------------------------------------------------


@login_required
def extension_request(request, pk):
    journey = get_journey_for(request.user, pk, write=True)
    data = deadline_selectors.extension_request_page(journey=journey)
    deadline = data["deadline"]
    form = ExtensionRequestForm(request.POST or None, deadline=deadline)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                deadlines.request_extension(
                    journey=journey,
                    kind=deadline.kind if deadline else "",
                    requested_due_on=form.cleaned_data["requested_due_on"],
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                )
            except ValidationError as error:
                fields = {"date": "requested_due_on", "reason": "reason"}
                _add_service_error(form, error, fields)
            else:
                messages.success(
                    request,
                    "Your request for more time has been sent to your Bridge Organisation. "
                    "You will get an email when they decide.",
                )
                return redirect("journeys:detail", pk=journey.pk)
    return render(request, "journeys/deadlines/request.html", {**data, "form": form}, status=status)


# --- The Bridge Organisation ------------------------------------------------------------------


@login_required
def bridge_deadlines(request, organisation_pk):
    organisation = get_bridge_organisation_for(request.user, organisation_pk)
    data = deadline_selectors.bridge_deadlines_page(
        organisation=organisation,
        requests_page=request.GET.get("requests_page", 1),
        overdue_page=request.GET.get("overdue_page", 1),
    )
    return render(request, "journeys/deadlines/bridge.html", data)


@login_required
def extension_decide(request, extension_pk):
    extension = get_extension_for(request.user, extension_pk)
    form = ExtensionDecisionForm(
        request.POST or None, initial={"new_due_on": extension.requested_due_on}
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                deadlines.decide_extension(
                    extension=extension,
                    actor=request.user,
                    grant=form.cleaned_data["decision"] == GRANT,
                    new_due_on=form.cleaned_data["new_due_on"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                _add_service_error(form, error, {"date": "new_due_on", "note": "note"})
                if getattr(error, "code", "") == "decided":
                    extension.refresh_from_db()
                    status = 409
            else:
                return _decided(request, extension)
    data = deadline_selectors.extension_page_data(extension=extension, user=request.user)
    return render(request, "journeys/deadlines/decide.html", {**data, "form": form}, status=status)


def _decided(request, extension):
    school = extension.journey.school.name
    if extension.status == ExtensionStatus.GRANTED:
        text = f"granted: the due date is now {long_date(extension.granted_due_on)}"
    else:
        text = "refused"
    messages.success(
        request, f"{school}'s request for more time was {text}. They have been emailed."
    )
    data = deadline_selectors.extension_page_data(extension=extension, user=request.user)
    return redirect(data["back_url"])
