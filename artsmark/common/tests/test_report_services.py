"""The request row's life, run in process (the worker tests run it in a real worker)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from artsmark.common.models import ReportRequest
from artsmark.common.reports import services
from artsmark.common.reports.services import (
    render_request,
    request_report,
    resend_stale_requests,
    storage_name,
)

Status = ReportRequest.Status


@pytest.fixture
def organisation(world):
    return world.reviewer_a.bridge_memberships.get().organisation


@pytest.fixture
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_request_report_records_a_queued_request(world, organisation):
    report = request_report(kind="regional", subject=organisation, user=world.reviewer_a)

    assert report.created is True
    assert report.status == Status.QUEUED
    assert report.requested_by == world.reviewer_a
    assert report.title == "Regional report: A New Direction"


def test_request_report_again_while_queued_returns_the_same_request(world, organisation):
    first = request_report(kind="regional", subject=organisation, user=world.reviewer_a)
    second = request_report(kind="regional", subject=organisation, user=world.admin)

    assert second.pk == first.pk
    assert second.created is False
    assert ReportRequest.objects.count() == 1


def test_render_request_makes_the_file_in_its_place(world, organisation, media_root):
    report = request_report(kind="regional", subject=organisation, user=world.reviewer_a)

    assert render_request(request_id=report.pk) == Status.READY

    report.refresh_from_db()
    assert report.status == Status.READY
    assert report.file == storage_name(report)
    assert report.attempts == 1
    assert (media_root / report.file).read_bytes().startswith(b"%PDF")
    assert report.pages >= 2


def test_render_request_twice_leaves_one_file_in_the_same_place(world, organisation, media_root):
    report = request_report(kind="regional", subject=organisation, user=world.reviewer_a)
    render_request(request_id=report.pk)
    first = (media_root / storage_name(report)).read_bytes()
    # A second render of the same request (say, a late duplicate nudge after a reset).
    ReportRequest.objects.filter(pk=report.pk).update(status=Status.QUEUED)

    render_request(request_id=report.pk)

    report.refresh_from_db()
    assert [p for p in media_root.rglob("*") if p.is_file()] == [media_root / report.file]
    assert (media_root / report.file).read_bytes() == first


def test_render_request_for_a_finished_or_missing_request_does_nothing(world, organisation):
    report = request_report(kind="regional", subject=organisation, user=world.reviewer_a)
    ReportRequest.objects.filter(pk=report.pk).update(status=Status.FAILED, error="x")

    assert render_request(request_id=report.pk) is None
    assert render_request(request_id=report.pk + 1000) is None
    report.refresh_from_db()
    assert report.attempts == 0


def test_render_request_leaves_a_request_another_worker_holds(world, organisation):
    report = request_report(kind="regional", subject=organisation, user=world.reviewer_a)
    later = timezone.now() + datetime.timedelta(minutes=1)
    ReportRequest.objects.filter(pk=report.pk).update(
        status=Status.RENDERING, lease_expires_at=later, attempts=1
    )

    assert render_request(request_id=report.pk) is None
    report.refresh_from_db()
    assert report.attempts == 1


def test_render_request_of_a_deleted_subject_fails_in_plain_words(world, media_root):
    report = ReportRequest.objects.create(
        kind="progress",
        title="Progress report",
        content_type=ContentType.objects.get(app_label="journeys", model="journey"),
        object_id=999999,
    )

    assert render_request(request_id=report.pk) == Status.FAILED
    report.refresh_from_db()
    assert report.error == services.MESSAGE_GONE
    assert report.finished_at is not None


def test_render_request_of_an_unknown_kind_fails_and_is_recorded(world, organisation):
    report = ReportRequest.objects.create(
        kind="certificate-from-the-future",
        title="?",
        content_type=ContentType.objects.get_for_model(organisation),
        object_id=organisation.pk,
    )

    assert render_request(request_id=report.pk) == Status.FAILED
    report.refresh_from_db()
    assert report.error == services.MESSAGE_FAILED
    assert "UnknownReportKindError" in report.error_detail


def test_render_request_gives_up_after_too_many_attempts(world, organisation, settings):
    report = request_report(kind="regional", subject=organisation, user=world.reviewer_a)
    ReportRequest.objects.filter(pk=report.pk).update(attempts=settings.REPORT_MAX_ATTEMPTS)

    render_request(request_id=report.pk)

    report.refresh_from_db()
    assert report.status == Status.FAILED
    assert report.error == services.MESSAGE_GAVE_UP


def test_resend_stale_requests_picks_old_queued_and_abandoned_requests(
    world, organisation, django_capture_on_commit_callbacks
):
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    stuck = request_report(kind="regional", subject=organisation, user=world.reviewer_a)
    ReportRequest.objects.filter(pk=stuck.pk).update(created_at=long_ago)
    abandoned = request_report(kind="progress", subject=organisation, user=world.reviewer_a)
    ReportRequest.objects.filter(pk=abandoned.pk).update(
        status=Status.RENDERING, lease_expires_at=long_ago, created_at=long_ago
    )
    fresh = request_report(
        kind="regional", subject=world.reviewer_other.bridge_memberships.get().organisation,
        user=world.reviewer_other,
    )  # fmt: skip

    nudged = resend_stale_requests()

    assert sorted(nudged) == sorted([stuck.pk, abandoned.pk])
    assert fresh.pk not in nudged
    stuck.refresh_from_db()
    assert stuck.nudged_at is not None
    # Just nudged: not again until it has been waiting a while longer.
    assert resend_stale_requests() == []
