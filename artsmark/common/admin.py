from django.contrib import admin

from artsmark.common.models import ActivityEntry


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
