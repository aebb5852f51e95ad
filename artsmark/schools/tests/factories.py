import factory

from artsmark.accounts.tests.factories import UserFactory
from artsmark.schools.models import (
    BridgeMembership,
    BridgeOrganisation,
    LocalAuthority,
    School,
    SchoolMembership,
)


def local_authority(code):
    """A local authority loaded by the reference-data migration (e.g. "316" Newham)."""
    return LocalAuthority.objects.get(code=code)


def bridge_organisation(slug):
    return BridgeOrganisation.objects.get(slug=slug)


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    urn = factory.Sequence(lambda n: 900000 + n)
    name = factory.Sequence(lambda n: f"Test Primary School {n}")
    establishment_type = "Community school"
    phase = "Primary"
    local_authority = factory.LazyFunction(lambda: local_authority("316"))
    town = "London"
    postcode = "E13 8BG"
    number_of_pupils = 420
    status = "Open"


class SchoolMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolMembership

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    role = SchoolMembership.Role.MEMBER
    status = SchoolMembership.Status.APPROVED


class BridgeMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BridgeMembership

    user = factory.SubFactory(UserFactory)
    organisation = factory.LazyFunction(lambda: bridge_organisation("a-new-direction"))
