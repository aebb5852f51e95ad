"""The report pipeline end to end, with real Celery worker processes and real Redis.

These tests commit (transactional) because a worker in another process must see the rows.
"""

import pytest
from django.conf import settings
from django.urls import reverse

from artsmark.common import vocab
from artsmark.common.models import ReportRequest
from journeys.tests.report_fixtures import GOALS, planned_journey
from journeys.tests.report_worker import (
    ThrowawayRedis,
    WorkerProcess,
    pdf_tool,
    portal_broker,
    wait_for,
)

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
Status = ReportRequest.Status


@pytest.fixture
def media_root(tmp_path, settings):
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def workers(tmp_path):
    from artsmark.celery import app

    app.control.purge()  # nudges left in our Redis db by earlier runs are not this test's
    started = []

    def start(**kwargs):
        kwargs.setdefault("redis_url", settings.CELERY_BROKER_URL)
        worker = WorkerProcess(log_path=tmp_path / f"worker-{len(started)}.log", **kwargs)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def _request_through_portal(client_for, user, journey):
    client = client_for(user)
    response = client.post(
        reverse("journeys:request_progress_report", kwargs={"pk": journey.pk}),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    report = ReportRequest.objects.get(object_id=journey.pk, kind="progress")
    return client, response, report


def test_progress_report_rendered_by_a_worker_reads_back(world, client_for, media_root, workers):
    journey = planned_journey(
        school=world.school_a, lead=world.teacher_a, submit=True, reviewer=world.reviewer_a
    )
    worker = workers(media_root=media_root)

    client, response, report = _request_through_portal(client_for, world.teacher_a, journey)
    assert 'hx-trigger="every 2s"' in response.content.decode()

    report = wait_for(report.pk, statuses={Status.READY, Status.FAILED})
    assert report.status == Status.READY, worker.log()
    path = media_root / report.file
    text = " ".join(pdf_tool("pdftotext", path).split())
    assert "Star Primary School" in text
    for _, title in vocab.QUALITY_PRINCIPLES:
        assert title in text
    for goal in GOALS:
        assert goal[0] in text
    info = pdf_tool("pdfinfo", path)
    # Cover; profile and strands; goals over two pages; partnerships, feedback, timeline.
    assert "Pages:           5" in info
    assert report.pages == 5
    assert "Tagged:          yes" in info
    # The status fragment now offers the link, and stops polling; the download is the file.
    status = client.get(reverse("journeys:report_status", kwargs={"pk": report.pk}))
    assert "every 2s" not in status.content.decode()
    assert reverse("journeys:report_download", kwargs={"pk": report.pk}) in status.content.decode()
    download = client.get(reverse("journeys:report_download", kwargs={"pk": report.pk}))
    assert b"".join(download.streaming_content) == path.read_bytes()
    # A download, not a page: the browser saves it under a name that says what it is.
    assert download["Content-Disposition"].startswith('attachment; filename="progress-report-')


def test_worker_killed_mid_render_then_new_worker_finishes_it(
    world, client_for, media_root, workers
):
    # Enough goals that rendering takes a few seconds, so the kill lands in the middle.
    journey = planned_journey(school=world.school_a, lead=world.teacher_a, goals=GOALS * 40)
    short_lease = {"REPORT_LEASE_SECONDS": "4"}
    first = workers(media_root=media_root, env=short_lease)
    _, _, report = _request_through_portal(client_for, world.teacher_a, journey)

    report = wait_for(report.pk, statuses={Status.RENDERING, Status.READY, Status.FAILED})
    assert report.status == Status.RENDERING, first.log()
    first.kill()  # SIGKILL the worker and its pool child

    report.refresh_from_db()
    assert report.status == Status.RENDERING
    assert list(media_root.rglob("*.pdf")) == []
    # A new worker, with beat: once the dead worker's lease runs out, the re-send delivers it.
    workers(
        media_root=media_root,
        beat=True,
        env={
            **short_lease,
            "REPORT_RESEND_EVERY_SECONDS": "1",
            "REPORT_STALE_AFTER_SECONDS": "1",
        },
    )
    report = wait_for(report.pk, statuses={Status.READY, Status.FAILED}, timeout=90)
    assert report.status == Status.READY
    assert report.attempts == 2
    files = [path for path in media_root.rglob("*") if path.is_file()]
    assert files == [media_root / report.file]


def test_request_while_redis_is_down_is_kept_and_rendered_when_it_is_back(
    world, client_for, media_root, workers, tmp_path
):
    journey = planned_journey(school=world.school_a, lead=world.teacher_a, goals=GOALS[:2])
    redis = ThrowawayRedis(tmp_path)
    redis.start()
    try:
        with portal_broker(redis.url):
            redis.stop()
            client = client_for(world.teacher_a)
            response = client.post(
                reverse("journeys:request_progress_report", kwargs={"pk": journey.pk}),
                follow=True,
            )
            assert response.status_code == 200
            assert "We have recorded your request" in response.content.decode()
            report = ReportRequest.objects.get(object_id=journey.pk, kind="progress")
            assert report.status == Status.QUEUED
            assert report.nudged_at is None

            redis.start()
            workers(
                media_root=media_root,
                redis_url=redis.url,
                beat=True,
                env={"REPORT_RESEND_EVERY_SECONDS": "1", "REPORT_STALE_AFTER_SECONDS": "1"},
            )
            report = wait_for(report.pk, statuses={Status.READY, Status.FAILED}, timeout=60)
            assert report.status == Status.READY
            assert report.attempts == 1
    finally:
        redis.stop()
