"""The learning programme's rule for submitting a Statement of Commitment.

Listed in settings.COMMITMENT_SUBMIT_CHECKS, which journeys/selectors.py reads, so that
journeys never imports learning: a school must have attended each kind of session its
framework requires (Framework.required_session_kinds) before it submits.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from learning.enums import BookingStatus, kind_phrase
from learning.models import Booking


def attended_kinds(*, school_id, exclude_session=None):
    """The kinds of session that members of the school have attended.

    Attendance belongs to the school: it counts whoever booked, even after they have left.
    """
    attended = Booking.objects.filter(
        school_id=school_id, attended=True, session__cancelled_at__isnull=True
    )
    if exclude_session is not None:
        attended = attended.exclude(session=exclude_session)
    return set(attended.values_list("session__kind", flat=True).distinct())


def _booked_ahead(school_id, kinds):
    """{kind: the soonest session of that kind the school holds a place on, not yet marked}."""
    booked = (
        Booking.objects.filter(
            school_id=school_id,
            status=BookingStatus.BOOKED,
            attended__isnull=True,
            session__kind__in=kinds,
            session__cancelled_at__isnull=True,
        )
        .select_related("session")
        .order_by("session__starts_at")
    )
    soonest = {}
    for booking in booked:
        soonest.setdefault(booking.session.kind, booking.session)
    return soonest


def _problem(kind, session):
    phrase = kind_phrase(kind)
    if session is None:
        message = f"Learning programme: attend {phrase} (book one)"
        url = f"{reverse('learning:sessions')}?{urlencode({'kind': kind})}"
        return {"message": message, "url": url}
    when = timezone.localtime(session.starts_at).strftime("%-d %B %Y")
    if session.starts_at > timezone.now():
        message = f"Learning programme: attend {phrase} (your school has a place on {when})"
    else:
        message = (
            f"Learning programme: attend {phrase} (the organiser has not yet marked "
            f"attendance at the session on {when})"
        )
    return {"message": message, "url": reverse("learning:session", kwargs={"pk": session.pk})}


def commitment_problems(journey):
    """One problem, with a link to act on it, per required kind the school has not attended."""
    required = list(dict.fromkeys(journey.framework.required_session_kinds))
    if not required:
        return []
    attended = attended_kinds(school_id=journey.school_id)
    missing = [kind for kind in required if kind not in attended]
    if not missing:
        return []
    ahead = _booked_ahead(journey.school_id, missing)
    return [_problem(kind, ahead.get(kind)) for kind in missing]
