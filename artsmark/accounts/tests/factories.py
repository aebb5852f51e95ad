import functools

import factory
from django.contrib.auth.hashers import make_password

from artsmark.accounts.models import User

PASSWORD = "artsmark-test-pw"


@functools.cache
def _password_hash():
    # Argon2 is slow by design; hash the shared test password once per run.
    return make_password(PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.LazyFunction(_password_hash)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Allauth asks for a verified address before login; factories' users have one."""
        if create:
            from allauth.account.models import EmailAddress

            self.save()
            EmailAddress.objects.get_or_create(
                user=self,
                email=self.email,
                defaults={"verified": True, "primary": True},
            )
