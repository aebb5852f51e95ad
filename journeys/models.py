"""Frameworks (versioned data), journeys and their Statement of Commitment drafts.

A framework version is the data a journey is judged against: the Statement of Commitment's
sections and questions, the self-assessment scale, the Quality Principles and the strands with
their level descriptors, the submission rules and deadlines. A journey keeps the version it
started on (`Journey.framework` is PROTECT), so publishing a new version changes nothing for
journeys already under way.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

from artsmark.common import vocab
from journeys.enums import (
    CLOSED_STAGES,
    OPEN_STAGES,
    ArtsAwardLevel,
    AwardLevel,
    DeadlineKind,
    EvidenceKind,
    ExtensionStatus,
    PartnershipSource,
    ReviewDecision,
    ReviewKind,
    SectionStatus,
    Stage,
    StrandLevel,
)

# --- Frameworks ---------------------------------------------------------------------------


class FrameworkQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True).first()


class Framework(models.Model):
    """One version of the Artsmark framework. Exactly one version is current at a time."""

    name = models.CharField(max_length=150, default="Artsmark framework")
    version = models.PositiveIntegerField(unique=True)
    is_current = models.BooleanField(
        default=False, help_text="New registrations start on the current version."
    )
    published_at = models.DateTimeField(null=True, blank=True)
    # Rules for submitting a Statement of Commitment.
    min_goals = models.PositiveSmallIntegerField("minimum number of goals", default=2)
    require_all_principles_rated = models.BooleanField(default=True)
    require_all_strands_rated = models.BooleanField(default=True)
    require_sign_off = models.BooleanField(default=True)
    # Deadlines, counted from registration / certification.
    commitment_due_days = models.PositiveSmallIntegerField(
        "days from registration to submit the Statement of Commitment", default=120
    )
    delivery_months = models.PositiveSmallIntegerField(
        "months of delivery before the Statement of Impact is due", default=24
    )
    award_valid_months = models.PositiveSmallIntegerField(default=24)
    # Reviews: how long a Bridge Organisation has to decide, and how often an impact may return.
    review_working_days = models.PositiveSmallIntegerField(
        "working days a reviewer has to decide on a submission", default=20
    )
    max_impact_returns = models.PositiveSmallIntegerField(
        "times a Statement of Impact may be returned for more evidence", default=1
    )
    # The learning programme: kinds of session (vocab.SESSION_KINDS) a member of the school must
    # have attended before the school submits its Statement of Commitment.
    required_session_kinds = ArrayField(
        models.CharField(max_length=40, choices=vocab.SESSION_KINDS),
        default=list,
        blank=True,
        help_text="Sessions a school must have attended before it submits.",
    )
    # Fees (the amounts are the framework's FeeBand rows) and reminders.
    invoice_due_days = models.PositiveSmallIntegerField(
        "days from registration to pay the invoice", default=30
    )
    reminder_days = ArrayField(
        models.PositiveSmallIntegerField(),
        default=list,
        blank=True,
        help_text="Days before each due date on which the school is reminded, e.g. 30, 7, 1.",
    )
    renewal_invitation_days = models.PositiveSmallIntegerField(
        "days before an award expires that the school is invited to renew", default=180
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="framework_one_current"
            )
        ]

    def __str__(self):
        return f"{self.name} v{self.version}"


class FrameworkSection(models.Model):
    """A section of the Statement of Commitment (one page of the task list)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(default=0)
    slug = models.SlugField(max_length=60)
    title = models.CharField(max_length=200)
    guidance = models.TextField(blank=True)

    class Meta:
        ordering = ["framework", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "slug"], name="framework_section_unique")
        ]

    def __str__(self):
        return self.title


