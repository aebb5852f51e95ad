"""The standard cast every test can use (CONVENTIONS.md, "Tests").

teacher_a leads school A (Newham, London); teacher_b leads school B (Birmingham, West
Midlands); reviewer_a reviews for A New Direction (London), reviewer_other for Arts Connect
(West Midlands); partner is partner staff; admin is platform staff; anonymous is nobody.
"""

import uuid
from dataclasses import dataclass, field

import pytest
from django.test import Client

from artsmark.accounts.tests.factories import UserFactory
from artsmark.schools.models import SchoolMembership
from artsmark.schools.tests.factories import (
    BridgeMembershipFactory,
    SchoolFactory,
    SchoolMembershipFactory,
    bridge_organisation,
    local_authority,
)

pytest_plugins = ["tests.browser"]

ROLES = [
    "anonymous",
    "teacher_a",
    "teacher_b",
    "reviewer_a",
    "reviewer_other",
    "partner",
    "admin",
]


@dataclass
class World:
    school_a: object
    school_b: object
    teacher_a: object
    teacher_b: object
    reviewer_a: object
    reviewer_other: object
    partner: object
    admin: object
    anonymous: object = None
    # Other apps' cases keep what they build here so each builds it once per test.
    extra: dict = field(default_factory=dict)

    def user(self, role):
        return getattr(self, role)

    def once(self, key, build):
        if key not in self.extra:
            self.extra[key] = build(self)
        return self.extra[key]


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    """Each test gets its own cache key prefix on the real Redis.

    Rate limits (login lock-out, email cooldowns) live in the cache; without this one test's
    attempts would lock out the next. A prefix, not a flush, so that a developer's running
    portal and Celery queue on the same Redis are left alone.
    """
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    }


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    """Files a test writes (reports, evidence) go to its own folder, never to media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EVIDENCE_ROOT = tmp_path / "evidence"


@pytest.fixture
def world(db):
    school_a = SchoolFactory(name="Star Primary School", local_authority=local_authority("316"))
    school_b = SchoolFactory(
        name="Elm Tree Academy",
        local_authority=local_authority("330"),
        town="Birmingham",
        postcode="B1 1AA",
    )
    teacher_a = UserFactory(email="teacher.a@example.test")
    teacher_b = UserFactory(email="teacher.b@example.test")
    lead = SchoolMembership.Role.LEAD
    SchoolMembershipFactory(user=teacher_a, school=school_a, role=lead)
    SchoolMembershipFactory(user=teacher_b, school=school_b, role=lead)
    reviewer_a = BridgeMembershipFactory(
        user=UserFactory(email="reviewer.a@example.test"),
        organisation=bridge_organisation("a-new-direction"),
    ).user
    reviewer_other = BridgeMembershipFactory(
        user=UserFactory(email="reviewer.other@example.test"),
        organisation=bridge_organisation("arts-connect"),
    ).user
    partner = UserFactory(email="partner@example.test")
    admin = UserFactory(email="admin@example.test", is_staff=True, is_superuser=True)
    return World(
        school_a=school_a,
        school_b=school_b,
        teacher_a=teacher_a,
        teacher_b=teacher_b,
        reviewer_a=reviewer_a,
        reviewer_other=reviewer_other,
        partner=partner,
        admin=admin,
    )


@pytest.fixture
def client_for():
    def make(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make
