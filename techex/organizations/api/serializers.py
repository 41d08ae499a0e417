"""Organisation representations and input."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from techex.core.api import CodeField, StrictCharField, WriteSerializer, optional_text
from techex.reference.models import Province, Ward

from ..choices import OrganizationType
from ..models import Organization
from ..selectors import PRIVATE_FIELDS, organization_live_listing_count, organization_private_visible


class OrganizationSerializer(serializers.ModelSerializer):
    """An organisation's profile; the private fields are null unless you are a member or staff."""

    province = serializers.CharField(source="province_id", allow_null=True, read_only=True)
    ward = serializers.CharField(source="ward_id", allow_null=True, read_only=True)
    # Empty when not given, which is not a URI.
    website = serializers.CharField(read_only=True, help_text="A web address, or empty.")
    tax_code = serializers.CharField(allow_null=True, read_only=True)
    address = serializers.CharField(allow_null=True, read_only=True)
    email = serializers.CharField(allow_null=True, read_only=True)
    phone = serializers.CharField(allow_null=True, read_only=True)
    verification_note = serializers.CharField(allow_null=True, read_only=True)
    live_listing_count = serializers.SerializerMethodField()

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "short_name",
            "slug",
            "type",
            "province",
            "ward",
            "website",
            "description",
            "verification_status",
            "verified_at",
            "live_listing_count",
            *PRIVATE_FIELDS,
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(min_value=0))
    def get_live_listing_count(self, organization: Organization) -> int:
        count = getattr(organization, "live_listing_count", None)
        return organization_live_listing_count(organization=organization) if count is None else count

    def to_representation(self, organization: Organization) -> dict[str, Any]:
        data = super().to_representation(organization)
        if not organization_private_visible(user=self.context["request"].user, organization=organization):
            data.update(dict.fromkeys(PRIVATE_FIELDS))
        return data


class OrganizationWriteSerializer(WriteSerializer):
    """An organisation's profile as its administrators set it; on a change only the keys sent change."""

    name = optional_text(required=True, allow_blank=False)
    short_name = optional_text()
    type = serializers.ChoiceField(OrganizationType.choices)
    tax_code = optional_text(help_text="10 digits, or 10 digits, a hyphen and 3 digits for a branch.")
    province = CodeField(queryset=Province.objects.all(), required=False, allow_null=True)
    ward = CodeField(queryset=Ward.objects.all(), required=False, allow_null=True)
    address = optional_text()
    website = optional_text()
    email = optional_text()
    phone = optional_text()
    description = optional_text()

    default_error_messages = {"empty": _("Send at least one field to change.")}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.partial and not attrs:
            raise serializers.ValidationError(self.error_messages["empty"], code="empty")
        organization = self.instance
        if organization is not None and ("province" in attrs or "ward" in attrs):
            # The service checks the commune against the province it is given: send the stored one along.
            attrs.setdefault("province", organization.province)
            attrs.setdefault("ward", organization.ward)
        return attrs


class RefusalSerializer(WriteSerializer):
    reason = StrictCharField(help_text="Why verification is refused; the organisation is told.")
