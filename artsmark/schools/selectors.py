from django.db.models import Q

from artsmark.schools.models import BridgeMembership, School, SchoolMembership

Status = SchoolMembership.Status


def search_schools(*, query, limit=25):
    """Open schools matching a name, URN or postcode; an empty query finds nothing."""
    query = (query or "").strip()
    if not query:
        return School.objects.none()
    condition = Q(name__icontains=query)
    compact = query.replace(" ", "").upper()
    if query.isdigit():
        condition |= Q(urn=int(query)) if len(query) < 10 else Q()
    if 2 <= len(compact) <= 8:
        condition |= Q(postcode__iexact=query) | Q(postcode__istartswith=query.upper())
    return (
        School.objects.filter(condition, is_open=True)
        .select_related("local_authority__region")
        .order_by("name")[:limit]
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
