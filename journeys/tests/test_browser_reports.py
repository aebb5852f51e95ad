"""Reports in the browser, with a real Celery worker: a teacher asks for a progress report
and a reviewer for a regional one; the status updates by itself (htmx polling) until the
download link appears; the PDF is downloaded and read back. axe-core on every page."""

import pytest
from django.conf import settings
from django.urls import reverse

from artsmark.accounts.tests.factories import PASSWORD
from artsmark.common.models import ReportRequest
from artsmark.schools.models import BridgeOrganisation
from journeys.tests.report_fixtures import GOALS, planned_journey
from journeys.tests.report_worker import WorkerProcess, pdf_tool
from tests.browser import check_accessibility, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
READY_WITHIN_MS = 60_000  # the worker's start-up, a render and a 2-second poll, with room


@pytest.fixture
def worker(tmp_path):
    """One `celery worker` process on this test's Redis db, writing to this test's media."""
    from artsmark.celery import app

    app.control.purge()  # nudges left in our Redis db by earlier runs are not this test's
    process = WorkerProcess(
        media_root=settings.MEDIA_ROOT,
        redis_url=settings.CELERY_BROKER_URL,
        log_path=tmp_path / "worker.log",
    )
    yield process
    process.stop()


def _count_navigations(page):
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    return navigations


def _ask_and_wait(page, button, status_box):
    """Press the request button; the status must then change without a page load."""
    navigations = _count_navigations(page)
    page.get_by_role("button", name=button).click()
    status = page.locator(status_box).get_by_role("status")
    status.get_by_text("We are making your report").wait_for()
    assert (
        status.get_by_text("Waiting to be made").is_visible()
        or status.get_by_text("Being made").is_visible()
    )
    check_accessibility(page)
    link = status.get_by_role("link", name="Download the report")
    link.wait_for(timeout=READY_WITHIN_MS)
    assert navigations == []  # htmx swapped the fragment in: the page never reloaded
    check_accessibility(page)
    return link


def _download(page, link, tmp_path):
    with page.expect_download() as download:
        link.click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")
    return pdf_tool("pdftotext", path)


def test_teacher_downloads_a_progress_report_made_by_the_worker(
    live_server, browser_page, world, worker, tmp_path
):
    page = browser_page
    journey = planned_journey(school=world.school_a, lead=world.teacher_a, goals=GOALS[:2])

    login(page, live_server, world.teacher_a.email, PASSWORD)
    check_accessibility(page)
    page.goto(live_server.url + reverse("journeys:detail", kwargs={"pk": journey.pk}))
    check_accessibility(page)

    link = _ask_and_wait(page, "Make a progress report", "#new-report")
    text = _download(page, link, tmp_path)

    assert "Star Primary School" in text
    assert GOALS[0][0] in text
    assert GOALS[1][0] in text
    report = ReportRequest.objects.get(kind="progress", object_id=journey.pk)
    assert report.status == ReportRequest.Status.READY
    assert report.requested_by == world.teacher_a
    # Back on the journey page, the report is listed among the earlier ones.
    page.reload()
    page.get_by_role("table", name="Earlier progress reports").wait_for()
    check_accessibility(page)


def test_reviewer_downloads_a_regional_report_made_by_the_worker(
    live_server, browser_page, world, worker, tmp_path
):
    page = browser_page
    planned_journey(school=world.school_a, lead=world.teacher_a, goals=GOALS[:2])
    organisation = BridgeOrganisation.objects.get(slug="a-new-direction")

    login(page, live_server, world.reviewer_a.email, PASSWORD)
    check_accessibility(page)
    page.goto(live_server.url + reverse("schools:bridge_area", kwargs={"pk": organisation.pk}))
    check_accessibility(page)
    page.get_by_role("link", name="Regional reports (PDF)").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Regional reports").is_visible()
    assert page.get_by_text("No regional reports have been made yet.").is_visible()
    check_accessibility(page)

    link = _ask_and_wait(page, "Make a regional report", "#new-report")
    text = _download(page, link, tmp_path)

    assert organisation.name in text
    assert "Star Primary School" in text
    page.reload()
    page.get_by_role("table", name="Earlier regional reports").wait_for()
    check_accessibility(page)
