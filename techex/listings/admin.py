"""Administrators' view of listings: find and read them here; every change goes through the listing pages.

Writes bypassing the services would skip the lifecycle rules, the audit trail and the folded search text, so the
admin only lists, filters, searches and shows.
"""

from django.contrib import admin

from .models import ImportJob, Listing, ListingAttachment


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ListingAttachmentInline(admin.TabularInline):
    model = ListingAttachment
    extra = 0
    fields = ("kind", "original_name", "content_type", "size", "is_confidential", "is_approved")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Listing)
class ListingAdmin(ReadOnlyAdmin):
    list_display = (
        "reference_code",
        "title",
        "kind",
        "organization",
        "status",
        "is_live",
        "is_anonymous",
        "published_at",
        "valid_until",
    )
    list_filter = ("kind", "status", "is_live", "is_anonymous", "is_demo", "language", "province")
    list_select_related = ("organization", "province")
    search_fields = ("reference_code", "title", "organization__name", "external_ref")
    date_hierarchy = "created_at"
    readonly_fields = (
        "reference_code",
        "status",
        "is_live",
        "pending_changes",
        "review_note",
        "submitted_at",
        "published_at",
        "valid_until",
        "renewed_at",
        "reminder_sent_at",
        "view_count",
        "save_count",
        "inquiry_count",
    )
    exclude = ("search_text",)
    inlines = (ListingAttachmentInline,)


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "format", "status", "total_rows", "created_count", "updated_count", "created_at")
    list_filter = ("status", "format")
    list_select_related = ("created_by",)
    search_fields = ("original_name", "created_by__email")
    date_hierarchy = "created_at"
