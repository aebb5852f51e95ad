"""Registration fees: the fee table, the invoice registration raises, recording a payment,
and assessing only once it is paid."""

import datetime
import re
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from artsmark.common.activity import activity_for
from artsmark.schools.tests.factories import SchoolFactory
from journeys.enums import ReviewDecision, ReviewKind, Stage, StrandLevel
from journeys.models import Award, FeeBand, Framework, Invoice, Journey, Review
from journeys.services import award, commitment, fees, registration, reviews
from journeys.services.frameworks import copy_framework
from journeys.tests.factories import JourneyFactory
from journeys.tests.helpers import complete_statement, pay_invoice

NUMBER = re.compile(r"^AM-\d{4}-\d{6}$")


def _today():
    return timezone.localdate()


def _school(world, pupils):
    world.school_a.number_of_pupils = pupils
    world.school_a.save(update_fields=["number_of_pupils"])
    return world.school_a


def _row(invoice):
    return Invoice.objects.filter(pk=invoice.pk).values().get()


# --- The fee table ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pupils", "amount"), [(1, 25000), (99, 25000), (100, 50000), (1500, 50000), (None, 50000)]
)
def test_fee_for_picks_the_band_the_school_fits(world, pupils, amount):
    band = fees.fee_for(framework=Framework.objects.current(), school=_school(world, pupils))
    assert band.amount_pence == amount


def test_fee_for_picks_the_smallest_band_the_school_fits_under(world):
    framework = Framework.objects.current()
    FeeBand.objects.create(
        framework=framework, label="Tiny settings", max_pupils=50, amount_pence=10000
    )
    assert fees.fee_for(framework=framework, school=_school(world, 50)).amount_pence == 10000
    assert fees.fee_for(framework=framework, school=_school(world, 51)).amount_pence == 25000


def test_fee_for_without_a_fee_table_is_none(world):
    framework = Framework.objects.current()
    framework.fee_bands.all().delete()
    assert fees.fee_for(framework=framework, school=world.school_a) is None


def test_copy_framework_copies_the_fee_table(world):
    framework = Framework.objects.current()
    copy = copy_framework(framework=framework)
    assert sorted(copy.fee_bands.values_list("label", "max_pupils", "amount_pence")) == sorted(
        framework.fee_bands.values_list("label", "max_pupils", "amount_pence")
    )
    assert framework.fee_bands.count() == 2


# --- The invoice registration raises ----------------------------------------------------------


def test_registration_raises_one_invoice_due_in_30_days(world):
    journey = registration.register_school(school=_school(world, 99), actor=world.teacher_a)

    invoice = Invoice.objects.get(journey=journey)
    assert NUMBER.match(invoice.number)
    assert invoice.number.startswith(f"AM-{invoice.issued_on.year}-")
    assert invoice.amount_pence == 25000
    assert invoice.issued_on == _today()
    assert invoice.due_on == _today() + datetime.timedelta(days=30)
    assert "Star Primary School" in invoice.description
    assert not invoice.is_paid
    assert fees.raise_invoice(journey=journey) == invoice
    assert Invoice.objects.count() == 1


def test_invoice_due_days_come_from_the_framework(world):
    Framework.objects.filter(is_current=True).update(invoice_due_days=14)
    journey = registration.register_school(school=world.school_a, actor=world.teacher_a)
    assert journey.invoice.due_on == journey.invoice.issued_on + datetime.timedelta(days=14)


def test_invoice_numbers_differ_between_schools(world):
    numbers = {
        registration.register_school(school=school, actor=world.admin).invoice.number
        for school in [world.school_a, world.school_b, SchoolFactory()]
    }
    assert len(numbers) == 3


def test_registration_without_a_fee_table_raises_no_invoice(world):
    Framework.objects.current().fee_bands.all().delete()
    journey = registration.register_school(school=world.school_a, actor=world.teacher_a)
    assert Invoice.objects.count() == 0
    assert fees.is_assessable(journey)


def test_refused_registration_raises_no_invoice(world):
    registration.register_school(school=world.school_a, actor=world.teacher_a)
    with pytest.raises(ValidationError):
        registration.register_school(school=world.school_a, actor=world.teacher_a)
    assert Invoice.objects.count() == 1


