"""The Statement of Impact pages (school) and the assessment page (reviewer).

Thin views: every id is fetched through journeys/access.py; writes go through
services/impact.py and services/award.py; reads come from impact_selectors.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from artsmark.common.access import not_found, parse_pk
from journeys import impact_selectors as selectors
from journeys.access import get_journey_for, get_review_for
from journeys.enums import IMPACT_EDITABLE_STAGES, ReviewKind, Stage
from journeys.framework_cache import framework_parts
from journeys.impact_forms import (
    AssessmentForm,
    EvidenceChoiceForm,
    FinalAssessmentForm,
    LevelForm,
    ReflectionForm,
)
from journeys.models import ImpactVersion
from journeys.services import award as award_services
from journeys.services import impact as impact_services
from journeys.services.commitment import SubmissionBlockedError

NOT_EDITABLE = {
    Stage.IMPACT_SUBMITTED: "Your Statement of Impact has been submitted, so it cannot be "
    "changed now.",
    Stage.AWARDED: "This journey has been decided, so its Statement of Impact cannot be changed.",
    Stage.NOT_AWARDED: "This journey has been decided, so its Statement of Impact cannot be "
    "changed.",
}
NOT_YET = "The Statement of Impact opens once your school is Artsmark Certified."


def _editable_or_redirect(request, journey):
    """Edit pages of a Statement of Impact that cannot change send the user to the task list."""
    if journey.stage in IMPACT_EDITABLE_STAGES:
        return None
    messages.info(request, NOT_EDITABLE.get(journey.stage, NOT_YET))
    return redirect("journeys:impact", pk=journey.pk)


def _goal_for(journey, goal_pk):
    goal = journey.goals.filter(pk=parse_pk(goal_pk)).first()
    if goal is None:
        raise not_found("goal")
    return goal


def _retry_form(form_class, request, conflict, **kwargs):
    """The user's refused input, based from now on the version they have now been shown."""
    post = request.POST.copy()
    post["version"] = str(conflict.version)
    form = form_class(post, **kwargs)
    form.is_valid()
    return form


# --- Task list ----------------------------------------------------------------------------


@login_required
def impact(request, pk):
    journey = get_journey_for(request.user, pk)
    data = selectors.impact_task_list(journey=journey)
    return render(
        request,
        "journeys/impact/task_list.html",
        {
            "journey": journey,
            "opened": journey.stage not in _BEFORE_CERTIFIED,
            "not_yet": NOT_YET,
            **data,
        },
    )


_BEFORE_CERTIFIED = (
    Stage.REGISTERED,
    Stage.COMMITMENT_DRAFT,
    Stage.COMMITMENT_SUBMITTED,
    Stage.COMMITMENT_RETURNED,
)


# --- Reflection per goal (autosaved with htmx) --------------------------------------------


@login_required
def reflection(request, pk, goal_pk):
    journey = get_journey_for(request.user, pk, write=True)
    goal = _goal_for(journey, goal_pk)
    if response := _editable_or_redirect(request, journey):
        return response
    data = selectors.reflection_page_data(journey=journey, goal=goal)
    saved, conflict = data["reflection"], None
    if request.method == "POST":
        form = ReflectionForm(request.POST)
        if form.is_valid():
            try:
                saved = impact_services.save_reflection(
                    journey=journey,
                    goal=goal,
                    text=form.cleaned_data["text"],
                    based_on_version=form.cleaned_data["version"],
                    actor=request.user,
                    completed=None if request.htmx else form.cleaned_data["completed"],
                )
            except impact_services.ImpactConflictError as error:
                conflict = error
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if request.htmx:
                    return render(
                        request, "journeys/impact/partials/save_status.html", {"saved": saved}
                    )
                messages.success(request, f"Your reflection on “{goal.title}” has been saved.")
                return redirect("journeys:impact", pk=journey.pk)
        if conflict is not None:
            form = _retry_form(ReflectionForm, request, conflict)
            context = _conflict_context(conflict, [("The newer text", conflict.current)])
            if request.htmx:
                return render(request, "journeys/impact/partials/save_conflict.html", context)
        elif request.htmx:
            return render(
                request,
                "journeys/impact/partials/save_status.html",
                {"saved": saved, "errors": form.errors.get("__all__") or ["Check the form."]},
            )
    else:
        form = ReflectionForm(
            initial={
                "version": data["version"],
                "text": data["text"],
                "completed": data["completed"],
            }
        )
    context = {"journey": journey, "goal": goal, "form": form, "saved": saved}
    if conflict is not None:
        context.update(_conflict_context(conflict, [("The newer text", conflict.current)]))
    return render(
        request, "journeys/impact/reflection.html", context, status=409 if conflict else 200
    )


