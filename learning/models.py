"""The learning programme: sessions that staff publish, and the bookings people make.

A school must have attended the framework's required kinds of session before it submits its
Statement of Commitment (learning/checks.py). Places are counted under a lock on the session
row (learning/services.py), and the database backs every rule that fits on one row.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from artsmark.common.vocab import SESSION_KINDS
from learning.enums import ACTIVE_STATUSES, Audience, BookingStatus


class LearningSession(models.Model):
    """A development day, module or partner training session, online or at a venue."""

    kind = models.CharField(max_length=40, choices=SESSION_KINDS)
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=5000, blank=True)
    starts_at = models.DateTimeField("starts")
    ends_at = models.DateTimeField("ends")
    online = models.BooleanField(default=False)
    venue = models.TextField("venue address", max_length=500, blank=True)
    # Shown only to people with a place (a meeting link, what to bring, where to sign in).
    joining_instructions = models.TextField(max_length=2000, blank=True)
    capacity = models.PositiveIntegerField("number of places")
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.SCHOOLS)
    # The Bridge Organisation whose reviewers run it; none: run nationally by platform staff.
    organiser = models.ForeignKey(
        "schools.BridgeOrganisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="learning_sessions",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="learning_session_capacity"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="learning_session_ends_after"
            ),
            models.CheckConstraint(
                condition=Q(online=True) | ~Q(venue=""), name="learning_session_has_a_place"
            ),
        ]
        indexes = [
            # The upcoming list (all, or one kind) and an organiser's list, in date order.
            models.Index(fields=["starts_at"], name="learning_session_starts_idx"),
            models.Index(fields=["kind", "starts_at"], name="learning_session_kind_idx"),
            models.Index(fields=["organiser", "starts_at"], name="learning_session_org_idx"),
        ]

    def __str__(self):
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"

    @property
    def is_cancelled(self):
        return self.cancelled_at is not None


class Booking(models.Model):
    """One person's place (or place in the queue) at a session, for a school or a partner."""

    session = models.ForeignKey(LearningSession, on_delete=models.PROTECT, related_name="bookings")
    # Kept when an account goes: the school's attendance is the school's, not one person's.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="learning_bookings",
    )
    school = models.ForeignKey(
        "schools.School",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="learning_bookings",
    )
    partner_organisation = models.ForeignKey(
        "partners.PartnerOrganisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="learning_bookings",
    )
    status = models.CharField(max_length=10, choices=BookingStatus.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    # When a place came free and this booking moved up from the waiting list.
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(null=True, blank=True)
    attendance_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    attendance_marked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="learning_booking_one_active",
            ),
            models.CheckConstraint(
                condition=Q(school__isnull=True) | Q(partner_organisation__isnull=True),
                name="learning_booking_for_one",
            ),
            models.CheckConstraint(
                condition=Q(attended__isnull=True) | Q(status=BookingStatus.BOOKED),
                name="learning_booking_attended_if_booked",
            ),
            models.CheckConstraint(
                condition=~Q(status=BookingStatus.CANCELLED) | Q(cancelled_at__isnull=False),
                name="learning_booking_cancelled_when",
            ),
        ]
        indexes = [
            # Places taken and the waiting list's order, per session.
            models.Index(
                fields=["session", "status", "created_at"], name="learning_booking_queue_idx"
            ),
            # "My bookings".
            models.Index(fields=["user", "status"], name="learning_booking_user_idx"),
            # The submission check: which kinds a school has attended.
            models.Index(
                fields=["school"], condition=Q(attended=True), name="learning_booking_attended_idx"
            ),
        ]

    def __str__(self):
        return f"{self.user} at {self.session} ({self.status})"

    @property
    def is_active(self):
        return self.status in ACTIVE_STATUSES

    @property
    def booked_for(self):
        """The school or partner organisation the place is for (None if neither)."""
        return self.school or self.partner_organisation
