"""Who sees what: other organisations' staff get 404s; the public sees only approved data."""

import pytest
from django.urls import reverse

from artsmark.accounts.tests.factories import UserFactory
from partners.services.moderation import submit_listing
from partners.tests.factories import (
    OfferFactory,
    PartnerMembershipFactory,
    PartnerOrganisationFactory,
    published_organisation,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_organisations():
    mine = published_organisation(name="Mine Arts")
    theirs = published_organisation(name="Theirs Arts")
    me = PartnerMembershipFactory(organisation=mine).user
    PartnerMembershipFactory(organisation=theirs)
    return me, mine, theirs


@pytest.mark.parametrize(
    "name", ["manage", "edit_listing", "add_offer", "submit_listing", "staff", "inbox"]
)
def test_staff_other_organisation_pages_are_404(name, two_organisations, client_for):
    me, mine, theirs = two_organisations
    client = client_for(me)
    assert client.get(reverse(f"partners:{name}", args=[mine.pk])).status_code == 200
    assert client.get(reverse(f"partners:{name}", args=[theirs.pk])).status_code == 404
    assert client.post(reverse(f"partners:{name}", args=[theirs.pk]), {}).status_code == 404


def test_staff_other_organisation_offer_pages_are_404(two_organisations, client_for):
    me, mine, theirs = two_organisations
    offer = theirs.offers.get()
    client = client_for(me)
    for name in ["edit_offer", "delete_offer"]:
        url = reverse(f"partners:{name}", args=[theirs.pk, offer.pk])
        assert client.get(url).status_code == 404
        # Their offer through my organisation's URL is no way round it either.
        url = reverse(f"partners:{name}", args=[mine.pk, offer.pk])
        assert client.get(url).status_code == 404
    assert theirs.offers.count() == 1


def test_staff_member_cannot_manage_staff_403(client_for):
    organisation = published_organisation()
    member = PartnerMembershipFactory(organisation=organisation, role="member").user
    assert (
        client_for(member).get(reverse("partners:staff", args=[organisation.pk])).status_code == 403
    )


def test_pending_staff_member_is_404(client_for):
    organisation = published_organisation()
    waiting = PartnerMembershipFactory(
        organisation=organisation, role="member", status="pending"
    ).user
    response = client_for(waiting).get(reverse("partners:manage", args=[organisation.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("status", ["draft", "pending", "returned"])
def test_public_never_sees_unpublished_listing(status, client):
    organisation = PartnerOrganisationFactory(name="Hidden Listing Co", status=status)
    OfferFactory(organisation=organisation)
    assert client.get(reverse("partners:listing", args=[organisation.pk])).status_code == 404
    response = client.get(reverse("partners:directory"), {"q": "Hidden Listing"})
    assert b"Hidden Listing Co" not in response.content
    assert client.get(reverse("partners:directory")).content.count(b"Hidden Listing") == 0


def test_public_never_sees_pending_revision(client):
    organisation = published_organisation(name="Approved Name Arts", description="Approved text.")
    staff = PartnerMembershipFactory(organisation=organisation).user
    from partners.services.organisations import save_offer, update_listing

    update_listing(
        organisation=organisation,
        actor=staff,
        fields={"name": "Zebra Crossing Collective", "description": "Kaleidoscope text."},
        serves_local_authorities=[organisation.local_authority],
        serves_regions=[],
    )
    save_offer(
        organisation=organisation,
        actor=staff,
        fields={
            "title": "Kaleidoscope offer",
            "description": "x",
            "offer_type": "cpd",
            "cost": "free",
            "key_stages": ["ks2"],
        },
    )
    submit_listing(organisation=organisation, actor=staff)
    page = client.get(reverse("partners:listing", args=[organisation.pk])).content.decode()
    assert "Approved Name Arts" in page
    assert "Approved text." in page
    assert "Zebra Crossing Collective" not in page
    assert "Kaleidoscope" not in page
    for query in ["Zebra Crossing", "Kaleidoscope"]:
        results = client.get(reverse("partners:directory"), {"q": query}).content.decode()
        assert "No partners found" in results


def test_script_in_description_is_shown_as_text(client):
    organisation = published_organisation(
        name="<b>Bold</b> Arts",
        description="<script>alert('x')</script> We run workshops.",
        offer_kwargs={"title": "<img src=x onerror=alert(1)>"},
    )
    for url in [
        reverse("partners:listing", args=[organisation.pk]),
        reverse("partners:directory"),
        reverse("partners:offer", args=[organisation.pk, organisation.published.offers.get().pk]),
    ]:
        page = client.get(url).content.decode()
        assert "<script>alert" not in page
        assert "<img src=x" not in page
        assert "<b>Bold</b>" not in page
    page = client.get(reverse("partners:listing", args=[organisation.pk])).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_moderate_page_for_reviewer_of_other_area_is_404(world, client_for):
    organisation = published_organisation()  # in Newham: A New Direction moderates it
    assert (
        client_for(world.reviewer_other)
        .get(reverse("partners:moderate", args=[organisation.pk]))
        .status_code
        == 404
    )
    assert (
        client_for(world.reviewer_a)
        .get(reverse("partners:moderate", args=[organisation.pk]))
        .status_code
        == 200
    )


def test_reviewer_does_not_moderate_own_organisation(world, client_for):
    organisation = published_organisation()
    PartnerMembershipFactory(organisation=organisation, user=world.reviewer_a)
    url = reverse("partners:moderate", args=[organisation.pk])
    assert client_for(world.reviewer_a).get(url).status_code == 404


def test_bad_ids_are_404_not_500(client_for):
    client = client_for(UserFactory())
    for url in [
        "/directory/abc/",
        "/directory/99999999999999999999999/",
        "/directory/1/offers/zz/",
        "/partner-organisations/-1/",
        "/enquiries/0/",
        "/journeys/abc/partners/",
    ]:
        assert client.get(url).status_code == 404, url
