"""The query parameters of the listing list, validated into the selectors' ``ListingFilters``."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from techex.core.api import MAX_BIGINT
from techex.organizations.choices import OrganizationType

from ..choices import IPType, ListingKind, ListingStatus, TransferForm
from ..selectors import ListingFilters


class ListingQuerySerializer(serializers.Serializer):
    mine = serializers.BooleanField(
        required=False, default=False, help_text="Your organisations' listings in any status (needs signing in)."
    )
    q = serializers.CharField(
        required=False,
        max_length=200,
        help_text="Words to search for (accents, case and small typos do not matter); results best first.",
    )
    sort = serializers.ChoiceField(
        [("relevance", "relevance"), ("newest", "newest"), ("trl", "trl")],
        required=False,
        help_text="relevance (the default; newest first without q), newest, or trl (highest first).",
    )
    kind = serializers.ChoiceField(ListingKind.choices, required=False)
    field = serializers.CharField(required=False, max_length=8, help_text="An S&T field code or its prefix.")
    province = serializers.CharField(required=False, max_length=4, help_text="A province code.")
    trl = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=9,
        help_text="Offers at or above this TRL and needs that accept it.",
    )
    ip_type = serializers.ChoiceField(IPType.choices, required=False)
    transfer_form = serializers.ChoiceField(TransferForm.choices, required=False)
    organization = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_BIGINT, help_text="An organisation's id (its named listings)."
    )
    status = serializers.ChoiceField(ListingStatus.choices, required=False, help_text="Only with mine=true.")
    organization_type = serializers.ChoiceField(
        OrganizationType.choices, required=False, help_text="Listings of this kind of organisation (named ones)."
    )

    default_error_messages = {"status_needs_mine": _("Filter by status only among your own listings (mine=true).")}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("status") and not attrs.get("mine"):
            raise serializers.ValidationError({"status": [self.error_messages["status_needs_mine"]]})
        return attrs


def listing_filters(params: dict[str, Any]) -> ListingFilters:
    return ListingFilters(
        q=params.get("q", ""),
        kind=params.get("kind", ""),
        field=params.get("field", ""),
        province=params.get("province", ""),
        trl=params.get("trl"),
        ip_type=params.get("ip_type", ""),
        transfer_form=params.get("transfer_form", ""),
        organization=params.get("organization"),
        status=params.get("status", ""),
        organization_type=params.get("organization_type", ""),
    )