def _conflict_context(conflict, newer):
    """`newer`: [(heading, text)] of what the colleague saved, to show beside the form."""
    return {
        "conflict": conflict,
        "conflict_message": conflict.messages[0],
        "newer": newer,
        "saved": None,
        "conflict_version": conflict.version,
    }


# --- Final self-assessment ----------------------------------------------------------------


@login_required
def final_assessment(request, pk):
    journey = get_journey_for(request.user, pk, write=True)
    if response := _editable_or_redirect(request, journey):
        return response
    data = selectors.final_assessment_data(journey=journey)
    principles = [row["principle"] for row in data["principles"]]
    kwargs = {"scale": data["scale"], "principles": principles}
    conflict = None
    if request.method == "POST":
        form = FinalAssessmentForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                impact_services.save_final_assessment(
                    journey=journey,
                    actor=request.user,
                    ratings=form.ratings(),
                    based_on_version=form.cleaned_data["version"],
                )
            except impact_services.ImpactConflictError as error:
                conflict = error
                form = _retry_form(FinalAssessmentForm, request, conflict, **kwargs)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Your final self-assessment has been saved.")
                return redirect("journeys:impact", pk=journey.pk)
    else:
        initial = {"version": data["version"]}
        for row in data["principles"]:
            initial[f"rating_{row['principle'].slug}"] = row["level"]
            initial[f"evidence_{row['principle'].slug}"] = row["evidence"]
        form = FinalAssessmentForm(initial=initial, **kwargs)
    baselines = {row["principle"].slug: row["baseline_label"] for row in data["principles"]}
    context = {
        "journey": journey,
        "form": form,
        "rows": [
            (principle, rating, evidence, baselines[principle.slug])
            for principle, rating, evidence in form.principle_fields()
        ],
    }
    if conflict is not None:
        newer = [
            (p.title, _rating_text(conflict.current.get(p.slug), data["scale_labels"]))
            for p in principles
        ]
        context.update(_conflict_context(conflict, newer))
    return render(
        request, "journeys/impact/assessment.html", context, status=409 if conflict else 200
    )


def _rating_text(rating, labels):
    rating = rating or {}
    label = labels.get(rating.get("level", ""), "Not rated")
    evidence = rating.get("evidence", "")
    return f"{label}: {evidence}" if evidence else label


# --- Evidence chosen from the locker ------------------------------------------------------


