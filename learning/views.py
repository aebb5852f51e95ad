"""The learning programme's pages: sessions to book, one's bookings, and the organiser pages.

Thin: access helpers fetch, services write, selectors read. Bad input shows the page again
with the reason and changes nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from artsmark.common.access import forbid
from learning import selectors, services
from learning.access import (
    booking_choices,
    get_booking_for,
    get_session_for,
    learning_roles,
    require_organiser,
)
from learning.enums import BookingStatus, kind_label
from learning.forms import (
    AttendanceForm,
    BookingForm,
    CancelSessionForm,
    KindFilterForm,
    SessionForm,
    organiser_choices,
)

CONFLICTS = {"full", "duplicate"}


def _error_text(error):
    return " ".join(error.messages)


def _status(error):
    return 409 if getattr(error, "code", "") in CONFLICTS else 400


# --- Sessions to book -----------------------------------------------------------------------


@login_required
def sessions(request):
    form = KindFilterForm(request.GET)
    if form.is_valid():
        kind = form.cleaned_data["kind"]
    else:  # a kind that does not exist: every session, rather than an error
        form, kind = KindFilterForm(), ""
    page = selectors.upcoming_sessions_page(
        user=request.user, kind=kind, page_number=request.GET.get("page")
    )
    return render(
        request,
        "learning/sessions.html",
        {
            "page": page,
            "form": form,
            "kind": kind,
            "kind_label": kind_label(kind) if kind else "",
            "roles": learning_roles(request.user),
        },
    )


def _session_page(request, session, *, error="", status=200):
    data = selectors.session_page_data(session=session, user=request.user)
    data["form"] = None
    if data["choices"]:
        # On a full session the form asks for a place on the waiting list, and says so.
        initial = {"join_waiting_list": data["session"].is_full}
        data["form"] = BookingForm(choices=data["choices"], initial=initial)
    data["error"] = error
    return render(request, "learning/session.html", data, status=status)


@login_required
def session_detail(request, pk):
    session = get_session_for(request.user, pk)
    return _session_page(request, session)


@login_required
@require_POST
def book(request, pk):
    session = get_session_for(request.user, pk)
    choices = booking_choices(request.user, session)
    if not choices:
        raise forbid("Only staff of the schools or partner organisations it is for can book it.")
    form = BookingForm(request.POST, choices=choices)
    if not form.is_valid():
        return _session_page(request, session, error="Choose who you are booking for.", status=400)
    school, partner = form.chosen_for()
    try:
        booking = services.book_session(
            session=session,
            user=request.user,
            school=school,
            partner_organisation=partner,
            join_waiting_list=form.cleaned_data["join_waiting_list"],
        )
    except ValidationError as error:
        return _session_page(request, session, error=_error_text(error), status=_status(error))
    if booking.status == BookingStatus.BOOKED:
        messages.success(
            request,
            f"You have a place on “{session.title}”. We have emailed you the details.",
        )
    else:
        position = selectors.waiting_position(booking)
        messages.success(
            request,
            f"You are number {position} on the waiting list for “{session.title}”: you do not "
            "have a place yet. If one comes free it is yours, and we will email you.",
        )
    return redirect("learning:session", pk=session.pk)


@login_required
def booking_cancel(request, booking_pk):
    booking = get_booking_for(request.user, booking_pk)
    context = {"booking": booking, "session": booking.session, "error": ""}
    if request.method == "POST":
        was_booked = booking.status == BookingStatus.BOOKED
        try:
            services.cancel_booking(booking=booking, actor=request.user)
        except ValidationError as error:
            context["error"] = _error_text(error)
            return render(request, "learning/booking_cancel.html", context, status=400)
        what = "booking" if was_booked else "place on the waiting list"
        messages.success(request, f"Your {what} for “{booking.session.title}” is cancelled.")
        return redirect("learning:my_bookings")
    return render(request, "learning/booking_cancel.html", context)


@login_required
def my_bookings(request):
    data = selectors.my_bookings(user=request.user, page_number=request.GET.get("page"))
    return render(request, "learning/my_bookings.html", data)


# --- Organisers -----------------------------------------------------------------------------


@login_required
def manage(request):
    require_organiser(request.user)
    past = request.GET.get("when") == "past"
    page = selectors.organiser_sessions_page(
        user=request.user, past=past, page_number=request.GET.get("page")
    )
    return render(request, "learning/manage.html", {"page": page, "past": past})


def _form_page(request, form, session=None):
    status = 400 if request.method == "POST" else 200
    return render(
        request, "learning/session_form.html", {"form": form, "session": session}, status=status
    )


@login_required
def session_create(request):
    require_organiser(request.user)
    form = SessionForm(request.POST or None, organisers=organiser_choices(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            session = services.create_session(
                actor=request.user, organiser=form.chosen_organiser(), **form.session_fields()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"“{session.title}” is published: people can book it.")
            return redirect("learning:session", pk=session.pk)
    return _form_page(request, form)


@login_required
def session_edit(request, pk):
    session = get_session_for(request.user, pk, manage=True)
    initial = {name: getattr(session, name) for name in services.SESSION_FIELDS}
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_session(session=session, actor=request.user, **form.session_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The session's details have been saved.")
            return redirect("learning:session", pk=session.pk)
    return _form_page(request, form, session)


@login_required
def session_bookings(request, pk):
    session = get_session_for(request.user, pk, manage=True)
    lists = selectors.session_bookings(session=session)
    names = {booking.pk: selectors.booker_name(booking) for booking in lists["booked"]}
    started = session.starts_at <= timezone.now()
    form = None
    if started and not session.is_cancelled and lists["booked"]:
        form = AttendanceForm(request.POST or None, bookings=lists["booked"], names=names)
    error, status = "", 200
    if request.method == "POST":
        status = 400
        if form is None:
            error = (
                "Attendance can be marked once the session has started, for people with a place."
            )
        elif form.is_valid():
            try:
                result = services.mark_attendance(
                    session=session,
                    attended_booking_ids=form.cleaned_data["attended"],
                    actor=request.user,
                )
            except ValidationError as error_:
                form.add_error(None, error_)
            else:
                messages.success(
                    request,
                    f"Attendance saved: {result['attended']} of {result['booked']} attended.",
                )
                return redirect("learning:session_bookings", pk=session.pk)
    return render(
        request,
        "learning/session_bookings.html",
        {
            "session": session,
            "started": started,
            "form": form,
            "error": error,
            **lists,
        },
        status=status,
    )


@login_required
def session_cancel(request, pk):
    session = get_session_for(request.user, pk, manage=True)
    form = CancelSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_session(
                session=session, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"“{session.title}” is cancelled. Everyone who had booked has been emailed.",
            )
            return redirect("learning:manage")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "learning/session_cancel.html", {"session": session, "form": form}, status=status
    )
