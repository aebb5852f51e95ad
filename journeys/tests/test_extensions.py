"""Asking for more time and deciding on it (services/deadlines.py): rules, timeline, emails."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from artsmark.accounts.tests.factories import UserFactory
from artsmark.common.models import ActivityEntry
from artsmark.schools.models import SchoolMembership
from artsmark.schools.tests.factories import SchoolMembershipFactory
from journeys.enums import DeadlineKind, ExtensionStatus, Stage
from journeys.models import ExtensionRequest, Journey
from journeys.services import deadlines
from journeys.templatetags.journey_tags import long_date
from journeys.tests.factories import JourneyFactory

pytestmark = pytest.mark.django_db


def _days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def journey(world):
    return JourneyFactory(
        school=world.school_a, stage=Stage.COMMITMENT_DRAFT, commitment_due=_days(10)
    )


def _ask(journey, actor, *, days=40, reason="Our headteacher is on leave this term."):
    return deadlines.request_extension(
        journey=journey,
        kind=DeadlineKind.COMMITMENT,
        requested_due_on=_days(days),
        reason=reason,
        actor=actor,
    )


def _verbs(journey):
    return list(
        ActivityEntry.objects.filter(object_id=journey.pk)
        .order_by("pk")
        .values_list("verb", "note")
    )


def _unchanged(journey, due):
    journey = Journey.objects.get(pk=journey.pk)
    return journey.commitment_due == due


# --- Asking ---------------------------------------------------------------------------------


def test_request_extension_records_timeline_and_emails_reviewers(
    world, journey, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        extension = _ask(journey, world.teacher_a)

    assert extension.status == ExtensionStatus.PENDING
    assert extension.current_due_on == _days(10)
    assert extension.requested_due_on == _days(40)
    ((verb, note),) = _verbs(journey)
    assert verb == "extension_requested"
    assert long_date(_days(10)) in note
    assert long_date(_days(40)) in note
    assert "headteacher is on leave" in note
    (email,) = mailoutbox
    assert email.to == [world.reviewer_a.email]
    assert "Star Primary School asks for more time" in email.subject
    assert f"/extensions/{extension.pk}/decide/" in email.body
    assert _unchanged(journey, _days(10))  # asking changes no date


@pytest.mark.parametrize("days", [10, 9, -3])
def test_request_extension_date_not_after_due_date_is_refused(world, journey, days):
    with pytest.raises(ValidationError) as error:
        _ask(journey, world.teacher_a, days=days)
    assert error.value.code == "date"
    assert "after the current due date" in error.value.messages[0]
    assert ExtensionRequest.objects.count() == 0
    assert ActivityEntry.objects.filter(object_id=journey.pk).count() == 0
    assert _unchanged(journey, _days(10))


def test_request_extension_more_than_a_year_is_refused(world, journey):
    with pytest.raises(ValidationError) as error:
        _ask(journey, world.teacher_a, days=10 + 400)
    assert error.value.code == "date"
    assert ExtensionRequest.objects.count() == 0


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_request_extension_without_reason_is_refused(world, journey, reason):
    with pytest.raises(ValidationError) as error:
        _ask(journey, world.teacher_a, reason=reason)
    assert error.value.messages == ["Say why you need more time."]
    assert ExtensionRequest.objects.count() == 0


def test_request_extension_second_while_one_waits_is_refused(world, journey):
    first = _ask(journey, world.teacher_a)
    with pytest.raises(ValidationError) as error:
        _ask(journey, world.teacher_a, days=60, reason="Another reason.")
    assert error.value.code == "pending"
    assert "already waiting for a decision" in error.value.messages[0]
    assert list(ExtensionRequest.objects.values_list("pk", flat=True)) == [first.pk]
    assert [verb for verb, _ in _verbs(journey)] == ["extension_requested"]


def test_request_extension_again_after_refusal_is_allowed(world, journey):
    first = _ask(journey, world.teacher_a)
    deadlines.decide_extension(extension=first, actor=world.reviewer_a, grant=False, note="No.")
    second = _ask(journey, world.teacher_a, days=20)
    assert second.status == ExtensionStatus.PENDING
    assert ExtensionRequest.objects.count() == 2


def test_request_extension_any_approved_member_may_ask(world, journey):
    colleague = UserFactory(email="colleague.a@example.test")
    SchoolMembershipFactory(
        user=colleague, school=world.school_a, role=SchoolMembership.Role.MEMBER
    )
    assert _ask(journey, colleague).requested_by == colleague


@pytest.mark.parametrize("role", ["reviewer_a", "teacher_b", "partner"])
def test_request_extension_by_non_member_is_refused(world, journey, role):
    with pytest.raises(ValidationError) as error:
        _ask(journey, world.user(role))
    assert error.value.code == "actor"
    assert ExtensionRequest.objects.count() == 0


def test_request_extension_when_no_due_date_in_force_is_refused(world):
    journey = JourneyFactory(
        school=world.school_a, stage=Stage.COMMITMENT_SUBMITTED, commitment_due=_days(10)
    )
    with pytest.raises(ValidationError) as error:
        _ask(journey, world.teacher_a)
    assert error.value.code == "kind"
    assert ExtensionRequest.objects.count() == 0


def test_request_extension_of_award_expiry_is_refused(world):
    journey = JourneyFactory(school=world.school_a, stage=Stage.AWARDED, award_expires=_days(30))
    with pytest.raises(ValidationError) as error:
        deadlines.request_extension(
            journey=journey,
            kind=DeadlineKind.AWARD_EXPIRY,
            requested_due_on=_days(90),
            reason="Please.",
            actor=world.teacher_a,
        )
    assert "renew" in error.value.messages[0]
    assert ExtensionRequest.objects.count() == 0


def test_request_extension_of_impact_while_delivering(world):
    journey = JourneyFactory(school=world.school_a, stage=Stage.IMPACT_DRAFT, impact_due=_days(3))
    extension = deadlines.request_extension(
        journey=journey,
        kind=DeadlineKind.IMPACT,
        requested_due_on=_days(33),
        reason="Our arts week moved to June.",
        actor=world.teacher_a,
    )
    assert extension.current_due_on == _days(3)


# --- Deciding -------------------------------------------------------------------------------


def test_decide_extension_grant_moves_due_date_and_tells_school(
    world, journey, mailoutbox, django_capture_on_commit_callbacks
):
    colleague = UserFactory(email="colleague.a@example.test")
    SchoolMembershipFactory(
        user=colleague, school=world.school_a, role=SchoolMembership.Role.MEMBER
    )
    extension = _ask(journey, colleague)
    with django_capture_on_commit_callbacks(execute=True):
        decided = deadlines.decide_extension(
            extension=extension, actor=world.reviewer_a, grant=True, note="Fine."
        )

    assert decided.status == ExtensionStatus.GRANTED
    assert decided.granted_due_on == _days(40)  # the date asked for, by default
    assert Journey.objects.get(pk=journey.pk).commitment_due == _days(40)
    verb, note = _verbs(journey)[-1]
    assert verb == "extension_granted"
    assert f"from {long_date(_days(10))} to {long_date(_days(40))}" in note
    (email,) = mailoutbox
    # The school's lead, and the colleague who asked.
    assert sorted(email.to) == sorted([world.teacher_a.email, colleague.email])
    assert "granted" in email.subject
    assert long_date(_days(40)) in email.body


def test_decide_extension_grant_with_other_date(world, journey):
    extension = _ask(journey, world.teacher_a)
    deadlines.decide_extension(
        extension=extension, actor=world.reviewer_a, grant=True, new_due_on=_days(25)
    )
    extension.refresh_from_db()
    assert extension.granted_due_on == _days(25)
    assert Journey.objects.get(pk=journey.pk).commitment_due == _days(25)


@pytest.mark.parametrize("days", [10, 5, -1])
def test_decide_extension_grant_with_earlier_date_is_refused(world, journey, days):
    extension = _ask(journey, world.teacher_a)
    with pytest.raises(ValidationError) as error:
        deadlines.decide_extension(
            extension=extension, actor=world.reviewer_a, grant=True, new_due_on=_days(days)
        )
    assert error.value.code == "date"
    assert "after the current due date" in error.value.messages[0]
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.PENDING
    assert extension.granted_due_on is None
    assert _unchanged(journey, _days(10))
    assert [verb for verb, _ in _verbs(journey)] == ["extension_requested"]


def test_decide_extension_refuse_keeps_date_and_needs_note(
    world, journey, mailoutbox, django_capture_on_commit_callbacks
):
    extension = _ask(journey, world.teacher_a)
    with pytest.raises(ValidationError) as error:
        deadlines.decide_extension(extension=extension, actor=world.reviewer_a, grant=False)
    assert error.value.code == "note"
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        deadlines.decide_extension(
            extension=extension,
            actor=world.reviewer_a,
            grant=False,
            note="Your plan is nearly done: submit it on time.",
        )
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.REFUSED
    assert extension.decided_by == world.reviewer_a
    assert _unchanged(journey, _days(10))
    verb, note = _verbs(journey)[-1]
    assert verb == "extension_refused"
    assert "submit it on time" in note
    (email,) = mailoutbox
    assert email.to == [world.teacher_a.email]
    assert "refused" in email.subject
    assert "submit it on time" in email.body


def test_decide_extension_twice_is_refused(world, journey):
    extension = _ask(journey, world.teacher_a)
    deadlines.decide_extension(extension=extension, actor=world.reviewer_a, grant=True)
    stale = ExtensionRequest.objects.get(pk=extension.pk)
    with pytest.raises(ValidationError) as error:
        deadlines.decide_extension(
            extension=stale, actor=world.admin, grant=False, note="Changed my mind."
        )
    assert error.value.code == "decided"
    assert "already granted this request" in error.value.messages[0]
    assert "Nothing has been changed" in error.value.messages[0]
    stale.refresh_from_db()
    assert stale.status == ExtensionStatus.GRANTED
    assert stale.decided_by == world.reviewer_a
    assert Journey.objects.get(pk=journey.pk).commitment_due == _days(40)
    assert [verb for verb, _ in _verbs(journey)] == ["extension_requested", "extension_granted"]


@pytest.mark.parametrize("role", ["reviewer_other", "teacher_a", "partner"])
def test_decide_extension_by_others_is_refused(world, journey, role):
    extension = _ask(journey, world.teacher_a)
    with pytest.raises(ValidationError) as error:
        deadlines.decide_extension(extension=extension, actor=world.user(role), grant=True)
    assert error.value.code == "actor"
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.PENDING
    assert _unchanged(journey, _days(10))


def test_decide_extension_admin_may_decide(world, journey):
    extension = _ask(journey, world.teacher_a)
    deadlines.decide_extension(extension=extension, actor=world.admin, grant=True)
    assert Journey.objects.get(pk=journey.pk).commitment_due == _days(40)


def test_decide_extension_after_journey_moved_on_can_only_refuse(world, journey):
    extension = _ask(journey, world.teacher_a)
    Journey.objects.filter(pk=journey.pk).update(stage=Stage.COMMITMENT_SUBMITTED)
    with pytest.raises(ValidationError) as error:
        deadlines.decide_extension(extension=extension, actor=world.reviewer_a, grant=True)
    assert error.value.code == "kind"
    deadlines.decide_extension(
        extension=extension, actor=world.reviewer_a, grant=False, note="Submitted already."
    )
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.REFUSED
    assert _unchanged(journey, _days(10))
