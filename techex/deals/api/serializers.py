"""Deal representations for the API: what a deal looks like to each caller, and the input each step accepts.

Input serializers only check types and shapes; the rules (who, which stage, lengths after NFC normalisation,
price or royalty, Art. 31) are the services' and answer with the same messages as the pages.
"""

from typing import Any, cast

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from techex.core.api import (
    MAX_BIGINT,
    StrictBooleanField,
    StrictCharField,
    StrictIntegerField,
    WriteSerializer,
    optional_text,
)
from techex.core.forms import value_bounds
from techex.core.models import REFERENCE_CODE_MAX_LENGTH
from techex.listings.api.serializers import BrokerSerializer
from techex.listings.choices import ListingKind, TransferForm
from techex.listings.models import Listing
from techex.listings.selectors import listing_visible_to
from techex.organizations.selectors import user_organizations

from .. import selectors
from ..choices import (
    ContractForm,
    CrossBorder,
    DealStage,
    NDAMethod,
    NDAStatus,
    ProposalStatus,
    RegistrationStatus,
    Side,
    TransferObject,
)
from ..models import (
    CONTRACT_TERMS,
    NDA,
    Contract,
    Deal,
    DealAttachment,
    DealMessage,
    NDATemplate,
    Proposal,
    TransferTerms,
)
from ..permissions import ACTIONS, deal_roles
from ..types import ContractTerms, ProposalTerms

# The API names the actions as its routes do.
API_ACTIONS: dict[str, str] = {action: action.replace("_", "-") for action in ACTIONS}
API_ACTION_CHOICES = sorted(API_ACTIONS.values())  # one named enum in the schema (ENUM_NAME_OVERRIDES)
# The terms' limits are the abstract terms model's, as on the proposal and contract forms.
TERM_MONTHS_MIN, TERM_MONTHS_MAX = value_bounds(TransferTerms, "term_months")


def _roles(serializer: serializers.Serializer, deal: Deal) -> frozenset[str]:
    cache = cast(dict[str, Any], serializer.context).setdefault("_roles", {})  # a dict, typed as a Mapping
    if deal.pk not in cache:
        cache[deal.pk] = deal_roles(serializer.context["request"].user, deal)
    return cache[deal.pk]


# --- output ------------------------------------------------------------------------------------------------------


class DealOrganizationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    slug = serializers.CharField(read_only=True)
    type = serializers.CharField(read_only=True)


class DealListingSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(ListingKind.choices, read_only=True)

    class Meta:
        model = Listing
        fields = ["reference_code", "kind", "title"]
        read_only_fields = fields


class DealContactSerializer(serializers.Serializer):
    side = serializers.ChoiceField(Side.choices, read_only=True)
    organization_name = serializers.CharField(read_only=True)
    organization_email = serializers.CharField(read_only=True)
    organization_phone = serializers.CharField(read_only=True)
    organization_address = serializers.CharField(read_only=True)
    organization_website = serializers.CharField(read_only=True)
    person_name = serializers.CharField(read_only=True)
    person_email = serializers.CharField(read_only=True)
    person_phone = serializers.CharField(read_only=True)


