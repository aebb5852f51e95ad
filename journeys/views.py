from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from artsmark.common.access import not_found, parse_pk
from artsmark.schools.access import get_bridge_organisation_for, get_school_for
from journeys import selectors
from journeys.access import get_journey_for
from journeys.enums import COMMITMENT_EDITABLE_STAGES
from journeys.forms import GoalForm, SectionForm, SelfAssessmentForm, SignOffForm
from journeys.framework_cache import framework_parts
from journeys.models import CommitmentVersion
from journeys.services import commitment as commitment_services
from journeys.services.registration import register_school


def _editable_or_redirect(request, journey):
    """Edit pages of a submitted statement send the user back to the task list."""
    if journey.stage in COMMITMENT_EDITABLE_STAGES:
        return None
    # No flash message: the task list itself says the statement was submitted (saying it in
    # a message as well showed it twice).
    return redirect("journeys:commitment", pk=journey.pk)


@login_required
def register(request, school_pk):
    school = get_school_for(request.user, school_pk, write=True)
    existing = selectors.open_journey_for_school(school=school)
    if existing is not None:
        messages.info(request, f"{school.name} is already registered for Artsmark.")
        return redirect("journeys:detail", pk=existing.pk)
    error = None
    if request.method == "POST":
        try:
            journey = register_school(school=school, actor=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, f"{school.name} is registered for Artsmark.")
            return redirect("journeys:detail", pk=journey.pk)
    return render(request, "journeys/register.html", {"school": school, "error": error})


@login_required
def journey_detail(request, pk):
    journey = get_journey_for(request.user, pk)
    data = selectors.journey_page_data(journey=journey, user=request.user)
    return render(request, "journeys/detail.html", data)


@login_required
def commitment(request, pk):
    journey = get_journey_for(request.user, pk)
    data = selectors.task_list(journey=journey)
    return render(request, "journeys/commitment.html", {"journey": journey, **data})


def _section_for(journey, section_pk):
    section = framework_parts(journey.framework_id).section(parse_pk(section_pk))
    if section is None:
        raise not_found("section")
    return section


@login_required
def section(request, pk, section_pk):
    journey = get_journey_for(request.user, pk, write=True)
    section = _section_for(journey, section_pk)
    if response := _editable_or_redirect(request, journey):
        return response
    questions = list(section.questions.all())
    data = selectors.section_page_data(journey=journey, section=section)
    conflict = None
    if request.method == "POST":
        form = SectionForm(request.POST, questions=questions)
        if form.is_valid():
            try:
                draft = commitment_services.save_section(
                    journey=journey,
                    section=section,
                    answers=form.answers(),
                    based_on_version=form.cleaned_data["version"],
                    actor=request.user,
                    completed=None if request.htmx else form.cleaned_data["completed"],
                )
            except commitment_services.DraftConflictError as error:
                conflict = error
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if request.htmx:
                    return render(request, "journeys/partials/save_status.html", {"draft": draft})
                messages.success(request, f"“{section.title}” has been saved.")
                return redirect("journeys:commitment", pk=journey.pk)
        if conflict is not None:
            # Keep the user's text in the form, based from now on the newer version they
            # have now been shown, so that their next deliberate save can go through.
            post = request.POST.copy()
            post["version"] = str(conflict.draft.version)
            form = SectionForm(post, questions=questions)
            form.is_valid()
            if request.htmx:
                return render(
                    request,
                    "journeys/partials/save_conflict.html",
                    _conflict_context(conflict, questions),
                )
    else:
        initial = {q.slug: text for q, text in data["questions"]}
        initial["version"] = data["version"]
        initial["completed"] = bool(data["draft"] and data["draft"].is_completed)
        form = SectionForm(initial=initial, questions=questions)
    context = {"journey": journey, "section": section, "form": form, "draft": data["draft"]}
    if conflict is not None:
        context.update(_conflict_context(conflict, questions))
    return render(request, "journeys/section.html", context, status=409 if conflict else 200)


def _conflict_context(conflict, questions):
    return {
        "conflict": conflict,
        "conflict_message": conflict.messages[0],
        "newer_answers": [(q, conflict.current_answers.get(q.slug, "")) for q in questions],
        "draft": conflict.draft,
    }


# --- Goals --------------------------------------------------------------------------------


def _goal_for(journey, goal_pk):
    goal = journey.goals.filter(pk=parse_pk(goal_pk)).first()
    if goal is None:
        raise not_found("goal")
    goal.journey = journey
    return goal


@login_required
def goals(request, pk):
    journey = get_journey_for(request.user, pk, write=True)
    goal_list = list(journey.goals.order_by("order", "id"))
    return render(
        request,
        "journeys/goals.html",
        {
            "journey": journey,
            "goals": goal_list,
            "editable": journey.stage in COMMITMENT_EDITABLE_STAGES,
        },
    )


