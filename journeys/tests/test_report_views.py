import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from artsmark.common.models import ReportRequest
from journeys.tests.factories import JourneyFactory
from tests.queries import count_page_queries

Status = ReportRequest.Status


@pytest.fixture
def journey(world):
    return JourneyFactory(school=world.school_a)


@pytest.fixture
def organisation(world):
    return world.reviewer_a.bridge_memberships.get().organisation


def _reports(subject, kind, count, user):
    content_type = ContentType.objects.get_for_model(subject)
    for _ in range(count):
        ReportRequest.objects.create(
            kind=kind,
            title="x",
            content_type=content_type,
            object_id=subject.pk,
            requested_by=user,
            status=Status.FAILED,
            error="We could not make this report.",
        )


_count_queries = count_page_queries


def test_journey_report_panel_queries_do_not_grow_with_reports(world, client_for, journey):
    client = client_for(world.teacher_a)
    url = reverse("journeys:detail", kwargs={"pk": journey.pk})
    _reports(journey, "progress", 1, world.teacher_a)
    one = _count_queries(client, url)
    _reports(journey, "progress", 5, world.teacher_a)

    assert _count_queries(client, url) == one


def test_regional_reports_page_queries_do_not_grow_with_reports(world, client_for, organisation):
    client = client_for(world.reviewer_a)
    url = reverse("journeys:regional_reports", kwargs={"pk": organisation.pk})
    _reports(organisation, "regional", 1, world.reviewer_a)
    one = _count_queries(client, url)
    _reports(organisation, "regional", 5, world.reviewer_a)

    assert _count_queries(client, url) == one


def test_journey_page_shows_the_report_panel(world, client_for, journey):
    response = client_for(world.teacher_a).get(
        reverse("journeys:detail", kwargs={"pk": journey.pk})
    )

    content = response.content.decode()
    assert "Make a progress report" in content
    assert reverse("journeys:request_progress_report", kwargs={"pk": journey.pk}) in content


def test_request_progress_report_with_htmx_returns_a_polling_status(world, client_for, journey):
    response = client_for(world.teacher_a).post(
        reverse("journeys:request_progress_report", kwargs={"pk": journey.pk}),
        HTTP_HX_REQUEST="true",
    )

    report = ReportRequest.objects.get()
    content = response.content.decode()
    assert response.status_code == 200
    assert 'hx-trigger="every 2s"' in content
    assert reverse("journeys:report_status", kwargs={"pk": report.pk}) in content
    assert report.kind == "progress"
    assert report.object_id == journey.pk


def test_request_progress_report_twice_keeps_one_request(world, client_for, journey):
    client = client_for(world.teacher_a)
    url = reverse("journeys:request_progress_report", kwargs={"pk": journey.pk})
    client.post(url)

    response = client.post(url, follow=True)

    assert ReportRequest.objects.count() == 1
    assert "already being made" in response.content.decode()


def test_request_progress_report_of_another_school_changes_nothing(world, client_for, journey):
    response = client_for(world.teacher_b).post(
        reverse("journeys:request_progress_report", kwargs={"pk": journey.pk})
    )

    assert response.status_code == 404
    assert ReportRequest.objects.count() == 0


def test_report_status_of_failed_report_says_why_and_stops_polling(world, client_for, journey):
    _reports(journey, "progress", 1, world.teacher_a)
    report = ReportRequest.objects.get()

    response = client_for(world.teacher_a).get(
        reverse("journeys:report_status", kwargs={"pk": report.pk})
    )

    content = response.content.decode()
    assert "We could not make this report." in content
    assert "hx-trigger" not in content


def test_report_download_of_unfinished_report_is_404(world, client_for, journey):
    client = client_for(world.teacher_a)
    client.post(reverse("journeys:request_progress_report", kwargs={"pk": journey.pk}))
    report = ReportRequest.objects.get()

    response = client.get(reverse("journeys:report_download", kwargs={"pk": report.pk}))

    assert response.status_code == 404


@pytest.mark.parametrize("pk", ["0", "99999999999999999999", "abc"])
def test_report_status_with_bad_id_is_404(world, client_for, pk):
    response = client_for(world.admin).get(f"/reports/{pk}/status/")

    assert response.status_code == 404


def test_regional_report_status_is_not_visible_to_a_school(world, client_for, organisation):
    _reports(organisation, "regional", 1, world.reviewer_a)
    report = ReportRequest.objects.get()

    response = client_for(world.teacher_a).get(
        reverse("journeys:report_status", kwargs={"pk": report.pk})
    )

    assert response.status_code == 404
