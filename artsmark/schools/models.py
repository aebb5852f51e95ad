import secrets

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q


class Region(models.Model):
    """One of the nine English regions (ONS codes E12000001 to E12000009)."""

    code = models.CharField(max_length=9, unique=True)
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class LocalAuthority(models.Model):
    """A local authority as GIAS numbers it (e.g. 316 Newham)."""

    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=150)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="local_authorities")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"

    def __str__(self):
        return self.name


class BridgeOrganisationQuerySet(models.QuerySet):
    def covering(self, local_authority_id):
        return self.filter(local_authorities__id=local_authority_id, is_active=True)


class BridgeOrganisation(models.Model):
    """An organisation whose reviewers support and review schools in the areas it covers.

    Coverage is data: the ten historical Bridge Organisations each cover a region or part
    of one; a national delivery partner covers every local authority.
    """

    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=150, unique=True)
    website = models.URLField(blank=True)
    contact_email = models.EmailField(blank=True)
    local_authorities = models.ManyToManyField(
        LocalAuthority, related_name="bridge_organisations", blank=True
    )
    is_active = models.BooleanField(default=True)

    objects = BridgeOrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class BridgeMembership(models.Model):
    class Role(models.TextChoices):
        REVIEWER = "reviewer", "Reviewer"
        # An organisation lead also assigns submissions to the organisation's reviewers.
        LEAD = "lead", "Organisation lead"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="bridge_memberships",
    )
    organisation = models.ForeignKey(
        BridgeOrganisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.REVIEWER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="bridge_membership_unique"
            )
        ]

    def __str__(self):
        return f"{self.user} at {self.organisation}"


class SchoolQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Schools the user is an approved member of, or reviews, or all for platform staff."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(
            Q(
                memberships__user=user,
                memberships__status=SchoolMembership.Status.APPROVED,
            )
            | Q(local_authority__bridge_organisations__memberships__user=user)
        ).distinct()

    def reviewed_by(self, user):
        return self.filter(local_authority__bridge_organisations__memberships__user=user).distinct()


class School(models.Model):
    """An establishment from DfE's Get Information About Schools, keyed by URN."""

    urn = models.PositiveIntegerField("URN", unique=True)
    name = models.CharField(max_length=255)
    establishment_type = models.CharField("type of establishment", max_length=150, blank=True)
    phase = models.CharField("phase of education", max_length=100, blank=True)
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="schools"
    )
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    number_of_pupils = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField("establishment status", max_length=60, blank=True)
    is_open = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SchoolQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["postcode"], name="school_postcode_idx"),
            models.Index(fields=["name"], name="school_name_idx"),
            # "Find your school" tolerates typos in names (pg_trgm word similarity).
            GinIndex(fields=["name"], opclasses=["gin_trgm_ops"], name="school_name_trgm_idx"),
        ]

    def __str__(self):
        return f"{self.name} ({self.urn})"

    @property
    def region(self):
        return self.local_authority.region


class SchoolMembership(models.Model):
    """A user's place at a school: asked for, then approved as lead or member."""

    class Role(models.TextChoices):
        LEAD = "lead", "Artsmark lead"
        MEMBER = "member", "Member"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="school_memberships",
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    message = models.TextField("message to the approver", blank=True, max_length=1000)
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["school", "-role", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "school"], name="school_membership_unique"),
            models.UniqueConstraint(
                fields=["school"],
                condition=Q(role="lead", status="approved"),
                name="school_single_lead",
            ),
            models.CheckConstraint(
                condition=~Q(role="lead") | Q(status="approved"),
                name="school_lead_is_approved",
            ),
        ]

    def __str__(self):
        return f"{self.user} at {self.school} ({self.get_role_display()}, {self.status})"

    @property
    def is_lead(self):
        return self.role == self.Role.LEAD and self.status == self.Status.APPROVED


def _invitation_token():
    return secrets.token_urlsafe(32)


class SchoolInvitation(models.Model):
    """A lead's invitation to a colleague, sent by email, accepted by following its link."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    token = models.CharField(max_length=64, unique=True, default=_invitation_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "email"],
                condition=Q(accepted_at__isnull=True),
                name="school_invitation_open_unique",
            )
        ]

    def __str__(self):
        return f"Invitation to {self.email} for {self.school}"
