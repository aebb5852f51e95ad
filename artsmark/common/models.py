from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class ActivityEntry(models.Model):
    """One line of an append-only activity log: who did what to which object, and when.

    Service functions write these; nothing updates or deletes them.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    verb = models.CharField(max_length=60)
    from_state = models.CharField(max_length=40, blank=True)
    to_state = models.CharField(max_length=40, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="activity_subject_idx")]
        verbose_name_plural = "activity entries"

    def __str__(self):
        return f"{self.actor} {self.verb} {self.content_type.model} {self.object_id}"


class ReportRequest(models.Model):
    """One request for a generated report (PDF): the truth about it, whatever the broker does.

    The subject (a journey, a Bridge Organisation, ...) is generic so that the project
    package never imports the apps further out; `settings.REPORT_KINDS` says, per kind,
    which model the subject is and who may read it.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to be made"
        RENDERING = "rendering", "Being made"
        READY = "ready", "Ready"
        FAILED = "failed", "Could not be made"

    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=300)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="report_requests",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    # What the person who asked is told, in plain words; the technical detail is for staff.
    error = models.CharField(max_length=300, blank=True)
    error_detail = models.TextField(blank=True)
    # Path relative to MEDIA_ROOT; served only through an access-checked view.
    file = models.CharField(max_length=255, blank=True)
    file_size = models.PositiveIntegerField(null=True, blank=True)
    pages = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When a task was last sent for it: the periodic re-send looks at this.
    nudged_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # While a worker renders, nobody else takes the request until this time has passed.
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    render_seconds = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "kind", "-created_at"],
                name="report_subject_idx",
            ),
            models.Index(
                fields=["status", "created_at"],
                condition=models.Q(status__in=["queued", "rendering"]),
                name="report_unfinished_idx",
            ),
        ]
        constraints = [
            # Asking again for a report that is still being made returns that request.
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id"],
                condition=models.Q(status__in=["queued", "rendering"]),
                name="report_one_unfinished_per_subject",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="ready") | ~models.Q(file=""),
                name="report_ready_has_file",
            ),
        ]

    def __str__(self):
        return f"{self.kind} report {self.pk} ({self.status})"

    @property
    def is_finished(self):
        return self.status in (self.Status.READY, self.Status.FAILED)