def test_invoice_email_goes_to_the_leads_with_amount_due_date_and_how_to_pay(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    from artsmark.accounts.tests.factories import UserFactory
    from artsmark.schools.tests.factories import SchoolMembershipFactory

    member = UserFactory(email="member.a@example.test")
    SchoolMembershipFactory(user=member, school=world.school_a)
    with django_capture_on_commit_callbacks(execute=True):
        journey = registration.register_school(school=_school(world, 420), actor=world.teacher_a)

    invoice = journey.invoice
    (email,) = [m for m in mailoutbox if invoice.number in m.subject]
    assert email.to == [world.teacher_a.email]
    assert "£500.00" in email.body
    assert invoice.due_on.strftime("%B %Y") in email.body
    assert "bank transfer" in email.body
    assert f"quoting the invoice number {invoice.number}" in email.body
    assert "&#x27;" not in email.body


def test_invoice_email_of_a_school_without_a_lead_goes_to_its_members(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    from artsmark.accounts.tests.factories import UserFactory
    from artsmark.schools.tests.factories import SchoolMembershipFactory

    school = SchoolFactory(name="Leaderless Primary")
    SchoolMembershipFactory(user=UserFactory(email="member@example.test"), school=school)
    gone = UserFactory(email="gone@example.test", is_active=False)
    SchoolMembershipFactory(user=gone, school=school)
    with django_capture_on_commit_callbacks(execute=True):
        journey = registration.register_school(school=school, actor=world.admin)

    (email,) = [m for m in mailoutbox if journey.invoice.number in m.subject]
    assert email.to == ["member@example.test"]


def test_journey_without_invoice_has_nothing_to_pay(world):
    journey = JourneyFactory(school=world.school_a)
    assert fees.payment_outstanding(journey) is None
    assert fees.is_assessable(journey)


# --- Recording a payment ----------------------------------------------------------------------


@pytest.fixture
def invoice(world):
    journey = registration.register_school(school=world.school_a, actor=world.teacher_a)
    return journey.invoice


def test_record_payment_marks_the_invoice_paid_and_tells_the_leads(
    world, invoice, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        fees.record_payment(
            invoice=invoice, paid_on=_today(), reference="BACS 1234", actor=world.admin
        )

    stored = Invoice.objects.get(pk=invoice.pk)
    assert stored.paid_on == _today()
    assert stored.payment_reference == "BACS 1234"
    assert stored.payment_recorded_by == world.admin
    assert stored.payment_recorded_at is not None
    assert fees.is_assessable(invoice.journey)
    (email,) = mailoutbox
    assert email.to == [world.teacher_a.email]
    assert invoice.number in email.subject
    assert "BACS 1234" in email.body
    verbs = [entry.verb for entry in activity_for(invoice.journey)]
    assert verbs[-1] == "payment_recorded"


def test_payment_recorded_twice_is_refused_and_changes_nothing(world, invoice, mailoutbox):
    yesterday = _today() - datetime.timedelta(days=1)
    Invoice.objects.filter(pk=invoice.pk).update(issued_on=yesterday)
    invoice.refresh_from_db()
    fees.record_payment(invoice=invoice, paid_on=yesterday, reference="FIRST", actor=world.admin)
    before = _row(invoice)
    entries = activity_for(invoice.journey).count()

    stale = Invoice.objects.get(pk=invoice.pk)
    with pytest.raises(ValidationError) as error:
        fees.record_payment(invoice=stale, paid_on=_today(), reference="SECOND", actor=world.admin)

    message = error.value.messages[0]
    assert message.startswith("This invoice was already paid on ")
    assert yesterday.strftime("%B %Y") in message and "FIRST" in message
    assert error.value.code == "already_paid"
    assert _row(invoice) == before
    assert activity_for(invoice.journey).count() == entries


def test_payment_in_the_future_is_refused(world, invoice):
    before = _row(invoice)
    with pytest.raises(ValidationError, match="cannot be in the future"):
        fees.record_payment(
            invoice=invoice,
            paid_on=_today() + datetime.timedelta(days=1),
            reference="BACS",
            actor=world.admin,
        )
    assert _row(invoice) == before


def test_payment_before_the_invoice_was_issued_is_refused(world, invoice):
    before = _row(invoice)
    with pytest.raises(ValidationError, match="before the invoice was issued"):
        fees.record_payment(
            invoice=invoice,
            paid_on=_today() - datetime.timedelta(days=1),
            reference="BACS",
            actor=world.admin,
        )
    assert _row(invoice) == before


@pytest.mark.parametrize("role", ["teacher_a", "reviewer_a", "partner"])
def test_payment_by_anyone_but_staff_is_refused(world, invoice, role):
    before = _row(invoice)
    with pytest.raises(ValidationError, match="Only platform staff"):
        fees.record_payment(
            invoice=invoice, paid_on=_today(), reference="BACS", actor=world.user(role)
        )
    assert _row(invoice) == before


def test_payment_without_a_reference_is_refused(world, invoice):
    with pytest.raises(ValidationError, match="reference"):
        fees.record_payment(invoice=invoice, paid_on=_today(), reference="  ", actor=world.admin)
    assert not Invoice.objects.get(pk=invoice.pk).is_paid


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_clerks_recording_at_once_record_one_payment(world):
    """Two real connections: the row lock makes the second clerk wait, then refuses."""
    invoice = registration.register_school(school=world.school_a, actor=world.teacher_a).invoice
    clerks = [world.admin, type(world.admin).objects.create_superuser(email="clerk@example.test")]
    start = threading.Barrier(2)
    outcomes = []

    def record(clerk):
        try:
            start.wait(timeout=10)
            fees.record_payment(
                invoice=Invoice.objects.get(pk=invoice.pk),
                paid_on=_today(),
                reference=f"by {clerk.email}",
                actor=clerk,
            )
            outcomes.append("recorded")
        except ValidationError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(clerk,)) for clerk in clerks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["already_paid", "recorded"]
    stored = Invoice.objects.get(pk=invoice.pk)
    assert stored.payment_reference == f"by {stored.payment_recorded_by.email}"


# --- Not assessed until paid ------------------------------------------------------------------


@pytest.fixture
def submitted(world):
    """School A registered (an unpaid invoice), drafted and submitted: allowed while unpaid."""
    journey = registration.register_school(school=world.school_a, actor=world.teacher_a)
    complete_statement(journey=journey, lead=world.teacher_a)
    commitment.submit_commitment(journey=journey, actor=world.teacher_a)
    return journey.reviews.get()


def _unpaid_message(journey):
    number = Invoice.objects.get(journey=journey).number
    return f"The registration invoice {number} is unpaid: record the payment before assessing."


def test_school_drafts_and_submits_while_unpaid(world, submitted):
    journey = Journey.objects.get(pk=submitted.journey_id)
    assert journey.stage == Stage.COMMITMENT_SUBMITTED
    assert not fees.is_assessable(journey)


def test_taking_an_unpaid_submission_is_refused(world, submitted):
    with pytest.raises(ValidationError) as error:
        reviews.take_review(review=submitted, actor=world.reviewer_a)
    assert error.value.messages == [_unpaid_message(submitted.journey)]
    assert Review.objects.get(pk=submitted.pk).assigned_to is None


@pytest.mark.parametrize("decision", [ReviewDecision.APPROVED, ReviewDecision.RETURNED])
def test_deciding_an_unpaid_commitment_is_refused(world, submitted, decision):
    for actor in (world.reviewer_a, world.admin):
        with pytest.raises(ValidationError) as error:
            reviews.decide_commitment(
                review=submitted,
                actor=actor,
                decision=decision,
                feedback="Feedback.",
                version_number=1,
            )
        assert error.value.messages == [_unpaid_message(submitted.journey)]
    assert Journey.objects.get(pk=submitted.journey_id).stage == Stage.COMMITMENT_SUBMITTED
    assert Review.objects.get(pk=submitted.pk).decision == ""


def test_assessing_is_allowed_once_paid(world, submitted):
    pay_invoice(journey=submitted.journey, staff=world.admin)
    reviews.take_review(review=submitted, actor=world.reviewer_a)
    reviews.decide_commitment(
        review=submitted, actor=world.reviewer_a, decision="approved", version_number=1
    )
    assert Journey.objects.get(pk=submitted.journey_id).stage == Stage.CERTIFIED


def test_withdrawing_an_unpaid_journey_is_allowed(world, submitted):
    reviews.withdraw_journey(
        journey=submitted.journey, actor=world.reviewer_a, reason="The school closed."
    )
    assert Journey.objects.get(pk=submitted.journey_id).stage == Stage.WITHDRAWN


def test_awarding_an_unpaid_impact_is_refused_and_changes_nothing(world):
    journey = JourneyFactory(school=world.school_a, stage=Stage.IMPACT_SUBMITTED)
    fees.raise_invoice(journey=journey)
    review = reviews.open_review(journey=journey, kind=ReviewKind.IMPACT, version_number=1)
    strands = journey.framework.strands.all()
    with pytest.raises(ValidationError) as error:
        award.decide_impact(
            review=review,
            actor=world.reviewer_a,
            decision=ReviewDecision.AWARDED,
            award_level="gold",
            feedback="Outstanding.",
            judgements={s.slug: (StrandLevel.GOLD, "") for s in strands},
        )
    assert error.value.messages == [_unpaid_message(journey)]
    assert Journey.objects.get(pk=journey.pk).stage == Stage.IMPACT_SUBMITTED
    assert Review.objects.get(pk=review.pk).decision == ""
    assert not Award.objects.exists()
