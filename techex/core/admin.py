"""The audit trail in the admin: administrators read it; nobody adds, changes or deletes an entry."""

from django.contrib import admin

from .models import AuditCheckpoint, AuditEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "action", "target_type", "target_id", "actor")
    list_filter = ("action", "target_type")
    list_select_related = ("actor",)
    search_fields = ("action", "target_id", "actor__email")
    date_hierarchy = "created_at"
    show_full_result_count = False
    readonly_fields = (
        "created_at",
        "actor",
        "action",
        "target_type",
        "target_id",
        "data",
        "lane",
        "position",
        "previous_hash",
        "entry_hash",
    )


@admin.register(AuditCheckpoint)
class AuditCheckpointAdmin(ReadOnlyAdmin):
    """The signed checkpoints (docs/audit.md): written by ``manage.py audit_checkpoint``, read here."""

    list_display = ("sequence", "created_at", "entries")
    show_full_result_count = False
    readonly_fields = ("sequence", "created_at", "entries", "heads", "previous_signature", "signature")
