from django.db import models


class Stage(models.TextChoices):
    """Where a journey is (SPEC.md, "The journey"). Only services/stages.py changes it."""

    REGISTERED = "registered", "Registered"
    COMMITMENT_DRAFT = "commitment_draft", "Drafting the Statement of Commitment"
    COMMITMENT_SUBMITTED = "commitment_submitted", "Statement of Commitment submitted"
    COMMITMENT_RETURNED = "commitment_returned", "Statement of Commitment returned"
    CERTIFIED = "certified", "Artsmark Certified"
    IMPACT_DRAFT = "impact_draft", "Drafting the Statement of Impact"
    IMPACT_SUBMITTED = "impact_submitted", "Statement of Impact submitted"
    IMPACT_RETURNED = "impact_returned", "Statement of Impact returned"
    AWARDED = "awarded", "Awarded"
    NOT_AWARDED = "not_awarded", "Not awarded"
    WITHDRAWN = "withdrawn", "Withdrawn"


CLOSED_STAGES = (Stage.AWARDED, Stage.NOT_AWARDED, Stage.WITHDRAWN)
OPEN_STAGES = tuple(stage for stage in Stage if stage not in CLOSED_STAGES)
# Stages in which the school may edit its Statement of Commitment draft.
COMMITMENT_EDITABLE_STAGES = (
    Stage.REGISTERED,
    Stage.COMMITMENT_DRAFT,
    Stage.COMMITMENT_RETURNED,
)


class SectionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"


class StrandLevel(models.TextChoices):
    """A school's best fit on a framework strand."""

    WORKING_TOWARDS = "working_towards", "Working towards"
    SILVER = "silver", "Silver"
    GOLD = "gold", "Gold"
    PLATINUM = "platinum", "Platinum"


class PartnershipSource(models.TextChoices):
    MANUAL = "manual", "Added by the school"
    ENQUIRY = "enquiry", "Accepted enquiry"


# Stages in which a certified school delivers its plan: logs activities and keeps evidence.
DELIVERY_STAGES = (Stage.CERTIFIED, Stage.IMPACT_DRAFT, Stage.IMPACT_RETURNED)
# Stages in which the school may edit its Statement of Impact draft.
IMPACT_EDITABLE_STAGES = (Stage.CERTIFIED, Stage.IMPACT_DRAFT, Stage.IMPACT_RETURNED)
# Stages waiting for a reviewer's decision.
IN_REVIEW_STAGES = (Stage.COMMITMENT_SUBMITTED, Stage.IMPACT_SUBMITTED)


class ReviewKind(models.TextChoices):
    COMMITMENT = "commitment", "Statement of Commitment"
    IMPACT = "impact", "Statement of Impact"


class ReviewDecision(models.TextChoices):
    """What a reviewer decided on one submitted version ("" while undecided)."""

    APPROVED = "approved", "Approved: Artsmark Certified"
    RETURNED = "returned", "Returned with feedback"
    AWARDED = "awarded", "Awarded"
    NOT_AWARDED = "not_awarded", "Working towards: not awarded"
    WITHDRAWN = "withdrawn", "Journey withdrawn"


class AwardLevel(models.TextChoices):
    SILVER = "silver", "Silver"
    GOLD = "gold", "Gold"
    PLATINUM = "platinum", "Platinum"


class EvidenceKind(models.TextChoices):
    FILE = "file", "Uploaded file"
    ARTS_AWARD = "arts_award", "Arts Award achievement"


class ArtsAwardLevel(models.TextChoices):
    DISCOVER = "discover", "Discover"
    EXPLORE = "explore", "Explore"
    BRONZE = "bronze", "Bronze"
    SILVER = "silver", "Silver"
    GOLD = "gold", "Gold"


# What each kind of entry in a journey's activity log says on its timeline.
TIMELINE_VERBS = {
    "registered": "Registered for Artsmark",
    "partnership_recorded": "Partnership recorded",
    "signed_off": "Sign-off recorded",
    "review_assigned": "Review assigned",
    "feedback_requested": "Informal feedback asked for",
    "feedback_given": "Informal feedback given",
    "activity_logged": "Activity logged",
    "activity_updated": "Activity changed",
    "activity_removed": "Activity removed",
    "evidence_added": "Evidence added",
    "arts_award_recorded": "Arts Award achievement recorded",
    "evidence_updated": "Evidence changed",
    "evidence_removed": "Evidence removed",
    "checkpoint_taken": "Self-assessment checkpoint taken",
    "extension_requested": "Extension asked for",
    "extension_granted": "Extension granted",
    "extension_refused": "Extension refused",
    "overdue": "Due date passed",
    "award_expired": "Award expired",
    "payment_recorded": "Registration fee paid",
    "renewal_started": "Renewal started",
    "started_as_renewal": "Started as a renewal",
    "learning_session_attended": "Learning programme session attended",
    "commitment_due_changed": "Statement of Commitment due date changed",
}


def timeline_label(verb):
    return TIMELINE_VERBS.get(verb, verb.replace("_", " ").capitalize())


class DeadlineKind(models.TextChoices):
    """A journey's due dates (Journey.commitment_due, impact_due, award_expires)."""

    COMMITMENT = "commitment", "Statement of Commitment"
    IMPACT = "impact", "Statement of Impact"
    AWARD_EXPIRY = "award_expiry", "Award expiry"


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a decision"
    GRANTED = "granted", "Granted"
    REFUSED = "refused", "Refused"
