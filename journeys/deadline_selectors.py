"""Reads for deadlines and extensions: the journey page's panel, the school's request page,
a Bridge Organisation's page of requests and overdue journeys, one request to decide.

Each function runs a fixed number of queries whatever the number of journeys or requests.
"""

from django.core.paginator import Paginator
from django.db.models import Case, CharField, DateField, Exists, F, OuterRef, Q, Value, When
from django.urls import reverse
from django.utils import timezone

from artsmark.schools.access import is_member, reviews_school
from artsmark.schools.models import BridgeOrganisation
from journeys.enums import DeadlineKind, ExtensionStatus
from journeys.models import ExtensionRequest, Journey
from journeys.review_selectors import overdue_days
from journeys.services.deadlines import IN_FORCE, current_deadline

PAGE_SIZE = 25
RECENTLY_DECIDED = 10
DATE_LABELS = {
    DeadlineKind.COMMITMENT: "Statement of Commitment due",
    DeadlineKind.IMPACT: "Statement of Impact due",
    DeadlineKind.AWARD_EXPIRY: "Award expires",
}


def _due_dates(journey, deadline, today):
    """Every due date the journey has, the one in force marked (overdue, or expired)."""
    rows = []
    for kind, (field, _) in IN_FORCE.items():
        due_on = getattr(journey, field)
        if due_on is None:
            continue
        in_force = deadline is not None and deadline.kind == kind
        passed = overdue_days(due_on, today) if in_force else 0
        is_expiry = kind == DeadlineKind.AWARD_EXPIRY
        rows.append(
            {
                "label": DATE_LABELS[kind],
                "due_on": due_on,
                "in_force": in_force,
                "overdue_days": 0 if is_expiry else passed,
                "expired": is_expiry and passed > 0,
            }
        )
    return rows


def _pending_in_force(requests, deadline):
    """The request waiting for a decision on the due date in force, if any (one per kind
    waits at a time; one on a due date no longer in force is not it)."""
    if deadline is None:
        return None
    return next(
        (e for e in requests if e.status == ExtensionStatus.PENDING and e.kind == deadline.kind),
        None,
    )


def journey_deadlines(*, journey, user, today=None):
    """The journey page's deadlines panel (one query: the journey's latest extension requests)."""
    today = today or timezone.localdate()
    deadline = current_deadline(journey)
    extensions = list(journey.extensions.select_related("requested_by", "decided_by")[:5])
    pending = _pending_in_force(extensions, deadline)
    member = user.is_superuser or is_member(user, journey.school)
    return {
        "deadline": deadline,
        "dates": _due_dates(journey, deadline, today),
        "extensions": extensions,
        "pending": pending,
        "can_ask": bool(member and deadline and deadline.can_extend and pending is None),
        "is_reviewer": user.is_superuser or reviews_school(user, journey.school),
    }


def extension_request_page(*, journey, today=None):
    """The school's page to ask for more time: the due date in force and its requests."""
    today = today or timezone.localdate()
    deadline = current_deadline(journey)
    requests = list(journey.extensions.select_related("decided_by")[:10])
    pending = _pending_in_force(requests, deadline)
    return {
        "journey": journey,
        "deadline": deadline,
        "overdue_days": deadline.overdue_days(today) if deadline else 0,
        "requests": requests,
        "pending": pending,
        "can_ask": bool(deadline and deadline.can_extend and pending is None),
    }


# --- A Bridge Organisation's page -------------------------------------------------------------


def _in_area(organisation):
    return organisation.local_authorities.values("pk")


def pending_extensions(*, organisation):
    return (
        ExtensionRequest.objects.filter(
            status=ExtensionStatus.PENDING,
            journey__school__local_authority__in=_in_area(organisation),
        )
        .select_related("journey__school__local_authority", "requested_by")
        .order_by("requested_at", "pk")
    )


