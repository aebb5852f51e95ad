from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import Q, Value
from django.db.models.functions import Replace, Upper

from artsmark.schools.models import BridgeMembership, School, SchoolMembership

Status = SchoolMembership.Status


def search_schools(*, query, limit=25):
    """Open schools matching a name (typos tolerated), URN, postcode or local authority.

    Postcodes match without regard to case or spaces ("e139ab" finds "E13 9AB"); a name
    matches when the query is close to a run of its words (pg_trgm word similarity, so
    "Rosewod" finds "Rosewood Primary School"); a local authority's name finds its schools.
    Closest names come first. An empty query finds nothing.
    """
    # PostgreSQL refuses a NUL character in a statement; nobody means one.
    query = " ".join((query or "").replace("\x00", "").split())
    if not query:
        return School.objects.none()
    condition = Q(name__icontains=query) | Q(name__trigram_word_similar=query)
    if query.isascii() and query.isdigit() and len(query) < 10:  # "²" is a digit int() refuses
        condition |= Q(urn=int(query))
    compact = query.replace(" ", "").upper()
    if 2 <= len(compact) <= 8 and compact.isalnum():
        condition |= Q(postcode_compact__startswith=compact)
    if len(query) >= 3:
        condition |= Q(local_authority__name__istartswith=query)
    return (
        School.objects.alias(
            postcode_compact=Replace(Upper("postcode"), Value(" "), Value("")),
        )
        .filter(condition, is_open=True)
        .annotate(closeness=TrigramWordSimilarity(query, "name"))
        .select_related("local_authority__region")
        .order_by("-closeness", "name")[:limit]
    )


def memberships_of(user):
    return (
        SchoolMembership.objects.filter(user=user)
        .exclude(status=Status.DECLINED)
        .select_related("school__local_authority__region")
        .order_by("school__name")
    )


def school_members(*, school):
    return (
        SchoolMembership.objects.filter(school=school)
        .exclude(status=Status.DECLINED)
        .select_related("user")
        .order_by("status", "-role", "user__email")
    )


def bridge_memberships_of(user):
    return BridgeMembership.objects.filter(user=user).select_related("organisation")


def schools_of_organisation(*, organisation):
    return (
        School.objects.filter(local_authority__bridge_organisations=organisation)
        .select_related("local_authority__region")
        .order_by("name")
    )


def join_requests_for_reviewer(*, organisation):
    """Pending requests at schools in the area that have no lead to approve them."""
    schools_with_lead = SchoolMembership.objects.filter(
        role=SchoolMembership.Role.LEAD, status=Status.APPROVED
    ).values("school_id")
    return (
        SchoolMembership.objects.filter(
            status=Status.PENDING,
            school__local_authority__bridge_organisations=organisation,
        )
        .exclude(school_id__in=schools_with_lead)
        .select_related("user", "school__local_authority")
        .order_by("requested_at")
    )
