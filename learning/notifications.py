"""Emails about bookings: a place or a waiting-list place, a place come free, a cancelled session.

Each function is called after the change commits (`transaction.on_commit`) with ids, and
returns quietly if the rows have gone.
"""

from django.urls import reverse

from artsmark.common.notify import send_templated_email
from learning.enums import BookingStatus, kind_label
from learning.models import Booking, LearningSession
from learning.selectors import waiting_position


def _context(session):
    return {
        "session": session,
        "kind": kind_label(session.kind),
        "path": reverse("learning:session", kwargs={"pk": session.pk}),
        "bookings_path": reverse("learning:my_bookings"),
    }


def _booking(booking_id):
    return (
        Booking.objects.select_related(
            "session__organiser", "user", "school", "partner_organisation"
        )
        .filter(pk=booking_id)
        .first()
    )


def booking_made(*, booking_id):
    """Tell the booker they have a place, or which place they hold on the waiting list."""
    booking = _booking(booking_id)
    if booking is None or booking.user is None or not booking.is_active:
        return 0
    position = waiting_position(booking) if booking.status == BookingStatus.WAITING else None
    return send_templated_email(
        template="emails/learning_booking_confirmed",
        to=[booking.user.email],
        context={**_context(booking.session), "booking": booking, "position": position},
    )


def place_offered(*, booking_id):
    """Tell someone on the waiting list that a place came free and is now theirs."""
    booking = _booking(booking_id)
    if booking is None or booking.user is None or booking.status != BookingStatus.BOOKED:
        return 0
    return send_templated_email(
        template="emails/learning_place_offered",
        to=[booking.user.email],
        context={**_context(booking.session), "booking": booking},
    )


def session_cancelled(*, session_id, booking_ids):
    """Tell everyone who had a place or was waiting that the session will not take place.

    One email each: the people booked come from different schools and organisations, and
    must not see one another's addresses.
    """
    session = LearningSession.objects.select_related("organiser").filter(pk=session_id).first()
    if session is None or session.cancelled_at is None:
        return 0
    emails = Booking.objects.filter(pk__in=booking_ids, user__isnull=False).values_list(
        "user__email", flat=True
    )
    context = _context(session)
    return sum(
        send_templated_email(
            template="emails/learning_session_cancelled", to=[email], context=context
        )
        for email in sorted(set(emails))
    )
