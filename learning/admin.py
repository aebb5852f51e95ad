"""Django admin for the learning programme.

Sessions can be edited here, except their number of places once published. Bookings are
read-only: places, the waiting list and attendance change only through the portal's
services, which keep the capacity and the queue's order true.
"""

from django.contrib import admin

from learning.models import Booking, LearningSession


class BookingInline(admin.TabularInline):
    model = Booking
    extra = 0
    can_delete = False
    fields = ("user", "school", "partner_organisation", "status", "created_at", "attended")
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(LearningSession)
class LearningSessionAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "starts_at", "organiser", "audience", "capacity", "online")
    list_filter = ("kind", "audience", "online", "organiser", "starts_at")
    search_fields = ("title", "description", "venue", "organiser__name")
    date_hierarchy = "starts_at"
    list_select_related = ("organiser",)
    readonly_fields = ("created_by", "created_at", "updated_at", "cancelled_at")
    inlines = [BookingInline]

    def get_readonly_fields(self, request, obj=None):
        # Places change on the organiser's page, which refuses fewer places than are taken
        # and gives new ones to the waiting list in order.
        if obj is not None:
            return (*self.readonly_fields, "capacity")
        return self.readonly_fields


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ("session", "user", "school", "partner_organisation", "status", "attended")
    list_filter = ("status", "attended", "session__kind", "session__organiser")
    search_fields = (
        "user__email",
        "user__full_name",
        "school__name",
        "school__urn",
        "partner_organisation__name",
        "session__title",
    )
    list_select_related = ("session", "user", "school", "partner_organisation")
    readonly_fields = [field.name for field in Booking._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
