from django.contrib import admin

from artsmark.common.models import ActivityEntry, ReportRequest
from artsmark.common.reports.services import UNFINISHED, nudge


@admin.register(ActivityEntry)
class ActivityEntryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "actor",
        "verb",
        "content_type",
        "object_id",
        "to_state",
    ]
    list_filter = ["verb", "content_type"]
    readonly_fields = [f.name for f in ActivityEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReportRequest)
class ReportRequestAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "title", "status", "attempts", "pages", "requested_by"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "error", "error_detail"]
    readonly_fields = [f.name for f in ReportRequest._meta.fields]
    actions = ["resend"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Send the selected unfinished requests to a worker again")
    def resend(self, request, queryset):
        sent = [nudge(report) for report in queryset.filter(status__in=UNFINISHED)]
        self.message_user(request, f"Sent {sum(sent)} request(s) to a worker.")