def overdue_journeys(*, organisation, today=None):
    """Open journeys in the area whose due date in force has passed, the longest overdue first.

    "Has asked for more time" is about that due date: a request still waiting on the
    Statement of Commitment's date does not count once the Statement of Impact's is in force.
    """
    today = today or timezone.localdate()
    commitment_field, commitment_stages = IN_FORCE[DeadlineKind.COMMITMENT]
    impact_field, impact_stages = IN_FORCE[DeadlineKind.IMPACT]
    pending = ExtensionRequest.objects.filter(
        journey=OuterRef("pk"), kind=OuterRef("kind_in_force"), status=ExtensionStatus.PENDING
    )
    return (
        Journey.objects.filter(school__local_authority__in=_in_area(organisation))
        .filter(
            Q(stage__in=commitment_stages, **{f"{commitment_field}__lt": today})
            | Q(stage__in=impact_stages, **{f"{impact_field}__lt": today})
        )
        .annotate(
            kind_in_force=Case(
                When(stage__in=commitment_stages, then=Value(DeadlineKind.COMMITMENT.value)),
                default=Value(DeadlineKind.IMPACT.value),
                output_field=CharField(),
            ),
            due_in_force=Case(
                When(stage__in=commitment_stages, then=F(commitment_field)),
                default=F(impact_field),
                output_field=DateField(),
            ),
        )
        .annotate(has_pending_extension=Exists(pending))
        .select_related("school__local_authority")
        .order_by("due_in_force", "pk")
    )


def _pending_row(extension, today):
    journey = extension.journey
    deadline = current_deadline(journey)
    in_force = deadline is not None and deadline.kind == extension.kind
    return {
        "extension": extension,
        "school": journey.school,
        "in_force": in_force,
        "overdue_days": deadline.overdue_days(today) if in_force else 0,
        "extra_days": (extension.requested_due_on - extension.current_due_on).days,
    }


def _overdue_row(journey, today):
    deadline = current_deadline(journey)
    return {
        "journey": journey,
        "school": journey.school,
        "deadline": deadline,
        "overdue_days": deadline.overdue_days(today),
        "has_pending_extension": journey.has_pending_extension,
    }


def bridge_deadlines_page(*, organisation, requests_page=1, overdue_page=1, today=None):
    """Requests for more time waiting for a decision, overdue journeys, recent decisions.

    Two paginated lists (a count and a page each) and one short list: five queries.
    """
    today = today or timezone.localdate()
    requests = Paginator(pending_extensions(organisation=organisation), PAGE_SIZE).get_page(
        requests_page
    )
    overdue = Paginator(
        overdue_journeys(organisation=organisation, today=today), PAGE_SIZE
    ).get_page(overdue_page)
    decided = (
        ExtensionRequest.objects.filter(journey__school__local_authority__in=_in_area(organisation))
        .exclude(status=ExtensionStatus.PENDING)
        .select_related("journey__school", "decided_by")
        .order_by("-decided_at", "-pk")[:RECENTLY_DECIDED]
    )
    return {
        "organisation": organisation,
        "requests_page": requests,
        "request_rows": [_pending_row(e, today) for e in requests.object_list],
        "overdue_page": overdue,
        "overdue_rows": [_overdue_row(j, today) for j in overdue.object_list],
        "decided": list(decided),
    }


# --- One request ------------------------------------------------------------------------------


def extension_page_data(*, extension, user, today=None):
    """A request to decide (or decided): the journey's due date now, where to go back to."""
    today = today or timezone.localdate()
    journey = extension.journey
    deadline = current_deadline(journey)
    in_force = deadline is not None and deadline.kind == extension.kind
    organisation = (
        BridgeOrganisation.objects.filter(
            memberships__user=user, local_authorities=journey.school.local_authority_id
        )
        .order_by("name")
        .first()
    )
    back_url = (
        reverse("journeys:bridge_deadlines", kwargs={"organisation_pk": organisation.pk})
        if organisation
        else reverse("journeys:detail", kwargs={"pk": journey.pk})
    )
    return {
        "extension": extension,
        "journey": journey,
        "deadline": deadline if in_force else None,
        "overdue_days": deadline.overdue_days(today) if in_force else 0,
        "is_pending": extension.status == ExtensionStatus.PENDING,
        "organisation": organisation,
        "back_url": back_url,
        "back_label": "Back to deadlines and requests for more time"
        if organisation
        else "Back to the school's journey",
    }
