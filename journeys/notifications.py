"""Who is told about a journey's stage change, and about reviews and informal feedback.

Each function is called after the change commits (`transaction.on_commit`) with ids, and
returns quietly if the row has gone.
"""

from django.urls import reverse

from artsmark.common.notify import send_templated_email
from artsmark.schools.models import BridgeMembership, SchoolMembership
from journeys.enums import Stage
from journeys.models import FeedbackRequest, Journey, Review

# Stages reviewers act on: their Bridge Organisation's reviewers are told.
FOR_REVIEWERS = {Stage.COMMITMENT_SUBMITTED, Stage.IMPACT_SUBMITTED}


def reviewer_emails(school):
    return list(
        BridgeMembership.objects.filter(
            organisation__local_authorities=school.local_authority_id,
            organisation__is_active=True,
            user__is_active=True,
        ).values_list("user__email", flat=True)
    )


def school_emails(school):
    return list(
        SchoolMembership.objects.filter(
            school=school, status=SchoolMembership.Status.APPROVED, user__is_active=True
        ).values_list("user__email", flat=True)
    )


# What the school does next, said in the email about each stage a reviewer moves it to.
NEXT_STEPS = {
    Stage.COMMITMENT_RETURNED: (
        "Read the feedback, change your Statement of Commitment draft (the reviewer's comments "
        "are shown beside each section), get it signed off again and submit it again."
    ),
    Stage.CERTIFIED: (
        "Your school is now Artsmark Certified. Deliver your plan: log your activities and "
        "partnerships against your goals and keep evidence as you go. Your Statement of "
        "Impact is due at the end of delivery."
    ),
    Stage.IMPACT_RETURNED: (
        "Read the feedback, change your Statement of Impact and submit it again."
    ),
    Stage.WITHDRAWN: (
        "This journey has ended. Your school's Artsmark lead can register the school again "
        "when it is ready."
    ),
}


def stage_changed(*, journey_id, frm, to, note=""):
    journey = Journey.objects.select_related("school").filter(pk=journey_id).first()
    if journey is None:
        return 0
    context = {
        "journey": journey,
        "school": journey.school,
        "from_label": Stage(frm).label,
        "to_label": Stage(to).label,
        "note": note,
        "to": Stage(to),
        "next_step": NEXT_STEPS.get(Stage(to), ""),
        "path": reverse("journeys:detail", kwargs={"pk": journey.pk}),
    }
    if to in FOR_REVIEWERS:
        return send_templated_email(
            template="emails/journey_submitted",
            to=reviewer_emails(journey.school),
            context=context,
        )
    return send_templated_email(
        template="emails/journey_stage_changed",
        to=school_emails(journey.school),
        context=context,
    )


def feedback_requested(*, feedback_request_id):
    """Tell the Bridge Organisation's reviewers that a school asks for informal feedback."""
    feedback_request = (
        FeedbackRequest.objects.select_related("journey__school", "requested_by")
        .filter(pk=feedback_request_id)
        .first()
    )
    if feedback_request is None:
        return 0
    journey = feedback_request.journey
    return send_templated_email(
        template="emails/feedback_requested",
        to=reviewer_emails(journey.school),
        context={
            "feedback_request": feedback_request,
            "school": journey.school,
            "path": reverse("journeys:detail", kwargs={"pk": journey.pk}),
            "answer_path": reverse(
                "journeys:feedback_answer", kwargs={"feedback_pk": feedback_request.pk}
            ),
        },
    )


def feedback_answered(*, feedback_request_id):
    """Tell the school's members that their Bridge Organisation answered."""
    feedback_request = (
        FeedbackRequest.objects.select_related("journey__school", "answered_by")
        .filter(pk=feedback_request_id)
        .first()
    )
    if feedback_request is None or feedback_request.answered_at is None:
        return 0
    journey = feedback_request.journey
    return send_templated_email(
        template="emails/feedback_answered",
        to=school_emails(journey.school),
        context={
            "feedback_request": feedback_request,
            "school": journey.school,
            "path": reverse("journeys:detail", kwargs={"pk": journey.pk}),
        },
    )


def review_assigned(*, review_id, assigned_by_id):
    """Tell a reviewer that an organisation lead assigned them a submission."""
    review = (
        Review.objects.select_related("journey__school", "assigned_to").filter(pk=review_id).first()
    )
    if review is None or review.assigned_to is None or review.assigned_to_id == assigned_by_id:
        return 0
    from journeys.review_selectors import review_url

    return send_templated_email(
        template="emails/review_assigned",
        to=[review.assigned_to.email],
        context={"review": review, "school": review.journey.school, "path": review_url(review)},
    )
