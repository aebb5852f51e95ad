import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from artsmark.accounts.tests.factories import UserFactory
from artsmark.schools.tests.factories import (
    BridgeMembershipFactory,
    SchoolFactory,
    bridge_organisation,
    local_authority,
)
from journeys.enums import ReviewKind, Stage
from journeys.models import Review
from journeys.services.reviews import open_review
from journeys.tests.factories import JourneyFactory
from tests.queries import count_page_queries


def submission(school, *, due_in=10, assigned_to=None, kind=ReviewKind.COMMITMENT):
    """A journey waiting for review at `school`, its decision due `due_in` days from today."""
    stage = Stage.COMMITMENT_SUBMITTED if kind == ReviewKind.COMMITMENT else Stage.IMPACT_SUBMITTED
    journey = JourneyFactory(school=school, stage=stage)
    review = open_review(journey=journey, kind=kind, version_number=1)
    Review.objects.filter(pk=review.pk).update(
        due_on=timezone.localdate() + datetime.timedelta(days=due_in), assigned_to=assigned_to
    )
    return Review.objects.get(pk=review.pk)


def queue_url(organisation_slug="a-new-direction", **params):
    url = reverse(
        "journeys:review_queue",
        kwargs={"organisation_pk": bridge_organisation(organisation_slug).pk},
    )
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


def rows(response):
    return [row["school"].name for row in response.context["page"].object_list]


@pytest.fixture
def area(world):
    """Submissions in London (A New Direction) and in the West Midlands (Arts Connect)."""
    barnet = SchoolFactory(name="Barnet Secondary", local_authority=local_authority("302"))
    barnet.phase = "Secondary"
    barnet.save()
    return {
        "a": submission(world.school_a, due_in=-3, assigned_to=world.reviewer_a),
        "barnet": submission(barnet, due_in=5),
        "newham": submission(SchoolFactory(name="Newham Primary"), due_in=2),
        "b": submission(world.school_b, due_in=-10),
    }


def test_queue_lists_only_the_area_submissions_sorted_by_due_date(world, client_for, area):
    response = client_for(world.reviewer_a).get(queue_url())
    assert response.status_code == 200
    assert rows(response) == ["Star Primary School", "Newham Primary", "Barnet Secondary"]
    assert b"Elm Tree Academy" not in response.content


def test_queue_of_the_other_region_lists_only_its_submissions(world, client_for, area):
    response = client_for(world.reviewer_other).get(queue_url("arts-connect"))
    assert rows(response) == ["Elm Tree Academy"]


def test_queue_of_another_organisation_is_404(world, client_for, area):
    assert client_for(world.reviewer_other).get(queue_url()).status_code == 404
    assert client_for(world.teacher_a).get(queue_url()).status_code == 404


def test_queue_leaves_out_decided_reviews(world, client_for, area):
    Review.objects.filter(pk=area["newham"].pk).update(
        decision="returned", decided_at=timezone.now(), feedback="More detail."
    )
    response = client_for(world.reviewer_a).get(queue_url())
    assert rows(response) == ["Star Primary School", "Barnet Secondary"]


def test_overdue_rows_say_so_in_words(world, client_for, area):
    response = client_for(world.reviewer_a).get(queue_url())
    assert b"Overdue by 3 days" in response.content
    assert response.content.count(b"Overdue by") == 1


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"overdue": "yes"}, ["Star Primary School"]),
        ({"phase": "Secondary"}, ["Barnet Secondary"]),
        ({"reviewer": "none"}, ["Newham Primary", "Barnet Secondary"]),
        (
            {"stage": "commitment_submitted", "phase": "Primary"},
            ["Star Primary School", "Newham Primary"],
        ),
        ({"stage": "impact_submitted"}, []),
    ],
)
def test_queue_filters(world, client_for, area, params, expected):
    response = client_for(world.reviewer_a).get(queue_url(**params))
    assert response.status_code == 200
    assert rows(response) == expected


def test_queue_filters_by_local_authority_and_assigned_reviewer(world, client_for, area):
    client = client_for(world.reviewer_a)
    barnet = local_authority("302")
    assert rows(client.get(queue_url(local_authority=barnet.pk))) == ["Barnet Secondary"]
    mine = client.get(queue_url(reviewer=world.reviewer_a.pk))
    assert rows(mine) == ["Star Primary School"]


