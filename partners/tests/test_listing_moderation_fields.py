"""The listing form's areas served, the Artsmark Partner flag (moderators only) and the
moderation diff in the words of the form."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from artsmark.schools.models import LocalAuthority, Region
from artsmark.schools.tests.factories import local_authority
from partners.models import PartnerOrganisation, PublishedListing
from partners.selectors import revision_diff
from partners.services.moderation import snapshot, submit_listing
from partners.services.organisations import set_artsmark_partner, update_listing
from partners.tests.factories import PartnerMembershipFactory, published_organisation

pytestmark = pytest.mark.django_db


def _listing_post(organisation, **extra):
    return {
        "name": organisation.name,
        "description": organisation.description,
        "website": organisation.website,
        "contact_email": organisation.contact_email,
        "local_authority": organisation.local_authority_id,
        "art_forms": ["theatre"],
        **extra,
    }


def test_listing_form_groups_local_authorities_by_region(client_for):
    organisation = published_organisation()
    staff = PartnerMembershipFactory(organisation=organisation).user
    page = client_for(staff).get(reverse("partners:edit_listing", args=[organisation.pk]))
    html = page.content.decode()
    assert "<select multiple" not in html
    assert "Hold Ctrl" not in html
    assert html.count("<legend") >= Region.objects.count() + 1
    for region in Region.objects.all():
        assert f"Local authorities in {region.name}</legend>" in html
    newham = local_authority("316")
    assert (
        f'name="serves_local_authorities" value="{newham.pk}" '
        f'id="id_serves_local_authorities_' in html
    )
    # The served authority's region opens, with how many are chosen.
    assert "London (1 chosen)" in html


def test_listing_form_saves_ticked_local_authorities(client_for):
    organisation = published_organisation()
    staff = PartnerMembershipFactory(organisation=organisation).user
    leeds, plymouth = local_authority("383"), local_authority("879")
    response = client_for(staff).post(
        reverse("partners:edit_listing", args=[organisation.pk]),
        _listing_post(organisation, serves_local_authorities=[leeds.pk, plymouth.pk]),
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert sorted(organisation.serves_local_authorities.values_list("name", flat=True)) == [
        "Leeds",
        "Plymouth",
    ]


def test_listing_form_unknown_local_authority_changes_nothing(client_for):
    organisation = published_organisation()
    staff = PartnerMembershipFactory(organisation=organisation).user
    before = list(organisation.serves_local_authorities.values_list("pk", flat=True))
    missing = (LocalAuthority.objects.order_by("-pk").first().pk or 0) + 1000
    response = client_for(staff).post(
        reverse("partners:edit_listing", args=[organisation.pk]),
        _listing_post(organisation, serves_local_authorities=[missing]),
    )
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert list(organisation.serves_local_authorities.values_list("pk", flat=True)) == before


def test_partner_cannot_make_itself_an_artsmark_partner(client_for):
    organisation = published_organisation(name="Self Styled")
    staff = PartnerMembershipFactory(organisation=organisation).user
    client = client_for(staff)
    page = client.get(reverse("partners:edit_listing", args=[organisation.pk])).content.decode()
    assert "is_artsmark_partner" not in page
    client.post(
        reverse("partners:edit_listing", args=[organisation.pk]),
        _listing_post(organisation, is_artsmark_partner="on"),
    )
    organisation.refresh_from_db()
    assert organisation.is_artsmark_partner is False
    assert PublishedListing.objects.get(organisation=organisation).is_artsmark_partner is False
    with pytest.raises(PermissionDenied):
        update_listing(
            organisation=organisation,
            actor=staff,
            fields={"is_artsmark_partner": True},
            serves_local_authorities=[],
            serves_regions=[],
        )
    organisation.refresh_from_db()
    assert organisation.is_artsmark_partner is False


def test_moderator_sets_artsmark_partner_and_approval_keeps_it(world, client_for):
    organisation = published_organisation(name="Code Signed")
    staff = PartnerMembershipFactory(organisation=organisation).user
    organisation.status = "draft"
    organisation.save(update_fields=["status"])
    revision = submit_listing(organisation=organisation, actor=staff)
    response = client_for(world.reviewer_a).post(
        reverse("partners:set_artsmark_partner", args=[organisation.pk]),
        {"is_artsmark_partner": "on"},
    )
    assert response.status_code == 302
    assert PublishedListing.objects.get(organisation=organisation).is_artsmark_partner is True
    from partners.services.moderation import approve_revision

    approve_revision(revision=revision, actor=world.reviewer_a)
    assert PublishedListing.objects.get(organisation=organisation).is_artsmark_partner is True


def test_artsmark_partner_refused_to_staff_and_other_reviewers(world, client_for):
    organisation = published_organisation()
    staff = PartnerMembershipFactory(organisation=organisation).user
    with pytest.raises(PermissionDenied):
        set_artsmark_partner(organisation=organisation, actor=staff, value=True)
    url = reverse("partners:set_artsmark_partner", args=[organisation.pk])
    assert client_for(staff).post(url, {"is_artsmark_partner": "on"}).status_code == 404
    other = client_for(world.reviewer_other).post(url, {"is_artsmark_partner": "on"})
    assert other.status_code == 404
    assert PartnerOrganisation.objects.get(pk=organisation.pk).is_artsmark_partner is False


def test_moderation_diff_shows_names_labels_and_only_changes(world, client_for):
    organisation = published_organisation(
        name="Diff Theatre", offer_kwargs={"title": "Stage days", "key_stages": ["ks1"]}
    )
    staff = PartnerMembershipFactory(organisation=organisation).user
    old = snapshot(organisation)
    hackney = local_authority("204")
    organisation.serves_local_authorities.add(hackney)
    offer = organisation.offers.get()
    offer.key_stages = ["ks1", "ks2"]
    offer.save()
    new = snapshot(organisation)
    changes = revision_diff(old=old, new=new)
    assert changes == [
        {"label": "Other local authorities served", "lines": ["+ Hackney"]},
        {"label": "offer “Stage days”: Key stages", "lines": ["+ Key stage 2"]},
    ]
    # Through the page a moderator reads.
    organisation.status = "draft"
    organisation.save(update_fields=["status"])
    submit_listing(organisation=organisation, actor=staff)
    page = client_for(world.reviewer_a).get(reverse("partners:moderate", args=[organisation.pk]))
    html = page.content.decode()
    assert "+ Hackney" in html
    assert "+ Key stage 2" in html
    assert "+ ks2" not in html
    assert "Is artsmark partner" not in html


def test_moderation_diff_of_a_new_listing_leaves_out_empty_fields():
    organisation = published_organisation(name="Brand New", contact_phone="")
    changes = revision_diff(old=None, new=snapshot(organisation))
    labels = [change["label"] for change in changes]
    assert "Contact phone" not in labels
    assert "Artsmark Partner" not in labels
    newham = local_authority("316")
    assert {"label": "Local authority where based", "lines": [f"+ {newham.name}"]} in changes
    assert {"label": "Art forms", "lines": ["+ Theatre and drama"]} in changes
