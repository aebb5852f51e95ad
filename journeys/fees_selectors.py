"""Reads for the fee pages: staff's invoice list, one invoice, the journey page's fee panel.

Each function runs a fixed number of queries whatever the number of invoices.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from journeys.enums import Stage, StrandLevel
from journeys.fees_access import can_see_invoice
from journeys.models import Framework, Invoice, Journey
from journeys.services.fees import format_pence
from journeys.services.renewal import (
    can_renew,
    carried_self_assessment,
    renewal_opens_on,
    renewal_problem,
)

PAGE_SIZE = 25
STATUSES = {"unpaid": "Unpaid", "overdue": "Overdue", "paid": "Paid"}


def payment_details():
    """Who is paid and how (settings INVOICE_PAYEE and INVOICE_BANK_DETAILS)."""
    return {"payee": settings.INVOICE_PAYEE, "bank_details": settings.INVOICE_BANK_DETAILS}


def invoice_status(invoice, today=None):
    """("paid" | "overdue" | "unpaid", days overdue) of one invoice."""
    today = today or timezone.localdate()
    if invoice.is_paid:
        return "paid", 0
    if invoice.due_on < today:
        return "overdue", (today - invoice.due_on).days
    return "unpaid", 0


def invoice_summary(invoice, today=None):
    status, overdue_days = invoice_status(invoice, today)
    return {
        "invoice": invoice,
        "amount": format_pence(invoice.amount_pence),
        "status": status,
        "status_label": STATUSES[status],
        "overdue_days": overdue_days,
    }


# --- Staff's list of invoices ------------------------------------------------------------------


@dataclass(frozen=True)
class InvoiceFilters:
    """Read leniently from a query string: a value we do not know shows the whole list."""

    status: str = ""
    q: str = ""

    @classmethod
    def from_params(cls, params):
        status = params.get("status", "")
        # PostgreSQL refuses a NUL character in a query parameter: drop it, never a 500.
        q = params.get("q", "").replace("\x00", "")
        return cls(status=status if status in STATUSES else "", q=" ".join(q.split())[:100])

    @property
    def is_filtered(self):
        return bool(self.status or self.q)


def _status_filter(status, today):
    if status == "paid":
        return Q(paid_on__isnull=False)
    if status == "unpaid":
        return Q(paid_on__isnull=True)
    if status == "overdue":
        return Q(paid_on__isnull=True, due_on__lt=today)
    return Q()


def _searched(queryset, q):
    if not q:
        return queryset
    match = Q(number__icontains=q) | Q(journey__school__name__icontains=q)
    # isdigit() alone lets "²" through, which int() refuses.
    if q.isascii() and q.isdigit() and len(q) < 10:
        match |= Q(journey__school__urn=int(q))
    return queryset.filter(match)


def invoices_page(*, params, page_number=1):
    """Every invoice, filtered and searched, newest first, with the count of each status."""
    today = timezone.localdate()
    filters = InvoiceFilters.from_params(params)
    searched = _searched(Invoice.objects.all(), filters.q)
    counts = searched.aggregate(
        all=Count("pk"),
        **{status: Count("pk", filter=_status_filter(status, today)) for status in STATUSES},
    )
    rows = (
        searched.filter(_status_filter(filters.status, today))
        .select_related("journey__school__local_authority")
        .order_by("-issued_on", "-pk")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(page_number)
    page.object_list = [invoice_summary(invoice, today) for invoice in page.object_list]
    return {"filters": filters, "page": page, "counts": counts}


def invoice_page_data(*, invoice, user):
    """The printable invoice: who is billed, what for, how to pay, and whether it is paid."""
    journey = invoice.journey
    return {
        **invoice_summary(invoice),
        "journey": journey,
        "school": journey.school,
        "is_staff": user.is_superuser,
        **payment_details(),
    }


# --- The journey page -----------------------------------------------------------------------------


def _award(journey, user, today):
    if journey.stage != Stage.AWARDED or journey.award_expires is None:
        return None
    renewal = (
        Journey.objects.filter(renewed_from=journey)
        .exclude(stage=Stage.WITHDRAWN)
        .order_by("-created_at")
        .first()
    )
    opens_on = renewal_opens_on(journey)
    problem = None if renewal else renewal_problem(journey=journey, today=today)
    return {
        "expires": journey.award_expires,
        "expired": journey.award_expires < today,
        "renewal_opens_on": opens_on,
        "renewal": renewal,
        "renewal_open": renewal is None and today >= opens_on,
        # Why renewal is not possible although it is open (e.g. a journey under way).
        "renewal_problem": problem if today >= opens_on else None,
        "can_renew": problem is None and can_renew(user, journey),
        "renew_url": reverse("journeys:renew", kwargs={"pk": journey.pk}),
    }


def _invoice_of(journey):
    """The journey's invoice or None, without a query when it was fetched with the journey."""
    try:
        return journey.invoice
    except Invoice.DoesNotExist:
        return None


def journey_fees(*, journey, user):
    """The journey page's fee panel: the invoice (for members and staff) and the award's
    expiry with the call to renew. A fixed number of queries."""
    today = timezone.localdate()
    invoice = _invoice_of(journey)
    may_see = can_see_invoice(user, journey)
    return {
        "invoice": invoice_summary(invoice, today) if invoice else None,
        "can_see_invoice": may_see,
        "is_staff": user.is_superuser,
        "award": _award(journey, user, today),
        # Only its id is shown (a link): no query for the previous journey.
        "renewed_from_id": journey.renewed_from_id,
        **(payment_details() if invoice and may_see else {}),
    }


# --- Renewal: what the new journey would start from ----------------------------------------------


def renewal_page_data(*, journey):
    """The renewal page: whether renewing is possible now, and what renewing `journey`
    carries over to a journey on the current framework."""
    today = timezone.localdate()
    framework = Framework.objects.current()
    goals = list(journey.goals.order_by("order", "id"))
    partnerships = list(journey.partnerships.select_related("goal").order_by("started_on", "pk"))
    data = {
        "journey": journey,
        "problem": renewal_problem(journey=journey, today=today),
        "expired": journey.award_expires is not None and journey.award_expires < today,
        "framework": framework,
        "goals": goals,
        "partnerships": partnerships,
    }
    if framework is None:
        return data
    ratings, strands = carried_self_assessment(journey=journey, framework=framework)
    principle_titles = dict(framework.quality_principles.values_list("slug", "title"))
    scale_labels = dict(framework.scale_levels.values_list("slug", "label"))
    strand_titles = dict(framework.strands.values_list("slug", "title"))
    strand_levels = dict(StrandLevel.choices)
    left_out = journey.principle_ratings.exclude(principle__in=principle_titles).count()
    left_out += journey.strand_assessments.exclude(strand__in=strand_titles).count()
    return {
        **data,
        "ratings": [
            {
                "title": principle_titles[slug],
                "level": scale_labels.get(level, "To choose again"),
                "evidence": evidence,
            }
            for slug, (level, evidence) in ratings.items()
        ],
        "strands": [
            {"title": strand_titles[slug], "level": strand_levels.get(level, "Not chosen")}
            for slug, (level, _note) in strands.items()
        ],
        "left_out": left_out,
    }