class FrameworkQuestion(models.Model):
    section = models.ForeignKey(
        FrameworkSection, on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField(default=0)
    slug = models.SlugField(max_length=60)
    title = models.CharField(max_length=300)
    guidance = models.TextField(blank=True)
    word_limit = models.PositiveIntegerField(null=True, blank=True)
    required = models.BooleanField(default=True)

    class Meta:
        ordering = ["section", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["section", "slug"], name="framework_question_unique")
        ]

    def __str__(self):
        return self.title


class ScaleLevel(models.Model):
    """A level of the self-assessment scale (default: area for development, secure, embedded)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="scale_levels")
    order = models.PositiveSmallIntegerField(default=0)
    slug = models.SlugField(max_length=40)
    label = models.CharField(max_length=100)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["framework", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "slug"], name="scale_level_unique")
        ]

    def __str__(self):
        return self.label


class QualityPrinciple(models.Model):
    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="quality_principles"
    )
    order = models.PositiveSmallIntegerField(default=0)
    slug = models.SlugField(max_length=40, choices=vocab.QUALITY_PRINCIPLES)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["framework", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "slug"], name="quality_principle_unique")
        ]

    def __str__(self):
        return self.title


class Strand(models.Model):
    """A framework strand with what Silver, Gold and Platinum look like on it."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="strands")
    order = models.PositiveSmallIntegerField(default=0)
    slug = models.SlugField(max_length=40, choices=vocab.STRANDS)
    title = models.CharField(max_length=200)
    silver = models.TextField("Silver descriptor")
    gold = models.TextField("Gold descriptor")
    platinum = models.TextField("Platinum descriptor")

    class Meta:
        ordering = ["framework", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["framework", "slug"], name="strand_unique")]

    def __str__(self):
        return self.title


# --- Journeys -----------------------------------------------------------------------------


class JourneyQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(stage__in=CLOSED_STAGES)

    def visible_to(self, user):
        """Journeys of the user's schools and of the schools their Bridge Organisations cover."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        member_schools = user.school_memberships.filter(status="approved").values("school_id")
        reviewed_las = user.bridge_memberships.values("organisation__local_authorities")
        return self.filter(
            Q(school_id__in=member_schools) | Q(school__local_authority_id__in=reviewed_las)
        )


class Journey(models.Model):
    """One school's way through Artsmark, from registration to an award."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="journeys")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="journeys")
    stage = models.CharField(max_length=30, choices=Stage.choices, default=Stage.REGISTERED)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    stage_changed_at = models.DateTimeField(auto_now_add=True)
    # Due dates, derived from the framework when the journey reaches each stage.
    commitment_due = models.DateField("Statement of Commitment due", null=True, blank=True)
    impact_due = models.DateField("Statement of Impact due", null=True, blank=True)
    award_expires = models.DateField(null=True, blank=True)
    certified_on = models.DateField(null=True, blank=True)
    # A renewal starts a new journey offered what this one recorded.
    renewed_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="renewals"
    )

    objects = JourneyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school"],
                condition=Q(stage__in=OPEN_STAGES),
                name="journey_one_open_per_school",
            )
        ]
        indexes = [models.Index(fields=["stage"], name="journey_stage_idx")]

    def __str__(self):
        return f"{self.school.name}: {self.get_stage_display()}"

    @property
    def is_open(self):
        return self.stage not in CLOSED_STAGES


class SectionDraft(models.Model):
    """A school's working draft of one section: the unit of optimistic locking.

    Every save names the `version` it was based on; a save based on an older version than the
    stored one is refused (services/commitment.py), so colleagues never overwrite each other.
    """

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="section_drafts")
    section = models.ForeignKey(FrameworkSection, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=0)
    is_completed = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["journey", "section"], name="section_draft_unique")
        ]

    def __str__(self):
        return f"{self.section} v{self.version}"


class Answer(models.Model):
    """The current draft answer to one question."""

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(FrameworkQuestion, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["journey", "question"], name="answer_unique")
        ]

    def __str__(self):
        return f"Answer to {self.question_id}"


