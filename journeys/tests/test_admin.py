import pytest
from django.urls import reverse

from journeys.models import Framework
from journeys.tests.factories import JourneyFactory


@pytest.mark.parametrize("in_use", [False, True])
def test_framework_admin_pages_render(world, client_for, in_use):
    framework = Framework.objects.current()
    if in_use:
        JourneyFactory(school=world.school_a)
    client = client_for(world.admin)
    section = framework.sections.first()
    for url in [
        reverse("admin:journeys_framework_changelist"),
        reverse("admin:journeys_framework_change", args=[framework.pk]),
        reverse("admin:journeys_frameworksection_change", args=[section.pk]),
        reverse("admin:journeys_journey_changelist"),
    ]:
        assert client.get(url).status_code == 200


def test_framework_admin_copy_and_publish_actions(world, client_for):
    framework = Framework.objects.current()
    client = client_for(world.admin)
    url = reverse("admin:journeys_framework_changelist")
    client.post(url, {"action": "copy_as_new_version", "_selected_action": [framework.pk]})
    copy = Framework.objects.get(version=2)
    assert copy.sections.count() == framework.sections.count()
    assert not copy.is_current
    client.post(url, {"action": "publish", "_selected_action": [copy.pk]})
    assert Framework.objects.current() == copy
