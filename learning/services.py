"""Writes of the learning programme: sessions, bookings, the waiting list and attendance.

Every change to a session's places happens under a lock on the session row, so two people
booking the last place at once get one place and one clear "full", and a cancellation hands
its place to the first person waiting. Emails go once the change commits.
"""

import datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from artsmark.common.activity import record_activity
from artsmark.common.vocab import SESSION_KINDS
from artsmark.schools.access import is_bridge_member, is_member
from journeys.enums import COMMITMENT_EDITABLE_STAGES
from journeys.models import Journey
from learning import notifications
from learning.access import can_manage
from learning.checks import attended_kinds
from learning.enums import (
    ACTIVE_STATUSES,
    PARTNER_AUDIENCES,
    SCHOOL_AUDIENCES,
    Audience,
    BookingStatus,
    kind_label,
)
from learning.models import Booking, LearningSession
from partners.access import is_staff

MAX_CAPACITY = 1000
SESSION_FIELDS = (
    "kind",
    "title",
    "description",
    "starts_at",
    "ends_at",
    "online",
    "venue",
    "joining_instructions",
    "capacity",
    "audience",
)


def _date(moment):
    return timezone.localtime(moment).strftime("%-d %B %Y")


def _when(moment):
    return timezone.localtime(moment).strftime("%-d %B %Y at %H:%M")


# --- Sessions -------------------------------------------------------------------------------


def _clean_fields(fields):
    """The rules a session's own fields follow; a ValidationError lists every one broken."""
    errors = []
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown session fields: {sorted(unknown)}")
    if fields.get("kind") not in dict(SESSION_KINDS):
        errors.append("Choose what kind of session it is.")
    if not (fields.get("title") or "").strip():
        errors.append("Give the session a title.")
    if fields.get("audience") not in Audience.values:
        errors.append("Choose who the session is for.")
    starts, ends = fields.get("starts_at"), fields.get("ends_at")
    if starts is None or ends is None:
        errors.append("Give the date and time the session starts and ends.")
    elif ends <= starts:
        errors.append("The session must end after it starts.")
    if not fields.get("online") and not (fields.get("venue") or "").strip():
        errors.append("Give the venue's address, or say that the session is online.")
    capacity = fields.get("capacity")
    if capacity is None or not 1 <= capacity <= MAX_CAPACITY:
        errors.append(f"The number of places must be between 1 and {MAX_CAPACITY:,}.")
    if errors:
        raise ValidationError(errors, code="invalid")
    fields["title"] = fields["title"].strip()
    fields["venue"] = (fields.get("venue") or "").strip()


def may_organise_for(actor, organiser):
    """Reviewers of a Bridge Organisation organise its sessions; platform staff any, and
    the national ones (no organiser)."""
    if actor.is_superuser:
        return True
    return organiser is not None and is_bridge_member(actor, organiser)


def create_session(*, actor, organiser, **fields):
    """Publish a session run by `organiser` (a Bridge Organisation; None: national)."""
    if not may_organise_for(actor, organiser):
        raise ValidationError(
            "Only reviewers of the Bridge Organisation (or platform staff) can publish its "
            "sessions; only platform staff publish national ones.",
            code="actor",
        )
    _clean_fields(fields)
    if fields["starts_at"] <= timezone.now():
        raise ValidationError("A new session must start in the future.", code="past")
    with transaction.atomic():
        session = LearningSession.objects.create(organiser=organiser, created_by=actor, **fields)
        record_activity(subject=session, actor=actor, verb="session_published")
    return session


def _check_manager(session, actor):
    if not can_manage(actor, session):
        raise ValidationError("Only the session's organisers can do that.", code="actor")


