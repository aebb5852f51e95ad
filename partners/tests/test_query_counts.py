"""Every list page answers in the same number of queries with 1 row as with 5."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from journeys.tests.factories import GoalFactory, JourneyFactory
from partners.services.moderation import submit_listing
from partners.tests.factories import (
    OfferFactory,
    PartnerMembershipFactory,
    PartnerOrganisationFactory,
    enquiry_for,
    published_organisation,
)

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _add_published(world, n):
    for _ in range(n):
        published_organisation(offers=2)


def _add_enquiries(world, n):
    organisation = world.extra.setdefault("org", published_organisation())
    if not organisation.memberships.filter(user=world.partner).exists():
        PartnerMembershipFactory(organisation=organisation, user=world.partner)
    for _ in range(n):
        enquiry_for(organisation=organisation, school=world.school_a, sender=world.teacher_a)


def _add_pending(world, n):
    for _ in range(n):
        organisation = PartnerOrganisationFactory()
        OfferFactory(organisation=organisation)
        staff = PartnerMembershipFactory(organisation=organisation).user
        submit_listing(organisation=organisation, actor=staff)


def _add_memberships(world, n):
    for _ in range(n):
        PartnerMembershipFactory(user=world.partner, organisation=published_organisation())


def _add_staff(world, n):
    organisation = world.extra.setdefault("org", published_organisation())
    for _ in range(n):
        PartnerMembershipFactory(organisation=organisation, role="member", status="pending")


def _journey(world):
    if "journey" not in world.extra:
        world.extra["journey"] = JourneyFactory(school=world.school_a)
        GoalFactory(journey=world.extra["journey"])
    return world.extra["journey"]


CASES = [
    ("directory", "anonymous", lambda w: reverse("partners:directory"), _add_published),
    (
        "directory text",
        "anonymous",
        lambda w: reverse("partners:directory") + "?q=test+arts&art_form=theatre",
        _add_published,
    ),
    (
        "moderation queue",
        "reviewer_a",
        lambda w: reverse("partners:moderation_queue"),
        _add_pending,
    ),
    ("my enquiries", "teacher_a", lambda w: reverse("partners:my_enquiries"), _add_enquiries),
    (
        "inbox",
        "partner",
        lambda w: reverse("partners:inbox", args=[w.extra["org"].pk]),
        _add_enquiries,
    ),
    (
        "my organisations",
        "partner",
        lambda w: reverse("partners:my_organisations"),
        _add_memberships,
    ),
    ("home", "partner", lambda w: reverse("home"), _add_memberships),
    (
        "staff",
        "partner",
        lambda w: reverse("partners:staff", args=[w.extra["org"].pk]),
        lambda w, n: (_add_enquiries(w, 0) if "org" not in w.extra else None, _add_staff(w, n)),
    ),
    (
        "matching",
        "teacher_a",
        lambda w: reverse("partners:matching", args=[_journey(w).pk]),
        _add_published,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_list_page_query_count_does_not_grow(case, world, client_for):
    _, role, url, add = case
    client = client_for(world.user(role))
    add(world, 1)
    one = count_queries(client, url(world))
    add(world, 5)
    many = count_queries(client, url(world))
    assert one == many


def test_listing_page_query_count_does_not_grow_with_offers(client):
    few = published_organisation(offers=1)
    lots = published_organisation(offers=6)
    counts = [count_queries(client, reverse("partners:listing", args=[o.pk])) for o in (few, lots)]
    assert counts[0] == counts[1]
