"""Listing representations: what a listing looks like to each caller, and the input the API accepts.

Input and output are separate serializers. Input only checks types and turns codes into rows; the content rules
(lengths after NFC normalisation, at most three fields, price ranges…) are the services' and answer with the same
messages as the forms and the import.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from techex.core.api import (
    MAX_BIGINT,
    CodeField,
    CodeListField,
    StrictBooleanField,
    StrictCharField,
    StrictIntegerField,
    WriteSerializer,
    optional_text,
)
from techex.organizations.choices import OrganizationType
from techex.organizations.models import Organization
from techex.organizations.selectors import user_organizations
from techex.reference.models import Province, STField, VSICCode, Ward

from ..choices import IPStatus, IPType, Language, ListingKind, ListingStatus, PriceType, Stage, TransferForm
from ..models import Listing, ListingAttachment
from ..selectors import listing_actions_for_user, user_can_manage, user_sees_identity
from ..validation import EDITABLE_FIELDS

# The API names the lifecycle actions as its routes do.
API_ACTIONS = {
    "update": "update",
    "submit": "submit",
    "withdraw": "withdraw",
    "archive": "archive",
    "reopen": "reopen",
    "renew": "renew",
    "publish": "publish",
    "request_changes": "request-changes",
    "reject": "reject",
}

# --- output ------------------------------------------------------------------------------------------------------


class OrganizationSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "slug", "type"]
        read_only_fields = fields


class FieldLabelSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]  # DRF moves declared fields off the class: not Field.label

    class Meta:
        model = STField
        fields = ["code", "label"]
        read_only_fields = fields


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ListingAttachment
        fields = ["url", "kind", "content_type", "size", "caption", "is_confidential"]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField())
    def get_url(self, attachment: ListingAttachment) -> str:
        return self.context["request"].build_absolute_uri(attachment.get_absolute_url())


class ListingSerializer(serializers.ModelSerializer):
    """A listing as the caller may see it.

    ``status``, ``review_note``, ``pending_changes`` are null for anyone but the owners and staff (the public only
    ever sees live listings); ``organization`` is null on an anonymous listing unless the caller may know who is
    behind it; ``actions`` lists what the caller may do now.
    """

    status = serializers.ChoiceField(choices=ListingStatus.choices, allow_null=True, read_only=True)
    fields = FieldLabelSerializer(many=True, read_only=True)  # type: ignore[assignment]  # DRF moves declared fields off the class: not Serializer.fields
    stage = serializers.ChoiceField(Stage.choices, allow_blank=True, read_only=True)
    keywords = serializers.ListField(child=serializers.CharField(), read_only=True)
    ipc_codes = serializers.ListField(child=serializers.CharField(), read_only=True)
    transfer_forms = serializers.ListField(child=serializers.ChoiceField(TransferForm.choices), read_only=True)
    partner_types = serializers.ListField(child=serializers.ChoiceField(OrganizationType.choices), read_only=True)
    partner_provinces: "serializers.SlugRelatedField[Province]" = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    province = serializers.CharField(source="province_id", allow_null=True, read_only=True)
    ward = serializers.CharField(source="ward_id", allow_null=True, read_only=True)
    vsic = serializers.CharField(source="vsic_id", allow_null=True, read_only=True)
    organization = OrganizationSummarySerializer(allow_null=True, read_only=True)
    broker = OrganizationSummarySerializer(allow_null=True, read_only=True)
    attachments = AttachmentSerializer(source="api_attachments", many=True, read_only=True)
    review_note = serializers.CharField(allow_null=True, read_only=True)
    pending_changes = serializers.DictField(allow_null=True, read_only=True)
    actions = serializers.SerializerMethodField()
    score = serializers.SerializerMethodField(
        help_text="Relevance to the words searched (`q`), higher is better; null when not ordered by relevance."
    )
    highlight = serializers.SerializerMethodField(
        help_text=(
            "With `q`: the title and a passage of the summary or description, HTML-escaped, the matched words in "
            "`<mark>`; otherwise null."
        )
    )

    class Meta:
        model = Listing
        fields = [
            "reference_code",
            "kind",
            "status",
            "is_live",
            *EDITABLE_FIELDS,
            "source",
            "published_at",
            "valid_until",
            "view_count",
            "organization",
            "broker",
            "attachments",
            "review_note",
            "pending_changes",
            "actions",
            "score",
            "highlight",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_score(self, listing: Listing) -> float | None:
        return getattr(listing, "search_score", None)

    @extend_schema_field(serializers.DictField(child=serializers.CharField(), allow_null=True))
    def get_highlight(self, listing: Listing) -> dict[str, str] | None:
        return getattr(listing, "search_highlight", None)

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=list(API_ACTIONS.values()))))
    def get_actions(self, listing: Listing) -> list[str]:
        user = self.context["request"].user
        return [API_ACTIONS[name] for name in listing_actions_for_user(user=user, listing=listing)]

    def to_representation(self, listing: Listing) -> dict[str, Any]:
        data = super().to_representation(listing)
        user = self.context["request"].user
        if not (getattr(user, "is_staff", False) or user_can_manage(user=user, listing=listing)):
            data.update(status=None, review_note=None, pending_changes=None)
        if not user_sees_identity(user=user, listing=listing):
            data["organization"] = None
        return data


# --- input -------------------------------------------------------------------------------------------------------


class ListingContentSerializer(WriteSerializer):
    """The content of a listing an owner may set; every key is optional on an update.

    Its fields are ``validation.EDITABLE_FIELDS``, each typed for JSON (a test holds the two lists equal).
    """

    title = optional_text()
    summary = optional_text()
    description = optional_text()
    advantages = optional_text(help_text="Offers.")
    applications = optional_text(help_text="Offers.")
    comparison = optional_text(help_text="Offers.")
    problem = optional_text(help_text="Needs.")
    technical_requirements = optional_text(help_text="Needs.")
    current_conditions = optional_text(help_text="Needs.")
    language = serializers.ChoiceField(Language.choices, required=False)
    is_anonymous = StrictBooleanField(required=False)
    fields = CodeListField(  # type: ignore[assignment]  # DRF moves declared fields off the class: not Serializer.fields
        queryset=STField.objects.all(), required=False, max_length=20, help_text="S&T field codes, 1 to 3."
    )
    vsic = CodeField(queryset=VSICCode.objects.all(), required=False, allow_null=True)
    keywords = serializers.ListField(child=optional_text(required=True), required=False, max_length=100)
    ipc_codes = serializers.ListField(child=optional_text(required=True), required=False, max_length=100)
    trl = StrictIntegerField(required=False, allow_null=True, min_value=1, max_value=9, help_text="Offers.")
    stage = serializers.ChoiceField(Stage.choices, required=False, allow_blank=True, help_text="Offers.")
    min_trl = StrictIntegerField(required=False, allow_null=True, min_value=1, max_value=9, help_text="Needs.")
    ip_type = serializers.ChoiceField(IPType.choices, required=False)
    ip_status = serializers.ChoiceField(IPStatus.choices, required=False)
    ip_numbers = optional_text()
    ip_territory = optional_text()
    transfer_forms = serializers.ListField(
        child=serializers.ChoiceField(TransferForm.choices), required=False, max_length=20
    )
    price_type = serializers.ChoiceField(PriceType.choices, required=False)
    price_min = StrictIntegerField(required=False, allow_null=True, min_value=0, max_value=MAX_BIGINT)
    price_max = StrictIntegerField(required=False, allow_null=True, min_value=0, max_value=MAX_BIGINT)
    deadline = serializers.DateField(required=False, allow_null=True, help_text="Needs.")
    partner_types = serializers.ListField(
        child=serializers.ChoiceField(OrganizationType.choices), required=False, max_length=20
    )
    partner_provinces = CodeListField(queryset=Province.objects.all(), required=False, max_length=50)
    province = CodeField(queryset=Province.objects.all(), required=False, allow_null=True)
    ward = CodeField(queryset=Ward.objects.all(), required=False, allow_null=True)
    deployment_place = optional_text()
    open_for_inquiries = StrictBooleanField(required=False)


class ListingCreateSerializer(ListingContentSerializer):
    """A new listing: its organisation (one of the caller's), its kind and its content."""

    organization = StrictIntegerField(
        min_value=1, max_value=MAX_BIGINT, help_text="The id of one of your organisations."
    )
    kind = serializers.ChoiceField(ListingKind.choices)
    title = optional_text(required=True, allow_blank=False)
    summary = optional_text(required=True, allow_blank=False)

    default_error_messages = {"not_yours": _("Choose one of your organisations.")}

    def validate_organization(self, value: int) -> Organization:
        organization = user_organizations(user=self.context["request"].user).filter(pk=value).first()
        if organization is None:
            raise serializers.ValidationError(self.error_messages["not_yours"], code="not_yours")
        return organization


class ListingUpdateSerializer(ListingContentSerializer):
    """A change to a listing's content: only the keys sent change."""

    default_error_messages = {"empty": _("Send at least one field to change.")}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs:
            raise serializers.ValidationError(self.error_messages["empty"], code="empty")
        return attrs


class NoteSerializer(WriteSerializer):
    note = StrictCharField(help_text="What the owner should change.")


class BrokerSerializer(WriteSerializer):
    """Who brokers (an anonymous listing, or a deal: deals' ``DealBrokerSerializer`` is this one)."""

    broker = StrictIntegerField(
        min_value=1, max_value=MAX_BIGINT, allow_null=True, help_text="An intermediary organisation's id, or null."
    )

    default_error_messages = {"unknown": _("No organisation has this id.")}

    def validate_broker(self, value: int | None) -> Organization | None:
        if value is None:
            return None
        organization = Organization.objects.filter(pk=value).first()
        if organization is None:
            raise serializers.ValidationError(self.error_messages["unknown"], code="unknown")
        return organization


class RejectionSerializer(WriteSerializer):
    reason = StrictCharField(help_text="Why the listing is rejected; the owner is told.")


class ListingListQuerySerializer(serializers.Serializer):
    """The list's options besides its filters (``ListingFilterSet``): whose listings, in which order."""

    mine = serializers.BooleanField(
        required=False, default=False, help_text="Your organisations' listings in any status (needs signing in)."
    )
    sort = serializers.ChoiceField(
        [("relevance", "relevance"), ("newest", "newest"), ("trl", "trl")],
        required=False,
        help_text="relevance (the default; newest first without q), newest, or trl (highest first).",
    )
