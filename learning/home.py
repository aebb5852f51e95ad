"""Home page panels for the learning programme: one's next bookings; organisers' next sessions.

A fixed number of queries however many bookings or sessions there are.
"""

from django.utils import timezone

from learning.access import learning_roles, organised_sessions
from learning.enums import ACTIVE_STATUSES
from learning.models import Booking
from learning.selectors import with_places

SHOWN = 5


def learning_panels(user):
    roles = learning_roles(user)
    now = timezone.now()
    panels = []
    if roles.school_ids or roles.partner_ids:
        bookings = (
            Booking.objects.filter(
                user=user,
                status__in=ACTIVE_STATUSES,
                session__starts_at__gt=now,
                session__cancelled_at__isnull=True,
            )
            .select_related("session")
            .order_by("session__starts_at", "id")
        )
        panels.append(
            {"template": "learning/partials/home_learning.html", "bookings": list(bookings[:SHOWN])}
        )
    if roles.organises:
        sessions = with_places(
            # A session under way stays listed until it ends: its organiser marks attendance.
            organised_sessions(user).filter(ends_at__gt=now, cancelled_at__isnull=True)
        ).order_by("starts_at", "id")
        panels.append(
            {
                "template": "learning/partials/home_organiser.html",
                "sessions": list(sessions[:SHOWN]),
            }
        )
    return panels
