"""Reads of the learning programme: the lists and pages, each in a fixed number of queries."""

from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone

from learning.access import (
    booking_choices,
    can_manage,
    learning_roles,
    organised_sessions,
    visible_sessions,
)
from learning.enums import ACTIVE_STATUSES, BookingStatus, kind_label
from learning.models import Booking, LearningSession

PAGE_SIZE = 20


def with_places(sessions):
    """Annotate each session with the places taken and the length of its waiting list."""
    return sessions.annotate(
        booked_count=Count("bookings", filter=Q(bookings__status=BookingStatus.BOOKED)),
        waiting_count=Count("bookings", filter=Q(bookings__status=BookingStatus.WAITING)),
        attended_count=Count("bookings", filter=Q(bookings__attended=True)),
    )


def describe(session):
    """Derived facts the pages show, on a session annotated by `with_places`."""
    session.kind_label = kind_label(session.kind)
    session.places_left = max(session.capacity - session.booked_count, 0)
    session.is_full = session.places_left == 0
    session.has_started = session.starts_at <= timezone.now()
    return session


def _own_status(user):
    return Subquery(
        Booking.objects.filter(
            session=OuterRef("pk"), user=user, status__in=ACTIVE_STATUSES
        ).values("status")[:1]
    )


def upcoming_sessions_page(*, user, kind="", page_number=1):
    """Sessions the user may see that have not started and are not cancelled, soonest first."""
    sessions = visible_sessions(user).filter(
        starts_at__gt=timezone.now(), cancelled_at__isnull=True
    )
    if kind:
        sessions = sessions.filter(kind=kind)
    sessions = (
        with_places(sessions)
        .annotate(own_status=_own_status(user))
        .select_related("organiser")
        .order_by("starts_at", "id")
    )
    page = Paginator(sessions, PAGE_SIZE).get_page(page_number)
    page.object_list = [describe(session) for session in page.object_list]
    return page


def waiting_position(booking):
    """1 for the first in the queue, and so on (first come, first served)."""
    return (
        Booking.objects.filter(
            session_id=booking.session_id,
            status=BookingStatus.WAITING,
        )
        .filter(
            Q(created_at__lt=booking.created_at)
            | Q(created_at=booking.created_at, pk__lte=booking.pk)
        )
        .count()
    )


def session_page_data(*, session, user):
    counts = (
        with_places(LearningSession.objects.filter(pk=session.pk))
        .values("booked_count", "waiting_count")
        .get()
    )
    session.booked_count, session.waiting_count = counts["booked_count"], counts["waiting_count"]
    describe(session)
    own = (
        Booking.objects.filter(session=session, user=user, status__in=ACTIVE_STATUSES)
        .select_related("school", "partner_organisation")
        .first()
    )
    if own is not None and own.status == BookingStatus.WAITING:
        own.position = waiting_position(own)
    manages = can_manage(user, session)
    choices = (
        [] if own or session.has_started or session.is_cancelled else booking_choices(user, session)
    )
    return {
        "session": session,
        "own": own,
        "choices": choices,
        "can_manage": manages,
        "show_instructions": manages or (own is not None and own.status == BookingStatus.BOOKED),
    }


def my_bookings(*, user, page_number=1):
    """The user's active bookings still to come, and a page of the sessions they had."""
    now = timezone.now()
    bookings = Booking.objects.filter(user=user).select_related(
        "session__organiser", "school", "partner_organisation"
    )
    upcoming = list(
        bookings.filter(status__in=ACTIVE_STATUSES, session__starts_at__gt=now)
        .annotate(
            position=Count(
                "session__bookings",
                filter=Q(
                    session__bookings__status=BookingStatus.WAITING,
                    session__bookings__created_at__lte=F("created_at"),
                ),
            )
        )
        .order_by("session__starts_at", "id")
    )
    for booking in upcoming:
        booking.session.kind_label = kind_label(booking.session.kind)
    past = bookings.filter(
        Q(session__starts_at__lte=now, status=BookingStatus.BOOKED)
        | Q(status=BookingStatus.CANCELLED)
    ).order_by("-session__starts_at", "-id")
    page = Paginator(past, PAGE_SIZE).get_page(page_number)
    for booking in page.object_list:
        booking.session.kind_label = kind_label(booking.session.kind)
    return {"upcoming": upcoming, "page": page, "roles": learning_roles(user)}


def organiser_sessions_page(*, user, past=False, page_number=1):
    """The sessions the user organises: those not yet over (soonest first; one under way stays
    here until it ends, when its organiser marks attendance) or past (latest first)."""
    now = timezone.now()
    sessions = organised_sessions(user).select_related("organiser")
    if past:
        sessions = sessions.filter(ends_at__lte=now).order_by("-starts_at", "-id")
    else:
        sessions = sessions.filter(ends_at__gt=now).order_by("starts_at", "id")
    page = Paginator(with_places(sessions), PAGE_SIZE).get_page(page_number)
    page.object_list = [describe(session) for session in page.object_list]
    return page


def session_bookings(*, session):
    """Everyone on a session's list: places, the waiting list in order, then cancellations."""
    bookings = list(
        Booking.objects.filter(session=session)
        .select_related("user", "school", "partner_organisation", "attendance_marked_by")
        .order_by("created_at", "id")
    )
    return {
        "booked": [b for b in bookings if b.status == BookingStatus.BOOKED],
        "waiting": [b for b in bookings if b.status == BookingStatus.WAITING],
        "cancelled": [b for b in bookings if b.status == BookingStatus.CANCELLED],
    }


def booker_name(booking):
    user = booking.user
    name = user.get_full_name() if user else "A former member"
    return f"{name} ({booking.booked_for.name})" if booking.booked_for else name
