"""Who is told about a journey's stage change. Called after the change commits."""

from django.urls import reverse

from artsmark.common.notify import send_templated_email
from artsmark.schools.models import BridgeMembership, SchoolMembership
from journeys.enums import Stage
from journeys.models import Journey

# Stages reviewers act on: their Bridge Organisation's reviewers are told.
FOR_REVIEWERS = {Stage.COMMITMENT_SUBMITTED, Stage.IMPACT_SUBMITTED}


def reviewer_emails(school):
    return list(
        BridgeMembership.objects.filter(
            organisation__local_authorities=school.local_authority_id,
            organisation__is_active=True,
        ).values_list("user__email", flat=True)
    )


def school_emails(school):
    return list(
        SchoolMembership.objects.filter(
            school=school, status=SchoolMembership.Status.APPROVED
        ).values_list("user__email", flat=True)
    )


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
