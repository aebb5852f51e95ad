import factory
from django.utils import timezone

from artsmark.accounts.tests.factories import UserFactory
from artsmark.schools.tests.factories import local_authority
from partners.enums import (
    Cost,
    ListingStatus,
    MembershipRole,
    MembershipStatus,
    OfferType,
    RevisionStatus,
)
from partners.models import (
    Enquiry,
    EnquiryMessage,
    ListingRevision,
    Offer,
    PartnerMembership,
    PartnerOrganisation,
)


class PartnerOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerOrganisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Test Arts Company {n}")
    description = "We bring artists into classrooms."
    website = "https://arts.example.test"
    contact_email = factory.Sequence(lambda n: f"hello{n}@arts.example.test")
    postcode = "E15 1AA"
    local_authority = factory.LazyFunction(lambda: local_authority("316"))
    art_forms = factory.LazyFunction(lambda: ["theatre"])

    @factory.post_generation
    def serves(self, create, extracted, **kwargs):
        """`serves=[la, ...]`: local authorities served (default: where it is based)."""
        if create:
            self.serves_local_authorities.set(extracted or [self.local_authority])


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    organisation = factory.SubFactory(PartnerOrganisationFactory)
    title = factory.Sequence(lambda n: f"Offer {n}")
    description = "A hands-on session for a class."
    offer_type = OfferType.WORKSHOPS
    key_stages = factory.LazyFunction(lambda: ["ks1", "ks2"])
    art_forms = factory.LazyFunction(lambda: ["theatre"])
    quality_principles = factory.LazyFunction(lambda: ["inspiring"])
    cost = Cost.PAID


class PartnerMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerMembership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(PartnerOrganisationFactory)
    role = MembershipRole.ADMIN
    status = MembershipStatus.APPROVED


def publish_now(organisation):
    """Test data: approve the working copy as it stands (the moderation tests go through
    the services)."""
    from partners.services.moderation import publish, snapshot

    number = organisation.revisions.count() + 1
    organisation.revisions.filter(status=RevisionStatus.APPROVED).update(
        status=RevisionStatus.SUPERSEDED
    )
    revision = ListingRevision.objects.create(
        organisation=organisation,
        number=number,
        data=snapshot(organisation),
        status=RevisionStatus.APPROVED,
        decided_at=timezone.now(),
    )
    listing = publish(organisation=organisation, revision=revision)
    PartnerOrganisation.objects.filter(pk=organisation.pk).update(status=ListingStatus.PUBLISHED)
    organisation.status = ListingStatus.PUBLISHED
    return listing


def published_organisation(offers=1, offer_kwargs=None, **kwargs):
    organisation = PartnerOrganisationFactory(**kwargs)
    for _ in range(offers):
        OfferFactory(organisation=organisation, **(offer_kwargs or {}))
    publish_now(organisation)
    return organisation


def enquiry_for(*, organisation, school, sender, body="Could you visit us in the spring?"):
    now = timezone.now()
    enquiry = Enquiry.objects.create(
        organisation=organisation,
        school=school,
        sender=sender,
        subject="Working together",
        last_message_at=now,
        school_read_at=now,
    )
    EnquiryMessage.objects.create(
        enquiry=enquiry, author=sender, side=EnquiryMessage.Side.SCHOOL, body=body
    )
    return enquiry
