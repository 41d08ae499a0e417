from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import selectors
from ..models import Quote, ServiceCategory, ServiceProvider, ServiceRequest, ValuationRecord


class CategorySerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()
    audience = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()
    typical_duration = serializers.SerializerMethodField()
    fees = serializers.SerializerMethodField()
    legal_basis = serializers.SerializerMethodField()
    on_quotation = serializers.BooleanField(read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = ServiceCategory
        fields = [
            "code",
            "name",
            "summary",
            "audience",
            "steps",
            "typical_duration",
            "fees",
            "on_quotation",
            "legal_basis",
            "url",
        ]

    # Each text in the language of the request (Accept-Language), Vietnamese when there is no English text.
    def get_name(self, obj: ServiceCategory) -> str:
        return obj.text("name")

    def get_summary(self, obj: ServiceCategory) -> str:
        return obj.text("summary")

    def get_audience(self, obj: ServiceCategory) -> str:
        return obj.text("audience")

    def get_steps(self, obj: ServiceCategory) -> list[str]:
        return obj.step_list()

    def get_typical_duration(self, obj: ServiceCategory) -> str:
        return obj.text("typical_duration")

    def get_fees(self, obj: ServiceCategory) -> str:
        return obj.text("fees")

    def get_legal_basis(self, obj: ServiceCategory) -> str:
        return obj.text("legal_basis")


class ProviderSerializer(serializers.ModelSerializer):
    slug = serializers.CharField(source="organization.slug", read_only=True)
    name = serializers.CharField(source="organization.name", read_only=True)
    province = serializers.CharField(source="organization.province_id", read_only=True, allow_null=True)
    categories: "serializers.SlugRelatedField[ServiceCategory]" = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    completed_requests = serializers.IntegerField(source="completed_count", read_only=True)
    average_rating = serializers.FloatField(source="rating_average", read_only=True, allow_null=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = ServiceProvider
        fields = [
            "slug",
            "name",
            "province",
            "categories",
            "description",
            "completed_requests",
            "average_rating",
            "url",
        ]


class QuoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Quote
        fields = ["amount_vnd", "currency", "duration_days", "note", "created_at"]


class ValuationSerializer(serializers.ModelSerializer):
    """A valuation record; shown only where its reader may see it (``selectors.listing_valuations``)."""

    request = serializers.CharField(source="request.reference_code", read_only=True)
    listing = serializers.CharField(source="listing.reference_code", read_only=True)
    provider = serializers.CharField(source="provider.organization.slug", read_only=True)
    report_url = serializers.SerializerMethodField()

    class Meta:
        model = ValuationRecord
        fields = [
            "request",
            "listing",
            "provider",
            "method",
            "value_low_vnd",
            "value_high_vnd",
            "currency",
            "valued_on",
            "note",
            "report_url",
            "created_at",
        ]

    def get_report_url(self, obj: ValuationRecord) -> str | None:
        report = selectors.report_of(record=obj)
        return reverse("services:valuation_report", kwargs={"token": report.token}) if report else None


class ServiceRequestSerializer(serializers.ModelSerializer):
    category: "serializers.SlugRelatedField[ServiceCategory]" = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    client = serializers.CharField(source="client_label", read_only=True)
    provider = serializers.CharField(source="provider.organization.slug", read_only=True, allow_null=True, default=None)
    quote = QuoteSerializer(source="current_quote", read_only=True, allow_null=True)
    valuation = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = ServiceRequest
        fields = [
            "reference_code",
            "category",
            "state",
            "client",
            "provider",
            "description",
            "quote",
            "valuation",
            "rating",
            "close_reason",
            "created_at",
            "updated_at",
            "url",
        ]

    # The record of a valuation request, for those who read the request (fetched with it: VALUATION_RELATED).
    @extend_schema_field(ValuationSerializer(allow_null=True))
    def get_valuation(self, obj: ServiceRequest) -> dict | None:
        record = selectors.request_valuation(request=obj)
        return ValuationSerializer(record).data if record else None
