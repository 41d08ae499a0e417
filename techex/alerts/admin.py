"""Administrators' view of saved searches: find a person's searches and what they were alerted, read-only.

Changes go through the services (the owner's page, the API, the one-click unsubscribe), which check the filters and
write the audit trail; the admin never writes. The token is left out: it opens the search's feed and unsubscribe
link without signing in, and staff have no need to see or pass it on.
"""

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from .models import SavedSearch, SavedSearchHit

LATEST_ALERTS_SHOWN = 20
DETAIL_FIELDS = (
    "user",
    "name",
    "q",
    "filters",
    "is_active",
    "created_at",
    "updated_at",
    "last_alerted_at",
    "alert_count",
    "latest_alerts",
)


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "q", "filters", "is_active", "alert_count", "created_at", "last_alerted_at"]
    list_filter = ["is_active", "created_at", "last_alerted_at"]
    list_select_related = ["user"]
    search_fields = ["name", "q", "user__email"]
    ordering = ["-created_at", "-id"]
    date_hierarchy = "created_at"
    fields = DETAIL_FIELDS
    readonly_fields = DETAIL_FIELDS

    def get_queryset(self, request: HttpRequest) -> QuerySet[SavedSearch]:
        return super().get_queryset(request).annotate(alert_count=Count("hits"))

    @admin.display(description=_("alerts sent"), ordering="alert_count")
    def alert_count(self, obj: SavedSearch) -> int:
        return obj.alert_count  # type: ignore[attr-defined]  # the annotation of get_queryset

    @admin.display(description=_("latest alerts"))
    def latest_alerts(self, obj: SavedSearch) -> str:
        hits = SavedSearchHit.objects.filter(saved_search=obj).select_related("listing")[:LATEST_ALERTS_SHOWN]
        rows = [
            (
                reverse("admin:listings_listing_change", args=[hit.listing_id]),
                hit.listing.reference_code,
                date_format(localtime(hit.created_at), "SHORT_DATETIME_FORMAT"),
            )
            for hit in hits
        ]
        if not rows:
            return "—"
        return format_html("<ul>{}</ul>", format_html_join("", '<li><a href="{}">{}</a> · {}</li>', rows))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: SavedSearch | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: SavedSearch | None = None) -> bool:
        return False
