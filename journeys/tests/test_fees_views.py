"""The fee pages: staff's invoice list, the printable invoice, recording a payment, the
journey page's fee panel, and the review queue's "Unpaid" tag."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from artsmark.schools.tests.factories import SchoolFactory, local_authority
from journeys.enums import ReviewKind, Stage
from journeys.models import Invoice
from journeys.services import fees
from journeys.services.reviews import open_review
from journeys.tests.factories import JourneyFactory
from journeys.tests.test_review_queue import queue_url


def _today():
    return timezone.localdate()


def invoiced(school, *, stage=Stage.COMMITMENT_DRAFT, paid=False, overdue=False, staff=None):
    """A journey at `school` with its registration invoice (paid, or overdue, if asked)."""
    journey = JourneyFactory(school=school, stage=stage)
    invoice = fees.raise_invoice(journey=journey)
    if overdue:
        Invoice.objects.filter(pk=invoice.pk).update(
            issued_on=_today() - datetime.timedelta(days=40),
            due_on=_today() - datetime.timedelta(days=10),
        )
        invoice.refresh_from_db()
    if paid:
        fees.record_payment(invoice=invoice, paid_on=_today(), reference="BACS", actor=staff)
    return invoice


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _list_url(**params):
    url = reverse("journeys:invoices")
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def _names(response):
    return [row["invoice"].journey.school.name for row in response.context["page"].object_list]


# --- Staff's invoice list ---------------------------------------------------------------------


@pytest.fixture
def ledger(world):
    return {
        "unpaid": invoiced(world.school_a),
        "overdue": invoiced(world.school_b, overdue=True),
        "paid": invoiced(SchoolFactory(name="Paid Up Academy"), paid=True, staff=world.admin),
    }


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("", {"Star Primary School", "Elm Tree Academy", "Paid Up Academy"}),
        ("unpaid", {"Star Primary School", "Elm Tree Academy"}),
        ("overdue", {"Elm Tree Academy"}),
        ("paid", {"Paid Up Academy"}),
        ("nonsense", {"Star Primary School", "Elm Tree Academy", "Paid Up Academy"}),
    ],
)
def test_invoice_list_filters_by_payment(world, client_for, ledger, status, expected):
    response = client_for(world.admin).get(_list_url(status=status))
    assert response.status_code == 200
    assert set(_names(response)) == expected
    assert response.context["counts"] == {"all": 3, "unpaid": 2, "overdue": 1, "paid": 1}


def test_invoice_list_searches_by_school_urn_and_number(world, client_for, ledger):
    client = client_for(world.admin)
    assert _names(client.get(_list_url(q="elm tree"))) == ["Elm Tree Academy"]
    assert _names(client.get(_list_url(q=str(world.school_a.urn)))) == ["Star Primary School"]
    number = ledger["paid"].number
    assert _names(client.get(_list_url(q=number))) == ["Paid Up Academy"]
    response = client.get(_list_url(q="no such school"))
    assert _names(response) == []
    assert b"No invoices match your search" in response.content


def test_invoice_list_shows_status_and_payment_links(world, client_for, ledger):
    response = client_for(world.admin).get(_list_url())
    content = response.content.decode()
    assert "Overdue</span> by 10 days" in content
    pay_url = reverse("journeys:invoice_payment", kwargs={"invoice_pk": ledger["unpaid"].pk})
    assert pay_url in content
    paid_url = reverse("journeys:invoice_payment", kwargs={"invoice_pk": ledger["paid"].pk})
    assert paid_url not in content


def test_invoice_list_query_count_same_with_1_and_5_invoices(world, client_for):
    client = client_for(world.admin)
    invoiced(world.school_a, paid=True, staff=world.admin)
    one = _count_queries(client, _list_url())
    for index in range(4):
        invoiced(SchoolFactory(), paid=index % 2 == 0, staff=world.admin, overdue=index == 1)
    assert _count_queries(client, _list_url()) == one
    assert _count_queries(client, _list_url(status="unpaid", q="school")) == one


def test_invoice_list_paginates(world, client_for):
    for _ in range(27):
        invoiced(SchoolFactory())
    client = client_for(world.admin)
    assert len(client.get(_list_url()).context["page"].object_list) == 25
    assert len(client.get(_list_url(page=2)).context["page"].object_list) == 2


@pytest.mark.parametrize(
    "query",
    [
        "q=%00",  # PostgreSQL refuses a NUL in a parameter
        "q=%C2%B2",  # "²": isdigit() but not int()
        "q=12345678901234567890",
        "page=abc",
        "page=99999999999999999999999",
        "page=-1",
        "status=junk&page=0",
    ],
)
def test_invoice_list_with_junk_in_the_query_string_is_a_page_not_an_error(
    world, client_for, ledger, query
):
    response = client_for(world.admin).get(_list_url() + "?" + query)
    assert response.status_code == 200
    assert b"Registration invoices" in response.content


@pytest.mark.parametrize("role", ["teacher_a", "reviewer_a", "partner"])
def test_invoice_list_is_for_staff_only(world, client_for, ledger, role):
    assert client_for(world.user(role)).get(_list_url()).status_code == 403


# --- One invoice ------------------------------------------------------------------------------


def test_school_reads_its_printable_invoice(world, client_for):
    invoice = invoiced(world.school_a)
    response = client_for(world.teacher_a).get(
        reverse("journeys:invoice", kwargs={"invoice_pk": invoice.pk})
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert f"Invoice {invoice.number}" in content
    assert "£500.00" in content
    assert invoice.due_on.strftime("%B %Y") in content
    assert "Not paid yet" in content
    assert "bank transfer" in content
    assert "css/invoice" in content
    assert "style=" not in content
    assert "Record the payment" not in content


def test_paid_invoice_says_paid(world, client_for):
    invoice = invoiced(world.school_a, paid=True, staff=world.admin)
    response = client_for(world.teacher_a).get(
        reverse("journeys:invoice", kwargs={"invoice_pk": invoice.pk})
    )
    assert b"<strong>Paid</strong> on" in response.content
    assert b"How to pay" not in response.content


@pytest.mark.parametrize("name", ["journeys:invoice", "journeys:invoice_payment"])
@pytest.mark.parametrize("pk", [0, 2**63, 10**30])
def test_invoice_pages_with_an_impossible_id_are_404(world, client_for, name, pk):
    invoiced(world.school_a)
    url = reverse(name, kwargs={"invoice_pk": pk})
    assert client_for(world.admin).get(url).status_code == 404


@pytest.mark.parametrize(("role", "status"), [("reviewer_a", 403), ("teacher_b", 404)])
def test_other_people_cannot_read_the_invoice(world, client_for, role, status):
    invoice = invoiced(world.school_a)
    url = reverse("journeys:invoice", kwargs={"invoice_pk": invoice.pk})
    assert client_for(world.user(role)).get(url).status_code == status


# --- Recording a payment ----------------------------------------------------------------------


def _payment_url(invoice):
    return reverse("journeys:invoice_payment", kwargs={"invoice_pk": invoice.pk})


def _row(invoice):
    return Invoice.objects.filter(pk=invoice.pk).values().get()


def test_payment_form_records_the_payment(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    invoice = invoiced(world.school_a)
    client = client_for(world.admin)
    page = client.get(_payment_url(invoice))
    assert page.status_code == 200
    assert page.context["form"].initial["reference"] == invoice.number

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _payment_url(invoice), {"paid_on": _today().isoformat(), "reference": "BACS 991"}
        )

    assert response.status_code == 302
    assert response["Location"] == reverse("journeys:invoice", kwargs={"invoice_pk": invoice.pk})
    stored = Invoice.objects.get(pk=invoice.pk)
    assert (stored.paid_on, stored.payment_reference) == (_today(), "BACS 991")
    assert [m.to for m in mailoutbox] == [[world.teacher_a.email]]


def test_payment_form_twice_says_already_paid_and_changes_nothing(world, client_for):
    invoice = invoiced(world.school_a, paid=True, staff=world.admin)
    before = _row(invoice)
    client = client_for(world.admin)

    assert b"There is nothing more to record" in client.get(_payment_url(invoice)).content
    response = client.post(
        _payment_url(invoice), {"paid_on": _today().isoformat(), "reference": "AGAIN"}
    )

    assert response.status_code == 409
    assert b"There is a problem" in response.content
    assert b"This invoice was already paid on" in response.content
    assert _row(invoice) == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"paid_on": "2999-01-01", "reference": "BACS"}, b"cannot be in the future"),
        ({"paid_on": "2000-01-01", "reference": "BACS"}, b"before the invoice was issued"),
        ({"paid_on": "not a date", "reference": "BACS"}, b"Enter a valid date"),
        ({"paid_on": "2026-13-45", "reference": "BACS"}, b"Enter a valid date"),
        ({"paid_on": "99999-01-01", "reference": "BACS"}, b"Enter a valid date"),
        ({"paid_on": "2026-01-01", "reference": "   "}, b"This field is required"),
        ({"paid_on": "2026-01-01", "reference": "B" * 101}, b"at most 100 characters"),
        ({"paid_on": "", "reference": ""}, b"This field is required"),
    ],
)
def test_payment_form_refuses_bad_input_with_an_error_summary(world, client_for, data, message):
    invoice = invoiced(world.school_a)
    before = _row(invoice)
    response = client_for(world.admin).post(_payment_url(invoice), data)
    assert response.status_code == 400
    assert b"There is a problem" in response.content
    assert message in response.content
    assert _row(invoice) == before


@pytest.mark.parametrize("role", ["teacher_a", "reviewer_a"])
def test_payment_form_is_for_staff_only(world, client_for, role):
    invoice = invoiced(world.school_a)
    client = client_for(world.user(role))
    assert client.get(_payment_url(invoice)).status_code == 403
    data = {"paid_on": _today().isoformat(), "reference": "BACS"}
    assert client.post(_payment_url(invoice), data).status_code == 403
    assert not Invoice.objects.get(pk=invoice.pk).is_paid


# --- The journey page -------------------------------------------------------------------------


def _detail(client, journey_id):
    return client.get(reverse("journeys:detail", kwargs={"pk": journey_id}))


def test_journey_page_shows_the_school_its_invoice_and_how_to_pay(world, client_for):
    invoice = invoiced(world.school_a)
    content = _detail(client_for(world.teacher_a), invoice.journey_id).content.decode()
    assert "Registration fee" in content
    assert invoice.number in content
    assert "£500.00" in content
    assert "Unpaid" in content
    assert "bank transfer" in content
    assert "Record the payment" not in content


def test_journey_page_shows_a_paid_invoice_as_paid(world, client_for):
    invoice = invoiced(world.school_a, paid=True, staff=world.admin)
    content = _detail(client_for(world.teacher_a), invoice.journey_id).content.decode()
    assert "Paid</span> on" in content
    assert "bank transfer" not in content


def test_journey_page_tells_the_reviewer_only_whether_it_is_paid(world, client_for):
    invoice = invoiced(world.school_a)
    content = _detail(client_for(world.reviewer_a), invoice.journey_id).content.decode()
    assert "has not been paid yet" in content
    assert invoice.number not in content


def test_journey_page_offers_staff_the_payment_form(world, client_for):
    invoice = invoiced(world.school_a)
    content = _detail(client_for(world.admin), invoice.journey_id).content.decode()
    assert _payment_url(invoice) in content


def test_journey_page_without_invoice_shows_no_fee(world, client_for):
    journey = JourneyFactory(school=world.school_a)
    assert b"Registration fee" not in _detail(client_for(world.teacher_a), journey.pk).content


# --- The review queue and the review page -----------------------------------------------------


def _submission(school, *, paid, staff):
    invoice = invoiced(school, stage=Stage.COMMITMENT_SUBMITTED, paid=paid, staff=staff)
    return open_review(journey=invoice.journey, kind=ReviewKind.COMMITMENT, version_number=1)


def test_queue_tags_unpaid_submissions(world, client_for):
    _submission(world.school_a, paid=False, staff=world.admin)
    _submission(SchoolFactory(name="Paid Primary"), paid=True, staff=world.admin)
    JourneyFactory(school=SchoolFactory(name="Old Journey Primary"), stage=Stage.IMPACT_SUBMITTED)

    response = client_for(world.reviewer_a).get(queue_url())

    unpaid = {row["school"].name: row["unpaid"] for row in response.context["page"].object_list}
    assert unpaid == {"Star Primary School": True, "Paid Primary": False}
    assert response.content.count(b">Unpaid<") == 1


def test_queue_query_count_same_with_2_and_6_submissions_paid_or_not(world, client_for):
    client = client_for(world.reviewer_a)
    _submission(world.school_a, paid=False, staff=world.admin)
    _submission(SchoolFactory(), paid=True, staff=world.admin)
    two = _count_queries(client, queue_url())
    for index in range(4):
        school = SchoolFactory(local_authority=local_authority("316"))
        _submission(school, paid=index % 2 == 0, staff=world.admin)
    assert _count_queries(client, queue_url()) == two


def test_review_page_of_an_unpaid_submission_shows_a_banner(world, client_for):
    review = _submission(world.school_a, paid=False, staff=world.admin)
    response = client_for(world.reviewer_a).get(
        reverse("journeys:review", kwargs={"review_pk": review.pk})
    )
    assert b"Registration fee unpaid" in response.content
    assert review.journey.invoice.number.encode() in response.content


def test_review_page_of_a_paid_submission_has_no_banner(world, client_for):
    review = _submission(world.school_a, paid=True, staff=world.admin)
    response = client_for(world.reviewer_a).get(
        reverse("journeys:review", kwargs={"review_pk": review.pk})
    )
    assert b"Registration fee unpaid" not in response.content


def test_taking_or_deciding_an_unpaid_submission_on_the_page_says_why(world, client_for):
    review = _submission(world.school_a, paid=False, staff=world.admin)
    client = client_for(world.reviewer_a)
    url = reverse("journeys:review_assign", kwargs={"review_pk": review.pk})
    response = client.post(url, follow=True)
    assert b"is unpaid: record the payment before assessing." in response.content

    decide = reverse("journeys:review_decide", kwargs={"review_pk": review.pk})
    response = client.post(decide, {"decision": "approved", "feedback": "", "version_number": 1})
    assert response.status_code == 400
    assert b"is unpaid: record the payment before assessing." in response.content
    review.refresh_from_db()
    assert (review.assigned_to, review.decision) == (None, "")


# --- Django admin -----------------------------------------------------------------------------


def test_admin_lists_invoices_read_only_with_payment_filters(world, client_for, ledger):
    client = client_for(world.admin)
    url = reverse("admin:journeys_invoice_changelist")
    for params in ["", "?payment=unpaid", "?payment=overdue", "?payment=paid", "?q=Elm"]:
        assert client.get(url + params).status_code == 200
    overdue = client.get(url + "?payment=overdue")
    assert overdue.context["cl"].result_count == 1
    assert client.get(reverse("admin:journeys_invoice_add")).status_code == 403
    change = reverse("admin:journeys_invoice_change", args=[ledger["unpaid"].pk])
    assert client.post(change, {"amount_pence": 1}).status_code == 403
    assert Invoice.objects.get(pk=ledger["unpaid"].pk).amount_pence == 50000


def test_admin_framework_page_has_the_fee_table(world, client_for):
    from journeys.models import Framework

    framework = Framework.objects.current()
    response = client_for(world.admin).get(
        reverse("admin:journeys_framework_change", args=[framework.pk])
    )
    assert response.status_code == 200
    assert b"fee_bands-TOTAL_FORMS" in response.content
