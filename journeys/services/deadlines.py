"""Due dates, the daily reminders before them, overdue notices, and extensions.

Which due date is in force depends on the stage: the Statement of Commitment's while the school
drafts it, the Statement of Impact's while it delivers, the award's expiry once awarded. The
dates themselves are set where the stages start (registration, services/stages.py) from the
journey's framework; an extension granted here is the only other thing that moves them.

Reminders are sent once each. A `ReminderSent` row is the lock: the daily task inserts the rows
it means to send with `ON CONFLICT DO NOTHING RETURNING`, so of two runs (the task run again,
or two workers at once) only the one whose insert returned a row sends that email.
`days_before` is the reminder's day (30, 7, 1 by default; for an award also the framework's
`renewal_invitation_days`, the invitation to renew); `OVERDUE_NOTICE` (0) marks the single
notice sent once a due date has passed (for an award: "your award has expired").
"""

import datetime
import logging
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from artsmark.common.activity import record_activity
from artsmark.common.notify import send_templated_email
from artsmark.schools.access import is_member, reviews_school
from artsmark.schools.models import SchoolMembership
from journeys.enums import (
    COMMITMENT_EDITABLE_STAGES,
    DELIVERY_STAGES,
    DeadlineKind,
    ExtensionStatus,
    Stage,
)
from journeys.models import ExtensionRequest, Framework, Journey, ReminderSent
from journeys.notifications import reviewer_emails
from journeys.review_selectors import overdue_days
from journeys.templatetags.journey_tags import long_date

logger = logging.getLogger(__name__)

OVERDUE_NOTICE = 0  # `ReminderSent.days_before` of the notice sent once a due date has passed
# An award that expired longer ago than this gets no "expired" notice: the task looks only
# this far back, so that switching it on does not write to every school ever awarded.
EXPIRED_NOTICE_WITHIN_DAYS = 30
MAX_EXTENSION_DAYS = 366  # an extension moves a due date by a year at most
REASON_LIMIT = 5_000
CHUNK_SIZE = 500

# Kind of due date -> the journey's field and the stages in which it is in force.
IN_FORCE = {
    DeadlineKind.COMMITMENT: ("commitment_due", tuple(COMMITMENT_EDITABLE_STAGES)),
    DeadlineKind.IMPACT: ("impact_due", tuple(DELIVERY_STAGES)),
    DeadlineKind.AWARD_EXPIRY: ("award_expires", (Stage.AWARDED,)),
}
EXTENDABLE = (DeadlineKind.COMMITMENT, DeadlineKind.IMPACT)


@dataclass(frozen=True)
class Deadline:
    """The due date in force on a journey."""

    kind: DeadlineKind
    due_on: datetime.date

    @property
    def field(self):
        return IN_FORCE[self.kind][0]

    @property
    def label(self):
        return self.kind.label

    @property
    def can_extend(self):
        return self.kind in EXTENDABLE

    def days_left(self, today=None):
        return (self.due_on - (today or timezone.localdate())).days

    def overdue_days(self, today=None):
        """Days since the due date passed (0 while it has not), counted as the review queue
        counts them."""
        return overdue_days(self.due_on, today)


def current_deadline(journey):
    """The due date in force at the journey's stage, or None (in review, closed, not set)."""
    for kind, (field, stages) in IN_FORCE.items():
        if journey.stage in stages:
            due_on = getattr(journey, field)
            return Deadline(kind, due_on) if due_on else None
    return None


def journey_url(journey):
    return reverse("journeys:detail", kwargs={"pk": journey.pk})


def renewal_url(journey):
    return reverse("journeys:renew", kwargs={"pk": journey.pk})


def extension_url(journey):
    return reverse("journeys:extension_request", kwargs={"pk": journey.pk})


# --- The daily reminders ----------------------------------------------------------------------


def reminder_days(framework, kind):
    """The days before a due date on which reminders go, for this framework and kind."""
    days = set(framework.reminder_days or [])
    if kind == DeadlineKind.AWARD_EXPIRY and framework.renewal_invitation_days:
        days.add(framework.renewal_invitation_days)
    return sorted(day for day in days if day > 0)


