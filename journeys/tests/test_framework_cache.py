"""A framework's parts come from the cache, and an admin's edit is seen at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from journeys.framework_cache import framework_parts
from journeys.models import Framework, FrameworkQuestion, QualityPrinciple, ScaleLevel
from journeys.tests.factories import JourneyFactory

pytestmark = pytest.mark.django_db


def test_parts_are_read_once_then_served_from_the_cache():
    framework = Framework.objects.current()
    with CaptureQueriesContext(connection) as first:
        parts = framework_parts(framework.pk)
    with CaptureQueriesContext(connection) as second:
        again = framework_parts(framework.pk)
    assert len(first) == 5  # sections, their questions, scale, principles, strands
    assert len(second) == 0
    assert [s.pk for s in again.sections] == [s.pk for s in parts.sections]
    assert [q.slug for q in again.sections[0].questions.all()] == [
        q.slug for q in parts.sections[0].questions.all()
    ]
    assert [p.slug for p in again.quality_principles] == list(
        QualityPrinciple.objects.filter(framework=framework).values_list("slug", flat=True)
    )


def test_editing_a_question_is_seen_on_the_next_page(world, client_for):
    journey = JourneyFactory(school=world.school_a)
    client = client_for(world.teacher_a)
    url = reverse("journeys:commitment", kwargs={"pk": journey.pk})
    client.get(url)  # the parts are now cached
    section = framework_parts(journey.framework_id).sections[0]
    section.title = "A title an admin has just changed"
    section.save()
    assert "A title an admin has just changed" in client.get(url).content.decode()
    question = FrameworkQuestion.objects.filter(section=section).first()
    question.title = "A question an admin has just changed"
    question.save()
    titles = [q.title for q in framework_parts(journey.framework_id).sections[0].questions.all()]
    assert "A question an admin has just changed" in titles


def test_deleting_a_scale_level_is_seen_at_once():
    framework = Framework.objects.current()
    before = [level.slug for level in framework_parts(framework.pk).scale_levels]
    ScaleLevel.objects.filter(framework=framework, slug=before[-1]).delete()
    assert [level.slug for level in framework_parts(framework.pk).scale_levels] == before[:-1]
