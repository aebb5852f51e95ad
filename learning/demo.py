"""The demo's learning programme (SPEC.md, "The demo world"). Idempotent.

Two seeders, for settings.DEMO_SEEDERS:

- `seed`, before journeys.demo.seed: sessions past and to come. The leads of the demo schools
  whose journeys go past submission attended a development day last term (the Statement of
  Commitment needs one); Rosewood Primary School (lead@example.org) has not yet, so its
  check-your-answers page shows what is missing, and lead@example.org has a module booked.
  One session is full with a waiting list; one took place yesterday and waits for
  reviewer@example.org to mark attendance.
- `seed_partner_bookings`, after partners.demo.seed: partner@example.org's place on partner
  training (their organisation exists only once partners.demo has run).

Dates are relative to today, so the world stays sensible whenever it is seeded; sessions are
found by title and bookings by session and person, so a second run changes nothing.
"""

import datetime

from django.utils import timezone

from artsmark.accounts.models import User
from artsmark.schools.models import BridgeOrganisation, School, SchoolMembership
from journeys.demo import OTHER_STAGES, _lead_of
from learning import services
from learning.enums import Audience, BookingStatus
from learning.models import Booking, LearningSession
from partners.enums import MembershipStatus
from partners.models import PartnerOrganisation

LONDON, WEST_MIDLANDS, NATIONAL = "a-new-direction", "arts-connect", None
ORGANISER_EMAILS = {
    LONDON: "reviewer@example.org",
    WEST_MIDLANDS: "other.reviewer@example.org",
    NATIONAL: "admin@example.org",
}
LONDON_VENUE = "A New Direction, Somerset House, Strand, London WC2R 1LA"
BIRMINGHAM_VENUE = "Arts Connect, University of Wolverhampton, Wulfruna Street, WV1 1LY"
ONLINE_LINK = "Join on the day: https://meet.example.org/artsmark (opens 15 minutes before)."

# key: (kind, title, organiser, days from today, start hour, hours, online, capacity, audience)
SESSIONS = {
    "london_day": (
        "development_day",
        "Development day: starting your Artsmark journey (London)",
        LONDON,
        -60,
        9,
        6,
        False,
        40,
        Audience.SCHOOLS,
    ),
    "west_midlands_day": (
        "development_day",
        "Development day: starting your Artsmark journey (West Midlands)",
        WEST_MIDLANDS,
        -45,
        9,
        6,
        False,
        40,
        Audience.SCHOOLS,
    ),
    "national_day": (
        "development_day",
        "Development day online: starting your Artsmark journey",
        NATIONAL,
        -30,
        13,
        3,
        True,
        100,
        Audience.SCHOOLS,
    ),
    "pupil_voice": (
        "module",
        "Module: pupil voice in the arts",
        LONDON,
        -1,
        15,
        2,
        False,
        20,
        Audience.SCHOOLS,
    ),
    "arts_award": (
        "module",
        "Module: Arts Award in your school",
        LONDON,
        10,
        15,
        2,
        False,
        3,
        Audience.SCHOOLS,
    ),
    "partner_training": (
        "partner_training",
        "Partner training: working with schools on Artsmark",
        NATIONAL,
        14,
        10,
        3,
        True,
        40,
        Audience.PARTNERS,
    ),
    "planning_module": (
        "module",
        "Module: planning your Statement of Commitment",
        LONDON,
        21,
        15,
        2,
        False,
        25,
        Audience.SCHOOLS,
    ),
    "west_midlands_spring": (
        "development_day",
        "Development day: Artsmark in the West Midlands (spring)",
        WEST_MIDLANDS,
        28,
        9,
        6,
        False,
        30,
        Audience.SCHOOLS,
    ),
    "london_spring": (
        "development_day",
        "Development day: Artsmark in London (spring)",
        LONDON,
        35,
        9,
        6,
        False,
        30,
        Audience.SCHOOLS,
    ),
}
DESCRIPTIONS = {
    "development_day": (
        "The Artsmark journey from registration to award: the Quality Principles, the "
        "framework's strands, and how to write a Statement of Commitment tied to your school "
        "development plan. For your school's Artsmark lead or a senior leader."
    ),
    "module": "A two-hour module with practical examples from Artsmark schools.",
    "partner_training": (
        "For cultural organisations: the Artsmark framework, what schools look for in a "
        "partner, and how to describe your offer in the directory."
    ),
}
ATTENDED = ("london_day", "west_midlands_day", "national_day")