class DraftConflict(models.Model):
    """A save refused because a colleague saved first: the refused text is kept, never lost."""

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="draft_conflicts")
    section = models.ForeignKey(FrameworkSection, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    based_on_version = models.PositiveIntegerField()
    stored_version = models.PositiveIntegerField()
    answers = models.JSONField(help_text="The refused text, by question slug.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Conflict on {self.section} at {self.created_at:%Y-%m-%d %H:%M}"


def _vocab_array(vocabulary):
    return ArrayField(models.CharField(max_length=40, choices=vocabulary), default=list, blank=True)


class Goal(models.Model):
    """A goal of the school's plan: what, why (principles, strands), how, and how measured."""

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="goals")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    quality_principles = _vocab_array(vocab.QUALITY_PRINCIPLES)
    strands = _vocab_array(vocab.STRANDS)
    art_forms = _vocab_array(vocab.ART_FORMS)
    actions = models.TextField(blank=True)
    success_measure = models.TextField(blank=True)
    baseline = models.CharField("baseline figure", max_length=200, blank=True)
    timescale = models.CharField(max_length=200, blank=True)
    lead_name = models.CharField("who leads", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["journey", "order", "id"]

    def __str__(self):
        return self.title


class PrincipleRating(models.Model):
    """The school's self-assessment on one Quality Principle (a slug of vocab)."""

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="principle_ratings")
    principle = models.CharField(max_length=40, choices=vocab.QUALITY_PRINCIPLES)
    level = models.CharField(max_length=40, blank=True, help_text="A ScaleLevel slug.")
    evidence = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["journey", "principle"], name="principle_rating_unique")
        ]

    def __str__(self):
        return f"{self.principle}: {self.level}"


class StrandAssessment(models.Model):
    """The school's best fit on one framework strand (a slug of vocab)."""

    journey = models.ForeignKey(
        Journey, on_delete=models.CASCADE, related_name="strand_assessments"
    )
    strand = models.CharField(max_length=40, choices=vocab.STRANDS)
    level = models.CharField(max_length=20, choices=StrandLevel.choices, blank=True)
    note = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["journey", "strand"], name="strand_assessment_unique")
        ]

    def __str__(self):
        return f"{self.strand}: {self.level}"


class SignOff(models.Model):
    """The headteacher's and chair of governors' sign-off of the current draft."""

    journey = models.OneToOneField(Journey, on_delete=models.CASCADE, related_name="sign_off")
    headteacher_name = models.CharField(max_length=200)
    headteacher_signed_on = models.DateField()
    chair_name = models.CharField("chair of governors' name", max_length=200)
    chair_signed_on = models.DateField("chair of governors signed on")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Sign-off of journey {self.journey_id}"


class CommitmentVersion(models.Model):
    """A submitted Statement of Commitment, frozen: later edits to the draft never touch it.

    `content` holds the answers (by question slug, with the question's title), goals,
    self-assessment and sign-off exactly as submitted.
    """

    journey = models.ForeignKey(
        Journey, on_delete=models.CASCADE, related_name="commitment_versions"
    )
    number = models.PositiveSmallIntegerField()
    content = models.JSONField()
    submitted_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["journey", "number"]
        constraints = [
            models.UniqueConstraint(fields=["journey", "number"], name="commitment_version_unique")
        ]

    def __str__(self):
        return f"Statement of Commitment v{self.number} of journey {self.journey_id}"

    def save(self, *args, **kwargs):
        # Append-only: a frozen version is written once.
        if self.pk is not None and not self._state.adding:
            raise ValueError("A submitted Statement of Commitment cannot be changed.")
        super().save(*args, **kwargs)


class Partnership(models.Model):
    """A partnership or activity the school records on its journey during delivery."""

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="partnerships")
    partner_name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    goal = models.ForeignKey(
        Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="partnerships"
    )
    started_on = models.DateField(null=True, blank=True)
    source = models.CharField(
        max_length=20, choices=PartnershipSource.choices, default=PartnershipSource.MANUAL
    )
    source_reference = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "-created_at"]

    def __str__(self):
        return self.partner_name


