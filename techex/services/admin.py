from django.contrib import admin

from .expert_models import Expert
from .experts import build_document
from .models import (
    ProviderCredential,
    Quote,
    RequestMessage,
    ServiceCategory,
    ServiceFAQ,
    ServiceProvider,
    ServiceRequest,
    ValuationRecord,
)


class FAQInline(admin.StackedInline):
    model = ServiceFAQ
    extra = 0


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(admin.ModelAdmin):
    """Staff edit the catalogue's texts in Vietnamese and English; codes stay stable (they are the pages' URLs)."""

    list_display = ("code", "name", "name_en", "order", "is_active")
    list_editable = ("order", "is_active")
    inlines = [FAQInline]


class CredentialInline(admin.TabularInline):
    model = ProviderCredential
    extra = 0
    fields = ("original_name", "content_type", "size", "created_at")
    readonly_fields = fields
    can_delete = False


@admin.register(ServiceProvider)
class ServiceProviderAdmin(admin.ModelAdmin):
    # Verification goes through the staff page (provider_verify, audited and scoped), not this form.
    list_display = ("organization", "status", "department", "created_at")
    list_filter = ("status", "department")
    readonly_fields = ("organization", "status", "decision_note", "decided_at", "decided_by", "department")
    inlines = [CredentialInline]


class QuoteInline(admin.TabularInline):
    model = Quote
    extra = 0
    can_delete = False
    readonly_fields = ("amount_vnd", "currency", "duration_days", "note", "created_by", "created_at")


class MessageInline(admin.TabularInline):
    model = RequestMessage
    extra = 0
    can_delete = False
    fields = ("party", "author", "body", "file_name", "created_at")
    readonly_fields = fields


@admin.register(ServiceRequest)
class ServiceRequestAdmin(admin.ModelAdmin):
    # Read-only: every change is a service of states.TRANSITIONS, audited.
    list_display = ("reference_code", "category", "client_organization", "provider", "state", "department")
    list_filter = ("state", "category", "department")
    search_fields = ("reference_code", "client_organization__name", "guest_email")
    inlines = [QuoteInline, MessageInline]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    """Staff pages (/experts/staff/) are the usual way; an edit here is re-analysed for search all the same."""

    list_display = ("full_name", "organization_name", "province", "accepts_requests", "is_hidden", "consent_at")
    list_filter = ("is_hidden", "accepts_requests", "province", "categories")
    search_fields = ("full_name", "specialities", "organization_name")
    filter_horizontal = ("fields", "categories")
    readonly_fields = ("consent_at", "consent_policy", "department")
    raw_id_fields = ("user", "organization")

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        expert = form.instance
        expert.search_document = build_document(expert)
        expert.save(update_fields=["search_document", "updated_at"])


# --- valuation records (issue 13) ------------------------------------------------------------------------------------


@admin.register(ValuationRecord)
class ValuationRecordAdmin(admin.ModelAdmin):
    # Read-only: a record is written by request_deliver_valuation, audited, and never edited.
    list_display = ("request", "listing", "provider", "method", "value_low_vnd", "value_high_vnd", "valued_on")
    list_filter = ("method",)
    list_select_related = ("request", "listing", "provider__organization")
    search_fields = ("request__reference_code", "listing__reference_code", "provider__organization__name")

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
