"""Fees and renewal as people would use them, with axe-core on every page.

Platform staff find an unpaid invoice, try a date in the future (refused with an error
summary) and record the payment; the school's lead reads the invoice from the journey page;
the lead of a school whose award expires soon renews it, leaving the partnerships behind.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from artsmark.accounts.tests.factories import PASSWORD, UserFactory
from artsmark.schools.models import SchoolMembership
from artsmark.schools.tests.factories import (
    SchoolFactory,
    SchoolMembershipFactory,
    local_authority,
)
from journeys.enums import Stage
from journeys.models import Invoice, Journey, Partnership
from journeys.services.fees import raise_invoice
from journeys.tests.factories import GoalFactory, JourneyFactory
from tests.browser import click, login, visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def cast():
    school = SchoolFactory(name="Foxglove Primary School", local_authority=local_authority("316"))
    lead = UserFactory(email="lead.fees@example.test", full_name="Fay Lead")
    SchoolMembershipFactory(user=lead, school=school, role=SchoolMembership.Role.LEAD)
    journey = JourneyFactory(
        school=school,
        stage=Stage.AWARDED,
        award_expires=timezone.localdate() + datetime.timedelta(days=45),
    )
    GoalFactory(journey=journey, title="Every pupil performs")
    Partnership.objects.create(journey=journey, partner_name="Theatre Royal")
    staff = UserFactory(email="staff.fees@example.test", is_staff=True, is_superuser=True)
    return {
        "journey": journey,
        "invoice": raise_invoice(journey=journey),
        "lead": lead,
        "staff": staff,
    }


def test_staff_record_a_payment_and_the_lead_renews(live_server, new_page, cast):
    base, invoice, journey = live_server.url, cast["invoice"], cast["journey"]

    # 1. Staff find the unpaid invoice, are refused a future date, then record the payment.
    staff = new_page()
    login(staff, live_server, cast["staff"].email, PASSWORD)
    visit(staff, base + reverse("journeys:invoices") + "?status=unpaid")
    click(staff, "link", f"Record the payment of {invoice.number}")
    future = timezone.localdate() + datetime.timedelta(days=3)
    staff.get_by_label("Date the payment was received").fill(future.isoformat())
    staff.get_by_label("Payment reference").fill("BACS 4471")
    click(staff, "button", "Record the payment")
    assert staff.get_by_text("cannot be in the future").first.is_visible()
    assert not Invoice.objects.get(pk=invoice.pk).is_paid
    staff.get_by_label("Date the payment was received").fill(timezone.localdate().isoformat())
    click(staff, "button", "Record the payment")
    assert staff.get_by_text("has been recorded").first.is_visible()
    assert Invoice.objects.get(pk=invoice.pk).payment_reference == "BACS 4471"

    # 2. The lead reads the paid invoice from the journey page, then renews the award.
    lead = new_page()
    login(lead, live_server, cast["lead"].email, PASSWORD)
    visit(lead, base + reverse("journeys:detail", kwargs={"pk": journey.pk}))
    assert lead.get_by_text("Expires on").first.is_visible()
    click(lead, "link", invoice.number)
    assert lead.get_by_text("Paid", exact=True).first.is_visible()
    visit(lead, base + reverse("journeys:detail", kwargs={"pk": journey.pk}))
    click(lead, "link", "Renew your Artsmark")
    lead.get_by_label("Our partnerships").uncheck()
    click(lead, "button", "Start the new journey")

    new = Journey.objects.get(renewed_from=journey)
    assert lead.url.endswith(reverse("journeys:detail", kwargs={"pk": new.pk}))
    assert list(new.goals.values_list("title", flat=True)) == ["Every pupil performs"]
    assert not new.partnerships.exists()
    assert lead.get_by_text("Registration fee").first.is_visible()
