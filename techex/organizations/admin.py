"""Administrators' view of organisations; verification goes through the services so it is audited."""

from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from techex.core.services import audit_record

from . import services
from .models import Membership, Organization


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)
    fields = ("user", "role", "created_at")
    readonly_fields = ("created_at",)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "type", "verification_status", "province", "tax_code", "is_demo", "created_at")
    list_filter = ("verification_status", "type", "is_demo", "province")
    list_select_related = ("province",)
    search_fields = ("name", "short_name", "tax_code", "slug")
    autocomplete_fields = ("ward",)
    readonly_fields = ("verification_status", "verification_note", "verified_at", "created_at", "updated_at")
    prepopulated_fields = {"slug": ("name",)}
    date_hierarchy = "created_at"
    inlines = (MembershipInline,)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ("verify_selected",)
    fieldsets = (
        (None, {"fields": ("name", "short_name", "slug", "type", "tax_code", "is_demo")}),
        (_("Place and contact"), {"fields": ("country", "province", "ward", "address", "website", "email", "phone")}),
        (_("Profile"), {"fields": ("description",)}),
        (_("Verification"), {"fields": ("verification_status", "verification_note", "verified_at")}),
        (_("Record"), {"fields": ("created_at", "updated_at")}),
    )

    @admin.action(description=_("Verify the selected organisations"))
    def verify_selected(self, request, queryset):
        count = 0
        for organization in queryset:
            services.organization_verify(organization=organization, user=request.user)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d organisation verified.", "%(count)d organisations verified.", count) % {"count": count},
            messages.SUCCESS,
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action="organization.admin_change" if change else "organization.admin_create",
            target=obj,
            data={"fields": sorted(form.changed_data)},
        )

    def delete_model(self, request, obj):
        audit_record(actor=request.user, action="organization.admin_delete", target=obj, data={"name": obj.name})
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organization", "role", "created_at")
    list_filter = ("role",)
    list_select_related = ("user", "organization")
    search_fields = ("user__email", "user__full_name", "organization__name")
    autocomplete_fields = ("user", "organization")
