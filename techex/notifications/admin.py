"""Administrators' view of notifications: read only; people change their own through the site."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Notification, NotificationPreference


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "recipient", "kind", "text", "read_at", "email_after", "emailed_at")
    list_filter = ("kind", ("read_at", admin.EmptyFieldListFilter), ("emailed_at", admin.EmptyFieldListFilter))
    search_fields = ("recipient__email", "kind")
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"
    fields = (
        "recipient",
        "kind",
        "text",
        "params",
        "url",
        "actor",
        "created_at",
        "read_at",
        "email_after",
        "emailed_at",
    )
    readonly_fields = fields

    @admin.display(description=_("text"))
    def text(self, notification: Notification) -> str:
        return notification.text


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ReadOnlyAdmin):
    list_display = ("user", "email_frequency", "last_emailed_at", "updated_at")
    list_filter = ("email_frequency",)
    search_fields = ("user__email",)
    list_select_related = ("user",)
