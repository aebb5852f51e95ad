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
        "Near, other goals",  # near comes before far, however well far fits
        "Far but fitting",
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


def _newham_plan(world):
    journey = JourneyFactory(school=world.school_a)  # Newham, London, primary
    GoalFactory(
        journey=journey,
        quality_principles=["involving", "belonging", "inclusive"],
        art_forms=["theatre", "dance"],
        strands=["cpd"],
    )
    return journey


def test_matching_same_la_partner_ranks_first(world):
    journey = _newham_plan(world)
    perfect = {
        "offer_type": "cpd",
        "quality_principles": ["involving", "belonging", "inclusive"],
        "art_forms": ["theatre", "dance"],
        "key_stages": ["ks2"],
    }
    for name, code in [
        ("Leeds Stage", "383"),
        ("Plymouth Dance", "879"),
        ("Liverpool Arts", "341"),
    ]:
        published_organisation(name=name, serves=[local_authority(code)], offer_kwargs=perfect)
    published_organisation(
        name="Newham Makers",
        serves=[local_authority("316")],
        offer_kwargs={"quality_principles": ["excellence"], "art_forms": ["music"]},
    )
    matches = partners_for_journey(journey=journey)["matches"]
    assert matches[0].name == "Newham Makers"
    assert matches[0].reasons[0] == "serves Newham"


def test_matching_filters_by_area_and_art_form(world, client_for):
    journey = _newham_plan(world)
    newham, hackney, leeds = local_authority("316"), local_authority("204"), local_authority("383")
    published_organisation(name="Newham Theatre", serves=[newham])
    published_organisation(
        name="Hackney Dance",
        serves=[hackney],
        art_forms=["dance"],
        offer_kwargs={"art_forms": ["dance"]},
    )
    published_organisation(name="Leeds Theatre", serves=[leeds])
    url = reverse("partners:matching", args=[journey.pk])
    client = client_for(world.teacher_a)

    def names(**query):
        response = client.get(url, query)
        assert response.status_code == 200
        return [m.name for m in response.context["matches"]]

    assert names() == ["Newham Theatre", "Hackney Dance", "Leeds Theatre"]
    assert names(area="local-authority") == ["Newham Theatre"]
    assert names(area="region") == ["Newham Theatre", "Hackney Dance"]
    assert names(area="anywhere", art_form="dance") == ["Hackney Dance"]
    assert names(area="region", art_form="theatre") == ["Newham Theatre"]
    # Nonsense is reported and ignored, never a 500.
    assert names(area="mars", art_form="<b>") == [
        "Newham Theatre",
        "Hackney Dance",
        "Leeds Theatre",
    ]


def test_matching_filter_form_is_labelled_get_form(world, client_for):
    journey = _newham_plan(world)
    page = client_for(world.teacher_a).get(reverse("partners:matching", args=[journey.pk]))
    html = page.content.decode()
    assert '<form method="get"' in html
    assert "Partners serving Newham" in html
    assert "Partners serving London" in html
    assert 'for="id_art_form"' in html
    assert "<legend" in html  # the area radios are a fieldset
