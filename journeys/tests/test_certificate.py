"""The Artsmark certificate: its data, and the PDF rendered for real by WeasyPrint."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from artsmark.common.models import ReportRequest
from artsmark.common.pdf import render_pdf
from artsmark.common.reports.services import build_html, render_report_now
from journeys.certificate import NoAwardError, certificate_data
from journeys.services.award import decide_impact
from journeys.tests.impact_fixtures import all_strands, impact_review, submitted_journey
from journeys.tests.report_worker import pdf_tool


class FakeRequest:
    """What the print template sees of the request row (it only uses the data)."""

    kind = "certificate"


@pytest.fixture
def awarded(world):
    journey = submitted_journey(
        school=world.school_a, lead=world.teacher_a, reviewer=world.reviewer_a
    )
    decide_impact(
        review=impact_review(journey),
        actor=world.reviewer_a,
        decision="awarded",
        feedback="Outstanding.",
        judgements=all_strands(journey, level="platinum"),
        award_level="platinum",
    )
    journey.refresh_from_db()
    return journey


def test_certificate_data_has_school_level_date_and_expiry(world, awarded):
    data = certificate_data(awarded)

    award = awarded.award
    assert data["school"]["name"] == "Star Primary School"
    assert data["level"] == "platinum"
    assert data["level_label"] == "Platinum"
    assert data["awarded_on"] == award.awarded_on == timezone.localdate()
    assert data["expires_on"] == award.expires_on
    assert data["framework"] == str(awarded.framework)
    assert data["title"] == "Artsmark Platinum certificate: Star Primary School"


def test_certificate_data_without_an_award_raises(world):
    from journeys.tests.impact_fixtures import certified_journey

    journey = certified_journey(
        school=world.school_a, lead=world.teacher_a, reviewer=world.reviewer_a
    )
    with pytest.raises(NoAwardError):
        certificate_data(journey)


def test_certificate_request_without_an_award_fails_with_a_plain_message(world):
    from journeys.tests.impact_fixtures import certified_journey

    journey = certified_journey(
        school=world.school_a, lead=world.teacher_a, reviewer=world.reviewer_a
    )
    report = render_report_now(kind="certificate", subject=journey, user=world.teacher_a)
    assert report.status == ReportRequest.Status.FAILED
    assert report.error.startswith("We could not make this report.")
    assert "has no award" in report.error_detail


def test_certificate_pdf_is_one_page_with_school_level_date_and_expiry(world, awarded, tmp_path):
    award = awarded.award

    rendered = render_pdf(build_html(FakeRequest(), awarded))
    path = tmp_path / "certificate.pdf"
    path.write_bytes(rendered.content)

    assert rendered.pages == 1
    text = " ".join(pdf_tool("pdftotext", path).split())
    assert "Star Primary School" in text
    assert "Artsmark Platinum" in text
    assert f"{award.awarded_on.day} {award.awarded_on:%B %Y}" in text
    assert f"{award.expires_on.day} {award.expires_on:%B %Y}" in text
    assert "Page 1 of 1" in text
    assert re.search(r"^Pages:\s+1$", pdf_tool("pdfinfo", path), re.MULTILINE)


def test_journey_page_shows_the_award_and_the_certificates_status(world, awarded, client_for):
    from django.contrib.contenttypes.models import ContentType

    ReportRequest.objects.create(
        kind="certificate",
        title="Artsmark certificate",
        content_type=ContentType.objects.get_for_model(awarded),
        object_id=awarded.pk,
        status=ReportRequest.Status.READY,
        file="reports/certificate/x.pdf",
        pages=1,
        finished_at=timezone.now(),
    )
    award = awarded.award

    page = client_for(world.teacher_a).get(reverse("journeys:detail", kwargs={"pk": awarded.pk}))

    html = page.content.decode()
    assert "Artsmark Platinum" in html
    assert f"Awarded {award.awarded_on.day} {award.awarded_on:%B %Y}" in html
    assert f"valid until {award.expires_on.day} {award.expires_on:%B %Y}" in html
    report = ReportRequest.objects.get(kind="certificate")
    assert reverse("journeys:report_download", kwargs={"pk": report.pk}) in html


def test_school_page_lists_its_awards(world, awarded, client_for):
    award = awarded.award

    page = client_for(world.teacher_a).get(
        reverse("schools:detail", kwargs={"pk": world.school_a.pk})
    )

    html = page.content.decode()
    assert page.status_code == 200
    assert "Artsmark awards" in html
    assert "Artsmark Platinum" in html
    assert f"valid until {award.expires_on.day} {award.expires_on:%B %Y}" in html


def test_school_page_of_another_school_shows_no_award_of_ours(world, awarded, client_for):
    page = client_for(world.teacher_b).get(
        reverse("schools:detail", kwargs={"pk": world.school_b.pk})
    )
    assert page.status_code == 200
    assert "Artsmark awards" not in page.content.decode()