def update_session(*, session, actor, **fields):
    """Change a session's details; more places go to the waiting list, first come first."""
    _check_manager(session, actor)
    _clean_fields(fields)
    with transaction.atomic():
        locked = LearningSession.objects.select_for_update().get(pk=session.pk)
        if locked.is_cancelled:
            raise ValidationError("This session was cancelled: it cannot be changed.")
        now = timezone.now()
        if locked.starts_at > now and fields["starts_at"] <= now:
            # Moving it into the past would close booking and cancelling for those booked.
            raise ValidationError(
                "A session that has not started cannot be moved into the past: give a start "
                "in the future, or cancel the session.",
                code="past",
            )
        active = Booking.objects.filter(session=locked, status__in=ACTIVE_STATUSES)
        booked = active.filter(status=BookingStatus.BOOKED).count()
        if fields["capacity"] < booked:
            raise ValidationError(
                f"{booked} people have a place: the session needs at least {booked} places.",
                code="capacity",
            )
        _check_audience_keeps_bookings(active, fields["audience"])
        changed = [name for name in SESSION_FIELDS if getattr(locked, name) != fields[name]]
        for name in changed:
            setattr(locked, name, fields[name])
        if changed:
            locked.save(update_fields=[*changed, "updated_at"])
            record_activity(
                subject=locked, actor=actor, verb="session_changed", note=", ".join(changed)
            )
        _fill_places(locked)
    return locked


def _check_audience_keeps_bookings(active, audience):
    if audience not in SCHOOL_AUDIENCES and active.filter(school__isnull=False).exists():
        raise ValidationError(
            "Schools have booked this session: it must stay open to schools.", code="audience"
        )
    if (
        audience not in PARTNER_AUDIENCES
        and active.filter(partner_organisation__isnull=False).exists()
    ):
        raise ValidationError(
            "Partner organisations have booked this session: it must stay open to them.",
            code="audience",
        )


def cancel_session(*, session, actor, reason):
    """Call a session off before it starts: every booking is cancelled and told why."""
    _check_manager(session, actor)
    with transaction.atomic():
        locked = LearningSession.objects.select_for_update().get(pk=session.pk)
        if locked.is_cancelled:
            raise ValidationError("This session has already been cancelled.", code="cancelled")
        now = timezone.now()
        if locked.starts_at <= now:
            raise ValidationError(
                "This session has already started: it can no longer be cancelled.", code="past"
            )
        locked.cancelled_at = now
        locked.cancelled_reason = reason.strip()
        locked.save(update_fields=["cancelled_at", "cancelled_reason", "updated_at"])
        active = Booking.objects.filter(session=locked, status__in=ACTIVE_STATUSES)
        booking_ids = list(active.values_list("pk", flat=True))
        active.update(status=BookingStatus.CANCELLED, cancelled_at=now)
        record_activity(subject=locked, actor=actor, verb="session_cancelled", note=reason)
        transaction.on_commit(
            partial(notifications.session_cancelled, session_id=locked.pk, booking_ids=booking_ids)
        )
    return locked


# --- Bookings -------------------------------------------------------------------------------


def _check_booking_for(session, user, school, partner_organisation):
    """Who the booking is for: one of the booker's schools or partner organisations."""
    if (school is None) == (partner_organisation is None):
        raise ValidationError(
            "Choose the school or the partner organisation you are booking for.", code="for"
        )
    if school is not None:
        if not is_member(user, school):
            raise ValidationError(
                f"You can book for {school.name} only as an approved member of its staff.",
                code="for",
            )
        if session.audience not in SCHOOL_AUDIENCES:
            raise ValidationError(
                "This session is for partner organisations' staff, not for schools.",
                code="audience",
            )
        return
    if not is_staff(user, partner_organisation):
        raise ValidationError(
            f"You can book for {partner_organisation.name} only as its approved staff.",
            code="for",
        )
    if session.audience not in PARTNER_AUDIENCES:
        raise ValidationError(
            "This session is for schools, not for partner organisations.", code="audience"
        )


def _check_open(locked):
    if locked.is_cancelled:
        raise ValidationError("This session has been cancelled.", code="cancelled")
    if locked.starts_at <= timezone.now():
        raise ValidationError(
            f"This session started on {_when(locked.starts_at)}: booking has closed.",
            code="past",
        )


