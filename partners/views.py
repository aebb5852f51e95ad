"""Thin views for the partner directory: they fetch through partners.access, read through
selectors and write through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from artsmark.common.access import forbid
from artsmark.schools.models import School
from partners import access, selectors
from partners.enums import EnquiryStatus, ListingStatus, MembershipStatus, RevisionStatus
from partners.forms import (
    ArtsmarkPartnerForm,
    DirectorySearchForm,
    EnquiryForm,
    FindOrganisationForm,
    JoinOrganisationForm,
    ListingForm,
    MatchingFilterForm,
    OfferForm,
    ReplyForm,
    ReturnForm,
)
from partners.models import ListingRevision, PartnerOrganisation
from partners.presentation import (
    facet_groups,
    listing_badges,
    local_authority_options,
    result_cards,
)
from partners.services import enquiries as enquiry_services
from partners.services import moderation as moderation_services
from partners.services import organisations as organisation_services
from partners.templatetags.partners_tags import possessive_of


def _error_text(error):
    return " ".join(error.messages)


# --- The public directory ---------------------------------------------------------------


def directory(request):
    regions, local_authorities = selectors.directory_places()
    form = DirectorySearchForm(
        request.GET or None, regions=regions, local_authorities=local_authorities
    )
    form.is_valid()  # invalid facets are reported and left out; the rest still searches
    found = selectors.search_directory(form.search() if form.is_bound else form_default())
    context = {
        "form": form,
        **found,
        "cards": result_cards(found["results"]),
        "facets": facet_groups(form, found["counts"]),
        "local_authority_options": local_authority_options(form),
        "query_string": _query_without_page(request),
        "suggestion_query": _query_with_text(request, found["suggestion"]),
    }
    template = "partners/partials/results.html" if request.htmx else "partners/directory.html"
    return render(request, template, context)


def form_default():
    return selectors.DirectorySearch()


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _query_with_text(request, text):
    """The same search with other text ("Did you mean …?"), from its first page."""
    if not text:
        return ""
    query = request.GET.copy()
    query.pop("page", None)
    query["q"] = text
    return query.urlencode()


def listing_detail(request, pk):
    listing = access.get_published_listing(pk)
    offers = list(listing.offers.all())
    return render(
        request,
        "partners/listing.html",
        {"listing": listing, "offers": offers, "badges": listing_badges(listing)},
    )


def offer_detail(request, organisation_pk, pk):
    offer = access.get_published_offer(organisation_pk, pk)
    return render(request, "partners/offer.html", {"offer": offer, "listing": offer.listing})


# --- Partner staff ----------------------------------------------------------------------


@login_required
def my_organisations(request):
    memberships = list(selectors.staff_memberships_of(request.user))
    unread = selectors.unread_for_partner(organisation_ids=[m.organisation_id for m in memberships])
    for membership in memberships:
        membership.unread = unread.get(membership.organisation_id, 0)
    return render(request, "partners/mine.html", {"memberships": memberships})


def _listing_form(request, instance=None):
    return ListingForm(request.POST or None, instance=instance)


def _listing_fields(form):
    data = form.cleaned_data
    return (
        {k: v for k, v in data.items() if k not in ("serves_regions", "serves_local_authorities")},
        data["serves_local_authorities"],
        data["serves_regions"],
    )


@login_required
def create_organisation(request):
    form = ListingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields, las, regions = _listing_fields(form)
        organisation = organisation_services.create_organisation(
            user=request.user, fields=fields, serves_local_authorities=las, serves_regions=regions
        )
        messages.success(request, f"{organisation.name} has been created. Now add its offers.")
        return redirect("partners:manage", pk=organisation.pk)
    return render(
        request,
        "partners/form_page.html",
        {"form": form, "title": "Create your organisation's listing", "submit_label": "Create"},
    )


@login_required
def find_organisation(request):
    form = FindOrganisationForm(request.GET or None)
    results = None
    if form.is_valid() and form.cleaned_data["q"]:
        results = list(selectors.joinable_organisations(query=form.cleaned_data["q"]))
    return render(request, "partners/find_organisation.html", {"form": form, "results": results})


@login_required
def join_organisation(request, pk):
    listing = access.get_published_listing(pk)
    organisation = listing.organisation
    form = JoinOrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation_services.request_to_join(
                organisation=organisation,
                user=request.user,
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Your request to join {listing.name} has been sent to its administrator.",
            )
            return redirect("partners:my_organisations")
    return render(request, "partners/join.html", {"listing": listing, "form": form})


@login_required
def manage(request, pk):
    organisation = access.get_organisation_for(request.user, pk)
    revisions = list(organisation.revisions.select_related("decided_by").order_by("-number")[:10])
    return render(
        request,
        "partners/manage.html",
        {
            "organisation": organisation,
            "offers": list(organisation.offers.all()),
            "revisions": revisions,
            "returned": next((r for r in revisions if r.status == RevisionStatus.RETURNED), None),
            "is_published": hasattr(organisation, "published"),
            "is_admin": request.user.is_superuser or access.is_admin(request.user, organisation),
            "can_edit": organisation.status != ListingStatus.PENDING,
        },
    )


def _save_or_error(request, form, action):
    try:
        return action()
    except ValidationError as error:
        form.add_error(None, error)
        return None


@login_required
def edit_listing(request, pk):
    organisation = access.get_organisation_for(request.user, pk, write=True)
    form = _listing_form(request, organisation)
    if request.method == "POST" and form.is_valid():
        fields, las, regions = _listing_fields(form)
        done = _save_or_error(
            request,
            form,
            lambda: organisation_services.update_listing(
                organisation=PartnerOrganisation.objects.get(pk=organisation.pk),
                actor=request.user,
                fields=fields,
                serves_local_authorities=las,
                serves_regions=regions,
            ),
        )
        if done:
            messages.success(request, "Your changes are saved. Submit them for moderation.")
            return redirect("partners:manage", pk=organisation.pk)
    return render(
        request,
        "partners/form_page.html",
        {
            "form": form,
            "organisation": organisation,
            "title": f"Edit {organisation.name}",
            "submit_label": "Save changes",
            "cancel_url": reverse("partners:manage", args=[organisation.pk]),
        },
    )


def _offer_page(request, organisation, offer=None):
    form = OfferForm(request.POST or None, instance=offer)
    if request.method == "POST" and form.is_valid():
        done = _save_or_error(
            request,
            form,
            lambda: organisation_services.save_offer(
                organisation=organisation,
                actor=request.user,
                fields=form.cleaned_data,
                offer=offer,
            ),
        )
        if done:
            messages.success(request, f"The offer “{done.title}” is saved.")
            return redirect("partners:manage", pk=organisation.pk)
    return render(
        request,
        "partners/form_page.html",
        {
            "form": form,
            "organisation": organisation,
            "title": f"Edit offer: {offer.title}" if offer else "Add an offer",
            "submit_label": "Save offer",
            "cancel_url": reverse("partners:manage", args=[organisation.pk]),
        },
    )


@login_required
def add_offer(request, pk):
    organisation = access.get_organisation_for(request.user, pk, write=True)
    return _offer_page(request, organisation)


@login_required
def edit_offer(request, pk, offer_pk):
    offer = access.get_offer_for(request.user, pk, offer_pk)
    # The form mutates its instance while validating: give the service a fresh copy of
    # the organisation, and keep the offer the form edits.
    return _offer_page(request, offer.organisation, offer)


def _confirm(request, *, title, text, button, back, danger=False):
    return render(
        request,
        "partners/confirm.html",
        {"title": title, "text": text, "button": button, "back": back, "danger": danger},
    )


@login_required
def delete_offer(request, pk, offer_pk):
    offer = access.get_offer_for(request.user, pk, offer_pk)
    back = reverse("partners:manage", args=[offer.organisation_id])
    if request.method == "POST":
        try:
            organisation_services.delete_offer(offer=offer, actor=request.user)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, f"The offer “{offer.title}” was removed.")
        return redirect(back)
    return _confirm(
        request,
        title=f"Remove the offer “{offer.title}”?",
        text="It stays in the public directory until your next changes are approved.",
        button="Remove offer",
        back=back,
        danger=True,
    )


@login_required
def submit_listing(request, pk):
    organisation = access.get_organisation_for(request.user, pk, write=True)
    back = reverse("partners:manage", args=[organisation.pk])
    if request.method == "POST":
        try:
            moderation_services.submit_listing(organisation=organisation, actor=request.user)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(
                request,
                "Your listing has been sent for moderation. We will email you when it is decided.",
            )
        return redirect(back)
    return _confirm(
        request,
        title=f"Submit {possessive_of(organisation.name)} listing for moderation?",
        text="A reviewer for your area checks it. Until they approve it, the public sees "
        "the last approved version (if there is one).",
        button="Submit for moderation",
        back=back,
    )


@login_required
def staff(request, pk):
    organisation = access.get_organisation_for(request.user, pk, manage=True)
    return render(
        request,
        "partners/staff.html",
        {
            "organisation": organisation,
            "members": list(selectors.organisation_staff(organisation=organisation)),
            "pending_status": MembershipStatus.PENDING,
        },
    )


def _decide_member(request, pk, membership_pk, approve):
    membership = access.get_staff_membership_for(request.user, pk, membership_pk)
    back = reverse("partners:staff", args=[membership.organisation_id])
    if request.method == "POST":
        try:
            organisation_services.decide_membership(
                membership=membership, actor=request.user, approve=approve
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            verb = "is now on the staff" if approve else "was declined"
            messages.success(request, f"{membership.user} {verb}.")
        return redirect(back)
    return _confirm(
        request,
        title=f"{'Approve' if approve else 'Decline'} {possessive_of(membership.user)} request?",
        text=membership.message or "They did not leave a message.",
        button="Approve" if approve else "Decline",
        back=back,
        danger=not approve,
    )


@login_required
def approve_member(request, pk, membership_pk):
    return _decide_member(request, pk, membership_pk, approve=True)


@login_required
def decline_member(request, pk, membership_pk):
    return _decide_member(request, pk, membership_pk, approve=False)


# --- Moderation -------------------------------------------------------------------------


def _is_reviewer(user):
    return user.is_superuser or user.bridge_memberships.exists()


@login_required
def moderation_queue(request):
    if not _is_reviewer(request.user):
        raise forbid("Only reviewers moderate partner listings.")
    queue = list(selectors.moderation_queue(user=request.user))
    return render(request, "partners/moderation_queue.html", {"queue": queue})


@login_required
def moderate(request, pk):
    organisation = access.get_moderated_organisation_for(request.user, pk)
    revision = organisation.revisions.filter(status=RevisionStatus.PENDING).first()
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and revision is not None and form.is_valid():
        decision = request.POST.get("decision")
        comments = form.cleaned_data["comments"]
        try:
            if decision == "approve":
                moderation_services.approve_revision(
                    revision=revision, actor=request.user, comments=comments
                )
            elif decision == "return":
                moderation_services.return_revision(
                    revision=revision, actor=request.user, comments=comments
                )
            else:
                raise ValidationError("Choose whether to approve or return the listing.")
        except ValidationError as error:
            form.add_error("comments" if decision == "return" else None, error)
        else:
            verb = "published" if decision == "approve" else "returned to the organisation"
            messages.success(request, f"{possessive_of(organisation.name)} listing was {verb}.")
            return redirect("partners:moderation_queue")
    history = list(
        ListingRevision.objects.filter(organisation=organisation)
        .select_related("submitted_by", "decided_by")
        .order_by("-number")
    )
    previous = selectors.last_approved_before(revision) if revision else None
    changes = (
        selectors.revision_diff(old=previous.data if previous else None, new=revision.data)
        if revision
        else []
    )
    return render(
        request,
        "partners/moderate.html",
        {
            "organisation": organisation,
            "revision": revision,
            "previous": previous,
            "changes": changes,
            "history": history,
            "form": form,
            "partner_form": ArtsmarkPartnerForm(
                initial={"is_artsmark_partner": organisation.is_artsmark_partner}
            ),
        },
    )


@login_required
def set_artsmark_partner(request, pk):
    organisation = access.get_moderated_organisation_for(request.user, pk)
    form = ArtsmarkPartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        value = form.cleaned_data["is_artsmark_partner"]
        organisation_services.set_artsmark_partner(
            organisation=organisation, actor=request.user, value=value
        )
        messages.success(
            request,
            f"{organisation.name} is {'now' if value else 'no longer'} shown as an "
            "Artsmark Partner.",
        )
    return redirect("partners:moderate", pk=organisation.pk)


# --- Enquiries --------------------------------------------------------------------------


def _school_choices(user):
    return School.objects.filter(memberships__user=user, memberships__status="approved").order_by(
        "name"
    )


@login_required
def send_enquiry(request, pk):
    listing = access.get_published_listing(pk)
    schools = _school_choices(request.user)
    if not schools.exists():
        raise forbid("Only school staff can send enquiries to partners.")
    from journeys.models import Goal

    goals = Goal.objects.filter(
        journey__school__in=schools, journey__stage__in=_open_stages()
    ).select_related("journey__school")
    offer = listing.offers.filter(pk=_int_or_none(request.GET.get("offer"))).first()
    initial = {
        "goal": _int_or_none(request.GET.get("goal")),
        "subject": f"Enquiry about {offer.title}" if offer else f"Working with {listing.name}",
    }
    form = EnquiryForm(request.POST or None, schools=schools, goals=goals, initial=initial)
    existing = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["goal"] and data["goal"].journey.school_id != data["school"].pk:
            form.add_error("goal", "That goal belongs to another of your schools.")
        else:
            try:
                enquiry = enquiry_services.send_enquiry(
                    organisation=listing.organisation,
                    school=data["school"],
                    sender=request.user,
                    subject=data["subject"],
                    body=data["body"],
                    goal=data["goal"],
                    offer=offer,
                )
            except enquiry_services.DuplicateEnquiryError as error:
                form.add_error(None, error)
                existing = error.enquiry
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Your enquiry has been sent to {listing.name}.")
                return redirect("partners:enquiry", pk=enquiry.pk)
    return render(
        request,
        "partners/enquiry_form.html",
        {"listing": listing, "offer": offer, "form": form, "existing": existing},
    )


def _open_stages():
    from journeys.enums import OPEN_STAGES

    return list(OPEN_STAGES)


def _int_or_none(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


@login_required
def enquiry_detail(request, pk):
    enquiry = access.get_enquiry_for(request.user, pk)
    side = access.enquiry_side(request.user, enquiry)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enquiry_services.reply(
                enquiry=enquiry, author=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your reply has been sent.")
            return redirect("partners:enquiry", pk=enquiry.pk)
    enquiry_services.mark_read(enquiry=enquiry, user=request.user)
    thread = list(enquiry.messages.select_related("author"))
    is_open = enquiry.status == EnquiryStatus.OPEN
    replied = any(message.side == "partner" for message in thread)
    return render(
        request,
        "partners/enquiry.html",
        {
            "enquiry": enquiry,
            "thread": thread,
            "form": form,
            "side": side,
            "is_open": is_open,
            "can_write": enquiry.status in enquiry_services.WRITABLE,
            "can_accept": is_open and replied and side in ("school", "admin"),
            "waiting_for_reply": is_open and not replied and side == "school",
        },
    )


def _enquiry_action(request, pk, *, title, text, button, action, done):
    enquiry = access.get_enquiry_for(request.user, pk)
    back = reverse("partners:enquiry", args=[enquiry.pk])
    if request.method == "POST":
        try:
            action(enquiry=enquiry, actor=request.user)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, done)
        return redirect(back)
    return _confirm(request, title=title, text=text, button=button, back=back)


@login_required
def close_enquiry(request, pk):
    return _enquiry_action(
        request,
        pk,
        title="Close this enquiry?",
        text="Nobody can reply to a closed enquiry. The messages are kept.",
        button="Close enquiry",
        action=enquiry_services.close_enquiry,
        done="The enquiry is closed.",
    )


@login_required
def accept_enquiry(request, pk):
    enquiry = access.get_enquiry_for(request.user, pk)
    if not (request.user.is_superuser or access.enquiry_side(request.user, enquiry) == "school"):
        raise forbid("Only the school can accept an enquiry.")
    return _enquiry_action(
        request,
        pk,
        title=f"Accept: start a partnership with {enquiry.organisation.name}?",
        text="The partnership is added to your school's Artsmark journey, in its activities "
        "and its progress report.",
        button="Accept and add the partnership",
        action=enquiry_services.accept_enquiry,
        done=f"{enquiry.organisation.name} is now a partner on your school's journey.",
    )


@login_required
def my_enquiries(request):
    school_ids = access.school_ids_of(request.user)
    enquiries = list(selectors.enquiries_of_schools(school_ids=school_ids))
    return render(request, "partners/my_enquiries.html", {"enquiries": enquiries})


@login_required
def inbox(request, pk):
    organisation = access.get_organisation_for(request.user, pk)
    enquiries = list(selectors.inbox(organisation=organisation))
    return render(
        request, "partners/inbox.html", {"organisation": organisation, "enquiries": enquiries}
    )


# --- Matching ---------------------------------------------------------------------------


@login_required
def matching(request, journey_pk):
    from journeys.access import get_journey_for

    journey = get_journey_for(request.user, journey_pk)
    form = MatchingFilterForm(request.GET or None, school=journey.school)
    found = selectors.partners_for_journey(journey=journey, **form.filters())
    return render(request, "partners/matching.html", {"journey": journey, "form": form, **found})
