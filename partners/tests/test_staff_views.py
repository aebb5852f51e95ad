"""Partner staff: creating a listing, offers, submitting, joining an organisation."""

import pytest
from django.core import mail
from django.urls import reverse

from artsmark.accounts.tests.factories import UserFactory
from artsmark.schools.tests.factories import local_authority
from partners.enums import ListingStatus
from partners.models import PartnerMembership, PartnerOrganisation
from partners.tests.factories import PartnerMembershipFactory, published_organisation

pytestmark = pytest.mark.django_db


def test_create_organisation_makes_user_its_admin(client_for):
    user = UserFactory()
    newham = local_authority("316")
    response = client_for(user).post(
        reverse("partners:create_organisation"),
        {
            "name": "Stratford Sound",
            "description": "Music for schools.",
            "website": "stratford.example.test",
            "local_authority": newham.pk,
            "serves_local_authorities": [newham.pk],
            "art_forms": ["music"],
        },
    )
    organisation = PartnerOrganisation.objects.get(name="Stratford Sound")
    assert response.status_code == 302
    assert organisation.status == ListingStatus.DRAFT
    assert organisation.website == "https://stratford.example.test"
    membership = PartnerMembership.objects.get(organisation=organisation)
    assert (membership.user, membership.role, membership.status) == (user, "admin", "approved")


def test_create_organisation_bad_input_keeps_text_and_changes_nothing(client_for):
    response = client_for(UserFactory()).post(
        reverse("partners:create_organisation"),
        {"name": "Kept Name", "website": "not a url", "local_authority": "999999"},
    )
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b'value="Kept Name"' in response.content
    assert PartnerOrganisation.objects.count() == 0


def test_offer_bad_input_changes_nothing(client_for):
    organisation = published_organisation()
    staff = PartnerMembershipFactory(organisation=organisation).user
    response = client_for(staff).post(
        reverse("partners:add_offer", args=[organisation.pk]),
        {"title": "Half an offer", "offer_type": "nonsense"},
    )
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert organisation.offers.count() == 1


def test_submit_without_offers_is_refused_with_reasons(client_for):
    user = UserFactory()
    from partners.tests.factories import PartnerOrganisationFactory

    organisation = PartnerOrganisationFactory(description="")
    PartnerMembershipFactory(organisation=organisation, user=user)
    response = client_for(user).post(
        reverse("partners:submit_listing", args=[organisation.pk]), follow=True
    )
    assert b"Add at least one offer." in response.content
    organisation.refresh_from_db()
    assert organisation.status == ListingStatus.DRAFT


def test_join_request_then_admin_approves(client_for, django_capture_on_commit_callbacks):
    organisation = published_organisation(name="Joinable Arts")
    admin = PartnerMembershipFactory(organisation=organisation).user
    newcomer = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(newcomer).post(
            reverse("partners:join_organisation", args=[organisation.pk]), {"message": "Hi"}
        )
    assert [m.to for m in mail.outbox] == [[admin.email]]
    membership = PartnerMembership.objects.get(user=newcomer)
    assert membership.status == "pending"
    url = reverse("partners:manage", args=[organisation.pk])
    assert client_for(newcomer).get(url).status_code == 404
    client_for(admin).post(
        reverse("partners:approve_member", args=[organisation.pk, membership.pk])
    )
    membership.refresh_from_db()
    assert membership.status == "approved"
    assert client_for(newcomer).get(url).status_code == 200


def test_find_organisation_lists_only_published(client_for):
    published_organisation(name="Findable Gallery")
    from partners.tests.factories import PartnerOrganisationFactory

    PartnerOrganisationFactory(name="Findable Draft Gallery")
    response = client_for(UserFactory()).get(
        reverse("partners:find_organisation"), {"q": "Findable"}
    )
    assert b"Findable Gallery" in response.content
    assert b"Findable Draft" not in response.content
