"""`seed_demo`, which `make run` calls on every start: the demo world of SPEC.md, the same
every time, with every demo login working and no email sent."""

import io

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import authenticate
from django.core import mail
from django.core.management import call_command

from artsmark.schools.demo import DEMO_USERS

pytestmark = pytest.mark.django_db

SPEC_LOGINS = {
    "lead@example.org",
    "teacher@example.org",
    "other.teacher@example.org",
    "reviewer@example.org",
    "other.reviewer@example.org",
    "partner@example.org",
    "other.partner@example.org",
    "admin@example.org",
}


def _row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


# Committed for real, so that the notifications queued with on_commit would be sent.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_seed_demo_twice_builds_the_same_world_and_sends_no_email():
    call_command("seed_demo", stdout=io.StringIO())
    first = _row_counts()
    call_command("seed_demo", stdout=io.StringIO())

    assert _row_counts() == first
    assert first["journeys.Journey"] > 0
    assert first["partners.PartnerOrganisation"] > 0
    assert mail.outbox == []


def test_every_demo_login_of_the_spec_works_after_seeding():
    call_command("seed_demo", stdout=io.StringIO())

    assert {email for email, _, _ in DEMO_USERS} == SPEC_LOGINS
    for email in SPEC_LOGINS:
        user = authenticate(username=email, password=settings.DEMO_PASSWORD)
        assert user is not None, email
        assert user.emailaddress_set.filter(email=email, verified=True).exists(), email
    assert authenticate(username="admin@example.org", password=settings.DEMO_PASSWORD).is_superuser
