from django.contrib import admin

from artsmark.schools.models import (
    BridgeMembership,
    BridgeOrganisation,
    LocalAuthority,
    Region,
    School,
    SchoolInvitation,
    SchoolMembership,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "region"]
    list_filter = ["region"]
    search_fields = ["name", "code"]


class BridgeMembershipInline(admin.TabularInline):
    model = BridgeMembership
    autocomplete_fields = ["user"]
    extra = 0


@admin.register(BridgeOrganisation)
class BridgeOrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active", "website"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["local_authorities"]
    inlines = [BridgeMembershipInline]


class SchoolMembershipInline(admin.TabularInline):
    model = SchoolMembership
    fk_name = "school"
    autocomplete_fields = ["user"]
    readonly_fields = ["requested_at", "decided_at", "decided_by"]
    extra = 0


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "urn", "phase", "local_authority", "postcode", "is_open"]
    list_filter = ["is_open", "phase", "local_authority__region"]
    search_fields = ["name", "=urn", "postcode"]
    list_select_related = ["local_authority"]
    autocomplete_fields = ["local_authority"]
    inlines = [SchoolMembershipInline]


@admin.register(SchoolMembership)
class SchoolMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "school", "role", "status", "requested_at"]
    list_filter = ["role", "status"]
    search_fields = ["user__email", "school__name", "=school__urn"]
    autocomplete_fields = ["user", "school"]
    list_select_related = ["user", "school"]


@admin.register(SchoolInvitation)
class SchoolInvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "school", "created_at", "accepted_at"]
    search_fields = ["email", "school__name"]
    autocomplete_fields = ["school"]
    readonly_fields = ["token"]