def _goal_form_page(request, journey, goal=None):
    if response := _editable_or_redirect(request, journey):
        return response
    form = GoalForm(request.POST or None, instance=goal)
    if request.method == "POST" and form.is_valid():
        # An autosave of the "add a goal" page has already created the goal: update it.
        if goal is None and form.cleaned_data["goal"]:
            goal = _goal_for(journey, form.cleaned_data["goal"])
        fields = {name: form.cleaned_data[name] for name in GoalForm.Meta.fields}
        try:
            if goal is None:
                goal = commitment_services.add_goal(journey=journey, actor=request.user, **fields)
            else:
                commitment_services.update_goal(
                    goal=goal,
                    actor=request.user,
                    based_on_version=form.cleaned_data["version"] or None,
                    **fields,
                )
        except commitment_services.StaleSaveError as error:
            return _goal_conflict(request, journey, goal, form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if request.htmx:
                return _autosave_saved(request, goal.updated_at, goal_version(goal), goal=goal)
            messages.success(request, f"Goal “{fields['title']}” has been saved.")
            return redirect("journeys:goals", pk=journey.pk)
    if request.htmx and request.method == "POST":
        return _autosave_not_saved(request, form)
    if request.method == "GET" and goal is not None:
        form = GoalForm(instance=goal, initial={"version": goal_version(goal)})
    return render(
        request, "journeys/goal_form.html", {"journey": journey, "form": form, "goal": goal}
    )


def goal_version(goal):
    return commitment_services.state_version(commitment_services.goal_values(goal))


def _goal_conflict(request, journey, goal, form, error):
    stored = journey.goals.get(pk=goal.pk)
    newer = [
        (form.fields[name].label or name.replace("_", " ").capitalize(), _readable(value, name))
        for name, value in commitment_services.goal_values(stored).items()
    ]
    context = {"conflict_message": error.messages[0], "newer_values": newer}
    if request.htmx:
        return _autosave_conflict(request, error.version, context)
    post = request.POST.copy()
    post["version"] = error.version
    post["goal"] = str(goal.pk)
    form = GoalForm(post, instance=goal)
    form.is_valid()
    return render(
        request,
        "journeys/goal_form.html",
        {"journey": journey, "form": form, "goal": goal, **context},
        status=409,
    )


def _readable(value, name=""):
    from journeys.templatetags.award_tags import vocab_labels

    if isinstance(value, list):
        return vocab_labels(value, name) if name else ", ".join(value)
    return value


def _autosave_saved(request, saved_at, version, goal=None):
    return render(
        request,
        "journeys/partials/autosave_status.html",
        {"saved_at": saved_at, "version": version, "goal": goal},
    )


def _autosave_not_saved(request, form):
    errors = [error for errors in form.errors.values() for error in errors]
    return render(
        request, "journeys/partials/autosave_status.html", {"not_saved": " ".join(errors)}
    )


def _autosave_conflict(request, version, context):
    return render(
        request, "journeys/partials/autosave_conflict.html", {"version": version, **context}
    )


@login_required
def goal_add(request, pk):
    journey = get_journey_for(request.user, pk, write=True)
    return _goal_form_page(request, journey)


@login_required
def goal_edit(request, pk, goal_pk):
    journey = get_journey_for(request.user, pk, write=True)
    return _goal_form_page(request, journey, _goal_for(journey, goal_pk))


@login_required
def goal_delete(request, pk, goal_pk):
    journey = get_journey_for(request.user, pk, write=True)
    goal = _goal_for(journey, goal_pk)
    if response := _editable_or_redirect(request, journey):
        return response
    if request.method == "POST":
        try:
            commitment_services.remove_goal(goal=goal, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Goal “{goal.title}” has been removed.")
        return redirect("journeys:goals", pk=journey.pk)
    return render(request, "journeys/goal_delete.html", {"journey": journey, "goal": goal})


@login_required
@require_POST
def goal_move(request, pk, goal_pk):
    journey = get_journey_for(request.user, pk, write=True)
    goal = _goal_for(journey, goal_pk)
    try:
        commitment_services.move_goal(
            goal=goal, direction=request.POST.get("direction", ""), actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("journeys:goals", pk=journey.pk)


# --- Self-assessment, sign-off, check and submit ------------------------------------------


def _self_assessment_form(data, post=None, initial=None):
    return SelfAssessmentForm(
        post,
        initial=initial,
        scale=data["scale"],
        principles=[p for p, _ in data["principles"]],
        strands=[s for s, _ in data["strands"]],
    )


def _self_assessment_newer(data):
    """The stored self-assessment as (label, value) rows, to show beside a refused save."""
    scale = {level.slug: level.label for level in data["scale"]}
    rows = []
    for principle, rating in data["principles"]:
        level = scale.get(getattr(rating, "level", ""), "") or "Not rated"
        rows.append((principle.title, f"{level}. {getattr(rating, 'evidence', '')}".strip()))
    for strand, assessment in data["strands"]:
        level = assessment.get_level_display() if assessment and assessment.level else "Not chosen"
        rows.append((strand.title, f"{level}. {getattr(assessment, 'note', '')}".strip()))
    return rows


def _self_assessment_conflict(request, data, context, error):
    newer = selectors.self_assessment_data(journey=context["journey"])
    conflict = {
        "conflict_message": error.messages[0],
        "newer_values": _self_assessment_newer(newer),
    }
    if request.htmx:
        return _autosave_conflict(request, error.version, conflict)
    post = request.POST.copy()
    post["version"] = error.version
    form = _self_assessment_form(data, post)
    form.is_valid()
    return render(
        request,
        "journeys/self_assessment.html",
        {**context, **newer, **conflict, "form": form},
        status=409,
    )


@login_required
def self_assessment(request, pk):
    journey = get_journey_for(request.user, pk, write=True)
    if response := _editable_or_redirect(request, journey):
        return response
    data = selectors.self_assessment_data(journey=journey)
    initial = {"version": data["version"]}
    for principle, rating in data["principles"]:
        if rating:
            initial[f"rating_{principle.slug}"] = rating.level
            initial[f"evidence_{principle.slug}"] = rating.evidence
    for strand, assessment in data["strands"]:
        if assessment:
            initial[f"strand_{strand.slug}"] = assessment.level
            initial[f"note_{strand.slug}"] = assessment.note
    form = _self_assessment_form(data, request.POST or None, initial)
    context = {"journey": journey, "scale": data["scale"], **data}
    if request.method == "POST" and form.is_valid():
        try:
            commitment_services.save_self_assessment(
                journey=journey,
                actor=request.user,
                ratings=form.ratings(),
                strands=form.strand_levels(),
                based_on_version=form.cleaned_data["version"] or None,
            )
        except commitment_services.StaleSaveError as error:
            return _self_assessment_conflict(request, data, context, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if request.htmx:
                return _autosave_saved(
                    request,
                    timezone.now(),
                    selectors.self_assessment_version(journey=journey),
                )
            messages.success(request, "Your self-assessment has been saved.")
            return redirect("journeys:self_assessment", pk=journey.pk)
    if request.htmx and request.method == "POST":
        return _autosave_not_saved(request, form)
    return render(request, "journeys/self_assessment.html", {**context, "form": form})


@login_required
def sign_off(request, pk):
    journey = get_journey_for(request.user, pk, write=True)
    if response := _editable_or_redirect(request, journey):
        return response
    current = journey.sign_off if hasattr(journey, "sign_off") else None
    initial = {}
    if current:
        initial = {
            "headteacher_name": current.headteacher_name,
            "headteacher_signed_on": current.headteacher_signed_on,
            "chair_name": current.chair_name,
            "chair_signed_on": current.chair_signed_on,
        }
    form = SignOffForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "confirm"}
        try:
            commitment_services.record_sign_off(journey=journey, actor=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The sign-off has been recorded.")
            return redirect("journeys:check", pk=journey.pk)
    return render(
        request,
        "journeys/sign_off.html",
        {"journey": journey, "form": form, "current": current, "today": timezone.localdate()},
    )


@login_required
def check(request, pk):
    journey = get_journey_for(request.user, pk, write=True)
    snapshot = selectors.commitment_snapshot(journey=journey)
    editable = journey.stage in COMMITMENT_EDITABLE_STAGES
    # A submitted statement has nothing left to do: the page says what was submitted instead.
    problems = selectors.commitment_problems(journey=journey, snapshot=snapshot) if editable else []
    submission = None if editable else selectors.submitted_statement(journey=journey)
    if submission:
        snapshot = CommitmentVersion.objects.get(pk=submission["version"].pk).content
    attempted = False
    if request.method == "POST":
        attempted = True
        try:
            version = commitment_services.submit_commitment(journey=journey, actor=request.user)
        except commitment_services.SubmissionBlockedError as error:
            problems = error.problems
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("journeys:detail", pk=journey.pk)
        else:
            messages.success(
                request,
                f"Your Statement of Commitment (version {version.number}) has been submitted. "
                "Your Bridge Organisation has been told.",
            )
            return redirect("journeys:detail", pk=journey.pk)
    return render(
        request,
        "journeys/check.html",
        {
            "journey": journey,
            "snapshot": snapshot,
            "problems": problems,
            "attempted": attempted,
            "editable": editable,
            "submission": submission,
        },
        status=400 if attempted else 200,
    )


@login_required
def version(request, pk, number):
    journey = get_journey_for(request.user, pk)
    frozen = CommitmentVersion.objects.filter(journey=journey, number=number).first()
    if frozen is None:
        raise not_found("version")
    return render(request, "journeys/version.html", {"journey": journey, "version": frozen})


@login_required
def area_submissions(request, organisation_pk):
    """The old "submissions in your area" list is now the review queue (same filters)."""
    from journeys.review_views import render_queue

    organisation = get_bridge_organisation_for(request.user, organisation_pk)
    return render_queue(request, organisation, template="journeys/area_submissions.html")