def test_queue_counts_per_filter_option(world, client_for, area):
    response = client_for(world.reviewer_a).get(queue_url(phase="Primary"))
    facets = response.context["facets"]
    # A facet's counts apply the other filters, not its own.
    assert {o["value"]: o["count"] for o in facets["phase"]} == {"Primary": 2, "Secondary": 1}
    stages = {o["value"]: o["count"] for o in facets["stage"]}
    assert stages == {"commitment_submitted": 2, "impact_submitted": 0}
    authorities = {o["label"]: o["count"] for o in facets["local_authority"] if o["count"]}
    assert authorities == {"Newham": 2}
    reviewers = {o["value"]: o["count"] for o in facets["reviewer"]}
    assert reviewers["none"] == 1
    assert reviewers[str(world.reviewer_a.pk)] == 1
    assert facets["overdue"] == {"all": 2, "overdue": 1}
    assert b"Primary (2)" in response.content
    assert b"Overdue only (1)" in response.content


def test_queue_ignores_unknown_filter_values(world, client_for, area):
    response = client_for(world.reviewer_a).get(
        queue_url(stage="nonsense", local_authority="x", reviewer="-1", page="99999999999")
    )
    assert response.status_code == 200
    assert rows(response) == ["Star Primary School", "Newham Primary", "Barnet Secondary"]


def test_queue_empty_states(world, client_for):
    client = client_for(world.reviewer_a)
    assert b"No statements are waiting for review in your area." in client.get(queue_url()).content
    filtered = client.get(queue_url(overdue="yes")).content
    assert b"No submissions match these filters." in filtered


def test_queue_paginates_25_a_page(world, client_for):
    for index in range(27):
        submission(SchoolFactory(), due_in=index)
    client = client_for(world.reviewer_a)
    first = client.get(queue_url())
    assert len(first.context["page"].object_list) == 25
    assert first.context["page"].paginator.count == 27
    second = client.get(queue_url(page=2))
    assert len(second.context["page"].object_list) == 2


_count_queries = count_page_queries


def test_queue_query_count_same_with_2_and_50_submissions(world, client_for):
    client = client_for(world.reviewer_a)
    colleague = BridgeMembershipFactory(user=UserFactory()).user
    submission(world.school_a, due_in=-1, assigned_to=world.reviewer_a)
    submission(SchoolFactory(), due_in=3)
    two = _count_queries(client, queue_url())
    for index in range(48):
        school = SchoolFactory(local_authority=local_authority("302" if index % 2 else "316"))
        submission(school, due_in=index - 10, assigned_to=colleague if index % 3 else None)
    assert _count_queries(client, queue_url()) == two
    assert _count_queries(client, queue_url(phase="Primary", overdue="yes")) == two


def test_impact_rows_link_to_the_assessment_page(world, client_for):
    review = submission(world.school_a, kind=ReviewKind.IMPACT)
    response = client_for(world.reviewer_a).get(queue_url())
    (row,) = response.context["page"].object_list
    assert row["url"] != reverse("journeys:review", kwargs={"review_pk": review.pk})


def test_area_submissions_is_the_queue(world, client_for, area):
    organisation = bridge_organisation("a-new-direction")
    url = reverse("journeys:area_submissions", kwargs={"organisation_pk": organisation.pk})
    response = client_for(world.reviewer_a).get(url)
    assert rows(response) == ["Star Primary School", "Newham Primary", "Barnet Secondary"]


def test_home_panel_shows_waiting_and_overdue_counts(world, client_for, area):
    response = client_for(world.reviewer_a).get(reverse("home"))
    assert b"3 statements waiting for a decision in your area" in response.content
    assert b"1 overdue" in response.content
    assert queue_url().encode() in response.content


def test_home_panel_says_when_nothing_is_waiting(world, client_for):
    response = client_for(world.reviewer_a).get(reverse("home"))
    assert b"No statements waiting." in response.content
    assert b"0 Statement" not in response.content
    assert b"0 statement" not in response.content


@pytest.mark.parametrize(
    "query",
    ["local_authority=%C2%B2", "reviewer=%C2%B2", "phase=%00", "phase=a%00b", "stage=%00"],
)
def test_queue_with_junk_filters_is_a_page_not_an_error(world, client_for, query):
    organisation = world.reviewer_a.bridge_memberships.get().organisation
    url = reverse("journeys:review_queue", kwargs={"organisation_pk": organisation.pk})
    assert client_for(world.reviewer_a).get(f"{url}?{query}").status_code == 200
