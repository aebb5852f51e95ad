"""The review services as the review pages use them, and the emails they lead to."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from artsmark.accounts.tests.factories import UserFactory
from artsmark.schools.models import BridgeMembership
from artsmark.schools.tests.factories import BridgeMembershipFactory
from journeys import notifications, review_selectors
from journeys.enums import ReviewDecision, ReviewKind, Stage
from journeys.models import Journey, Review
from journeys.services import commitment
from journeys.services.reviews import (
    answer_feedback,
    assign_review,
    decide_commitment,
    request_feedback,
    take_review,
    withdraw_journey,
)
from journeys.tests.factories import JourneyFactory
from journeys.tests.helpers import complete_statement


@pytest.fixture
def review(world):
    journey = JourneyFactory(school=world.school_a, stage=Stage.REGISTERED)
    complete_statement(journey=journey, lead=world.teacher_a)
    commitment.submit_commitment(journey=journey, actor=world.teacher_a)
    return journey.reviews.get()


def test_returned_email_carries_feedback_next_step_and_link(
    world, review, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decide_commitment(
            review=review,
            actor=world.reviewer_a,
            decision=ReviewDecision.RETURNED,
            feedback="Tie goal 1 to your school development plan.",
            version_number=1,
        )
    (email,) = mailoutbox
    assert email.to == [world.teacher_a.email]
    assert "Tie goal 1 to your school development plan." in email.body
    assert "What happens next: Read the feedback" in email.body
    path = reverse("journeys:detail", kwargs={"pk": review.journey_id})
    assert f"{settings.SITE_URL}{path}" in email.body


def test_decision_by_the_other_region_is_refused(world, review):
    with pytest.raises(ValidationError):
        decide_commitment(
            review=review, actor=world.reviewer_other, decision="approved", version_number=1
        )
    assert Journey.objects.get(pk=review.journey_id).stage == Stage.COMMITMENT_SUBMITTED
    assert Review.objects.get(pk=review.pk).decision == ""


def test_take_and_assign(world, review):
    take_review(review=review, actor=world.reviewer_a)
    assert Review.objects.get(pk=review.pk).assigned_to == world.reviewer_a
    colleague = BridgeMembershipFactory(user=UserFactory()).user
    with pytest.raises(ValidationError):
        assign_review(review=review, actor=world.reviewer_a, reviewer=colleague)
    BridgeMembership.objects.filter(user=world.reviewer_a).update(role=BridgeMembership.Role.LEAD)
    assign_review(review=review, actor=world.reviewer_a, reviewer=colleague)
    assert Review.objects.get(pk=review.pk).assigned_to == colleague
    with pytest.raises(ValidationError):
        assign_review(review=review, actor=world.reviewer_a, reviewer=world.reviewer_other)


def test_review_assigned_by_a_lead_emails_the_assignee_and_taking_it_emails_nobody(
    world, review, mailoutbox, django_capture_on_commit_callbacks
):
    colleague = UserFactory(email="colleague@example.test")
    organisation = world.reviewer_a.bridge_memberships.get().organisation
    BridgeMembership.objects.create(user=colleague, organisation=organisation)
    BridgeMembership.objects.filter(user=world.reviewer_a).update(role=BridgeMembership.Role.LEAD)
    with django_capture_on_commit_callbacks(execute=True):
        take_review(review=review, actor=world.reviewer_a)
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assign_review(review=review, actor=world.reviewer_a, reviewer=colleague)
    assert [m.to for m in mailoutbox] == [[colleague.email]]


def test_review_assigned_email_goes_to_the_assignee_only_when_someone_else_assigned(
    world, review, mailoutbox
):
    Review.objects.filter(pk=review.pk).update(assigned_to=world.reviewer_a)
    assert (
        notifications.review_assigned(review_id=review.pk, assigned_by_id=world.reviewer_a.pk) == 0
    )
    assert notifications.review_assigned(review_id=review.pk, assigned_by_id=world.admin.pk) == 1
    assert mailoutbox[0].to == [world.reviewer_a.email]
    assert world.school_a.name in mailoutbox[0].subject


def test_feedback_emails_go_to_the_area_reviewers_then_the_school(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    journey = JourneyFactory(school=world.school_a)
    with django_capture_on_commit_callbacks(execute=True):
        asked = request_feedback(
            journey=journey, actor=world.teacher_a, kind=ReviewKind.COMMITMENT, message="Goal 2?"
        )
    assert [m.to for m in mailoutbox] == [[world.reviewer_a.email]]
    with django_capture_on_commit_callbacks(execute=True):
        answer_feedback(feedback_request=asked, actor=world.reviewer_a, answer="Add a number.")
    assert mailoutbox[1].to == [world.teacher_a.email]
    assert "Add a number." in mailoutbox[1].body
    assert Journey.objects.get(pk=journey.pk).stage == Stage.COMMITMENT_DRAFT


def test_withdrawal_email_gives_the_reason(
    world, review, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_journey(
            journey=review.journey, actor=world.admin, reason="Duplicate registration."
        )
    (email,) = mailoutbox
    assert "Reason:" in email.body
    assert "Duplicate registration." in email.body
    assert "register the school again" in email.body


def test_journey_page_panel_for_reviewer_links_to_the_open_review(world, review):
    extra = review_selectors.journey_page_extra(journey=review.journey, user=world.reviewer_a)
    panel = extra["review_panel"]
    assert panel["open_review"] == review
    assert panel["open_review_url"] == reverse("journeys:review", kwargs={"review_pk": review.pk})
    assert panel["can_withdraw"] is True
    assert panel["can_request_feedback"] is False
    member = review_selectors.journey_page_extra(journey=review.journey, user=world.teacher_a)
    assert member["review_panel"]["can_withdraw"] is False