def reminder_to_send(deadline, framework, today):
    """`days_before` of the reminder whose window is open today, or None.

    The most recent one only: after days without a run the school gets the reminder for where
    it is now, not a burst of the ones it missed. Past the due date: the overdue notice.
    """
    days_left = deadline.days_left(today)
    if days_left < 0:
        if deadline.kind == DeadlineKind.AWARD_EXPIRY and -days_left > EXPIRED_NOTICE_WITHIN_DAYS:
            return None
        return OVERDUE_NOTICE
    opened = [day for day in reminder_days(framework, deadline.kind) if day >= days_left]
    return min(opened) if opened else None


def _horizon_days():
    """The furthest ahead any framework reminds (one query: frameworks are a handful)."""
    furthest = 0
    for days, renewal in Framework.objects.values_list("reminder_days", "renewal_invitation_days"):
        furthest = max(furthest, renewal or 0, *(days or [0]))
    return furthest


def journeys_with_due_dates(*, today, horizon_days):
    """Journeys whose due date in force is within `horizon_days` or has passed.

    An awarded journey counts only while its school has not moved on to a later journey (a
    renewal or a new registration) and not long after its award expired.
    """
    ahead = today + datetime.timedelta(days=horizon_days)
    expired_since = today - datetime.timedelta(days=EXPIRED_NOTICE_WITHIN_DAYS)
    later_journey = Journey.objects.filter(school_id=OuterRef("school_id"), pk__gt=OuterRef("pk"))
    commitment_field, commitment_stages = IN_FORCE[DeadlineKind.COMMITMENT]
    impact_field, impact_stages = IN_FORCE[DeadlineKind.IMPACT]
    return (
        Journey.objects.filter(
            Q(stage__in=commitment_stages, **{f"{commitment_field}__lte": ahead})
            | Q(stage__in=impact_stages, **{f"{impact_field}__lte": ahead})
            | (
                Q(stage=Stage.AWARDED, award_expires__lte=ahead, award_expires__gte=expired_since)
                & ~Exists(later_journey.exclude(stage=Stage.WITHDRAWN))
            )
        )
        .select_related("school", "framework")
        .order_by("pk")
    )


def send_due_reminders(*, today=None):
    """Send today's reminders and overdue notices, each once; return what was done.

    A bounded number of queries per chunk of journeys (journeys, reminders already sent, the
    claiming insert, the recipients), plus one email per reminder sent.
    """
    today = today or timezone.localdate()
    candidates = journeys_with_due_dates(today=today, horizon_days=_horizon_days())
    summary = {"checked": 0, "claimed": 0, "already_sent": 0, "sent": 0, "failed": 0}
    last_pk = 0
    while True:
        chunk = list(candidates.filter(pk__gt=last_pk)[:CHUNK_SIZE])
        if not chunk:
            break
        last_pk = chunk[-1].pk
        summary["checked"] += len(chunk)
        _remind_chunk(chunk, today, summary)
        if len(chunk) < CHUNK_SIZE:
            break
    logger.info("Deadline reminders for %s: %s", today, summary)
    return summary


def _remind_chunk(journeys, today, summary):
    wanted = {}
    for journey in journeys:
        deadline = current_deadline(journey)
        if deadline is None:
            continue
        days_before = reminder_to_send(deadline, journey.framework, today)
        if days_before is not None:
            wanted[(journey.pk, deadline.kind.value, deadline.due_on, days_before)] = journey
    if not wanted:
        return
    sent = set(
        ReminderSent.objects.filter(journey_id__in={key[0] for key in wanted}).values_list(
            "journey_id", "kind", "due_on", "days_before"
        )
    )
    to_claim = sorted(key for key in wanted if key not in sent)
    summary["already_sent"] += len(wanted) - len(to_claim)
    if not to_claim:
        return
    with transaction.atomic():
        claimed = _claim(to_claim)
        # Another run that got here first claimed the rest: it sends those.
        summary["already_sent"] += len(to_claim) - len(claimed)
        summary["claimed"] += len(claimed)
        reminders = [(wanted[key], key) for key in sorted(claimed)]
        transaction.on_commit(partial(_send_reminders, reminders, today, summary))