def book_session(*, session, user, school=None, partner_organisation=None, join_waiting_list=False):
    """Book a place; on a full session, a place on the waiting list if the user asked for one.

    The returned booking's status says which happened: "booked" or "waiting".
    """
    _check_booking_for(session, user, school, partner_organisation)
    with transaction.atomic():
        # Everyone booking this session queues here, so the count below stays true.
        locked = LearningSession.objects.select_for_update().get(pk=session.pk)
        _check_open(locked)
        existing = Booking.objects.filter(
            session=locked, user=user, status__in=ACTIVE_STATUSES
        ).first()
        if existing is not None:
            raise ValidationError(
                "You already have a place on this session."
                if existing.status == BookingStatus.BOOKED
                else "You are already on this session's waiting list.",
                code="duplicate",
            )
        booked = Booking.objects.filter(session=locked, status=BookingStatus.BOOKED).count()
        if booked < locked.capacity:
            status = BookingStatus.BOOKED
        elif join_waiting_list:
            status = BookingStatus.WAITING
        else:
            raise ValidationError(
                "This session is full: every place has been taken. You can join the waiting "
                "list instead, and a place that comes free will be yours.",
                code="full",
            )
        try:
            with transaction.atomic():
                booking = Booking.objects.create(
                    session=locked,
                    user=user,
                    school=school,
                    partner_organisation=partner_organisation,
                    status=status,
                )
        except IntegrityError:  # the unique constraint: a booking made behind our back
            raise ValidationError(
                "You already have a booking for this session.", code="duplicate"
            ) from None
        verb = "place_booked" if status == BookingStatus.BOOKED else "waiting_list_joined"
        record_activity(subject=locked, actor=user, verb=verb, note=_for(booking))
        transaction.on_commit(partial(notifications.booking_made, booking_id=booking.pk))
    return booking


def _for(booking):
    return f"for {booking.booked_for.name}" if booking.booked_for else ""


def _fill_places(locked):
    """Give free places to the waiting list, first come first served (session row locked)."""
    if locked.is_cancelled or locked.starts_at <= timezone.now():
        return []
    booked = Booking.objects.filter(session=locked, status=BookingStatus.BOOKED).count()
    free = locked.capacity - booked
    if free <= 0:
        return []
    waiting = list(
        Booking.objects.select_for_update()
        .filter(session=locked, status=BookingStatus.WAITING)
        .order_by("created_at", "id")[:free]
    )
    now = timezone.now()
    for booking in waiting:
        booking.status = BookingStatus.BOOKED
        booking.promoted_at = now
        booking.save(update_fields=["status", "promoted_at"])
        record_activity(
            subject=locked, actor=None, verb="moved_up_from_waiting_list", note=_for(booking)
        )
        transaction.on_commit(partial(notifications.place_offered, booking_id=booking.pk))
    return waiting


def cancel_booking(*, booking, actor):
    """Give up a place (or a place in the queue); a place freed goes to the first waiting."""
    if not (booking.user_id == actor.pk or can_manage(actor, booking.session)):
        raise ValidationError("Only the person who booked can cancel this booking.", code="actor")
    with transaction.atomic():
        session = LearningSession.objects.select_for_update().get(pk=booking.session_id)
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if locked.status == BookingStatus.CANCELLED:
            raise ValidationError("This booking has already been cancelled.", code="cancelled")
        if session.starts_at <= timezone.now():
            raise ValidationError(
                "The session has started: a booking can no longer be cancelled.", code="past"
            )
        locked.status = BookingStatus.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["status", "cancelled_at"])
        record_activity(subject=session, actor=actor, verb="booking_cancelled", note=_for(locked))
        promoted = _fill_places(session)
    booking.status, booking.cancelled_at = locked.status, locked.cancelled_at
    return promoted


# --- Attendance -----------------------------------------------------------------------------