class DealSerializer(serializers.ModelSerializer):
    """A deal as one of its participants sees it.

    ``owner_organization`` is null while the owner of an anonymous listing is not yet revealed to the caller;
    ``roles`` are the sides the caller acts for; ``actions`` what the caller may do now.
    """

    stage = serializers.ChoiceField(DealStage.choices, read_only=True)
    listing = DealListingSerializer(read_only=True)
    owner_organization = serializers.SerializerMethodField()
    inquirer_organization = DealOrganizationSerializer(read_only=True)
    broker = DealOrganizationSerializer(allow_null=True, read_only=True)
    roles = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()
    open_proposal = serializers.SerializerMethodField(help_text="The id of the proposal awaiting an answer.")
    nda_status = serializers.SerializerMethodField()
    registration_status = serializers.SerializerMethodField()

    class Meta:
        model = Deal
        fields = [
            "reference_code",
            "stage",
            "listing",
            "owner_organization",
            "inquirer_organization",
            "broker",
            "roles",
            "actions",
            "message",
            "who_we_are",
            "intended_use",
            "timeline_budget",
            "forwarded_at",
            "accepted_at",
            "closed_at",
            "close_reason",
            "value_vnd",
            "open_proposal",
            "nda_status",
            "registration_status",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(DealOrganizationSerializer(allow_null=True))
    def get_owner_organization(self, deal: Deal) -> dict | None:
        if not selectors.owner_visible(user=self.context["request"].user, deal=deal):
            return None
        return DealOrganizationSerializer(deal.owner_organization).data

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(Side.choices)))
    def get_roles(self, deal: Deal) -> list[str]:
        return sorted(_roles(self, deal))

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(API_ACTION_CHOICES)))
    def get_actions(self, deal: Deal) -> list[str]:
        user = self.context["request"].user
        return [API_ACTIONS[a] for a in selectors.deal_actions_for_user(user=user, deal=deal, roles=_roles(self, deal))]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_open_proposal(self, deal: Deal) -> int | None:
        proposal = selectors.open_proposal(deal=deal)
        return proposal.pk if proposal else None

    @extend_schema_field(serializers.ChoiceField(NDAStatus.choices, allow_null=True))
    def get_nda_status(self, deal: Deal) -> str | None:
        nda = selectors.current_nda(deal=deal)
        return nda.status if nda else None

    @extend_schema_field(serializers.ChoiceField(RegistrationStatus.choices, allow_null=True))
    def get_registration_status(self, deal: Deal) -> str | None:
        contract = getattr(deal, "contract", None)
        return contract.registration_status if contract else None


class DealDetailSerializer(DealSerializer):
    """A deal with the contacts the caller may see (the broker always; both parties once accepted)."""

    contacts = serializers.SerializerMethodField()

    class Meta(DealSerializer.Meta):
        fields = [*DealSerializer.Meta.fields, "contacts"]
        read_only_fields = fields

    @extend_schema_field(DealContactSerializer(many=True))
    def get_contacts(self, deal: Deal) -> list[dict]:
        contacts = selectors.deal_contacts(user=self.context["request"].user, deal=deal)
        return cast(list[dict], DealContactSerializer(contacts, many=True).data)  # many=True: a list


def _author_name(serializer: serializers.Serializer, deal: Deal, side: str, author) -> str | None:
    """A person's name, unless it belongs to the other party and the contacts are not revealed yet."""
    if author is None:
        return None
    roles = _roles(serializer, deal)
    if side in roles or side in {Side.BROKER, Side.STAFF} or roles & {Side.BROKER, Side.STAFF}:
        return author.get_full_name()
    return author.get_full_name() if deal.accepted_at is not None else None


class DealAttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="Where to download the file (only the deal's readers may).")
    name = serializers.CharField(source="original_name", read_only=True)

    class Meta:
        model = DealAttachment
        fields = ["token", "name", "content_type", "size", "url"]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField())
    def get_url(self, attachment: DealAttachment) -> str:
        path = reverse(
            "deal-attachment",
            kwargs={"reference_code": self.context["deal"].reference_code, "token": attachment.token},
        )
        return self.context["request"].build_absolute_uri(path)


