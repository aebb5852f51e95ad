"""Renewing an award: when it is open, what carries over, and how the pages show expiry."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from artsmark.accounts.tests.factories import UserFactory
from artsmark.common.activity import activity_for
from artsmark.schools.tests.factories import SchoolMembershipFactory
from journeys.enums import Stage
from journeys.models import (
    Framework,
    ImpactDraft,
    Invoice,
    Journey,
    Partnership,
    PrincipleRating,
    StrandAssessment,
)
from journeys.services.frameworks import copy_framework, publish_framework
from journeys.services.renewal import renew_journey
from journeys.tests.factories import GoalFactory, JourneyFactory

ALL = {"copy_goals": True, "copy_self_assessment": True, "copy_partnerships": True}
NOTHING = dict.fromkeys(ALL, False)


def _today():
    return timezone.localdate()


def awarded(school, *, expires_in=30, stage=Stage.AWARDED):
    """A finished journey with goals, a self-assessment (and a final one) and partnerships."""
    journey = JourneyFactory(
        school=school,
        stage=stage,
        award_expires=_today() + datetime.timedelta(days=expires_in),
    )
    first = GoalFactory(journey=journey, order=0, title="Every pupil performs")
    GoalFactory(journey=journey, order=1, title="Artists in every classroom")
    PrincipleRating.objects.create(
        journey=journey, principle="excellence", level="secure", evidence="Our choir."
    )
    PrincipleRating.objects.create(
        journey=journey, principle="inclusive", level="development", evidence="SEND clubs."
    )
    StrandAssessment.objects.create(journey=journey, strand="partnerships", level="gold")
    StrandAssessment.objects.create(journey=journey, strand="leadership", level="silver")
    ImpactDraft.objects.create(
        journey=journey,
        final_ratings={"excellence": {"level": "embedded", "evidence": "Pupils lead now."}},
    )
    Partnership.objects.create(journey=journey, partner_name="Theatre Royal", goal=first)
    Partnership.objects.create(journey=journey, partner_name="Local Library")
    return journey


def _counts():
    return (Journey.objects.count(), Invoice.objects.count())


# --- The service ------------------------------------------------------------------------------


def test_renewal_starts_a_journey_from_everything_ticked(world):
    old = awarded(world.school_a)

    new = renew_journey(journey=old, actor=world.teacher_a, **ALL)

    assert new.renewed_from == old
    assert new.framework == Framework.objects.current()
    assert new.stage == Stage.COMMITMENT_DRAFT
    assert Invoice.objects.filter(journey=new).exists()
    assert list(new.goals.values_list("title", "baseline")) == list(
        old.goals.values_list("title", "baseline")
    )
    assert dict(new.principle_ratings.values_list("principle", "level")) == {
        "excellence": "embedded",  # the latest (final) self-assessment
        "inclusive": "development",
    }
    assert new.principle_ratings.get(principle="excellence").evidence == "Pupils lead now."
    assert dict(new.strand_assessments.values_list("strand", "level")) == {
        "partnerships": "gold",
        "leadership": "silver",
    }
    theatre = new.partnerships.get(partner_name="Theatre Royal")
    assert theatre.goal.journey_id == new.pk
    assert theatre.goal.title == "Every pupil performs"
    assert new.partnerships.get(partner_name="Local Library").goal is None
    assert old.goals.count() == 2 and old.partnerships.count() == 2  # the old one is kept
    assert "renewal_started" in [e.verb for e in activity_for(old)]
    started = [e for e in activity_for(new) if e.verb == "started_as_renewal"]
    assert len(started) == 1
    assert "2 goals, the self-assessment, 2 partnerships" in started[0].note


def test_renewal_copies_only_what_was_ticked(world):
    old = awarded(world.school_a)
    new = renew_journey(journey=old, actor=world.teacher_a, **{**NOTHING, "copy_goals": True})
    assert new.goals.count() == 2
    assert not new.principle_ratings.exists()
    assert not new.strand_assessments.exists()
    assert not new.partnerships.exists()


def test_renewal_of_partnerships_without_goals_links_no_goal(world):
    old = awarded(world.school_a)
    new = renew_journey(
        journey=old, actor=world.teacher_a, **{**NOTHING, "copy_partnerships": True}
    )
    assert not new.goals.exists()
    assert list(new.partnerships.values_list("goal", flat=True)) == [None, None]


def test_renewal_with_nothing_ticked_starts_an_empty_journey(world):
    old = awarded(world.school_a)
    new = renew_journey(journey=old, actor=world.teacher_a, **NOTHING)
    assert new.stage == Stage.REGISTERED
    assert not new.goals.exists() and not new.partnerships.exists()
    assert not new.principle_ratings.exists()


def test_renewal_carries_only_what_the_current_framework_still_has(world):
    old = awarded(world.school_a)
    newer = copy_framework(framework=old.framework)
    newer.quality_principles.filter(slug="inclusive").delete()
    newer.strands.filter(slug="leadership").delete()
    newer.scale_levels.filter(slug="embedded").update(slug="established")
    publish_framework(framework=newer)

    new = renew_journey(journey=old, actor=world.teacher_a, **ALL)

    assert new.framework == newer
    assert list(new.principle_ratings.values_list("principle", "level", "evidence")) == [
        ("excellence", "", "Pupils lead now.")  # its level is no longer on the scale
    ]
    assert list(new.strand_assessments.values_list("strand", flat=True)) == ["partnerships"]


@pytest.mark.parametrize("expires_in", [180, 1, 0, -400])
def test_renewal_is_open_from_the_invitation_until_after_expiry(world, expires_in):
    old = awarded(world.school_a, expires_in=expires_in)
    assert renew_journey(journey=old, actor=world.teacher_a, **NOTHING).renewed_from == old


def _refused(journey, actor, match):
    before = _counts()
    with pytest.raises(ValidationError, match=match):
        renew_journey(journey=journey, actor=actor, **ALL)
    assert _counts() == before


def test_renewal_before_the_invitation_is_refused(world):
    old = awarded(world.school_a, expires_in=181)
    opens = (old.award_expires - datetime.timedelta(days=180)).strftime("%B %Y")
    _refused(old, world.teacher_a, f"Renewal opens on .*{opens}")


@pytest.mark.parametrize("stage", [Stage.NOT_AWARDED, Stage.WITHDRAWN])
def test_renewal_of_a_journey_not_awarded_is_refused(world, stage):
    _refused(awarded(world.school_a, stage=stage), world.teacher_a, "Only an awarded journey")


def test_renewal_while_a_journey_is_under_way_is_refused(world):
    old = awarded(world.school_a)
    JourneyFactory(school=world.school_a, stage=Stage.COMMITMENT_DRAFT)
    _refused(old, world.teacher_a, "already has an Artsmark journey under way")


def test_renewing_twice_is_refused(world):
    old = awarded(world.school_a)
    renew_journey(journey=old, actor=world.teacher_a, **ALL)
    _refused(old, world.teacher_a, "already been renewed")


def test_renewal_by_anyone_but_the_lead_or_staff_is_refused(world):
    old = awarded(world.school_a)
    member = UserFactory()
    SchoolMembershipFactory(user=member, school=world.school_a)
    for actor in (member, world.reviewer_a, world.teacher_b):
        _refused(old, actor, "Only the school's Artsmark lead")
    assert renew_journey(journey=old, actor=world.admin, **NOTHING).registered_by == world.admin


# --- The renewal page -------------------------------------------------------------------------


def _renew_url(journey):
    return reverse("journeys:renew", kwargs={"pk": journey.pk})


def test_renewal_page_shows_what_carries_over_all_ticked(world, client_for):
    old = awarded(world.school_a)
    response = client_for(world.teacher_a).get(_renew_url(old))
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("checked") == 3
    for text in ["Every pupil performs", "Theatre Royal", "Local Library", "Being authentic"]:
        assert (text in content) == (text != "Being authentic")
    assert "Striving for excellence and innovation" in content
    assert "Start the new journey" in content


def test_renewal_page_renews_and_goes_to_the_new_journey(world, client_for):
    old = awarded(world.school_a)
    response = client_for(world.teacher_a).post(
        _renew_url(old), {"copy_goals": "on", "copy_partnerships": "on"}
    )
    new = Journey.objects.get(renewed_from=old)
    assert response.status_code == 302
    assert response["Location"] == reverse("journeys:detail", kwargs={"pk": new.pk})
    assert new.goals.count() == 2 and new.partnerships.count() == 2
    assert not new.principle_ratings.exists()


def test_renewal_page_submitted_twice_starts_one_journey_and_says_why(world, client_for):
    old = awarded(world.school_a)
    client = client_for(world.teacher_a)
    before = _counts()

    first = client.post(_renew_url(old), {"copy_goals": "on"})
    second = client.post(_renew_url(old), {"copy_goals": "on"})

    assert first.status_code == 302
    assert second.status_code == 400
    assert b"There is a problem" in second.content
    assert b"already been renewed" in second.content
    assert _counts() == (before[0] + 1, before[1] + 1)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_renewals_at_once_start_one_journey(world):
    """Two real connections (a double click): the row lock makes the second wait, then
    refuses it."""
    old = awarded(world.school_a)
    start = threading.Barrier(2)
    outcomes = []

    def renew():
        try:
            start.wait(timeout=10)
            renew_journey(journey=Journey.objects.get(pk=old.pk), actor=world.teacher_a, **ALL)
            outcomes.append("renewed")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=renew) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == [
        "This award has already been renewed: the new journey is on the school's page.",
        "renewed",
    ]
    assert Journey.objects.filter(renewed_from=old).count() == 1


def test_renewal_page_of_an_expired_award_says_it_expired(world, client_for):
    old = awarded(world.school_a, expires_in=-3)
    response = client_for(world.teacher_a).get(_renew_url(old))
    assert f"The award expired on {old.award_expires:%-d %B %Y}".encode() in response.content
    assert b"Start the new journey" in response.content


@pytest.mark.parametrize("pk", [0, 2**63, 10**30])
def test_renewal_page_with_an_impossible_id_is_404(world, client_for, pk):
    awarded(world.school_a)
    url = reverse("journeys:renew", kwargs={"pk": pk})
    assert client_for(world.admin).get(url).status_code == 404
    assert client_for(world.admin).post(url, {"copy_goals": "on"}).status_code == 404


def test_renewal_page_before_the_invitation_says_when(world, client_for):
    old = awarded(world.school_a, expires_in=365)
    client = client_for(world.teacher_a)
    response = client.get(_renew_url(old))
    assert response.status_code == 200
    assert b"Renewal opens on" in response.content
    assert b"Start the new journey" not in response.content
    response = client.post(_renew_url(old), {"copy_goals": "on"})
    assert response.status_code == 400
    assert b"There is a problem" in response.content
    assert not Journey.objects.filter(renewed_from=old).exists()


@pytest.mark.parametrize(("role", "status"), [("reviewer_a", 403), ("teacher_b", 404)])
def test_renewal_page_is_for_the_school_lead(world, client_for, role, status):
    old = awarded(world.school_a)
    client = client_for(world.user(role))
    assert client.get(_renew_url(old)).status_code == status
    assert client.post(_renew_url(old), {"copy_goals": "on"}).status_code == status
    assert not Journey.objects.filter(renewed_from=old).exists()


def test_renewal_page_refuses_a_member_who_is_not_the_lead(world, client_for):
    member = UserFactory()
    SchoolMembershipFactory(user=member, school=world.school_a)
    assert client_for(member).get(_renew_url(awarded(world.school_a))).status_code == 403


# --- The journey page -------------------------------------------------------------------------


def _detail(client, journey):
    return client.get(reverse("journeys:detail", kwargs={"pk": journey.pk})).content.decode()


def test_award_within_the_window_shows_expiry_and_the_call_to_renew(world, client_for):
    old = awarded(world.school_a, expires_in=30)
    content = _detail(client_for(world.teacher_a), old)
    assert f"Expires on {old.award_expires:%-d %B %Y}" in content
    assert "Expired on" not in content
    assert _renew_url(old) in content


def test_expired_award_is_shown_as_expired(world, client_for):
    old = awarded(world.school_a, expires_in=-3)
    content = _detail(client_for(world.teacher_a), old)
    assert f"Expired on {old.award_expires:%-d %B %Y}" in content
    assert ">Expired<" in content
    assert "Expires on" not in content
    assert _renew_url(old) in content


def test_award_outside_the_window_says_when_renewal_opens(world, client_for):
    old = awarded(world.school_a, expires_in=400)
    content = _detail(client_for(world.teacher_a), old)
    assert "Expires on" in content
    assert "You can renew from" in content
    assert _renew_url(old) not in content


def test_reviewer_sees_expiry_but_no_call_to_renew(world, client_for):
    old = awarded(world.school_a)
    content = _detail(client_for(world.reviewer_a), old)
    assert "Expires on" in content
    assert _renew_url(old) not in content


def test_renewed_award_links_both_journeys(world, client_for):
    old = awarded(world.school_a)
    new = renew_journey(journey=old, actor=world.teacher_a, **NOTHING)
    client = client_for(world.teacher_a)
    old_page = _detail(client, old)
    assert "Renewed:" in old_page
    assert reverse("journeys:detail", kwargs={"pk": new.pk}) in old_page
    assert _renew_url(old) not in old_page
    assert reverse("journeys:detail", kwargs={"pk": old.pk}) in _detail(client, new)


def test_fee_panel_of_a_renewal_costs_no_more_queries(world):
    from django.test.utils import CaptureQueriesContext

    from journeys.access import get_journey_for
    from journeys.fees_selectors import journey_fees
    from journeys.services.registration import register_school

    renewal = renew_journey(journey=awarded(world.school_a), actor=world.teacher_a, **NOTHING)
    fresh = register_school(school=world.school_b, actor=world.teacher_b)
    counts = []
    for started, user in [(fresh, world.teacher_b), (renewal, world.teacher_a)]:
        journey = get_journey_for(user, started.pk)
        with CaptureQueriesContext(connection) as queries:
            panel = journey_fees(journey=journey, user=user)
        assert panel["invoice"] is not None
        counts.append(len(queries))
    assert panel["renewed_from_id"] == renewal.renewed_from_id
    assert counts[0] == counts[1]
