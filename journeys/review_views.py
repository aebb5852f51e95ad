"""The review pages: the queue, one review (comments, assignment, decision), informal
feedback and withdrawal. Thin: access helpers fetch, services write, selectors read."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from artsmark.schools.access import get_bridge_organisation_for
from journeys import review_selectors
from journeys.access import get_journey_for, get_review_for
from journeys.enums import COMMITMENT_EDITABLE_STAGES, ReviewKind
from journeys.review_access import get_feedback_request_for, get_journey_to_withdraw
from journeys.review_forms import (
    AssignForm,
    CommentForm,
    DecisionForm,
    FeedbackAnswerForm,
    FeedbackRequestForm,
    QueueFilterForm,
    WithdrawForm,
)
from journeys.services import reviews as review_services


def _error_text(error):
    return " ".join(error.messages)


# --- The queue ------------------------------------------------------------------------------


def render_queue(request, organisation, template="journeys/review/queue.html"):
    data = review_selectors.review_queue(
        organisation=organisation, params=request.GET, page_number=request.GET.get("page", 1)
    )
    data["form"] = QueueFilterForm(facets=data["facets"], filters=data["filters"])
    data["queue_url"] = reverse(
        "journeys:review_queue", kwargs={"organisation_pk": organisation.pk}
    )
    return render(request, template, data)


@login_required
def review_queue(request, organisation_pk):
    organisation = get_bridge_organisation_for(request.user, organisation_pk)
    return render_queue(request, organisation)


@login_required
def feedback_requests(request, organisation_pk):
    organisation = get_bridge_organisation_for(request.user, organisation_pk)
    data = review_selectors.feedback_requests_page(organisation=organisation)
    return render(request, "journeys/review/feedback_requests.html", data)


# --- One review -----------------------------------------------------------------------------


def _review_page(request, review, *, decision_form=None, status=200):
    if review.kind != ReviewKind.COMMITMENT:
        return redirect(review_selectors.review_url(review))
    data = review_selectors.review_page_data(review=review, user=request.user)
    if decision_form is None and data["can_act"]:
        decision_form = DecisionForm(initial={"version_number": review.version_number})
    data["decision_form"] = decision_form
    return render(request, "journeys/review/review.html", data, status=status)


@login_required
def review_detail(request, review_pk):
    review = get_review_for(request.user, review_pk)
    return _review_page(request, review)


def _back_to(review, anchor=""):
    url = reverse("journeys:review", kwargs={"review_pk": review.pk})
    return redirect(f"{url}#{anchor}" if anchor else url)


@login_required
@require_POST
def review_comment(request, review_pk):
    review = get_review_for(request.user, review_pk, decide=True)
    content = review_selectors.version_content(
        journey_id=review.journey_id, number=review.version_number
    )
    form = CommentForm(request.POST, parts=review_selectors.comment_parts(content))
    error, comment = None, None
    if form.is_valid():
        try:
            comment = review_services.save_comment(
                review=review,
                actor=request.user,
                part=form.cleaned_data["part"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as exc:
            error = _error_text(exc)
    else:
        error = " ".join(message for messages_ in form.errors.values() for message in messages_)
    part = form.cleaned_data.get("part", "") if form.is_valid() else ""
    if request.htmx:
        return render(
            request,
            "journeys/review/partials/comment_status.html",
            {"error": error, "comment": comment, "part": part},
            status=400 if error else 200,
        )
    if error:
        messages.error(request, f"Your comment was not saved: {error}")
    elif comment is None:
        messages.success(request, "The comment has been removed.")
    else:
        messages.success(request, "Your comment has been saved.")
    return _back_to(review, f"part-{part}" if part else "")


@login_required
@require_POST
def review_assign(request, review_pk):
    review = get_review_for(request.user, review_pk, decide=True)
    form = AssignForm(request.POST)
    reviewer = request.user
    if form.is_valid() and form.cleaned_data["reviewer"]:
        reviewer = get_user_model().objects.filter(pk=form.cleaned_data["reviewer"]).first()
    if not form.is_valid() or reviewer is None:
        messages.error(request, "Choose a reviewer from the list.")
        return _back_to(review)
    try:
        review_services.assign_review(review=review, actor=request.user, reviewer=reviewer)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return _back_to(review)
    if reviewer == request.user:
        messages.success(request, "You have taken this submission: it is assigned to you.")
    else:
        messages.success(
            request,
            f"The submission is assigned to {review_selectors.person(reviewer)}, "
            "who has been emailed.",
        )
    return _back_to(review)


@login_required
@require_POST
def review_decide(request, review_pk):
    review = get_review_for(request.user, review_pk, decide=True)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _review_page(request, review, decision_form=form, status=400)
    try:
        review_services.decide_commitment(
            review=review,
            actor=request.user,
            decision=form.cleaned_data["decision"],
            feedback=form.cleaned_data["feedback"],
            version_number=form.cleaned_data["version_number"],
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        review.refresh_from_db()
        conflict = getattr(exc, "code", "") == "stale"
        return _review_page(request, review, decision_form=form, status=409 if conflict else 400)
    messages.success(
        request,
        f"Your decision has been recorded and {review.journey.school.name}'s members have "
        "been emailed.",
    )
    return _back_to(review)


# --- Informal feedback ----------------------------------------------------------------------


@login_required
@require_POST
def feedback_request(request, pk):
    journey = get_journey_for(request.user, pk, write=True)
    form = FeedbackRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Your message is too long: keep it under 5,000 characters.")
        return redirect("journeys:detail", pk=journey.pk)
    kind = (
        ReviewKind.COMMITMENT if journey.stage in COMMITMENT_EDITABLE_STAGES else ReviewKind.IMPACT
    )
    try:
        review_services.request_feedback(
            journey=journey, actor=request.user, kind=kind, message=form.cleaned_data["message"]
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request,
            "Your Bridge Organisation has been asked for feedback on your draft. Their answer "
            "will appear on this page and you will get an email.",
        )
    return redirect("journeys:detail", pk=journey.pk)


@login_required
def feedback_answer(request, feedback_pk):
    asked = get_feedback_request_for(request.user, feedback_pk)
    form = FeedbackAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review_services.answer_feedback(
                feedback_request=asked, actor=request.user, answer=form.cleaned_data["answer"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, f"Your feedback has been sent to {asked.journey.school.name}."
            )
            return redirect("journeys:detail", pk=asked.journey_id)
    return render(
        request,
        "journeys/review/feedback_answer.html",
        {"feedback_request": asked, "journey": asked.journey, "form": form},
        status=400 if request.method == "POST" else 200,
    )


# --- Withdrawal -----------------------------------------------------------------------------


@login_required
def withdraw(request, pk):
    journey = get_journey_to_withdraw(request.user, pk)
    if not journey.is_open:
        messages.info(request, "This journey has already ended: there is nothing to withdraw.")
        return redirect("journeys:detail", pk=journey.pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review_services.withdraw_journey(
                journey=journey, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                f"{journey.school.name}'s journey has been withdrawn and its members emailed.",
            )
            return redirect("journeys:detail", pk=journey.pk)
    return render(
        request,
        "journeys/review/withdraw.html",
        {"journey": journey, "form": form},
        status=400 if request.method == "POST" else 200,
    )
