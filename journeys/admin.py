"""Django admin for frameworks (versioned data) and journeys.

A framework version that journeys use is read-only: to change the framework, copy it into a
new version, edit that, and publish it. Journeys on the old version keep it.
"""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from journeys.models import (
    Activity,
    Award,
    CommitmentVersion,
    EvidenceItem,
    ExtensionRequest,
    FeeBand,
    FeedbackRequest,
    Framework,
    FrameworkQuestion,
    FrameworkSection,
    ImpactVersion,
    Invoice,
    Journey,
    Partnership,
    QualityPrinciple,
    ReminderSent,
    Review,
    ReviewComment,
    ScaleLevel,
    Strand,
    StrandJudgement,
)
from journeys.services.frameworks import copy_framework, publish_framework


def _in_use(framework):
    return framework is not None and framework.pk and framework.journeys.exists()


class LockedWhenInUse:
    """Inline or model admin whose rows cannot change once a journey uses the framework."""

    def _framework(self, obj):
        return obj

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _in_use(self._framework(obj))

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not _in_use(self._framework(obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _in_use(self._framework(obj))


class ScaleLevelInline(LockedWhenInUse, admin.TabularInline):
    model = ScaleLevel
    extra = 0


class QualityPrincipleInline(LockedWhenInUse, admin.StackedInline):
    model = QualityPrinciple
    extra = 0


class StrandInline(LockedWhenInUse, admin.StackedInline):
    model = Strand
    extra = 0


class FeeBandInline(LockedWhenInUse, admin.TabularInline):
    model = FeeBand
    extra = 0


class SectionInline(LockedWhenInUse, admin.TabularInline):
    model = FrameworkSection
    extra = 0
    show_change_link = True


@admin.register(Framework)
class FrameworkAdmin(LockedWhenInUse, admin.ModelAdmin):
    list_display = ["__str__", "version", "is_current", "published_at", "min_goals"]
    readonly_fields = ["is_current", "published_at"]
    inlines = [SectionInline, ScaleLevelInline, QualityPrincipleInline, StrandInline, FeeBandInline]
    actions = ["copy_as_new_version", "publish"]

    def has_add_permission(self, request, obj=None):
        return admin.ModelAdmin.has_add_permission(self, request)

    @admin.action(description="Copy as a new (unpublished) version")
    def copy_as_new_version(self, request, queryset):
        for framework in queryset:
            copy = copy_framework(framework=framework)
            self.message_user(request, f"Created {copy}. Edit it, then publish it.")

    @admin.action(description="Publish (new registrations start on it)")
    def publish(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Publish one version at a time.", messages.ERROR)
            return
        framework = publish_framework(framework=queryset.get())
        self.message_user(request, f"{framework} is now the current framework.")


class QuestionInline(LockedWhenInUse, admin.StackedInline):
    model = FrameworkQuestion
    extra = 0

    def _framework(self, obj):
        return obj.framework if obj is not None else None


@admin.register(FrameworkSection)
class FrameworkSectionAdmin(LockedWhenInUse, admin.ModelAdmin):
    list_display = ["title", "framework", "order"]
    list_filter = ["framework"]
    inlines = [QuestionInline]

    def _framework(self, obj):
        return obj.framework if obj is not None else None

    def has_add_permission(self, request, obj=None):
        return admin.ModelAdmin.has_add_permission(self, request)


class CommitmentVersionInline(admin.TabularInline):
    model = CommitmentVersion
    fields = ["number", "submitted_at", "submitted_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Journey)
class JourneyAdmin(admin.ModelAdmin):
    """Read-only stage: stage changes go through services/stages.py, never the admin form."""

    list_display = ["school", "stage", "framework", "created_at", "commitment_due"]
    list_filter = ["stage", "framework"]
    search_fields = ["school__name", "school__urn"]
    readonly_fields = ["school", "framework", "stage", "registered_by", "created_at"]
    inlines = [CommitmentVersionInline]

    def has_add_permission(self, request):
        return False


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["partner_name", "journey", "source", "started_on"]
    list_filter = ["source"]
    raw_id_fields = ["journey", "goal"]


# --- Reviews, awards, delivery: records written by the portal's services, read here ----------


class ReadOnlyAdmin(admin.ModelAdmin):
    """Decisions, awards and uploads are made in the portal, where the rules are checked."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReviewCommentInline(admin.TabularInline):
    model = ReviewComment
    fields = ["part", "text", "author", "updated_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class StrandJudgementInline(ReviewCommentInline):
    model = StrandJudgement
    fields = ["strand", "level", "note"]
    readonly_fields = fields


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["journey", "kind", "version_number", "due_on", "assigned_to", "decision"]
    list_filter = ["kind", "decision"]
    search_fields = ["journey__school__name", "journey__school__urn"]
    list_select_related = ["journey__school", "assigned_to"]
    inlines = [ReviewCommentInline, StrandJudgementInline]


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ["journey", "level", "awarded_on", "expires_on"]
    list_filter = ["level"]
    search_fields = ["journey__school__name", "journey__school__urn"]
    list_select_related = ["journey__school"]


@admin.register(FeedbackRequest)
class FeedbackRequestAdmin(ReadOnlyAdmin):
    list_display = ["journey", "kind", "created_at", "answered_at"]
    list_select_related = ["journey__school"]


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ["title", "journey", "happened_on", "pupils_involved"]
    list_select_related = ["journey__school"]


@admin.register(EvidenceItem)
class EvidenceItemAdmin(ReadOnlyAdmin):
    """The files themselves are served only by the portal's access-checked view."""

    list_display = ["title", "journey", "kind", "content_type", "size", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["journey__school"]


@admin.register(ImpactVersion)
class ImpactVersionAdmin(ReadOnlyAdmin):
    list_display = ["journey", "number", "submitted_at"]
    list_select_related = ["journey__school"]


# --- Fees: invoices are raised on registration; payments are recorded in the portal ----------


class InvoicePaymentFilter(admin.SimpleListFilter):
    title = "payment"
    parameter_name = "payment"

    def lookups(self, request, model_admin):
        return [("unpaid", "Unpaid"), ("overdue", "Overdue"), ("paid", "Paid")]

    def queryset(self, request, queryset):
        if self.value() == "paid":
            return queryset.filter(paid_on__isnull=False)
        if self.value() == "unpaid":
            return queryset.filter(paid_on__isnull=True)
        if self.value() == "overdue":
            return queryset.filter(paid_on__isnull=True, due_on__lt=timezone.localdate())
        return queryset


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    """Read-only: a payment is recorded on the portal's page, where the rules are checked."""

    list_display = ["number", "journey", "amount", "issued_on", "due_on", "paid_on", "payment"]
    list_filter = [InvoicePaymentFilter]
    search_fields = ["number", "journey__school__name", "journey__school__urn"]
    list_select_related = ["journey__school"]
    date_hierarchy = "issued_on"

    @admin.display(description="amount", ordering="amount_pence")
    def amount(self, obj):
        return f"£{obj.amount_pence / 100:,.2f}"

    @admin.display(description="record payment")
    def payment(self, obj):
        if obj.is_paid:
            return "Paid"
        url = reverse("journeys:invoice_payment", kwargs={"invoice_pk": obj.pk})
        return format_html('<a href="{}">Record the payment</a>', url)


# --- Deadlines: the record of reminders sent, requests for more time -----------------------


@admin.register(ReminderSent)
class ReminderSentAdmin(ReadOnlyAdmin):
    """The send-once record of the daily reminders (`days_before` 0: the overdue notice)."""

    list_display = ["journey", "kind", "due_on", "days_before", "sent_at"]
    list_filter = ["kind"]
    search_fields = ["journey__school__name", "journey__school__urn"]
    list_select_related = ["journey__school"]
    date_hierarchy = "sent_at"


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyAdmin):
    """Read here; decided on the portal's page, which moves the journey's due date."""

    list_display = ["journey", "kind", "current_due_on", "requested_due_on", "status", "decide"]
    list_filter = ["status", "kind"]
    search_fields = ["journey__school__name", "journey__school__urn"]
    list_select_related = ["journey__school"]

    @admin.display(description="decision")
    def decide(self, obj):
        url = reverse("journeys:extension_decide", kwargs={"extension_pk": obj.pk})
        label = "Decide in the portal" if obj.status == "pending" else "See in the portal"
        return format_html('<a href="{}">{}</a>', url, label)