@login_required
def evidence(request, pk):
    journey = get_journey_for(request.user, pk, write=True)
    if response := _editable_or_redirect(request, journey):
        return response
    data = selectors.evidence_choice_data(journey=journey)
    conflict = None
    if request.method == "POST":
        form = EvidenceChoiceForm(request.POST, items=data["items"])
        if form.is_valid():
            try:
                impact_services.choose_evidence(
                    journey=journey,
                    actor=request.user,
                    evidence_ids=form.cleaned_data["evidence"],
                    based_on_version=form.cleaned_data["version"],
                )
            except impact_services.ImpactConflictError as error:
                conflict = error
                form = _retry_form(EvidenceChoiceForm, request, conflict, items=data["items"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Your choice of evidence has been saved.")
                return redirect("journeys:impact", pk=journey.pk)
    else:
        form = EvidenceChoiceForm(
            initial={"version": data["version"], "evidence": sorted(data["chosen"])},
            items=data["items"],
        )
    context = {
        "journey": journey,
        "form": form,
        "items": data["items"],
        "rows": list(zip(data["items"], form["evidence"], strict=False)),
    }
    if conflict is not None:
        titles = {item["pk"]: item["title"] for item in data["items"]}
        chosen = [titles[pk] for pk in conflict.current if pk in titles]
        newer = [("Evidence your colleague chose", "\n".join(chosen) or "None")]
        context.update(_conflict_context(conflict, newer))
    return render(
        request, "journeys/impact/evidence.html", context, status=409 if conflict else 200
    )


# --- The level applied for ----------------------------------------------------------------


@login_required
def level(request, pk):
    journey = get_journey_for(request.user, pk, write=True)
    if response := _editable_or_redirect(request, journey):
        return response
    draft = selectors.draft_for(journey)
    conflict = None
    if request.method == "POST":
        form = LevelForm(request.POST)
        if form.is_valid():
            try:
                impact_services.set_level_applied_for(
                    journey=journey,
                    actor=request.user,
                    level=form.cleaned_data["level"],
                    reason=form.cleaned_data["reason"],
                    based_on_version=form.cleaned_data["version"],
                )
            except impact_services.ImpactConflictError as error:
                conflict = error
                form = _retry_form(LevelForm, request, conflict)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "The level you are applying for has been saved.")
                return redirect("journeys:impact", pk=journey.pk)
    else:
        form = LevelForm(
            initial={
                "version": draft.level_version,
                "level": draft.level_applied_for or None,
                "reason": draft.level_reason,
            }
        )
    context = {
        "journey": journey,
        "form": form,
        "strands": framework_parts(journey.framework_id).strands,
    }
    if conflict is not None:
        current = conflict.current
        label = dict(LevelForm.base_fields["level"].choices).get(current["level"], "Not chosen")
        newer = [("Level", label), ("Why this level", current["reason"] or "(empty)")]
        context.update(_conflict_context(conflict, newer))
    return render(request, "journeys/impact/level.html", context, status=409 if conflict else 200)


# --- Check your answers, submit, and the frozen versions ----------------------------------


@login_required
def check(request, pk):
    journey = get_journey_for(request.user, pk, write=True)
    snapshot = selectors.impact_snapshot(journey=journey)
    problems = selectors.impact_problems(journey=journey, snapshot=snapshot)
    attempted = False
    if request.method == "POST":
        attempted = True
        try:
            version = impact_services.submit_impact(journey=journey, actor=request.user)
        except SubmissionBlockedError as error:
            problems = error.problems
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("journeys:impact", pk=journey.pk)
        else:
            messages.success(
                request,
                f"Your Statement of Impact (version {version.number}) has been submitted. "
                "Your Bridge Organisation has been told.",
            )
            return redirect("journeys:detail", pk=journey.pk)
    return render(
        request,
        "journeys/impact/check.html",
        {
            "journey": journey,
            "snapshot": snapshot,
            "problems": problems,
            "attempted": attempted,
            "editable": journey.stage in IMPACT_EDITABLE_STAGES,
        },
        status=400 if attempted else 200,
    )


@login_required
def version(request, pk, number):
    journey = get_journey_for(request.user, pk)
    frozen = (
        ImpactVersion.objects.filter(journey=journey, number=number)
        .select_related("submitted_by")
        .first()
    )
    if frozen is None:
        raise not_found("version")
    return render(request, "journeys/impact/version.html", {"journey": journey, "version": frozen})


@login_required
@require_POST
def request_certificate(request, pk):
    """Ask (again) for the certificate of an awarded journey, e.g. after a failed render."""
    journey = get_journey_for(request.user, pk)
    try:
        report = award_services.request_certificate(journey=journey, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if report is None:
            message = "Your certificate is ready: download it below."
        elif report.created:
            message = "We are making your certificate. It will be ready to download in a moment."
        else:
            message = "Your certificate is already being made. It will be ready in a moment."
        messages.success(request, message)
    return redirect(reverse("journeys:detail", kwargs={"pk": journey.pk}) + "#impact-panel-title")


# --- The reviewer's assessment ------------------------------------------------------------


@login_required
def assess(request, review_pk):
    review = get_review_for(request.user, review_pk, decide=request.method == "POST")
    if review.kind != ReviewKind.IMPACT:
        raise not_found("review")
    data = selectors.assessment_page_data(review=review)
    if review.is_decided:
        if request.method == "POST":
            messages.error(
                request, "This submission has already been decided. Nothing has been changed."
            )
            return redirect("journeys:assess", review_pk=review.pk)
        return render(request, "journeys/impact/assess.html", {**data, "form": None})
    strands = [strand for strand, _ in data["strands"]]
    form = AssessmentForm(
        request.POST or None,
        initial={"version_number": review.version_number},
        strands=strands,
        can_return=data["can_return"],
    )
    if request.method == "POST" and form.is_valid():
        try:
            award_services.decide_impact(
                review=review,
                actor=request.user,
                decision=form.cleaned_data["decision"],
                feedback=form.cleaned_data["feedback"],
                judgements=form.judgements(),
                award_level=form.cleaned_data["award_level"],
                version_number=form.cleaned_data["version_number"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            review.refresh_from_db()
            messages.success(
                request,
                f"Your decision has been recorded: {review.get_decision_display()}. "
                "The school has been told.",
            )
            return redirect("journeys:assess", review_pk=review.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "journeys/impact/assess.html", {**data, "form": form}, status=status)