def _moment(days, hour):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _sessions():
    organisations = {
        o.slug: o for o in BridgeOrganisation.objects.filter(slug__in=ORGANISER_EMAILS)
    }
    sessions = {}
    for key, (
        kind,
        title,
        organiser,
        days,
        hour,
        hours,
        online,
        places,
        audience,
    ) in SESSIONS.items():
        starts = _moment(days, hour)
        venue = "" if online else (BIRMINGHAM_VENUE if organiser == WEST_MIDLANDS else LONDON_VENUE)
        sessions[key], _ = LearningSession.objects.update_or_create(
            title=title,
            defaults={
                "kind": kind,
                "description": DESCRIPTIONS[kind],
                "starts_at": starts,
                "ends_at": starts + datetime.timedelta(hours=hours),
                "online": online,
                "venue": venue,
                "joining_instructions": ONLINE_LINK if online else "Sign in at reception.",
                "capacity": places,
                "audience": audience,
                "organiser": organisations.get(organiser),
            },
        )
    return sessions


def _book(session, user, *, school=None, partner=None, waiting=False):
    """A booking, once: through the service for a session to come; as history for a past one."""
    existing = Booking.objects.filter(session=session, user=user).first()
    if existing is not None:
        return existing
    if session.starts_at > timezone.now():
        return services.book_session(
            session=session,
            user=user,
            school=school,
            partner_organisation=partner,
            join_waiting_list=waiting,
        )
    return Booking.objects.create(
        session=session, user=user, school=school, status=BookingStatus.BOOKED
    )


def _mark_all_attended(session, organiser):
    """The organiser marks everyone with a place as attended, once."""
    booked = Booking.objects.filter(session=session, status=BookingStatus.BOOKED)
    if not booked.filter(attended__isnull=True).exists():
        return
    services.mark_attendance(
        session=session,
        attended_booking_ids=list(booked.values_list("pk", flat=True)),
        actor=organiser,
    )


def _development_day_for(school):
    region = school.local_authority.region.name
    if region == "London":
        return "london_day"
    if region == "West Midlands":
        return "west_midlands_day"
    return "national_day"


def seed(stdout=None):
    sessions = _sessions()
    people = {u.email: u for u in User.objects.filter(email__in=ORGANISER_EMAILS.values())}
    schools = {
        s.urn: s
        for s in School.objects.filter(urn__gte=990001).select_related("local_authority__region")
    }
    # The same leads journeys.demo registers and submits with (made here if missing).
    leads = {urn: _lead_of(schools[urn]) for urn in sorted(OTHER_STAGES) if urn in schools}

    # Last term's development days: every school journeys.demo takes past submission.
    for urn, lead in leads.items():
        _book(sessions[_development_day_for(schools[urn])], lead, school=schools[urn])
    for key in ATTENDED:
        organiser = sessions[key].organiser
        actor = people[ORGANISER_EMAILS[organiser.slug if organiser else NATIONAL]]
        _mark_all_attended(sessions[key], actor)

    rosewood = schools[990001]
    lead = User.objects.get(email="lead@example.org")
    teacher = User.objects.get(email="teacher@example.org")
    # Yesterday's module: attendance not marked yet (reviewer@example.org can mark it).
    _book(sessions["pupil_voice"], teacher, school=rosewood)
    _book(sessions["pupil_voice"], leads[990005], school=schools[990005])
    # Rosewood's lead has a module booked, but not a development day: the check page says so.
    _book(sessions["planning_module"], lead, school=rosewood)
    # A full module with a waiting list, first come first served.
    for urn in (990003, 990016, 990017):
        _book(sessions["arts_award"], leads[urn], school=schools[urn])
    for urn in (990018, 990019):
        _book(sessions["arts_award"], leads[urn], school=schools[urn], waiting=True)
    # Kingsway Academy's lead has a place on the next West Midlands development day.
    kingsway_lead = SchoolMembership.objects.get(
        school=schools[990002], role=SchoolMembership.Role.LEAD
    ).user
    _book(sessions["west_midlands_spring"], kingsway_lead, school=schools[990002])
    if stdout:
        stdout.write(f"Demo learning programme: {len(sessions)} sessions.")


def seed_partner_bookings(stdout=None):
    """partner@example.org's place on partner training (after partners.demo.seed)."""
    session = LearningSession.objects.filter(title=SESSIONS["partner_training"][1]).first()
    partner = User.objects.filter(email="partner@example.org").first()
    organisation = PartnerOrganisation.objects.filter(
        memberships__user=partner, memberships__status=MembershipStatus.APPROVED
    ).first()
    if session is None or partner is None or organisation is None:
        return
    _book(session, partner, partner=organisation)
    if stdout:
        stdout.write("Demo partner training: partner@example.org has a place.")
