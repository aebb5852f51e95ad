import pytest

from artsmark.schools import demo as school_demo
from partners import demo
from partners.models import Enquiry, PartnerOrganisation, PublishedListing

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_gives_partner_a_published_london_listing():
    school_demo.seed()
    demo.seed()
    counts = (PartnerOrganisation.objects.count(), Enquiry.objects.count())
    demo.seed()
    assert (PartnerOrganisation.objects.count(), Enquiry.objects.count()) == counts
    assert 15 <= counts[0] <= 30
    own = PartnerOrganisation.objects.get(memberships__user__email="partner@example.org")
    assert own.local_authority.region.name == "London"
    assert PublishedListing.objects.filter(organisation=own).exists()
    other = PartnerOrganisation.objects.get(memberships__user__email="other.partner@example.org")
    assert other != own
    statuses = set(PartnerOrganisation.objects.values_list("status", flat=True))
    assert {"published", "pending", "draft", "returned"} <= statuses
    assert Enquiry.objects.filter(school__urn=990001, organisation=own).count() >= 2