# --- Reviews --------------------------------------------------------------------------------


class Review(models.Model):
    """A Bridge Organisation's review of one submitted version of a statement.

    Made when a school submits (a Statement of Commitment or of Impact); it is the row the
    review queue lists, holds the per-section comments and, once decided, the decision and
    the feedback the school reads. At most one review of a journey is undecided at a time.
    """

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(max_length=20, choices=ReviewKind.choices)
    version_number = models.PositiveSmallIntegerField()
    submitted_at = models.DateTimeField()
    due_on = models.DateField("decision due")
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_reviews",
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=20, choices=ReviewDecision.choices, blank=True)
    feedback = models.TextField(blank=True)
    award_level = models.CharField(max_length=20, choices=AwardLevel.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["journey", "kind", "version_number"], name="review_one_per_version"
            ),
            models.UniqueConstraint(
                fields=["journey"], condition=Q(decision=""), name="review_one_open_per_journey"
            ),
            models.CheckConstraint(
                condition=Q(decision="") | Q(decided_at__isnull=False),
                name="review_decided_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(decision=ReviewDecision.AWARDED) | ~Q(award_level=""),
                name="review_award_has_level",
            ),
        ]
        indexes = [
            models.Index(fields=["due_on"], condition=Q(decision=""), name="review_open_due_idx")
        ]

    def __str__(self):
        return f"Review of {self.get_kind_display()} v{self.version_number} ({self.journey_id})"

    @property
    def is_decided(self):
        return bool(self.decision)


class ReviewComment(models.Model):
    """A reviewer's comment on one part of a submitted statement.

    `part` names what it is about: a framework section slug, "goal-<pk>", "goals",
    "self-assessment", "evidence" or "general".
    """

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="comments")
    part = models.CharField(max_length=60)
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["review", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "part"], name="review_comment_one_per_part")
        ]

    def __str__(self):
        return f"Comment on {self.part}"


