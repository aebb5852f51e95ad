import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from partners.enums import ListingStatus, RevisionStatus
from partners.models import PublishedListing
from partners.services.moderation import approve_revision, return_revision, submit_listing
from partners.services.organisations import update_listing
from partners.tests.factories import (
    OfferFactory,
    PartnerMembershipFactory,
    PartnerOrganisationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    organisation = PartnerOrganisationFactory(name="Draft Dance Company")
    OfferFactory(organisation=organisation, title="Street dance workshop")
    staff = PartnerMembershipFactory(organisation=organisation).user
    return organisation, staff


def test_listing_draft_pending_published(draft, world, django_capture_on_commit_callbacks):
    organisation, staff = draft
    with django_capture_on_commit_callbacks(execute=True):
        revision = submit_listing(organisation=organisation, actor=staff)
    assert mail.outbox[-1].to == [world.reviewer_a.email]
    organisation.refresh_from_db()
    assert organisation.status == ListingStatus.PENDING
    assert not PublishedListing.objects.filter(organisation=organisation).exists()
    with django_capture_on_commit_callbacks(execute=True):
        approve_revision(revision=revision, actor=world.reviewer_a)
    organisation.refresh_from_db()
    assert organisation.status == ListingStatus.PUBLISHED
    listing = PublishedListing.objects.get(organisation=organisation)
    assert listing.name == "Draft Dance Company"
    assert [offer.title for offer in listing.offers.all()] == ["Street dance workshop"]
    assert mail.outbox[-1].to == [staff.email]


def test_listing_returned_with_comments_then_resubmitted(draft, world):
    organisation, staff = draft
    revision = submit_listing(organisation=organisation, actor=staff)
    with pytest.raises(ValidationError):
        return_revision(revision=revision, actor=world.reviewer_a, comments="  ")
    return_revision(revision=revision, actor=world.reviewer_a, comments="Add your prices.")
    organisation.refresh_from_db()
    assert organisation.status == ListingStatus.RETURNED
    assert not PublishedListing.objects.filter(organisation=organisation).exists()
    second = submit_listing(organisation=organisation, actor=staff)
    assert second.number == 2


def test_moderation_by_reviewer_of_other_area_is_refused(draft, world):
    organisation, staff = draft
    revision = submit_listing(organisation=organisation, actor=staff)
    with pytest.raises(PermissionDenied):
        approve_revision(revision=revision, actor=world.reviewer_other)
    with pytest.raises(PermissionDenied):
        approve_revision(revision=revision, actor=staff)
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.PENDING


def test_edit_of_published_listing_waits_for_approval(draft, world):
    organisation, staff = draft
    approve_revision(
        revision=submit_listing(organisation=organisation, actor=staff), actor=world.reviewer_a
    )
    organisation.refresh_from_db()
    update_listing(
        organisation=organisation,
        actor=staff,
        fields={"description": "A brand new description."},
        serves_local_authorities=[organisation.local_authority],
        serves_regions=[],
    )
    organisation.refresh_from_db()
    assert organisation.status == ListingStatus.DRAFT
    edit = submit_listing(organisation=organisation, actor=staff)
    listing = PublishedListing.objects.get(organisation=organisation)
    assert listing.description == "We bring artists into classrooms."
    with pytest.raises(ValidationError):  # locked while pending
        update_listing(
            organisation=organisation,
            actor=staff,
            fields={"description": "Another"},
            serves_local_authorities=[],
            serves_regions=[],
        )
    approve_revision(revision=edit, actor=world.reviewer_a)
    listing.refresh_from_db()
    assert listing.description == "A brand new description."
    statuses = list(organisation.revisions.order_by("number").values_list("status", flat=True))
    assert statuses == [RevisionStatus.SUPERSEDED, RevisionStatus.APPROVED]


def test_moderator_sees_the_edit_as_a_diff(draft, world, client_for):
    organisation, staff = draft
    approve_revision(
        revision=submit_listing(organisation=organisation, actor=staff), actor=world.reviewer_a
    )
    organisation.refresh_from_db()
    update_listing(
        organisation=organisation,
        actor=staff,
        fields={"description": "Now with <b>tap</b> classes."},
        serves_local_authorities=[organisation.local_authority],
        serves_regions=[],
    )
    submit_listing(organisation=organisation, actor=staff)
    page = (
        client_for(world.reviewer_a)
        .get(reverse("partners:moderate", args=[organisation.pk]))
        .content.decode()
    )
    assert "<del>- We bring artists into classrooms.</del>" in page
    assert "<ins>+ Now with &lt;b&gt;tap&lt;/b&gt; classes.</ins>" in page
    assert "changes since version 1" in page


def test_moderate_view_approves_and_returns(draft, world, client_for):
    organisation, staff = draft
    submit_listing(organisation=organisation, actor=staff)
    url = reverse("partners:moderate", args=[organisation.pk])
    client = client_for(world.reviewer_a)
    response = client.post(url, {"decision": "return", "comments": ""})
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    client.post(url, {"decision": "approve", "comments": "Lovely."})
    organisation.refresh_from_db()
    assert organisation.status == ListingStatus.PUBLISHED
