"""The demo's fees and renewal (journeys/fees_demo.py), run after journeys.demo."""

import datetime
import io

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import Min
from django.utils import timezone

from artsmark.schools.tests.factories import bridge_organisation
from journeys import fees_demo, review_selectors
from journeys.models import Framework, Invoice, Journey
from journeys.services.renewal import renew_journey, renewal_problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    seeders = list(settings.DEMO_SEEDERS)
    if "journeys.fees_demo.seed" not in seeders:
        seeders.insert(seeders.index("journeys.demo.seed") + 1, "journeys.fees_demo.seed")
    settings.DEMO_SEEDERS = seeders
    # The demo's learning programme is another seeder's business: not needed here.
    Framework.objects.update(required_session_kinds=[])
    call_command("seed_demo", stdout=io.StringIO())


def _invoices():
    return {
        invoice.journey.school.urn: invoice
        for invoice in Invoice.objects.select_related("journey__school")
    }


def test_demo_invoices_most_paid_assessed_ones_first_one_unpaid_in_the_queue(demo):
    invoices = _invoices()
    journeys = Journey.objects.filter(school__urn__in=fees_demo._demo_urns())
    assert set(invoices) == set(journeys.values_list("school__urn", flat=True))
    unpaid = {urn for urn, invoice in invoices.items() if not invoice.is_paid}
    assert unpaid == {990004, 990005}
    assert invoices[990005].due_on < timezone.localdate() <= invoices[990004].due_on
    assert all(i.payment_reference for i in invoices.values() if i.is_paid)

    # Whatever the demo assessed was paid on or before the day it was first assessed.
    assessed = (
        Journey.objects.filter(reviews__assigned_to__isnull=False)
        .annotate(first=Min("reviews__assigned_at"))
        .distinct()
    )
    assert assessed.count() >= 5
    for journey in assessed:
        assert journey.invoice.is_paid
        assert journey.invoice.paid_on <= timezone.localdate(journey.first)

    data = review_selectors.review_queue(
        organisation=bridge_organisation("a-new-direction"), params={}
    )
    flagged = {row["school"].name for row in data["page"].object_list if row["unpaid"]}
    assert flagged == {"Riverside Special School"}

    # Running it again changes nothing.
    before = list(Invoice.objects.order_by("pk").values())
    expiries = list(Journey.objects.order_by("pk").values("pk", "award_expires"))
    fees_demo.seed()
    assert list(Invoice.objects.order_by("pk").values()) == before
    assert list(Journey.objects.order_by("pk").values("pk", "award_expires")) == expiries


def test_demo_award_can_be_renewed_by_its_lead(demo):
    journey = Journey.objects.select_related("award").get(school__urn=fees_demo.EXPIRING_URN)
    expected = timezone.localdate() + datetime.timedelta(days=fees_demo.EXPIRES_IN_DAYS)
    assert journey.award_expires == journey.award.expires_on == expected
    assert renewal_problem(journey=journey) is None
    lead = authenticate(username="lead.990019@example.org", password=settings.DEMO_PASSWORD)
    assert lead is not None

    new = renew_journey(
        journey=journey,
        actor=lead,
        copy_goals=True,
        copy_self_assessment=True,
        copy_partnerships=True,
    )
    assert new.goals.count() == journey.goals.count() > 0