class DealMessageSerializer(serializers.ModelSerializer):
    side = serializers.ChoiceField(Side.choices, read_only=True)
    author = serializers.SerializerMethodField(help_text="Null while the other party's people are not revealed.")
    attachments = DealAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = DealMessage
        fields = ["id", "side", "author", "body", "attachments", "created_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_author(self, message: DealMessage) -> str | None:
        return _author_name(self, self.context["deal"], message.side, message.author)


class ProposalSerializer(serializers.ModelSerializer):
    side = serializers.ChoiceField(Side.choices, read_only=True)
    status = serializers.ChoiceField(ProposalStatus.choices, read_only=True)
    contract_form = serializers.ChoiceField(ContractForm.choices, read_only=True)
    transfer_objects = serializers.ListField(child=serializers.ChoiceField(TransferObject.choices), read_only=True)
    licence = serializers.ChoiceField(TransferForm.choices, read_only=True)
    royalty_percent = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True, read_only=True)
    counter_of: "serializers.PrimaryKeyRelatedField[Proposal]" = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )
    author = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = [
            "id",
            "side",
            "author",
            "status",
            "counter_of",
            "contract_form",
            "transfer_objects",
            "licence",
            "price_vnd",
            "royalty_percent",
            "exclusive",
            "territory",
            "term_months",
            "technical_assistance",
            "note",
            "responded_at",
            "response_reason",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_author(self, proposal: Proposal) -> str | None:
        return _author_name(self, self.context["deal"], proposal.side, proposal.author)


class NDATemplateSerializer(serializers.ModelSerializer):
    class Meta:
        model = NDATemplate
        fields = ["version", "title", "body", "created_at"]
        read_only_fields = fields


class NDASerializer(serializers.ModelSerializer):
    method = serializers.ChoiceField(NDAMethod.choices, read_only=True)
    status = serializers.ChoiceField(NDAStatus.choices, read_only=True)
    requested_side = serializers.ChoiceField(Side.choices, read_only=True)
    template = NDATemplateSerializer(allow_null=True, read_only=True)
    signed_file_url = serializers.SerializerMethodField()
    uploaded_side = serializers.CharField(read_only=True)

    class Meta:
        model = NDA
        fields = [
            "method",
            "status",
            "requested_side",
            "template",
            "owner_accepted_at",
            "inquirer_accepted_at",
            "signed_file_url",
            "signed_file_name",
            "uploaded_side",
            "uploaded_at",
            "confirmed_at",
            "in_force_at",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_signed_file_url(self, nda: NDA) -> str | None:
        if not nda.signed_file:
            return None
        path = reverse("deal-nda-file", kwargs={"reference_code": self.context["deal"].reference_code})
        return self.context["request"].build_absolute_uri(path)


class ContractSerializer(serializers.ModelSerializer):
    contract_form = serializers.ChoiceField(ContractForm.choices, read_only=True)
    transfer_objects = serializers.ListField(child=serializers.ChoiceField(TransferObject.choices), read_only=True)
    licence = serializers.ChoiceField(TransferForm.choices, read_only=True)
    royalty_percent = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True, read_only=True)
    cross_border = serializers.ChoiceField(CrossBorder.choices, read_only=True)
    registration_status = serializers.ChoiceField(RegistrationStatus.choices, read_only=True)
    registration_compulsory = serializers.BooleanField(
        read_only=True, help_text="Law 07/2017, Art. 31: from or to abroad, or state budget without the exception."
    )
    in_force = serializers.BooleanField(read_only=True, help_text="A compulsory contract is in force once certified.")

    class Meta:
        model = Contract
        fields = [
            "transferor_name",
            "transferee_name",
            *CONTRACT_TERMS,
            "registration_compulsory",
            "registration_status",
            "registration_number",
            "registration_submitted_on",
            "certified_on",
            "in_force",
            "recorded_side",
            "created_at",
        ]
        read_only_fields = fields


class DealTimelineEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField(read_only=True)
    action = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]  # DRF moves declared fields off the class: not Field.label
    side = serializers.CharField(read_only=True)
    actor = serializers.SerializerMethodField()
    message = serializers.SerializerMethodField()
    proposal = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_actor(self, entry) -> str | None:
        return entry.actor.get_full_name() if entry.actor else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_message(self, entry) -> int | None:
        return entry.message.pk if entry.message else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_proposal(self, entry) -> int | None:
        return entry.proposal.pk if entry.proposal else None


class DealFunnelStageSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(DealStage.choices, read_only=True)
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]  # DRF moves declared fields off the class: not Field.label
    count = serializers.IntegerField(read_only=True)
    value_vnd = serializers.IntegerField(read_only=True)


# --- input -------------------------------------------------------------------------------------------------------


class InquirySerializer(WriteSerializer):
    """An expression of interest in a live listing, for one of the caller's organisations."""

    listing = StrictCharField(
        max_length=REFERENCE_CODE_MAX_LENGTH, help_text="The listing's reference code, e.g. CT-TO-2026-00042."
    )
    organization = StrictIntegerField(
        min_value=1, max_value=MAX_BIGINT, help_text="The id of one of your organisations (not the listing's)."
    )
    message = optional_text(required=True, help_text="To the listing's owner.")
    who_we_are = optional_text(required=True)
    intended_use = optional_text(required=True, help_text="What you want to do with the technology.")
    timeline_budget = optional_text(required=True, help_text="Your timeline and budget.")

    default_error_messages = {
        "no_listing": _("No live listing has this reference code."),
        "not_yours": _("Choose one of your organisations."),
    }

    def validate_listing(self, value: str) -> Listing:
        user = self.context["request"].user
        listing = Listing.objects.select_related("organization").filter(reference_code=value).first()
        if listing is None or not listing_visible_to(user=user, listing=listing):
            raise serializers.ValidationError(self.error_messages["no_listing"], code="no_listing")
        return listing

    def validate_organization(self, value: int):
        organization = user_organizations(user=self.context["request"].user).filter(pk=value).first()
        if organization is None:
            raise serializers.ValidationError(self.error_messages["not_yours"], code="not_yours")
        return organization


