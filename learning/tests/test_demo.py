"""The demo's learning programme: seeded before the demo journeys, the same world every time."""

import pytest
from django.apps import apps

from artsmark.schools import demo as school_demo
from journeys import demo as journeys_demo
from journeys.demo import OTHER_STAGES
from journeys.enums import Stage
from journeys.models import Journey
from journeys.selectors import commitment_problems, commitment_snapshot
from learning import demo
from learning.enums import BookingStatus
from learning.models import Booking, LearningSession
from partners import demo as partners_demo

pytestmark = pytest.mark.django_db


def _row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def _seed():
    """In settings.DEMO_SEEDERS' order: learning's two seeders around journeys and partners."""
    school_demo.seed()
    demo.seed()
    journeys_demo.seed()
    partners_demo.seed()
    demo.seed_partner_bookings()


def _session(key):
    return LearningSession.objects.get(title=demo.SESSIONS[key][1])


def test_demo_seed_twice_builds_the_same_learning_programme():
    _seed()
    first = _row_counts()
    _seed()
    assert _row_counts() == first
    assert first["learning.LearningSession"] == len(demo.SESSIONS)
    _journeys_past_submission_had_their_development_day()
    _rosewood_still_needs_a_development_day_and_has_a_module_booked()
    _full_session_waiting_list_partner_training_and_attendance_to_mark()


def _journeys_past_submission_had_their_development_day():
    stages = dict(
        Journey.objects.filter(school__urn__in=OTHER_STAGES).values_list("school__urn", "stage")
    )
    assert stages == {urn: str(stage) for urn, stage in OTHER_STAGES.items()}
    attended = set(
        Booking.objects.filter(attended=True, session__kind="development_day").values_list(
            "school__urn", flat=True
        )
    )
    assert attended == set(OTHER_STAGES)


def _rosewood_still_needs_a_development_day_and_has_a_module_booked():
    journey = Journey.objects.select_related("framework").get(
        school__urn=990001, stage=Stage.COMMITMENT_DRAFT
    )
    snapshot = commitment_snapshot(journey=journey)
    messages = [p["message"] for p in commitment_problems(journey=journey, snapshot=snapshot)]
    assert "Learning programme: attend a development day (book one)" in messages
    module = Booking.objects.get(user__email="lead@example.org")
    assert module.session == _session("planning_module")
    assert module.status == BookingStatus.BOOKED


def _full_session_waiting_list_partner_training_and_attendance_to_mark():
    full = _session("arts_award")
    statuses = list(full.bookings.order_by("created_at", "id").values_list("status", flat=True))
    assert statuses == ["booked"] * full.capacity + ["waiting", "waiting"]
    partner = Booking.objects.get(user__email="partner@example.org")
    assert partner.session == _session("partner_training")
    assert partner.partner_organisation.name == "Newham Youth Theatre"
    yesterday = _session("pupil_voice")
    assert yesterday.bookings.filter(user__email="teacher@example.org", attended=None).exists()