def _claim(keys):
    """Insert ReminderSent rows; return the keys this call inserted (the send-once lock).

    A row another run inserted (committed, or about to be: the insert waits for it) is
    skipped without an error. Keys are inserted in a fixed order so two runs never deadlock.
    """
    now = timezone.now()
    placeholders = ", ".join(["(%s, %s, %s, %s, %s)"] * len(keys))
    params = [value for key in keys for value in (*key, now)]
    table = connection.ops.quote_name(ReminderSent._meta.db_table)
    # Only placeholders and our own table name are formatted into the statement.
    sql = (
        f"INSERT INTO {table} (journey_id, kind, due_on, days_before, sent_at) "  # noqa: S608
        f"VALUES {placeholders} "
        "ON CONFLICT (journey_id, kind, due_on, days_before) DO NOTHING "
        "RETURNING journey_id, kind, due_on, days_before"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {tuple(row) for row in cursor.fetchall()}


def school_recipients(school_ids):
    """{school id: addresses}: each school's approved Artsmark lead, or, for a school without
    one, its approved members (one query)."""
    leads, members = {}, {}
    rows = SchoolMembership.objects.filter(
        school_id__in=school_ids,
        status=SchoolMembership.Status.APPROVED,
        user__is_active=True,
    ).values_list("school_id", "role", "user__email")
    for school_id, role, email in rows:
        members.setdefault(school_id, []).append(email)
        if role == SchoolMembership.Role.LEAD:
            leads.setdefault(school_id, []).append(email)
    return {school_id: leads.get(school_id) or emails for school_id, emails in members.items()}


def _send_reminders(reminders, today, summary):
    """After the claim commits: one email per reminder; a failed send gives its claim back
    (the next run tries again); an overdue notice that went is put on the timeline."""
    recipients = school_recipients({journey.school_id for journey, _ in reminders})
    for journey, key in reminders:
        _, kind, due_on, days_before = key
        deadline = Deadline(DeadlineKind(kind), due_on)
        try:
            send_templated_email(
                template=_reminder_template(deadline, days_before),
                to=recipients.get(journey.school_id, []),
                context=_reminder_context(journey, deadline, days_before, today),
            )
        except Exception:
            logger.exception("Reminder %s of journey %s not sent", key, journey.pk)
            ReminderSent.objects.filter(
                journey_id=journey.pk, kind=kind, due_on=due_on, days_before=days_before
            ).delete()
            summary["failed"] += 1
            continue
        summary["sent"] += 1
        if days_before == OVERDUE_NOTICE:
            _record_overdue(journey, deadline)


def _reminder_template(deadline, days_before):
    if days_before == OVERDUE_NOTICE:
        return "emails/reminder_overdue"
    return f"emails/reminder_{deadline.kind.value}"


def _reminder_context(journey, deadline, days_before, today):
    return {
        "journey": journey,
        "school": journey.school,
        "kind": deadline.kind.value,
        "kind_label": deadline.label,
        "due_on": deadline.due_on,
        "days_left": deadline.days_left(today),
        "overdue_days": deadline.overdue_days(today),
        "is_renewal_invitation": days_before == journey.framework.renewal_invitation_days,
        "can_extend": deadline.can_extend,
        "path": journey_url(journey),
        "extension_path": extension_url(journey),
        "renewal_path": renewal_url(journey),
    }


def _record_overdue(journey, deadline):
    if deadline.kind == DeadlineKind.AWARD_EXPIRY:
        verb, note = "award_expired", f"The award expired on {long_date(deadline.due_on)}."
    else:
        verb = "overdue"
        note = f"The {deadline.label} was due on {long_date(deadline.due_on)}."
    record_activity(subject=journey, actor=None, verb=verb, note=note)


# --- Extensions -------------------------------------------------------------------------------


def _check_new_date(new_due_on, current_due_on, today):
    if not isinstance(new_due_on, datetime.date):
        raise ValidationError("Enter the new due date.", code="date")
    if new_due_on <= current_due_on:
        raise ValidationError(
            f"The new date must be after the current due date, {long_date(current_due_on)}.",
            code="date",
        )
    if new_due_on <= today:
        raise ValidationError("The new date must be in the future.", code="date")
    latest = current_due_on + datetime.timedelta(days=MAX_EXTENSION_DAYS)
    if new_due_on > latest:
        raise ValidationError(
            f"A due date can be moved by a year at most: choose a date on or before "
            f"{long_date(latest)}.",
            code="date",
        )


def _lock_journey(journey):
    return (
        Journey.objects.select_for_update(of=("self",))
        .select_related("school", "framework")
        .get(pk=journey.pk)
    )


def request_extension(*, journey, kind, requested_due_on, reason, actor):
    """A member of the school asks for more time on the due date in force.

    Any approved member may ask (as any member may write the school's drafts), and platform
    staff on a school's behalf. One request per due date waits at a time.
    """
    if kind not in DeadlineKind.values:
        raise ValidationError("Your journey has no due date to extend at this stage.", code="kind")
    kind = DeadlineKind(kind)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Say why you need more time.", code="reason")
    if len(reason) > REASON_LIMIT:
        raise ValidationError(f"Keep the reason under {REASON_LIMIT:,} characters.", code="reason")
    today = timezone.localdate()
    with transaction.atomic():
        locked = _lock_journey(journey)
        if not (actor.is_superuser or is_member(actor, locked.school)):
            raise ValidationError("Only the school's members can ask for more time.", code="actor")
        deadline = current_deadline(locked)
        if kind == DeadlineKind.AWARD_EXPIRY:
            raise ValidationError(
                "An award's expiry date cannot be extended: renew your Artsmark instead.",
                code="kind",
            )
        if deadline is None or deadline.kind != kind:
            raise ValidationError(
                f"The {kind.label} has no due date to extend at this stage.", code="kind"
            )
        _check_new_date(requested_due_on, deadline.due_on, today)
        if ExtensionRequest.objects.filter(
            journey=locked, kind=kind, status=ExtensionStatus.PENDING
        ).exists():
            raise _already_pending(kind)
        try:
            with transaction.atomic():
                extension = ExtensionRequest.objects.create(
                    journey=locked,
                    kind=kind,
                    reason=reason,
                    current_due_on=deadline.due_on,
                    requested_due_on=requested_due_on,
                    requested_by=actor,
                )
        except IntegrityError:
            raise _already_pending(kind) from None
        record_activity(
            subject=locked,
            actor=actor,
            verb="extension_requested",
            note=(
                f"{kind.label} due date: asked to move it from {long_date(deadline.due_on)} "
                f"to {long_date(requested_due_on)}. Reason: {reason}"
            ),
        )
        transaction.on_commit(partial(extension_requested, extension_id=extension.pk))
    return extension


def _already_pending(kind):
    return ValidationError(
        f"Your request for more time on the {kind.label} is already waiting for a decision.",
        code="pending",
    )


def decide_extension(*, extension, actor, grant, new_due_on=None, note=""):
    """A reviewer of the school's Bridge Organisation (or platform staff) grants or refuses.

    Granting moves the journey's due date (to `new_due_on`, by default the date asked for), so
    the reminders start again for the new date. Refusing needs a note for the school.
    """
    note = (note or "").strip()
    if not grant and not note:
        raise ValidationError(
            "Say why the request is refused: the school will read it.", code="note"
        )
    if len(note) > REASON_LIMIT:
        raise ValidationError(f"Keep the note under {REASON_LIMIT:,} characters.", code="note")
    today = timezone.localdate()
    with transaction.atomic():
        # The journey first, then the request: the same order as request_extension.
        journey = _lock_journey(extension.journey)
        locked = (
            ExtensionRequest.objects.select_for_update(of=("self",))
            .select_related("decided_by")
            .get(pk=extension.pk)
        )
        if not (actor.is_superuser or reviews_school(actor, journey.school)):
            raise ValidationError(
                "Only reviewers of the school's Bridge Organisation can decide on a request "
                "for more time.",
                code="actor",
            )
        if locked.status != ExtensionStatus.PENDING:
            raise _already_decided(locked)
        kind = DeadlineKind(locked.kind)
        fields = ["status", "decision_note", "decided_by", "decided_at"]
        if grant:
            deadline = current_deadline(journey)
            if deadline is None or deadline.kind != kind:
                raise ValidationError(
                    f"The journey has moved on: the {kind.label} due date is no longer in "
                    "force, so there is nothing to extend. Refuse the request with a note.",
                    code="kind",
                )
            new_due_on = new_due_on or locked.requested_due_on
            current = max(deadline.due_on, locked.current_due_on)
            _check_new_date(new_due_on, current, today)
            setattr(journey, deadline.field, new_due_on)
            journey.save(update_fields=[deadline.field])
            locked.granted_due_on = new_due_on
            fields.append("granted_due_on")
            text = (
                f"{kind.label} due date moved from {long_date(deadline.due_on)} to "
                f"{long_date(new_due_on)}."
            )
        else:
            text = (
                f"{kind.label} due date stays {long_date(locked.current_due_on)} "
                f"(asked for {long_date(locked.requested_due_on)})."
            )
        locked.status = ExtensionStatus.GRANTED if grant else ExtensionStatus.REFUSED
        locked.decision_note = note
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.save(update_fields=fields)
        record_activity(
            subject=journey,
            actor=actor,
            verb="extension_granted" if grant else "extension_refused",
            note=f"{text} {note}".strip(),
        )
        transaction.on_commit(partial(extension_decided, extension_id=locked.pk))
    for field in fields:
        setattr(extension, field, getattr(locked, field))
    if grant:
        field = IN_FORCE[kind][0]
        setattr(extension.journey, field, getattr(journey, field))
    return extension


def _already_decided(extension):
    who = extension.decided_by.get_short_name() if extension.decided_by else "Someone"
    when = timezone.localtime(extension.decided_at).strftime("%-d %B %Y at %H:%M")
    return ValidationError(
        f"{who} already {extension.get_status_display().lower()} this request on {when}. "
        "Nothing has been changed.",
        code="decided",
    )


# --- Extension emails (after the change commits) ----------------------------------------------


def _extension(extension_id):
    return (
        ExtensionRequest.objects.select_related("journey__school", "requested_by", "decided_by")
        .filter(pk=extension_id)
        .first()
    )


def extension_requested(*, extension_id):
    """Tell the reviewers of the school's Bridge Organisation that a school asks for time."""
    extension = _extension(extension_id)
    if extension is None:
        return 0
    journey = extension.journey
    return send_templated_email(
        template="emails/extension_requested",
        to=reviewer_emails(journey.school),
        context={
            "extension": extension,
            "school": journey.school,
            "path": journey_url(journey),
            "decide_path": reverse(
                "journeys:extension_decide", kwargs={"extension_pk": extension.pk}
            ),
        },
    )


def extension_decided(*, extension_id):
    """Tell the school (its lead, and whoever asked) what was decided."""
    extension = _extension(extension_id)
    if extension is None or extension.status == ExtensionStatus.PENDING:
        return 0
    journey = extension.journey
    to = school_recipients([journey.school_id]).get(journey.school_id, [])
    if extension.requested_by is not None and extension.requested_by.is_active:
        to = [*to, extension.requested_by.email]
    return send_templated_email(
        template="emails/extension_decided",
        to=to,
        context={
            "extension": extension,
            "school": journey.school,
            "granted": extension.status == ExtensionStatus.GRANTED,
            "path": journey_url(journey),
        },
    )
