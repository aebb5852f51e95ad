"""The learning programme's vocabularies: who a session is for, where a booking stands."""

from django.db import models

from artsmark.common import vocab


class Audience(models.TextChoices):
    SCHOOLS = "schools", "Schools"
    PARTNERS = "partners", "Partner organisations"
    ALL = "all", "Schools and partner organisations"


# Which audiences a school member, or a partner organisation's staff, may book.
SCHOOL_AUDIENCES = (Audience.SCHOOLS, Audience.ALL)
PARTNER_AUDIENCES = (Audience.PARTNERS, Audience.ALL)


class BookingStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    WAITING = "waiting", "On the waiting list"
    CANCELLED = "cancelled", "Cancelled"


# A booking that holds a place or a place in the queue: one per person per session.
ACTIVE_STATUSES = (BookingStatus.BOOKED, BookingStatus.WAITING)

# "attend a development day": how a message names one session of each kind.
KIND_PHRASES = {
    "development_day": "a development day",
    "module": "a module",
    "partner_training": "a partner training session",
}


def kind_label(kind):
    return vocab.label(vocab.SESSION_KINDS, kind)


def kind_phrase(kind):
    return KIND_PHRASES.get(kind, f"a {kind_label(kind).lower()} session")
