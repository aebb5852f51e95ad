"""The journeys' report templates rendered by the real pipeline (WeasyPrint, in process)."""

import shutil
import subprocess

import pytest

from artsmark.common import vocab
from artsmark.common.pdf import render_pdf
from artsmark.common.reports.services import build_html
from journeys.tests.report_fixtures import GOALS, planned_journey
from journeys.tests.report_worker import pdf_tool


def _render(tmp_path, request, subject, name):
    rendered = render_pdf(build_html(request, subject))
    path = tmp_path / name
    path.write_bytes(rendered.content)
    return rendered, path


class FakeRequest:
    """What the print templates see of the request row (they only use the data)."""

    def __init__(self, kind):
        self.kind = kind


@pytest.mark.django_db
def test_progress_report_pdf_shows_school_principles_and_goals(world, tmp_path):
    journey = planned_journey(
        school=world.school_a, lead=world.teacher_a, submit=True, reviewer=world.reviewer_a
    )

    rendered, path = _render(tmp_path, FakeRequest("progress"), journey, "progress.pdf")

    text = " ".join(pdf_tool("pdftotext", path).split())
    assert "Star Primary School" in text
    for _, title in vocab.QUALITY_PRINCIPLES:
        assert title in text
    for goal in GOALS:
        assert goal[0] in text
    assert "ambitious plan" in text
    assert f"Page 1 of {rendered.pages}" in text
    assert rendered.pages == 5  # cover, profile, goals (two pages), timeline


@pytest.mark.django_db
def test_regional_report_pdf_lists_the_areas_journeys(world, tmp_path):
    planned_journey(school=world.school_a, lead=world.teacher_a)
    organisation = world.reviewer_a.bridge_memberships.get().organisation

    rendered, path = _render(tmp_path, FakeRequest("regional"), organisation, "regional.pdf")

    text = " ".join(pdf_tool("pdftotext", path).split())
    assert "A New Direction" in text
    assert "Star Primary School" in text
    assert "Registrations and submissions by month" in text
    assert rendered.pages >= 2
    # The stage chart (one bar row per stage) fits under the cover on the first page.
    first_page = subprocess.run(  # noqa: S603 (poppler on our own file)
        [shutil.which("pdftotext"), "-f", "1", "-l", "1", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Number of journeys at each stage." in first_page
