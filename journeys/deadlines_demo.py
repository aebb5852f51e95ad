"""Demo deadlines (SPEC.md, "The demo world"): requests for more time, an overdue journey,
reminders sent. Idempotent; runs after journeys.demo.seed (it uses that seeder's journeys).

- Bow Common Primary School (London, Statement of Commitment returned) is reminded that its
  statement is due in five days and asks for more time: A New Direction's reviewer
  (reviewer@example.org) sees the request waiting on the Bridge Organisation's deadlines page.
- Hillcrest Nursery School (London, registered) is past its Statement of Commitment due date:
  it stands out there as overdue, with an overdue notice on its timeline.
- Northgate Primary School (Newcastle, certified) was granted more time for its Statement of
  Impact; Malvern Hills Secondary School (West Midlands, drafting) was refused.

The daily reminder task is run once at the end, so the reminders and the overdue notice are
recorded (and, in development, printed on the console) as beat would send them.
"""

import datetime

from django.utils import timezone

from artsmark.accounts.models import User
from artsmark.schools.access import reviews_school
from artsmark.schools.models import SchoolMembership
from journeys.models import Journey
from journeys.services import deadlines

PENDING_URN = 990016  # London, asks for more time
OVERDUE_URN = 990004  # London, overdue
GRANTED_URN = 990006  # North East, granted
REFUSED_URN = 990014  # West Midlands, refused
STAFF_EMAIL = "admin@example.org"
OTHER_REVIEWER_EMAIL = "other.reviewer@example.org"


def _journey(urn):
    return (
        Journey.objects.open().filter(school__urn=urn).select_related("school", "framework").first()
    )


def _lead(journey):
    membership = (
        SchoolMembership.objects.filter(
            school=journey.school,
            role=SchoolMembership.Role.LEAD,
            status=SchoolMembership.Status.APPROVED,
        )
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def _ask(journey, *, extra_days, reason):
    """The school's lead asks for `extra_days` more (once: a journey that has asked is left)."""
    deadline = deadlines.current_deadline(journey)
    lead = _lead(journey)
    if deadline is None or lead is None or journey.extensions.exists():
        return None
    return deadlines.request_extension(
        journey=journey,
        kind=deadline.kind,
        requested_due_on=deadline.due_on + datetime.timedelta(days=extra_days),
        reason=reason,
        actor=lead,
    )


def _pending(today):
    journey = _journey(PENDING_URN)
    if journey is None or journey.extensions.exists():
        return 0
    # Its statement came back from review shortly before the due date.
    journey.commitment_due = today + datetime.timedelta(days=5)
    journey.save(update_fields=["commitment_due"])
    made = _ask(
        journey,
        extra_days=30,
        reason=(
            "Our statement came back with feedback a week before the due date, and our "
            "governors next meet on the 20th: we need them to sign off the changes."
        ),
    )
    return int(made is not None)


def _overdue(today):
    journey = _journey(OVERDUE_URN)
    if journey is None or deadlines.current_deadline(journey) is None:
        return 0
    if journey.commitment_due < today:
        return 0
    journey.commitment_due = today - datetime.timedelta(days=12)
    journey.save(update_fields=["commitment_due"])
    return 1


def _decided(urn, *, grant, reason, note, decider):
    journey = _journey(urn)
    if journey is None:
        return 0
    extension = _ask(journey, extra_days=60 if grant else 30, reason=reason)
    if extension is None:
        return 0
    if not (decider.is_superuser or reviews_school(decider, journey.school)):
        decider = User.objects.get(email=STAFF_EMAIL)
    deadlines.decide_extension(extension=extension, actor=decider, grant=grant, note=note)
    return 1


def seed(stdout=None):
    today = timezone.localdate()
    staff = User.objects.get(email=STAFF_EMAIL)
    other_reviewer = User.objects.filter(email=OTHER_REVIEWER_EMAIL).first() or staff
    made = _pending(today) + _overdue(today)
    made += _decided(
        GRANTED_URN,
        grant=True,
        reason="A long-term partner's building closes for a year: the residency moves.",
        note="Granted: two more months to show the residency's impact.",
        decider=staff,
    )
    made += _decided(
        REFUSED_URN,
        grant=False,
        reason="We would like the summer holidays to finish our plan.",
        note="Your plan is nearly complete: please submit it on time, and ask us for "
        "informal feedback first if that helps.",
        decider=other_reviewer,
    )
    summary = deadlines.send_due_reminders(today=today)
    if stdout:
        stdout.write(f"Demo deadlines: {made} new; reminders sent today: {summary['claimed']}.")
