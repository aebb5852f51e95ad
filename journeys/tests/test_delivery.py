"""Delivery: activities, self-assessment checkpoints, and the journey page's delivery panel."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from artsmark.common.activity import activity_for
from journeys import delivery_selectors
from journeys.enums import Stage
from journeys.models import Activity, SelfAssessmentCheckpoint
from journeys.services import checkpoints, delivery
from journeys.tests.delivery_permission_cases import certified_journey
from journeys.tests.factories import GoalFactory, JourneyFactory

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def journey(world):
    journey = JourneyFactory(school=world.school_a, stage=Stage.CERTIFIED)
    GoalFactory(journey=journey, title="Every pupil performs")
    return journey


def _log(journey, user, **kwargs):
    fields = {"happened_on": YESTERDAY, "title": "Choir concert", **kwargs}
    return delivery.log_activity(journey=journey, actor=user, **fields)


def _ratings(journey, level="secure"):
    return {p.slug: (level, "") for p in journey.framework.quality_principles.all()}


# --- Activity services ----------------------------------------------------------------------


def test_log_activity_saves_it_with_goals_and_logs_it(world, journey):
    goal = journey.goals.get()
    activity = _log(
        journey,
        world.teacher_a,
        title="  Dance workshop  ",
        pupils_involved=30,
        partners="Rambert",
        goals=[goal],
    )
    assert (activity.title, activity.pupils_involved, activity.partners) == (
        "Dance workshop",
        30,
        "Rambert",
    )
    assert list(activity.goals.all()) == [goal]
    assert activity.created_by == world.teacher_a
    assert [(e.verb, e.note) for e in activity_for(journey)] == [
        ("activity_logged", "Dance workshop")
    ]


@pytest.mark.parametrize(
    "stage", [Stage.COMMITMENT_DRAFT, Stage.COMMITMENT_SUBMITTED, Stage.IMPACT_SUBMITTED]
)
def test_log_activity_refused_outside_delivery(world, stage):
    journey = JourneyFactory(school=world.school_a, stage=stage)
    with pytest.raises(ValidationError) as error:
        _log(journey, world.teacher_a)
    assert "only while the school is delivering its plan" in error.value.messages[0]
    assert Activity.objects.count() == 0


def test_log_activity_refused_for_non_members(world, journey):
    for user in (world.reviewer_a, world.teacher_b, world.partner):
        with pytest.raises(ValidationError) as error:
            _log(journey, user)
        assert error.value.messages == ["Only members of the school can change its activities."]
    assert Activity.objects.count() == 0


def test_log_activity_allowed_for_admin(world, journey):
    assert _log(journey, world.admin).pk


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "  "}, "Say what happened."),
        ({"happened_on": timezone.localdate() + datetime.timedelta(days=1)}, "in the future"),
        ({"pupils_involved": -1}, "0 or more"),
        ({"title": "x" * 201}, "200 characters"),
    ],
)
def test_log_activity_refuses_bad_input(world, journey, fields, message):
    with pytest.raises(ValidationError, match=message):
        _log(journey, world.teacher_a, **fields)
    assert Activity.objects.count() == 0


def test_log_activity_refuses_another_journeys_goal(world, journey):
    other_goal = GoalFactory(journey=JourneyFactory(school=world.school_b))
    with pytest.raises(ValidationError, match="goals of this journey"):
        _log(journey, world.teacher_a, goals=[other_goal])
    assert Activity.objects.count() == 0


def test_update_and_remove_activity(world, journey):
    activity = _log(journey, world.teacher_a)
    delivery.update_activity(
        activity=activity,
        actor=world.teacher_a,
        happened_on=YESTERDAY,
        title="Choir concert at the town hall",
        goals=[],
    )
    activity.refresh_from_db()
    assert activity.title == "Choir concert at the town hall"
    delivery.remove_activity(activity=activity, actor=world.teacher_a)
    assert Activity.objects.count() == 0
    assert [e.verb for e in activity_for(journey)] == [
        "activity_logged",
        "activity_updated",
        "activity_removed",
    ]


# --- Activity views -------------------------------------------------------------------------


def test_activity_add_view_logs_activity(world, client_for, journey):
    goal = journey.goals.get()
    url = reverse("journeys:activity_add", kwargs={"pk": journey.pk})
    client = client_for(world.teacher_a)
    page = client.get(url).content.decode()
    assert "Every pupil performs" in page
    response = client.post(
        url,
        {
            "happened_on": YESTERDAY.isoformat(),
            "title": "Gallery visit",
            "pupils_involved": "60",
            "partners": "Tate Modern",
            "goals": [goal.pk],
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert (activity.title, activity.pupils_involved) == ("Gallery visit", 60)


def test_activity_add_view_bad_input_shows_errors_and_changes_nothing(world, client_for, journey):
    url = reverse("journeys:activity_add", kwargs={"pk": journey.pk})
    response = client_for(world.teacher_a).post(
        url, {"happened_on": "not a date", "title": "", "pupils_involved": "many", "goals": ["x"]}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Say what happened." in body
    assert Activity.objects.count() == 0


def test_activity_views_redirect_when_not_delivering(world, client_for):
    journey = JourneyFactory(school=world.school_a, stage=Stage.COMMITMENT_DRAFT)
    url = reverse("journeys:activity_add", kwargs={"pk": journey.pk})
    response = client_for(world.teacher_a).post(url, {"title": "x"})
    assert response.status_code == 302
    assert response["Location"] == reverse("journeys:delivery", kwargs={"pk": journey.pk})
    assert Activity.objects.count() == 0


def test_activity_edit_and_delete_views(world, client_for, journey):
    activity = _log(journey, world.teacher_a)
    client = client_for(world.teacher_a)
    edit = reverse("journeys:activity_edit", kwargs={"pk": journey.pk, "activity_pk": activity.pk})
    assert 'value="Choir concert"' in client.get(edit).content.decode()
    response = client.post(edit, {"happened_on": YESTERDAY.isoformat(), "title": "Choir tour"})
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Choir tour"
    remove = reverse(
        "journeys:activity_delete", kwargs={"pk": journey.pk, "activity_pk": activity.pk}
    )
    assert "Remove the activity “Choir tour”?" in client.get(remove).content.decode()
    assert Activity.objects.count() == 1
    assert client.post(remove).status_code == 302
    assert Activity.objects.count() == 0


def test_reviewer_reads_activities_but_cannot_change_them(world, client_for, journey):
    activity = _log(journey, world.teacher_a)
    client = client_for(world.reviewer_a)
    listing = client.get(reverse("journeys:activities", kwargs={"pk": journey.pk}))
    assert "Choir concert" in listing.content.decode()
    assert "Log an activity" not in listing.content.decode()
    remove = reverse(
        "journeys:activity_delete", kwargs={"pk": journey.pk, "activity_pk": activity.pk}
    )
    assert client.post(remove).status_code == 403
    assert Activity.objects.count() == 1


def test_another_schools_activity_is_404(world, client_for, journey):
    other = certified_journey(school=world.school_b, lead=world.teacher_b)
    theirs = other.activities.get()
    url = reverse("journeys:activity_edit", kwargs={"pk": journey.pk, "activity_pk": theirs.pk})
    assert client_for(world.teacher_a).get(url).status_code == 404
    url = reverse("journeys:activity_edit", kwargs={"pk": other.pk, "activity_pk": theirs.pk})
    assert client_for(world.teacher_a).get(url).status_code == 404
    assert client_for(world.reviewer_a).get(url).status_code == 404


def test_activities_empty_state_says_what_to_do(world, client_for, journey):
    url = reverse("journeys:activities", kwargs={"pk": journey.pk})
    assert "No activities logged yet. Use “Log an activity”" in (
        client_for(world.teacher_a).get(url).content.decode()
    )


def test_activities_list_paginates_by_25(world, client_for, journey):
    for index in range(26):
        _log(journey, world.teacher_a, title=f"Activity {index}")
    url = reverse("journeys:activities", kwargs={"pk": journey.pk})
    client = client_for(world.teacher_a)
    assert "Page 1 of 2" in client.get(url).content.decode()
    assert client.get(url, {"page": "99999999999999999999"}).status_code == 200


def test_activities_list_query_count_same_with_1_and_5(world, client_for, journey):
    client = client_for(world.teacher_a)
    url = reverse("journeys:activities", kwargs={"pk": journey.pk})
    goal = journey.goals.get()
    counts = []
    for total in (1, 5):
        while Activity.objects.count() < total:
            _log(journey, world.teacher_a, goals=[goal])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- Checkpoints ----------------------------------------------------------------------------


def test_take_checkpoint_freezes_ratings_in_framework_order(world, journey):
    checkpoint = checkpoints.take_checkpoint(
        journey=journey, actor=world.teacher_a, label=" Summer ", ratings=_ratings(journey)
    )
    principles = list(journey.framework.quality_principles.all())
    assert checkpoint.label == "Summer"
    assert [r["principle"] for r in checkpoint.ratings] == [p.slug for p in principles]
    assert checkpoint.ratings[0] == {
        "principle": principles[0].slug,
        "title": principles[0].title,
        "level": "secure",
        "level_label": "Secure",
        "evidence": "",
    }
    assert [e.verb for e in activity_for(journey)] == ["checkpoint_taken"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: {**r, "made-up": ("secure", "")}, "Unknown Quality Principle"),
        (lambda r: dict.fromkeys(r, ("legendary", "")), "framework's scale"),
        (lambda r: dict(list(r.items())[1:]), "Choose a rating for every Quality Principle"),
    ],
)
def test_take_checkpoint_refuses_bad_ratings(world, journey, change, message):
    with pytest.raises(ValidationError, match=message):
        checkpoints.take_checkpoint(
            journey=journey, actor=world.teacher_a, label="", ratings=change(_ratings(journey))
        )
    assert SelfAssessmentCheckpoint.objects.count() == 0


def test_take_checkpoint_refused_for_reviewer_and_outside_delivery(world, journey):
    with pytest.raises(ValidationError):
        checkpoints.take_checkpoint(
            journey=journey, actor=world.reviewer_a, label="", ratings=_ratings(journey)
        )
    journey.stage = Stage.AWARDED
    with pytest.raises(ValidationError):
        checkpoints.take_checkpoint(
            journey=journey, actor=world.teacher_a, label="", ratings=_ratings(journey)
        )
    assert SelfAssessmentCheckpoint.objects.count() == 0


def test_checkpoint_view_saves_and_missing_rating_is_explained(world, client_for, journey):
    url = reverse("journeys:checkpoint_add", kwargs={"pk": journey.pk})
    client = client_for(world.teacher_a)
    principles = list(journey.framework.quality_principles.all())
    data = {f"rating_{p.slug}": "embedded" for p in principles[1:]}
    response = client.post(url, data)
    assert response.status_code == 200
    assert f"Choose a rating for {principles[0].title}." in response.content.decode()
    assert SelfAssessmentCheckpoint.objects.count() == 0
    data[f"rating_{principles[0].slug}"] = "secure"
    assert client.post(url, {**data, "label": "Spring"}).status_code == 302
    assert SelfAssessmentCheckpoint.objects.get().label == "Spring"


# --- Baseline against latest, the delivery page and the journey page ----------------------


def test_comparison_shows_baseline_against_latest_checkpoint(world):
    journey = certified_journey(school=world.school_a, lead=world.teacher_a)
    first = journey.framework.quality_principles.first()
    ratings = _ratings(journey)
    ratings[first.slug] = ("development", "")
    checkpoints.take_checkpoint(
        journey=journey, actor=world.teacher_a, label="Latest", ratings=ratings
    )
    comparison = delivery_selectors.self_assessment_comparison(journey=journey)
    assert comparison["latest"].label == "Latest"
    rows = {row["principle"]: row for row in comparison["rows"]}
    assert (rows[first.slug]["baseline"], rows[first.slug]["latest"]) == (
        "Area for development",
        "Area for development",
    )
    assert rows[first.slug]["change"] == "No change"
    others = [row for slug, row in rows.items() if slug != first.slug]
    assert {row["change"] for row in others} == {"Moved up"}


def test_journey_page_shows_delivery_panel_with_comparison(world, client_for):
    journey = certified_journey(school=world.school_a, lead=world.teacher_a)
    for user in (world.teacher_a, world.reviewer_a):
        body = client_for(user).get(reverse("journeys:detail", kwargs={"pk": journey.pk}))
        body = body.content.decode()
        assert 'id="delivery-title"' in body
        assert "Evidence locker</a>: 2 items" in body
        assert "Area for development" in body and "Moved up" in body


def test_journey_page_has_no_delivery_panel_before_certification(world, client_for):
    journey = JourneyFactory(school=world.school_a, stage=Stage.COMMITMENT_DRAFT)
    body = client_for(world.teacher_a).get(reverse("journeys:detail", kwargs={"pk": journey.pk}))
    assert 'id="delivery-title"' not in body.content.decode()


def test_journey_page_query_count_same_with_1_and_5_delivery_rows(world, client_for):
    journey = certified_journey(school=world.school_a, lead=world.teacher_a)
    client = client_for(world.teacher_a)
    url = reverse("journeys:detail", kwargs={"pk": journey.pk})
    client.get(url)  # the framework's parts are cached from here on
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(4):
        _log(journey, world.teacher_a)
        checkpoints.take_checkpoint(
            journey=journey, actor=world.teacher_a, label="", ratings=_ratings(journey)
        )
    with CaptureQueriesContext(connection) as five:
        client.get(url)
    assert len(one) == len(five)


def test_delivery_page_counts_per_goal(world, client_for):
    journey = certified_journey(school=world.school_a, lead=world.teacher_a)
    body = client_for(world.reviewer_a).get(reverse("journeys:delivery", kwargs={"pk": journey.pk}))
    body = body.content.decode()
    assert "Every pupil performs to an audience</th><td>1</td><td>1</td>" in body
    assert "Log an activity" not in body  # reviewers read only
