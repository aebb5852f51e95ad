"""The demo's earlier reports: made in process by the worker's own service, once."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from artsmark.common.models import ReportRequest
from journeys import report_demo
from journeys.tests.report_worker import pdf_tool


@pytest.mark.django_db
def test_report_demo_seed_makes_ready_reports_once():
    call_command("seed_demo", stdout=io.StringIO())
    ReportRequest.objects.all().delete()  # whatever seed_demo already made (if it lists us)

    report_demo.seed()
    report_demo.seed()

    reports = {r.kind: r for r in ReportRequest.objects.all()}
    assert sorted(reports) == ["certificate", "progress", "regional"]
    assert ReportRequest.objects.count() == 3  # the second run made nothing
    assert all(r.status == ReportRequest.Status.READY for r in reports.values())
    assert reports["progress"].requested_by.email == "lead@example.org"
    assert reports["regional"].requested_by.email == "reviewer@example.org"
    progress_text = pdf_tool("pdftotext", Path(settings.MEDIA_ROOT) / reports["progress"].file)
    assert "Rosewood Primary School" in progress_text
    regional_text = pdf_tool("pdftotext", Path(settings.MEDIA_ROOT) / reports["regional"].file)
    assert "A New Direction" in regional_text
    certificate_text = pdf_tool(
        "pdftotext", Path(settings.MEDIA_ROOT) / reports["certificate"].file
    )
    assert "Southwark Park Primary School" in certificate_text
    assert "Gold" in certificate_text


@pytest.mark.django_db
def test_report_demo_seed_makes_again_a_report_whose_file_is_gone():
    call_command("seed_demo", stdout=io.StringIO())
    report_demo.seed()
    progress = ReportRequest.objects.filter(kind="progress").latest("created_at")
    (Path(settings.MEDIA_ROOT) / progress.file).unlink()

    report_demo.seed()

    assert ReportRequest.objects.filter(kind="progress", status="ready").count() == 2
    assert ReportRequest.objects.filter(kind="regional").count() == 1
