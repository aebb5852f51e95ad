import pytest
from django.urls import reverse

from artsmark.schools.models import Region
from artsmark.schools.tests.factories import local_authority
from journeys.tests.factories import GoalFactory, JourneyFactory
from partners.selectors import partners_for_journey
from partners.tests.factories import published_organisation

pytestmark = pytest.mark.django_db


def test_matching_ranks_by_place_and_goals_with_reasons(world):
    journey = JourneyFactory(school=world.school_a)  # Newham, primary
    GoalFactory(
        journey=journey,
        quality_principles=["involving", "belonging", "inclusive"],
        art_forms=["theatre"],
        strands=["cpd"],
    )
    newham, birmingham = local_authority("316"), local_authority("330")
    fits = {
        "offer_type": "cpd",
        "quality_principles": ["involving", "belonging", "inclusive"],
        "art_forms": ["theatre"],
        "key_stages": ["ks2"],
    }
    published_organisation(name="Near and fitting", serves=[newham], offer_kwargs=fits)
    published_organisation(name="Far but fitting", serves=[birmingham], offer_kwargs=fits)
    published_organisation(
        name="Near, other goals",
        serves=[newham],
        offer_kwargs={"quality_principles": ["excellence"], "art_forms": ["music"]},
    )
    published_organisation(
        name="Secondary only", serves=[newham], offer_kwargs={**fits, "key_stages": ["ks4"]}
    )
    london = Region.objects.get(pk=newham.region_id)
    whole_region = published_organisation(name="Zone: all of London", serves=[], offer_kwargs=fits)
    whole_region.serves_regions.set([london])
    from partners.tests.factories import publish_now

    publish_now(whole_region)

    matches = partners_for_journey(journey=journey)["matches"]
    assert [m.name for m in matches] == [
        "Near and fitting",
        "Zone: all of London",  # serving London means serving Newham
        "Far but fitting",
        "Near, other goals",
    ]
    assert matches[0].reasons[:2] == [
        "serves Newham",
        (
            "supports 3 of your goals' principles (Ensuring a positive and inclusive experience, "
            "Actively involving children and young people, Developing belonging and ownership)"
        ),
    ]
    assert matches[1].reasons[0] == "serves Newham"


def test_matching_page_shows_reasons(world, client_for):
    journey = JourneyFactory(school=world.school_a)
    GoalFactory(journey=journey)
    published_organisation(name="Stage Right", serves=[local_authority("316")])
    response = client_for(world.teacher_a).get(reverse("partners:matching", args=[journey.pk]))
    assert response.status_code == 200
    assert "serves Newham" in response.content.decode()
