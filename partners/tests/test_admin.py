import pytest
from django.urls import reverse

from partners.models import ListingRevision
from partners.tests.factories import (
    PartnerMembershipFactory,
    enquiry_for,
    published_organisation,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner_world(world):
    organisation = published_organisation(offers=2, name="Thames Digital Makers")
    PartnerMembershipFactory(user=world.partner, organisation=organisation)
    enquiry = enquiry_for(organisation=organisation, school=world.school_a, sender=world.teacher_a)
    return organisation, enquiry


def test_admin_index_has_partners_section_and_distinct_account_sections(
    world, client_for, partner_world
):
    page = client_for(world.admin).get(reverse("admin:index")).content.decode()
    assert "Partner directory" in page
    assert "People and sign-in" in page
    for model in ["partnerorganisation", "listingrevision", "publishedlisting", "offer", "enquiry"]:
        assert reverse(f"admin:partners_{model}_changelist") in page


@pytest.mark.parametrize(
    "model",
    [
        "partnerorganisation",
        "partnermembership",
        "listingrevision",
        "publishedlisting",
        "offer",
        "enquiry",
    ],
)
def test_partner_admin_pages_render_read_only(world, client_for, partner_world, model):
    organisation, enquiry = partner_world
    objects = {
        "partnerorganisation": organisation,
        "partnermembership": organisation.memberships.first(),
        "listingrevision": ListingRevision.objects.filter(organisation=organisation).first(),
        "publishedlisting": organisation.published,
        "offer": organisation.offers.first(),
        "enquiry": enquiry,
    }
    client = client_for(world.admin)
    assert client.get(reverse(f"admin:partners_{model}_changelist")).status_code == 200
    change_url = reverse(f"admin:partners_{model}_change", args=[objects[model].pk])
    response = client.get(change_url)
    assert response.status_code == 200
    assert 'type="submit"' not in response.content.decode().split('id="content"')[1]
    assert client.get(reverse(f"admin:partners_{model}_add")).status_code == 403
