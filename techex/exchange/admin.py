from django.contrib import admin

from .models import ApiKey, ForeignListing, HarvestSource


@admin.register(HarvestSource)
class HarvestSourceAdmin(admin.ModelAdmin):
    """Staff configure the exchanges to harvest here (``harvest_source_create`` makes the organisation standing for
    one); the cursor and the last run are the harvester's."""

    list_display = ("name", "base_url", "is_active", "last_run_at", "cursor")
    readonly_fields = ("organization", "cursor", "last_run_at", "last_error", "created_by")
    fields = ("name", "base_url", "api_key", "kinds", "is_active", *readonly_fields)

    def has_add_permission(self, request) -> bool:
        return False  # through harvest_source_create, which makes the owner organisation too


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Keys are issued and revoked on the staff page (the secret is shown there once); here they are only read."""

    list_display = ("name", "prefix", "scopes", "rate_per_minute", "use_count", "last_used_at", "revoked_at")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ForeignListing)
class ForeignListingAdmin(admin.ModelAdmin):
    list_display = ("global_id", "source", "harvested_at")
    list_select_related = ("source",)

    def has_change_permission(self, request, obj=None) -> bool:
        return False
