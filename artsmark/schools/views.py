from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from artsmark.common.access import not_found, parse_pk
from artsmark.schools.access import (
    can_approve_members,
    get_bridge_organisation_for,
    get_membership_for,
    get_school_for,
    is_lead,
)
from artsmark.schools.forms import InvitationForm, JoinRequestForm, SchoolSearchForm
from artsmark.schools.models import School, SchoolInvitation, SchoolMembership
from artsmark.schools.selectors import (
    join_requests_for_reviewer,
    school_members,
    schools_of_organisation,
    search_schools,
)
from artsmark.schools.services import membership as membership_services

SCHOOLS_PER_PAGE = 25


@login_required
def find_school(request):
    form = SchoolSearchForm(request.GET or None)
    results = None
    if form.is_valid() and form.cleaned_data["q"]:
        results = list(search_schools(query=form.cleaned_data["q"]))
    mine = dict(
        SchoolMembership.objects.filter(user=request.user).values_list("school_id", "status")
    )
    template = "schools/partials/search_results.html" if request.htmx else "schools/find.html"
    return render(request, template, {"form": form, "results": results, "mine": mine})


@login_required
def join_school(request, pk):
    # Any open school can be asked to join: this page shows only its public GIAS details.
    school = get_object_or_404(
        School.objects.select_related("local_authority"), pk=parse_pk(pk), is_open=True
    )
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership_services.request_to_join(
                school=school, user=request.user, message=form.cleaned_data["message"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Your request to join {school.name} has been sent. "
                "We will email you when it has been approved.",
            )
            return redirect("home")
    return render(request, "schools/join.html", {"school": school, "form": form})


@login_required
def school_detail(request, pk):
    school = get_school_for(request.user, pk)
    members = list(school_members(school=school))
    return render(
        request,
        "schools/detail.html",
        {
            "school": school,
            "members": [m for m in members if m.status == SchoolMembership.Status.APPROVED],
            "pending": [m for m in members if m.status == SchoolMembership.Status.PENDING],
            "can_manage": can_approve_members(request.user, school),
            "is_lead": is_lead(request.user, school) or request.user.is_superuser,
        },
    )


def _decide(request, school_pk, pk, action, done_message):
    membership = get_membership_for(request.user, school_pk, pk)
    if request.method == "POST":
        try:
            action(membership=membership, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done_message.format(name=membership.user))
        return redirect("schools:detail", pk=membership.school_id)
    return render(
        request,
        "schools/confirm_member_action.html",
        {
            "membership": membership,
            "school": membership.school,
            "action": action.__name__,
        },
    )


@login_required
def approve_member(request, school_pk, pk):
    return _decide(
        request,
        school_pk,
        pk,
        membership_services.approve_membership,
        "{name} is now a member.",
    )


@login_required
def decline_member(request, school_pk, pk):
    return _decide(
        request,
        school_pk,
        pk,
        membership_services.decline_membership,
        "{name}'s request was declined.",
    )


@login_required
def remove_member(request, school_pk, pk):
    return _decide(request, school_pk, pk, membership_services.remove_member, "{name} was removed.")


@login_required
def make_lead(request, school_pk, pk):
    return _decide(
        request,
        school_pk,
        pk,
        membership_services.hand_over_lead,
        "{name} is now the Artsmark lead.",
    )


@login_required
def invite(request, pk):
    school = get_school_for(request.user, pk, write=True)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership_services.invite_colleague(
                school=school, email=form.cleaned_data["email"], actor=request.user
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(
                request, f"An invitation has been sent to {form.cleaned_data['email']}."
            )
            return redirect("schools:detail", pk=school.pk)
    return render(request, "schools/invite.html", {"school": school, "form": form})


@login_required
def accept_invitation(request, token):
    invitation = SchoolInvitation.objects.select_related("school").filter(token=token[:64]).first()
    if invitation is None:
        raise not_found("invitation")
    if request.method == "POST":
        try:
            membership_services.accept_invitation(invitation=invitation, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("home")
        messages.success(request, f"You are now a member of {invitation.school.name}.")
        return redirect("schools:detail", pk=invitation.school_id)
    return render(request, "schools/accept_invitation.html", {"invitation": invitation})


@login_required
def bridge_area(request, pk):
    organisation = get_bridge_organisation_for(request.user, pk)
    schools = Paginator(schools_of_organisation(organisation=organisation), SCHOOLS_PER_PAGE)
    return render(
        request,
        "schools/bridge_area.html",
        {
            "organisation": organisation,
            "join_requests": join_requests_for_reviewer(organisation=organisation),
            "schools": schools.get_page(request.GET.get("page")),
            "local_authorities": organisation.local_authorities.select_related("region"),
        },
    )
