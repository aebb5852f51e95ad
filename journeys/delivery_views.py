"""Delivery pages: activities, the evidence locker and its downloads, checkpoints.

Thin views: every id goes through journeys/evidence_access.py; writes call services.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from artsmark.common.access import not_found
from journeys import delivery_selectors as selectors
from journeys.access import can_write
from journeys.delivery_forms import (
    ActivityForm,
    ArtsAwardForm,
    CheckpointForm,
    EvidenceEditForm,
    EvidenceFileForm,
)
from journeys.enums import DELIVERY_STAGES, EvidenceKind
from journeys.evidence_access import (
    get_activity_for,
    get_delivery_journey_for,
    get_evidence_for,
)
from journeys.services import checkpoints as checkpoint_services
from journeys.services import delivery as delivery_services
from journeys.services import evidence as evidence_services

NOT_DELIVERING = (
    "Activities, evidence and checkpoints can be changed only while your school is delivering "
    "its plan: from Artsmark Certified until the Statement of Impact is submitted."
)
INLINE_TYPES = {"image/jpeg", "image/png", "image/webp"}


def _delivering_or_redirect(request, journey):
    if journey.stage in DELIVERY_STAGES:
        return None
    messages.info(request, NOT_DELIVERING)
    return redirect("journeys:delivery", pk=journey.pk)


def _can_change(user, journey):
    return can_write(user, journey) and journey.stage in DELIVERY_STAGES


def _error_text(error):
    return " ".join(error.messages)


@login_required
@require_GET
def delivery(request, pk):
    journey = get_delivery_journey_for(request.user, pk)
    data = selectors.delivery_overview(journey=journey, user=request.user)
    return render(request, "journeys/delivery/overview.html", data)


# --- Activities ---------------------------------------------------------------------------


@login_required
@require_GET
def activities(request, pk):
    journey = get_delivery_journey_for(request.user, pk)
    page = selectors.activities_page(journey=journey, page_number=request.GET.get("page"))
    return render(
        request,
        "journeys/delivery/activities.html",
        {
            "journey": journey,
            "page": page,
            "can_write": _can_change(request.user, journey),
        },
    )


def _activity_form_page(request, journey, activity=None):
    if response := _delivering_or_redirect(request, journey):
        return response
    initial = {}
    if activity is not None:
        initial = {
            "happened_on": activity.happened_on,
            "title": activity.title,
            "description": activity.description,
            "pupils_involved": activity.pupils_involved,
            "partners": activity.partners,
            "goals": [goal.pk for goal in activity.goals.all()],
        }
    goals = selectors.journey_goals(journey=journey)
    form = ActivityForm(request.POST or None, initial=initial, goals=goals)
    if request.method == "POST" and form.is_valid():
        fields = {**form.cleaned_data, "goals": list(form.cleaned_data["goals"])}
        try:
            if activity is None:
                delivery_services.log_activity(journey=journey, actor=request.user, **fields)
            else:
                delivery_services.update_activity(activity=activity, actor=request.user, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"The activity “{fields['title']}” has been saved.")
            return redirect("journeys:activities", pk=journey.pk)
    return render(
        request,
        "journeys/delivery/activity_form.html",
        {"journey": journey, "form": form, "activity": activity},
    )


@login_required
def activity_add(request, pk):
    journey = get_delivery_journey_for(request.user, pk, write=True)
    return _activity_form_page(request, journey)


@login_required
def activity_edit(request, pk, activity_pk):
    activity = get_activity_for(request.user, pk, activity_pk, write=True)
    return _activity_form_page(request, activity.journey, activity)


@login_required
def activity_delete(request, pk, activity_pk):
    activity = get_activity_for(request.user, pk, activity_pk, write=True)
    journey = activity.journey
    if response := _delivering_or_redirect(request, journey):
        return response
    if request.method == "POST":
        try:
            delivery_services.remove_activity(activity=activity, actor=request.user)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, f"The activity “{activity.title}” has been removed.")
        return redirect("journeys:activities", pk=journey.pk)
    return render(
        request,
        "journeys/delivery/activity_delete.html",
        {"journey": journey, "activity": activity},
    )


# --- Evidence -----------------------------------------------------------------------------


@login_required
@require_GET
def evidence(request, pk):
    journey = get_delivery_journey_for(request.user, pk)
    page = selectors.evidence_page(journey=journey, page_number=request.GET.get("page"))
    return render(
        request,
        "journeys/delivery/evidence.html",
        {
            "journey": journey,
            "page": page,
            "can_write": _can_change(request.user, journey),
        },
    )


def _tags(cleaned_data):
    return {
        "goals": list(cleaned_data["goals"]),
        "strands": cleaned_data["strands"],
        "quality_principles": cleaned_data["quality_principles"],
    }


@login_required
def evidence_add(request, pk):
    journey = get_delivery_journey_for(request.user, pk, write=True)
    if response := _delivering_or_redirect(request, journey):
        return response
    goals = selectors.journey_goals(journey=journey)
    form = EvidenceFileForm(request.POST or None, request.FILES or None, goals=goals)
    if request.method == "POST" and form.is_valid():
        try:
            item = evidence_services.add_evidence_file(
                journey=journey,
                actor=request.user,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                **_tags(form.cleaned_data),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"“{item.title}” has been added to your evidence.")
            return redirect("journeys:evidence", pk=journey.pk)
    return render(
        request, "journeys/delivery/evidence_form.html", {"journey": journey, "form": form}
    )


@login_required
def evidence_arts_award(request, pk):
    journey = get_delivery_journey_for(request.user, pk, write=True)
    if response := _delivering_or_redirect(request, journey):
        return response
    goals = selectors.journey_goals(journey=journey)
    form = ArtsAwardForm(request.POST or None, goals=goals)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = evidence_services.add_arts_award(
                journey=journey,
                actor=request.user,
                level=data["level"],
                pupils=data["pupils"],
                title=data["title"],
                description=data["description"],
                **_tags(data),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"“{item.title}” has been added to your evidence.")
            return redirect("journeys:evidence", pk=journey.pk)
    return render(
        request, "journeys/delivery/arts_award_form.html", {"journey": journey, "form": form}
    )


@login_required
def evidence_edit(request, pk, item_pk):
    item = get_evidence_for(request.user, pk, item_pk, write=True)
    journey = item.journey
    if response := _delivering_or_redirect(request, journey):
        return response
    arts_award = item.kind == EvidenceKind.ARTS_AWARD
    initial = {
        "title": item.title,
        "description": item.description,
        "goals": [goal.pk for goal in item.goals.all()],
        "strands": item.strands,
        "quality_principles": item.quality_principles,
        "level": item.arts_award_level,
        "pupils": item.arts_award_pupils,
    }
    goals = selectors.journey_goals(journey=journey)
    form = EvidenceEditForm(
        request.POST or None, initial=initial, goals=goals, arts_award=arts_award
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            evidence_services.update_evidence_tags(
                item=item,
                actor=request.user,
                title=data["title"],
                description=data["description"],
                arts_award_level=data.get("level"),
                arts_award_pupils=data.get("pupils"),
                **_tags(data),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"“{item.title}” has been saved.")
            return redirect("journeys:evidence", pk=journey.pk)
    return render(
        request,
        "journeys/delivery/evidence_edit.html",
        {"journey": journey, "form": form, "item": item},
    )


@login_required
def evidence_delete(request, pk, item_pk):
    item = get_evidence_for(request.user, pk, item_pk, write=True)
    journey = item.journey
    if response := _delivering_or_redirect(request, journey):
        return response
    if request.method == "POST":
        try:
            evidence_services.remove_evidence(item=item, actor=request.user)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, f"“{item.title}” has been removed from your evidence.")
        return redirect("journeys:evidence", pk=journey.pk)
    return render(
        request, "journeys/delivery/evidence_delete.html", {"journey": journey, "item": item}
    )


@require_GET
def evidence_file(request, pk, item_pk):
    """Serve a stored file to those who may read the journey; only images are shown inline.

    Not behind the login redirect: a file link asked for without a session answers 404, like
    one asked for by anybody else it is not for (the access helper says so for anonymous users).
    """
    item = get_evidence_for(request.user, pk, item_pk)
    if item.kind != EvidenceKind.FILE:
        raise not_found("file")
    path = evidence_services.evidence_path(item)
    if path is None or not path.is_file():
        raise not_found("file")
    inline = item.content_type in INLINE_TYPES
    response = FileResponse(
        path.open("rb"),
        content_type=item.content_type or "application/octet-stream",
        as_attachment=not inline,
        filename=item.original_name or path.name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Even if a browser did render it as a page, nothing in it may run or load.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


# --- Checkpoints ----------------------------------------------------------------------------


@login_required
@require_GET
def checkpoints(request, pk):
    journey = get_delivery_journey_for(request.user, pk)
    page = selectors.checkpoints_page(journey=journey, page_number=request.GET.get("page"))
    return render(
        request,
        "journeys/delivery/checkpoints.html",
        {
            "journey": journey,
            "page": page,
            "can_write": _can_change(request.user, journey),
        },
    )


@login_required
def checkpoint_add(request, pk):
    journey = get_delivery_journey_for(request.user, pk, write=True)
    if response := _delivering_or_redirect(request, journey):
        return response
    data = selectors.checkpoint_form_data(journey=journey)
    initial = {}
    if data["latest"] is not None:
        for rating in data["latest"].ratings:
            initial[f"rating_{rating.get('principle')}"] = rating.get("level")
    form = CheckpointForm(
        request.POST or None,
        initial=initial,
        scale=data["scale"],
        principles=data["principles"],
    )
    if request.method == "POST" and form.is_valid():
        try:
            checkpoint_services.take_checkpoint(
                journey=journey,
                actor=request.user,
                label=form.cleaned_data["label"],
                ratings=form.ratings(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your self-assessment checkpoint has been saved.")
            return redirect("journeys:checkpoints", pk=journey.pk)
    return render(
        request,
        "journeys/delivery/checkpoint_form.html",
        {"journey": journey, "form": form, **data},
    )
