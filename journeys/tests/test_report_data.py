import pytest

from artsmark.common import vocab
from journeys.reports import progress_report_data, regional_report_data
from journeys.tests.report_fixtures import GOALS, planned_journey


@pytest.fixture
def journey(world):
    return planned_journey(school=world.school_a, lead=world.teacher_a)


def test_progress_report_data_has_school_principles_and_goals(journey):
    data = progress_report_data(journey)

    assert data["school"]["name"] == "Star Primary School"
    assert data["school"]["local_authority"] == "Newham"
    assert [row["slug"] for row in data["profile"]["principles"]] == [
        slug for slug, _ in vocab.QUALITY_PRINCIPLES
    ]
    assert [goal["title"] for goal in data["goals"]] == [goal[0] for goal in GOALS]
    assert data["goals"][0]["partnerships"][0]["partner_name"] == "Theatre Royal Stratford East"
    assert data["goals"][1]["partnerships"] == []
    assert data["profile"]["has_latest"] is False
    assert "<svg" in data["profile_chart"]


def test_progress_report_data_compares_baseline_with_latest_after_submission(world):
    journey = planned_journey(
        school=world.school_a, lead=world.teacher_a, submit=True, reviewer=world.reviewer_a
    )

    data = progress_report_data(journey)

    first = data["profile"]["principles"][0]
    assert data["profile"]["has_latest"] is True
    assert first["baseline"] == "Area for development"
    assert first["latest"] == "Embedded"
    assert [item["decision"] for item in data["feedback"]] == ["Artsmark Certified"]
    assert "ambitious plan" in data["feedback"][0]["note"]
    assert data["timeline"][0]["what"] == "Registered for Artsmark"


def test_progress_report_data_runs_fixed_queries(world, django_assert_max_num_queries):
    small = planned_journey(school=world.school_a, lead=world.teacher_a, goals=GOALS[:1])
    big = planned_journey(school=world.school_b, lead=world.teacher_b, goals=GOALS * 3)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        progress_report_data(small)
    with CaptureQueriesContext(connection) as many:
        progress_report_data(big)
    assert len(one) == len(many)


def test_regional_report_data_counts_journeys_in_the_area_only(world, journey):
    planned_journey(school=world.school_b, lead=world.teacher_b)
    organisation = world.reviewer_a.bridge_memberships.get().organisation

    data = regional_report_data(organisation)

    assert data["organisation"] == "A New Direction"
    assert data["journey_count"] == 1
    assert [j["school"] for j in data["journeys"]] == ["Star Primary School"]
    assert {row["stage"]: row["count"] for row in data["by_stage"]}[
        "Drafting the Statement of Commitment"
    ] == 1
    assert data["by_local_authority"] == [
        {"name": "Newham", "all": 1, "open": 1, "certified": 0, "awarded": 0}
    ]
    assert data["over_time"][-1]["registrations"] == 1
    assert len(data["over_time"]) == 12


def test_regional_report_data_with_no_journeys(world):
    organisation = world.reviewer_other.bridge_memberships.get().organisation

    data = regional_report_data(organisation)

    assert data["journey_count"] == 0
    assert data["by_phase"] == []
    assert data["schools_in_area"] >= 1