def mark_attendance(*, session, attended_booking_ids, actor):
    """Record who came: the bookings listed attended, every other booked place did not.

    Only once the session has started, and only for booked places (not the waiting list).
    A school whose attendance completes its required sessions has its Statement of
    Commitment due date set from this session (`set_commitment_due`).
    """
    _check_manager(session, actor)
    try:
        wanted = {int(pk) for pk in attended_booking_ids}
    except (TypeError, ValueError):
        raise ValidationError("Tick the people who attended.", code="invalid") from None
    with transaction.atomic():
        locked = LearningSession.objects.select_for_update().get(pk=session.pk)
        if locked.is_cancelled:
            raise ValidationError("This session was cancelled: nobody attended.", code="cancelled")
        if locked.starts_at > timezone.now():
            raise ValidationError(
                "Attendance can be marked once the session has started "
                f"({_when(locked.starts_at)}).",
                code="early",
            )
        booked = list(
            Booking.objects.select_for_update(of=("self",))
            .filter(session=locked, status=BookingStatus.BOOKED)
            .select_related("school", "user")
        )
        if wanted - {booking.pk for booking in booked}:
            raise ValidationError(
                "Only people with a place can be marked as attended, not those on the waiting "
                "list or who cancelled. Nothing has been changed.",
                code="not_booked",
            )
        now = timezone.now()
        newly_attended = []
        for booking in booked:
            attended = booking.pk in wanted
            if booking.attended == attended:
                continue
            booking.attended = attended
            booking.attendance_marked_by = actor
            booking.attendance_marked_at = now
            booking.save(update_fields=["attended", "attendance_marked_by", "attendance_marked_at"])
            if attended:
                newly_attended.append(booking)
        record_activity(
            subject=locked,
            actor=actor,
            verb="attendance_marked",
            note=f"{len(wanted)} of {len(booked)} attended",
        )
        _record_on_journeys(locked, newly_attended, actor)
    return {"attended": len(wanted), "booked": len(booked), "newly_attended": newly_attended}


def _record_on_journeys(session, bookings, actor):
    """Each school's open journey shows the attendance, and may have a new due date."""
    by_school = {}
    for booking in bookings:
        if booking.school_id is not None:
            by_school.setdefault(booking.school_id, []).append(booking)
    if not by_school:
        return
    journeys = (
        Journey.objects.open()
        .filter(school_id__in=by_school)
        .select_related("framework")
        .select_for_update(of=("self",))
    )
    for journey in journeys:
        for booking in by_school[journey.school_id]:
            who = booking.user.get_full_name() if booking.user else "A member of staff"
            record_activity(
                subject=journey,
                actor=actor,
                verb="learning_session_attended",
                note=(
                    f"{who} attended “{session.title}” ({kind_label(session.kind)}) on "
                    f"{_date(session.starts_at)}."
                ),
            )
        set_commitment_due(journey=journey, session=session, actor=actor)


def set_commitment_due(*, journey, session, actor):
    """The Statement of Commitment is due within a set time of the learning programme.

    When attending `session` completes the school's required kinds of session, the journey's
    due date becomes the session's date plus `Framework.commitment_due_days`, if that is
    later than the date it has. Returns the new date, or None if nothing changed.
    """
    if journey.stage not in COMMITMENT_EDITABLE_STAGES:
        return None
    framework = journey.framework
    required = set(framework.required_session_kinds)
    if session.kind not in required:
        return None
    before = attended_kinds(school_id=journey.school_id, exclude_session=session)
    if required <= before or not required <= before | {session.kind}:
        return None  # complete already, or still incomplete
    due = timezone.localdate(session.starts_at) + datetime.timedelta(
        days=framework.commitment_due_days
    )
    if journey.commitment_due is not None and journey.commitment_due >= due:
        return None
    journey.commitment_due = due
    journey.save(update_fields=["commitment_due"])
    record_activity(
        subject=journey,
        actor=actor,
        verb="commitment_due_changed",
        note=(
            f"The learning programme is complete: the Statement of Commitment is now due on "
            f"{due:%-d %B %Y}, {framework.commitment_due_days} days after “{session.title}”."
        ),
    )
    return due