class StrandJudgement(models.Model):
    """A reviewer's judgement of a Statement of Impact on one framework strand."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="strand_judgements")
    strand = models.CharField(max_length=40, choices=vocab.STRANDS)
    level = models.CharField(max_length=20, choices=StrandLevel.choices)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "strand"], name="strand_judgement_unique")
        ]

    def __str__(self):
        return f"{self.strand}: {self.level}"


class Award(models.Model):
    """The level a journey was awarded. One per journey: a second award is refused."""

    journey = models.OneToOneField(Journey, on_delete=models.PROTECT, related_name="award")
    review = models.OneToOneField(Review, on_delete=models.PROTECT, related_name="award")
    level = models.CharField(max_length=20, choices=AwardLevel.choices)
    awarded_on = models.DateField()
    expires_on = models.DateField()
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-awarded_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gt=models.F("awarded_on")), name="award_expires_after"
            )
        ]

    def __str__(self):
        return f"{self.get_level_display()} award of journey {self.journey_id}"


class FeedbackRequest(models.Model):
    """A school asks its Bridge Organisation for informal feedback on a draft.

    The answer is advice: it never changes the journey's stage.
    """

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="feedback_requests")
    kind = models.CharField(max_length=20, choices=ReviewKind.choices)
    message = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["journey"],
                condition=Q(answered_at__isnull=True),
                name="feedback_request_one_open_per_journey",
            )
        ]

    def __str__(self):
        return f"Feedback request on journey {self.journey_id}"


# --- Delivery -------------------------------------------------------------------------------


class Activity(models.Model):
    """Something the school did while delivering its plan."""

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="activities")
    happened_on = models.DateField("date")
    title = models.CharField("what happened", max_length=200)
    description = models.TextField(blank=True)
    pupils_involved = models.PositiveIntegerField(null=True, blank=True)
    partners = models.CharField(max_length=300, blank=True)
    goals = models.ManyToManyField(Goal, blank=True, related_name="activities")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-happened_on", "-id"]
        verbose_name_plural = "activities"

    def __str__(self):
        return self.title


class EvidenceItem(models.Model):
    """An item of the school's evidence locker: an uploaded file or an Arts Award achievement.

    Files live under settings.EVIDENCE_ROOT (never under a public path) by a random name;
    `content_type` is what the file's content was found to be, not what the browser said.
    """

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=20, choices=EvidenceKind.choices, default=EvidenceKind.FILE)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    file = models.CharField(max_length=255, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    goals = models.ManyToManyField(Goal, blank=True, related_name="evidence")
    strands = _vocab_array(vocab.STRANDS)
    quality_principles = _vocab_array(vocab.QUALITY_PRINCIPLES)
    arts_award_level = models.CharField(max_length=20, choices=ArtsAwardLevel.choices, blank=True)
    arts_award_pupils = models.PositiveIntegerField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=EvidenceKind.FILE) | ~Q(file=""), name="evidence_file_has_path"
            ),
            models.CheckConstraint(
                condition=~Q(kind=EvidenceKind.ARTS_AWARD) | ~Q(arts_award_level=""),
                name="evidence_arts_award_has_level",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_image(self):
        return self.content_type.startswith("image/")


class SelfAssessmentCheckpoint(models.Model):
    """The Quality Principles self-assessment re-taken during delivery, frozen when saved.

    `ratings`: [{"principle": slug, "level": scale slug, "evidence": text}, ...].
    """

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="checkpoints")
    label = models.CharField(max_length=100, blank=True)
    ratings = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Checkpoint {self.label or self.pk} of journey {self.journey_id}"


# --- Statement of Impact --------------------------------------------------------------------


class ImpactDraft(models.Model):
    """The school's working Statement of Impact, apart from the reflections per goal.

    `final_ratings`: {principle slug: {"level": scale slug, "evidence": text}}. Each part has
    its own version number for optimistic locking, as SectionDraft has.
    """

    journey = models.OneToOneField(Journey, on_delete=models.CASCADE, related_name="impact_draft")
    final_ratings = models.JSONField(default=dict, blank=True)
    assessment_version = models.PositiveIntegerField(default=0)
    evidence = models.ManyToManyField(EvidenceItem, blank=True, related_name="chosen_for")
    evidence_version = models.PositiveIntegerField(default=0)
    level_applied_for = models.CharField(max_length=20, choices=AwardLevel.choices, blank=True)
    level_reason = models.TextField(blank=True)
    level_version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Statement of Impact draft of journey {self.journey_id}"


class ImpactReflection(models.Model):
    """The school's reflection on one goal: the unit of optimistic locking for that goal."""

    journey = models.ForeignKey(
        Journey, on_delete=models.CASCADE, related_name="impact_reflections"
    )
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="impact_reflections")
    text = models.TextField(blank=True)
    is_completed = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["journey", "goal"], name="impact_reflection_unique")
        ]

    def __str__(self):
        return f"Reflection on goal {self.goal_id}"


class ImpactVersion(models.Model):
    """A submitted Statement of Impact, frozen like CommitmentVersion."""

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="impact_versions")
    number = models.PositiveSmallIntegerField()
    content = models.JSONField()
    submitted_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["journey", "number"]
        constraints = [
            models.UniqueConstraint(fields=["journey", "number"], name="impact_version_unique")
        ]

    def __str__(self):
        return f"Statement of Impact v{self.number} of journey {self.journey_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("A submitted Statement of Impact cannot be changed.")
        super().save(*args, **kwargs)


# --- Fees ------------------------------------------------------------------------------------


