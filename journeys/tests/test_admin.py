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


@pytest.mark.parametrize(
    "model", ["review", "award", "feedbackrequest", "activity", "evidenceitem", "impactversion"]
)
def test_review_and_delivery_admin_lists_render_read_only(world, client_for, model):
    client = client_for(world.admin)
    response = client.get(reverse(f"admin:journeys_{model}_changelist"))
    assert response.status_code == 200
    assert client.get(reverse(f"admin:journeys_{model}_add")).status_code == 403
