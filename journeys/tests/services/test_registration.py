import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from artsmark.common.activity import activity_for
from journeys.enums import Stage
from journeys.models import Framework, Journey
from journeys.services.registration import register_school
from journeys.tests.factories import JourneyFactory


def test_register_school_opens_a_journey_on_the_current_framework(world):
    journey = register_school(school=world.school_a, actor=world.teacher_a)
    assert journey.stage == Stage.REGISTERED
    assert journey.framework == Framework.objects.current()
    assert journey.commitment_due is not None
    assert [e.verb for e in activity_for(journey)] == ["registered"]


def test_register_school_twice_is_refused(world):
    register_school(school=world.school_a, actor=world.teacher_a)
    with pytest.raises(ValidationError, match="already registered"):
        register_school(school=world.school_a, actor=world.teacher_a)
    assert Journey.objects.filter(school=world.school_a).count() == 1


def test_register_school_by_non_lead_is_refused(world):
    with pytest.raises(ValidationError, match="lead"):
        register_school(school=world.school_a, actor=world.reviewer_a)
    assert Journey.objects.count() == 0


def test_register_school_after_a_finished_journey_is_allowed(world):
    JourneyFactory(school=world.school_a, stage=Stage.AWARDED)
    journey = register_school(school=world.school_a, actor=world.teacher_a)
    assert journey.stage == Stage.REGISTERED


def test_journey_database_allows_one_open_journey_per_school(world):
    JourneyFactory(school=world.school_a, stage=Stage.CERTIFIED)
    with pytest.raises(IntegrityError), transaction.atomic():
        JourneyFactory(school=world.school_a, stage=Stage.REGISTERED)


def test_new_framework_version_leaves_existing_journeys_alone(world):
    from journeys.services.frameworks import copy_framework, publish_framework

    old = register_school(school=world.school_a, actor=world.teacher_a)
    new = copy_framework(framework=old.framework)
    new.sections.update(title="Changed")
    publish_framework(framework=new)
    old.refresh_from_db()
    assert old.framework.version == 1
    assert "Changed" not in set(old.framework.sections.values_list("title", flat=True))
    assert register_school(school=world.school_b, actor=world.teacher_b).framework == new
    assert new.sections.count() == old.framework.sections.count()
