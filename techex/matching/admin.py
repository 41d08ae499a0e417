"""Matches are computed, never typed: the admin shows them read-only, and the alert settings."""

from django.contrib import admin

from .models import Match, MatchPreference


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    list_display = ["need", "offer", "score", "created_at", "computed_at"]
    list_select_related = ["need", "offer"]
    search_fields = ["need__reference_code", "offer__reference_code", "need__title", "offer__title"]
    ordering = ["-computed_at", "-score"]
    readonly_fields = [field.name for field in Match._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(MatchPreference)
class MatchPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "threshold", "alerts_enabled", "updated_at"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