class FeeBand(models.Model):
    """A row of a framework's fee table: the fee for settings up to `max_pupils` pupils.

    The band with the smallest `max_pupils` that the school fits is charged; the band without
    a limit (`max_pupils` empty) catches every larger school and a school with no pupil count.
    """

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="fee_bands")
    label = models.CharField(max_length=100)
    max_pupils = models.PositiveIntegerField(
        null=True, blank=True, help_text="Leave empty for the band that has no upper limit."
    )
    amount_pence = models.PositiveIntegerField()

    class Meta:
        ordering = ["framework", models.F("max_pupils").asc(nulls_last=True)]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "max_pupils"],
                name="fee_band_unique_limit",
                nulls_distinct=False,
            )
        ]

    def __str__(self):
        return f"{self.label}: £{self.amount_pence / 100:,.2f}"


class Invoice(models.Model):
    """The registration fee of one journey. Payment is recorded by staff, never taken here."""

    journey = models.OneToOneField(Journey, on_delete=models.PROTECT, related_name="invoice")
    number = models.CharField(max_length=30, unique=True)
    description = models.CharField(max_length=200)
    amount_pence = models.PositiveIntegerField()
    issued_on = models.DateField()
    due_on = models.DateField()
    paid_on = models.DateField(null=True, blank=True)
    payment_reference = models.CharField(max_length=100, blank=True)
    payment_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    payment_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("issued_on")), name="invoice_due_after_issue"
            )
        ]
        indexes = [models.Index(fields=["due_on"], name="invoice_due_idx")]

    def __str__(self):
        return f"Invoice {self.number}"

    @property
    def is_paid(self):
        return self.paid_on is not None


# --- Deadlines, reminders and extensions --------------------------------------------------


class ReminderSent(models.Model):
    """One reminder (or overdue notice, `days_before` <= 0) sent for one due date.

    The unique row is what makes the daily task send each reminder once: a second run, or a
    second worker running at the same moment, fails to insert it and sends nothing. A new due
    date (after an extension) is a new `due_on`, so its reminders are sent afresh.
    """

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=DeadlineKind.choices)
    due_on = models.DateField()
    days_before = models.SmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["journey", "kind", "due_on", "days_before"], name="reminder_sent_once"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} reminder, {self.days_before} days before {self.due_on}"


class ExtensionRequest(models.Model):
    """A school asks for more time on a due date; a reviewer grants (with a date) or refuses."""

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="extensions")
    kind = models.CharField(max_length=20, choices=DeadlineKind.choices)
    reason = models.TextField()
    current_due_on = models.DateField()
    requested_due_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    granted_due_on = models.DateField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["journey", "kind"],
                condition=Q(status=ExtensionStatus.PENDING),
                name="extension_one_pending",
            ),
            models.CheckConstraint(
                condition=Q(requested_due_on__gt=models.F("current_due_on")),
                name="extension_after_due_date",
            ),
            models.CheckConstraint(
                condition=Q(granted_due_on__isnull=True)
                | Q(granted_due_on__gt=models.F("current_due_on")),
                name="extension_granted_after_due_date",
            ),
        ]
        indexes = [models.Index(fields=["status"], name="extension_status_idx")]

    def __str__(self):
        return f"Extension of the {self.get_kind_display()} due date, journey {self.journey_id}"


# `SectionStatus` is computed from a SectionDraft and its answers (selectors.py).
__all__ = [
    "Activity",
    "Answer",
    "Award",
    "CommitmentVersion",
    "DraftConflict",
    "EvidenceItem",
    "ExtensionRequest",
    "FeeBand",
    "FeedbackRequest",
    "Framework",
    "FrameworkQuestion",
    "FrameworkSection",
    "Goal",
    "ImpactDraft",
    "ImpactReflection",
    "ImpactVersion",
    "Invoice",
    "Journey",
    "Partnership",
    "PrincipleRating",
    "QualityPrinciple",
    "ReminderSent",
    "Review",
    "ReviewComment",
    "ScaleLevel",
    "SectionDraft",
    "SectionStatus",
    "SelfAssessmentCheckpoint",
    "SignOff",
    "Strand",
    "StrandAssessment",
    "StrandJudgement",
]
