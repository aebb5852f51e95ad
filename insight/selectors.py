"""Reads for the insight pages: a dashboard's figures, the rows of its exports, the public
list of awarded schools.

Every figure comes from an aggregate query (GROUP BY, or Count with filter=Q), so a
dashboard costs the same number of queries whatever the number of journeys, schools or
listings. `local_authority_ids` is the area a dashboard covers: a Bridge Organisation's local
authorities, or None for all of England.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import TruncQuarter
from django.urls import reverse
from django.utils import timezone

from artsmark.common import vocab
from artsmark.schools.models import LocalAuthority, Region, School
from journeys.enums import (
    CLOSED_STAGES,
    OPEN_STAGES,
    AwardLevel,
    DeadlineKind,
    ReviewKind,
    Stage,
)
from journeys.models import Award, Invoice, Journey, Review
from journeys.review_selectors import review_url
from journeys.services.deadlines import IN_FORCE
from partners.enums import EnquiryStatus, OfferType
from partners.models import Enquiry, PublishedListing

# The due dates a school can be late with, and the stages in which each is in force: the
# journeys app's definition (reminders, overdue notices, extensions), not a second one.
COMMITMENT_DUE, COMMITMENT_DUE_STAGES = IN_FORCE[DeadlineKind.COMMITMENT]
IMPACT_DUE, IMPACT_DUE_STAGES = IN_FORCE[DeadlineKind.IMPACT]
QUARTERS = 8  # awards by level over the last two years
EXPIRY_MONTHS = 6
ENQUIRY_DAYS = 365
SHORT_LIST = 10
NOT_RECORDED = "Not recorded"
AWARDED_PAGE_SIZE = 50
ANY_OPEN, ANY_FINISHED = "open", "finished"


@dataclass(frozen=True)
class InsightFilters:
    """What the dashboard counts: journeys at schools in the area, narrowed by these."""

    region_id: int | None = None
    local_authority_id: int | None = None
    phase: str = ""
    stage: str = ""  # a Stage value, ANY_OPEN, ANY_FINISHED or "" for any
    registered_from: datetime.date | None = None
    registered_to: datetime.date | None = None

    @property
    def is_filtered(self):
        return any(
            (
                self.region_id,
                self.local_authority_id,
                self.phase,
                self.stage,
                self.registered_from,
                self.registered_to,
            )
        )


def add_months(day, months):
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last_day))


def quarter_start(day):
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_label(first_day):
    return f"Q{(first_day.month - 1) // 3 + 1} {first_day.year}"


# --- The area -----------------------------------------------------------------------------


def scope_local_authorities(*, organisation=None):
    """The local authorities a dashboard covers (all of England's for None), with regions."""
    if organisation is None:
        authorities = LocalAuthority.objects.all()
    else:
        authorities = organisation.local_authorities.all()
    return list(authorities.select_related("region").order_by("name"))


def scope_phases(*, local_authority_ids):
    """The phases of education of the area's schools, for the phase filter."""
    schools = School.objects.exclude(phase="")
    if local_authority_ids is not None:
        schools = schools.filter(local_authority_id__in=local_authority_ids)
    return list(schools.order_by("phase").values_list("phase", flat=True).distinct())


def _school_q(prefix, local_authority_ids, filters):
    """Schools (reached through `prefix`) in the area, narrowed by the area and phase filters."""
    q = Q()
    if local_authority_ids is not None:
        q &= Q(**{f"{prefix}local_authority_id__in": local_authority_ids})
    if filters.region_id:
        q &= Q(**{f"{prefix}local_authority__region_id": filters.region_id})
    if filters.local_authority_id:
        q &= Q(**{f"{prefix}local_authority_id": filters.local_authority_id})
    if filters.phase:
        q &= Q(**{f"{prefix}phase": filters.phase})
    return q


def _journey_q(filters):
    q = Q()
    if filters.stage == ANY_OPEN:
        q &= Q(stage__in=OPEN_STAGES)
    elif filters.stage == ANY_FINISHED:
        q &= Q(stage__in=CLOSED_STAGES)
    elif filters.stage:
        q &= Q(stage=filters.stage)
    if filters.registered_from:
        q &= Q(created_at__date__gte=filters.registered_from)
    if filters.registered_to:
        q &= Q(created_at__date__lte=filters.registered_to)
    return q


def journeys_in_scope(*, local_authority_ids, filters):
    return Journey.objects.filter(
        _school_q("school__", local_authority_ids, filters), _journey_q(filters)
    )


def schools_in_scope(*, local_authority_ids, filters):
    """The area's schools; with a stage or registration filter, those with such a journey."""
    schools = School.objects.filter(_school_q("", local_authority_ids, filters))
    if filters.stage or filters.registered_from or filters.registered_to:
        matching = Journey.objects.filter(_journey_q(filters), school_id=OuterRef("pk"))
        schools = schools.filter(Exists(matching))
    return schools


def listing_area_ids(*, local_authority_ids, filters, local_authorities):
    """The local authorities partner listings must serve: the narrowest the filters give."""
    if filters.local_authority_id:
        return [filters.local_authority_id]
    if filters.region_id:
        return [la.pk for la in local_authorities if la.region_id == filters.region_id]
    return local_authority_ids


def listings_in_scope(*, local_authority_ids, filters, local_authorities):
    """Published listings serving the area; with a phase, those offering its key stages."""
    listings = PublishedListing.objects.all()
    area = listing_area_ids(
        local_authority_ids=local_authority_ids,
        filters=filters,
        local_authorities=local_authorities,
    )
    if area is not None:
        listings = listings.filter(serves_local_authorities__overlap=list(area))
    if filters.phase:
        listings = listings.filter(key_stages__overlap=vocab.key_stages_for_phase(filters.phase))
    return listings


def _commitment_overdue_q(today):
    return Q(stage__in=COMMITMENT_DUE_STAGES, **{f"{COMMITMENT_DUE}__lt": today})


def _impact_overdue_q(today):
    return Q(stage__in=IMPACT_DUE_STAGES, **{f"{IMPACT_DUE}__lt": today})


def _overdue_q(today):
    return _commitment_overdue_q(today) | _impact_overdue_q(today)


# --- The dashboard ------------------------------------------------------------------------


COUNTS = ("total", "open", "awarded", "overdue")


def _journeys_by_area_and_phase(journeys, today):
    """One GROUP BY (local authority, phase) with conditional counts: the local authority,
    region and phase tables are sums of its rows (at most local authorities x phases)."""
    return list(
        journeys.order_by()
        .values("school__local_authority_id", "school__phase")
        .annotate(
            total=Count("pk"),
            open=Count("pk", filter=Q(stage__in=OPEN_STAGES)),
            awarded=Count("pk", filter=Q(stage=Stage.AWARDED)),
            overdue=Count("pk", filter=_overdue_q(today)),
        )
    )


def _zero_row(name):
    return {"name": name, "total": 0, "open": 0, "awarded": 0, "overdue": 0}


def _summed(groups, key_of):
    """{key: counts} summed over the grouped rows, keyed by key_of(row)."""
    sums = {}
    for row in groups:
        counts = sums.setdefault(key_of(row), dict.fromkeys(COUNTS, 0))
        for name in COUNTS:
            counts[name] += row[name]
    return sums


def _by_stage(journeys):
    counts = dict(journeys.order_by().values_list("stage").annotate(n=Count("pk")))
    rows = [
        {"stage": stage.value, "label": stage.label, "count": counts.get(stage.value, 0)}
        for stage in Stage
    ]
    return {
        "rows": rows,
        "open": sum(row["count"] for row in rows if row["stage"] in OPEN_STAGES),
        "finished": sum(row["count"] for row in rows if row["stage"] in CLOSED_STAGES),
        "total": sum(row["count"] for row in rows),
    }


def _in_view(local_authorities, filters):
    return [
        la
        for la in local_authorities
        if (not filters.region_id or la.region_id == filters.region_id)
        and (not filters.local_authority_id or la.pk == filters.local_authority_id)
    ]


def _by_local_authority(groups, in_view):
    """Every local authority in view (those with no journeys too, so gaps show), by name."""
    counts = _summed(groups, lambda row: row["school__local_authority_id"])
    return [
        {**_zero_row(la.name), **counts.get(la.pk, {}), "region": la.region.name}
        for la in sorted(in_view, key=lambda la: la.name)
    ]


def _by_region(groups, in_view):
    region_of = {la.pk: la.region_id for la in in_view}
    names = {la.region_id: la.region.name for la in in_view}
    counts = _summed(groups, lambda row: region_of.get(row["school__local_authority_id"]))
    return [
        {**_zero_row(name), **counts.get(pk, {})}
        for pk, name in sorted(names.items(), key=lambda item: item[1])
    ]


def _by_phase(groups):
    counts = _summed(groups, lambda row: row["school__phase"] or NOT_RECORDED)
    return [{**_zero_row(name), **counts[name]} for name in sorted(counts)]


def _overdue_schools(journeys, today):
    summary = journeys.aggregate(
        schools=Count("school_id", distinct=True),
        commitment=Count("pk", filter=_commitment_overdue_q(today)),
        impact=Count("pk", filter=_impact_overdue_q(today)),
    )
    most_overdue = (
        journeys.filter(_overdue_q(today))
        .annotate(
            due=Case(
                When(stage__in=COMMITMENT_DUE_STAGES, then=F(COMMITMENT_DUE)),
                default=F(IMPACT_DUE),
            )
        )
        .select_related("school__local_authority")
        .order_by("due", "pk")[:SHORT_LIST]
    )
    return {
        "schools_with_journeys": summary["schools"],
        "commitment": summary["commitment"],
        "impact": summary["impact"],
        "total": summary["commitment"] + summary["impact"],
        "most_overdue": [
            {
                "school": journey.school.name,
                "urn": journey.school.urn,
                "local_authority": journey.school.local_authority.name,
                "what": DeadlineKind.COMMITMENT.label
                if journey.stage in COMMITMENT_DUE_STAGES
                else DeadlineKind.IMPACT.label,
                "stage": journey.get_stage_display(),
                "due": journey.due,
                "days": (today - journey.due).days,
                "url": reverse("journeys:detail", kwargs={"pk": journey.pk}),
            }
            for journey in most_overdue
        ],
    }


def _overdue_reviews(journeys, today):
    reviews = Review.objects.filter(decision="", journey__in=journeys.values("pk"))
    summary = reviews.aggregate(
        waiting=Count("pk"),
        overdue=Count("pk", filter=Q(due_on__lt=today)),
        commitment=Count("pk", filter=Q(due_on__lt=today, kind=ReviewKind.COMMITMENT)),
        impact=Count("pk", filter=Q(due_on__lt=today, kind=ReviewKind.IMPACT)),
    )
    most_overdue = (
        reviews.filter(due_on__lt=today)
        .select_related("journey__school__local_authority", "assigned_to")
        .order_by("due_on", "pk")[:SHORT_LIST]
    )
    return {
        **summary,
        "most_overdue": [
            {
                "school": review.journey.school.name,
                "local_authority": review.journey.school.local_authority.name,
                "what": review.get_kind_display(),
                "due": review.due_on,
                "days": (today - review.due_on).days,
                "assigned_to": (review.assigned_to.full_name or review.assigned_to.email)
                if review.assigned_to
                else "",
                "url": review_url(review),
            }
            for review in most_overdue
        ],
    }


def _awards(journeys, today):
    first = quarter_start(today)
    quarters = [add_months(first, -3 * n) for n in reversed(range(QUARTERS))]
    awards = Award.objects.filter(journey__in=journeys.values("pk"))
    counts = {
        (row["quarter"], row["level"]): row["n"]
        for row in awards.filter(awarded_on__gte=quarters[0], awarded_on__lte=today)
        .annotate(quarter=TruncQuarter("awarded_on"))
        .order_by()
        .values("quarter", "level")
        .annotate(n=Count("pk"))
    }
    levels = list(AwardLevel)
    by_quarter = [
        {
            "quarter": quarter_label(quarter),
            "levels": [counts.get((quarter, level.value), 0) for level in levels],
            "total": sum(counts.get((quarter, level.value), 0) for level in levels),
        }
        for quarter in quarters
    ]
    horizon = add_months(today, EXPIRY_MONTHS)
    expiring = Q(expires_on__gte=today, expires_on__lt=horizon)
    summary = awards.aggregate(
        current=Count("pk", filter=Q(expires_on__gte=today)),
        expiring=Count("pk", filter=expiring),
        **{
            f"expiring_{level.value}": Count("pk", filter=expiring & Q(level=level.value))
            for level in levels
        },
    )
    return {
        "levels": [level.label for level in levels],
        "by_quarter": by_quarter,
        "level_totals": [sum(row["levels"][i] for row in by_quarter) for i in range(len(levels))],
        "total": sum(row["total"] for row in by_quarter),
        "current": summary["current"],
        "expiring": summary["expiring"],
        "expiring_by_level": [
            {"level": level.label, "count": summary[f"expiring_{level.value}"]} for level in levels
        ],
        "expiry_horizon": horizon,
    }


def _invoices(journeys, today):
    unpaid = Q(paid_on__isnull=True)
    summary = Invoice.objects.filter(journey__in=journeys.values("pk")).aggregate(
        unpaid=Count("pk", filter=unpaid),
        unpaid_overdue=Count("pk", filter=unpaid & Q(due_on__lt=today)),
        unpaid_pence=Sum("amount_pence", filter=unpaid, default=0),
    )
    return {**summary, "unpaid_amount": f"£{summary['unpaid_pence'] / 100:,.2f}"}


def _partners(listings):
    art_forms, offer_types = vocab.ART_FORMS, OfferType.choices
    summary = listings.aggregate(
        total=Count("pk"),
        artsmark_partners=Count("pk", filter=Q(is_artsmark_partner=True)),
        **{
            f"art_{n}": Count("pk", filter=Q(art_forms__contains=[slug]))
            for n, (slug, _) in enumerate(art_forms)
        },
        **{
            f"offer_{n}": Count("pk", filter=Q(offer_types__contains=[slug]))
            for n, (slug, _) in enumerate(offer_types)
        },
    )
    return {
        "total": summary["total"],
        "artsmark_partners": summary["artsmark_partners"],
        "by_art_form": [
            {"name": label, "count": summary[f"art_{n}"]} for n, (_, label) in enumerate(art_forms)
        ],
        "by_offer_type": [
            {"name": label, "count": summary[f"offer_{n}"]}
            for n, (_, label) in enumerate(offer_types)
        ],
    }


def _enquiries(*, local_authority_ids, filters, today):
    since = today - datetime.timedelta(days=ENQUIRY_DAYS)
    counts = dict(
        Enquiry.objects.filter(
            _school_q("school__", local_authority_ids, filters), created_at__date__gt=since
        )
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    rows = [
        {"status": status.value, "name": status.label, "count": counts.get(status.value, 0)}
        for status in EnquiryStatus
    ]
    return {"since": since, "rows": rows, "total": sum(row["count"] for row in rows)}


def _schools(*, local_authority_ids, filters):
    return School.objects.filter(_school_q("", local_authority_ids, filters)).aggregate(
        total=Count("pk"), open=Count("pk", filter=Q(is_open=True))
    )


def dashboard_data(*, local_authority_ids, filters=None, local_authorities=None, today=None):
    """Everything a dashboard shows, as plain data.

    `local_authorities` (LocalAuthority rows with their regions) are the area's, if the caller
    has them already; otherwise they are read here.
    """
    filters = filters or InsightFilters()
    today = today or timezone.localdate()
    if local_authorities is None:
        authorities = LocalAuthority.objects.select_related("region").order_by("name")
        if local_authority_ids is not None:
            authorities = authorities.filter(pk__in=local_authority_ids)
        local_authorities = list(authorities)
    journeys = journeys_in_scope(local_authority_ids=local_authority_ids, filters=filters)
    listings = listings_in_scope(
        local_authority_ids=local_authority_ids,
        filters=filters,
        local_authorities=local_authorities,
    )
    groups = _journeys_by_area_and_phase(journeys, today)
    in_view = _in_view(local_authorities, filters)
    return {
        "today": today,
        "filters": filters,
        "schools": _schools(local_authority_ids=local_authority_ids, filters=filters),
        "by_stage": _by_stage(journeys),
        "by_region": _by_region(groups, in_view),
        "by_local_authority": _by_local_authority(groups, in_view),
        "by_phase": _by_phase(groups),
        "overdue_schools": _overdue_schools(journeys, today),
        "overdue_reviews": _overdue_reviews(journeys, today),
        "awards": _awards(journeys, today),
        "invoices": _invoices(journeys, today),
        "partners": _partners(listings),
        "enquiries": _enquiries(
            local_authority_ids=local_authority_ids, filters=filters, today=today
        ),
    }


# --- Exports --------------------------------------------------------------------------------

STAGE_LABELS = dict(Stage.choices)
LEVEL_LABELS = dict(AwardLevel.choices)


def journey_export_rows(*, local_authority_ids, filters):
    """(headers, rows): the area's journeys, one row each, read through a server-side cursor."""
    headers = [
        "School URN",
        "School name",
        "Local authority",
        "Region",
        "Phase of education",
        "Stage",
        "Registered on",
        "Statement of Commitment due",
        "Certified on",
        "Statement of Impact due",
        "Award level",
        "Awarded on",
        "Award expires on",
        "Invoice paid on",
    ]
    journeys = journeys_in_scope(local_authority_ids=local_authority_ids, filters=filters)
    values = journeys.order_by("school__name", "school__urn", "created_at", "pk").values_list(
        "school__urn",
        "school__name",
        "school__local_authority__name",
        "school__local_authority__region__name",
        "school__phase",
        "stage",
        "created_at",
        "commitment_due",
        "certified_on",
        "impact_due",
        "award__level",
        "award__awarded_on",
        "award__expires_on",
        "invoice__paid_on",
    )

    def rows():
        for found in values.iterator(chunk_size=2000):
            row = list(found)
            row[5] = STAGE_LABELS.get(row[5], row[5])
            row[10] = LEVEL_LABELS.get(row[10], row[10] or "")
            yield row

    return headers, rows()


def school_export_rows(*, local_authority_ids, filters):
    """(headers, rows): the area's schools with their latest journey and award."""
    headers = [
        "URN",
        "School name",
        "Type of establishment",
        "Phase of education",
        "Local authority",
        "Region",
        "Town",
        "Postcode",
        "Number of pupils",
        "Establishment status",
        "Latest journey stage",
        "Latest journey registered on",
        "Latest award level",
        "Latest award expires on",
    ]
    latest_journey = Journey.objects.filter(school_id=OuterRef("pk")).order_by("-created_at", "-pk")
    latest_award = Award.objects.filter(journey__school_id=OuterRef("pk")).order_by(
        "-awarded_on", "-pk"
    )
    schools = (
        schools_in_scope(local_authority_ids=local_authority_ids, filters=filters)
        .annotate(
            journey_stage=Subquery(latest_journey.values("stage")[:1]),
            journey_created=Subquery(latest_journey.values("created_at")[:1]),
            award_level=Subquery(latest_award.values("level")[:1]),
            award_expires=Subquery(latest_award.values("expires_on")[:1]),
        )
        .order_by("name", "urn")
        .values_list(
            "urn",
            "name",
            "establishment_type",
            "phase",
            "local_authority__name",
            "local_authority__region__name",
            "town",
            "postcode",
            "number_of_pupils",
            "status",
            "journey_stage",
            "journey_created",
            "award_level",
            "award_expires",
        )
    )

    def rows():
        for values in schools.iterator(chunk_size=2000):
            row = list(values)
            row[10] = STAGE_LABELS.get(row[10], row[10] or "")
            row[12] = LEVEL_LABELS.get(row[12], row[12] or "")
            yield row

    return headers, rows()


def partner_export_rows(*, local_authority_ids, filters, local_authorities):
    """(headers, rows): published partner listings serving the area."""
    headers = [
        "Organisation",
        "Artsmark Partner",
        "Based in (local authority)",
        "Regions served",
        "Local authorities served",
        "Art forms",
        "Offer types",
        "Key stages",
        "Costs",
        "Number of offers",
        "Website",
        "Contact email",
        "Published on",
    ]
    listings = (
        listings_in_scope(
            local_authority_ids=local_authority_ids,
            filters=filters,
            local_authorities=local_authorities,
        )
        .order_by("name", "pk")
        .values_list(
            "name",
            "is_artsmark_partner",
            "local_authority__name",
            "serves_regions",
            "serves_local_authorities",
            "art_forms",
            "offer_types",
            "key_stages",
            "costs",
            "offer_count",
            "website",
            "contact_email",
            "published_at",
        )
    )
    region_names = dict(Region.objects.values_list("pk", "name"))
    art_forms, offer_types = dict(vocab.ART_FORMS), dict(OfferType.choices)
    key_stages = dict(vocab.KEY_STAGES)

    def labels(names, values):
        return "; ".join(names.get(value, str(value)) for value in values or [])

    def rows():
        for values in listings.iterator(chunk_size=2000):
            row = list(values)
            row[3] = labels(region_names, row[3])
            row[4] = len(row[4] or [])
            row[5] = labels(art_forms, row[5])
            row[6] = labels(offer_types, row[6])
            row[7] = labels(key_stages, row[7])
            row[8] = "; ".join(str(cost).capitalize() for cost in row[8] or [])
            yield row

    return headers, rows()


# --- The public list of awarded schools ---------------------------------------------------


def awarded_schools(*, region_id=None, local_authority_id=None, include_expired=False, page=1):
    """Each awarded school's latest award, current ones only unless `include_expired`.

    A school awarded again appears once, with its newest award. Two queries for any number
    of rows: the page's count, its rows (with school, local authority and region).
    """
    today = timezone.localdate()
    newer = Award.objects.filter(journey__school_id=OuterRef("journey__school_id")).filter(
        Q(awarded_on__gt=OuterRef("awarded_on"))
        | Q(awarded_on=OuterRef("awarded_on"), pk__gt=OuterRef("pk"))
    )
    awards = Award.objects.filter(~Exists(newer))
    if not include_expired:
        awards = awards.filter(expires_on__gte=today)
    if region_id:
        awards = awards.filter(journey__school__local_authority__region_id=region_id)
    if local_authority_id:
        awards = awards.filter(journey__school__local_authority_id=local_authority_id)
    awards = awards.select_related("journey__school__local_authority__region").order_by(
        "journey__school__name", "journey__school__urn", "pk"
    )
    result = Paginator(awards, AWARDED_PAGE_SIZE).get_page(page)
    result.object_list = [
        {
            "school": award.journey.school.name,
            "town": award.journey.school.town,
            "local_authority": award.journey.school.local_authority.name,
            "region": award.journey.school.local_authority.region.name,
            "level": award.get_level_display(),
            "awarded_on": award.awarded_on,
            "expires_on": award.expires_on,
            "expired": award.expires_on < today,
        }
        for award in result.object_list
    ]
    return result
