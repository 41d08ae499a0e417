"""Administrators' view of deals: find and read them here; every change goes through the deal pages or the API.

Writes bypassing the services would skip the stage rules, the locks, the notifications and the audit trail, so the
admin only lists, filters, searches and shows.
"""

from django.contrib import admin

from .models import NDA, Contract, Deal, DealMessage, NDATemplate, Proposal


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class MessageInline(ReadOnlyInline):
    model = DealMessage
    fields = ("created_at", "side", "author", "body")
    readonly_fields = fields


class ProposalInline(ReadOnlyInline):
    model = Proposal
    fields = ("created_at", "side", "status", "licence", "price_vnd", "royalty_percent", "exclusive", "term_months")
    readonly_fields = fields


@admin.register(Deal)
class DealAdmin(ReadOnlyAdmin):
    list_display = (
        "reference_code",
        "listing",
        "owner_organization",
        "inquirer_organization",
        "broker",
        "stage",
        "value_vnd",
        "created_at",
    )
    list_filter = ("stage", "listing__kind")
    list_select_related = ("listing", "owner_organization", "inquirer_organization", "broker")
    search_fields = (
        "reference_code",
        "listing__reference_code",
        "listing__title",
        "owner_organization__name",
        "inquirer_organization__name",
    )
    date_hierarchy = "created_at"
    inlines = [ProposalInline, MessageInline]


@admin.register(Contract)
class ContractAdmin(ReadOnlyAdmin):
    list_display = (
        "deal",
        "transferor_name",
        "transferee_name",
        "contract_form",
        "value_vnd",
        "signed_on",
        "registration_status",
    )
    list_filter = ("contract_form", "cross_border", "state_budget", "registration_status")
    list_select_related = ("deal",)
    search_fields = ("deal__reference_code", "transferor_name", "transferee_name", "registration_number")
    date_hierarchy = "signed_on"


@admin.register(NDA)
class NDAAdmin(ReadOnlyAdmin):
    list_display = ("deal", "method", "status", "requested_side", "created_at", "in_force_at")
    list_filter = ("method", "status")
    list_select_related = ("deal",)
    search_fields = ("deal__reference_code",)
    exclude = ("signed_file",)  # served only through the deal's access check


@admin.register(NDATemplate)
class NDATemplateAdmin(ReadOnlyAdmin):
    list_display = ("version", "title", "created_by", "created_at")
    search_fields = ("title",)