class DealReasonSerializer(WriteSerializer):
    reason = StrictCharField(help_text="Why; the other side is told.")


class DealBrokerSerializer(BrokerSerializer):
    """The deal's broker: the same input as an anonymous listing's (one place)."""


class DealMessageCreateSerializer(WriteSerializer):
    body = StrictCharField(help_text="The message.")


class DealMessageUploadSerializer(WriteSerializer):
    """A message with files (multipart/form-data)."""

    body = serializers.CharField(help_text="The message.")
    files = serializers.ListField(
        child=serializers.FileField(), required=False, max_length=5, help_text="Up to 5 documents or images."
    )


class _TermsSerializer(WriteSerializer):
    contract_form = serializers.ChoiceField(ContractForm.choices, help_text="Form of transfer (Art. 5).")
    transfer_objects = serializers.ListField(
        child=serializers.ChoiceField(TransferObject.choices), max_length=10, help_text="Objects (Art. 4)."
    )
    licence = serializers.ChoiceField(TransferForm.choices, help_text="The rights transferred.")
    royalty_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True, help_text="Per cent of revenue, 0–100."
    )
    exclusive = StrictBooleanField(required=False, default=False)
    territory = optional_text()
    term_months = StrictIntegerField(
        required=False, allow_null=True, min_value=TERM_MONTHS_MIN, max_value=TERM_MONTHS_MAX
    )


class ProposalTermsSerializer(_TermsSerializer):
    """Terms of a proposal: at least a price or a royalty."""

    price_vnd = StrictIntegerField(required=False, allow_null=True, min_value=0, max_value=MAX_BIGINT)
    technical_assistance = optional_text()
    note = optional_text()

    def terms(self) -> ProposalTerms:
        data = dict(self.validated_data)
        data["transfer_objects"] = tuple(data["transfer_objects"])
        return ProposalTerms(**data)


class ContractTermsSerializer(_TermsSerializer):
    """The signed contract: its terms and the facts that decide whether it must be registered (Art. 31)."""

    value_vnd = StrictIntegerField(required=False, allow_null=True, min_value=0, max_value=MAX_BIGINT)
    signed_on = serializers.DateField()
    cross_border = serializers.ChoiceField(CrossBorder.choices, required=False, default=CrossBorder.DOMESTIC)
    state_budget = StrictBooleanField(required=False, default=False)
    st_task_registered = StrictBooleanField(
        required=False, default=False, help_text="The S&T task result is already registered (Art. 31 exception)."
    )

    def terms(self) -> ContractTerms:
        data = dict(self.validated_data)
        data["transfer_objects"] = tuple(data["transfer_objects"])
        return ContractTerms(**data)


class NDARequestSerializer(WriteSerializer):
    method = serializers.ChoiceField(NDAMethod.choices)


class NDAUploadSerializer(WriteSerializer):
    file = serializers.FileField(help_text="The signed NDA: a PDF, an office document or an image.")


class RegistrationSerializer(WriteSerializer):
    status = serializers.ChoiceField(RegistrationStatus.choices)
    number = optional_text(help_text="The certificate's number (for certified).")
    certified_on = serializers.DateField(required=False, allow_null=True, help_text="For certified.")


class NDATemplateWriteSerializer(WriteSerializer):
    title = StrictCharField()
    body = StrictCharField()


class DealQuerySerializer(serializers.Serializer):
    """The list's options besides its filters (``DealFilterSet``): whose deals."""

    awaiting = serializers.BooleanField(required=False, default=False, help_text="Only deals waiting for you.")
    all = serializers.BooleanField(
        required=False, default=False, help_text="Staff: every deal, with the filters below."
    )

    default_error_messages = {"staff_only": _("Only the exchange's staff may filter every deal.")}
