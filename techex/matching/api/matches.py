"""A listing's matches: ``GET /api/v1/listings/{reference_code}/matches/``.

Read through the selectors: the listing must be one the caller may see (404 alike for missing and forbidden); its
owners and staff see all its matches, anybody else those whose other listing is live. Reasons come as codes, with
their text in the request's language (``Accept-Language``) and the points each brought.
"""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from techex.core.api import ApiViewMixin, error_responses, reference_code_parameter
from techex.listings.api.serializers import OrganizationSummarySerializer
from techex.listings.choices import Language, ListingKind
from techex.listings.models import Listing
from techex.listings.selectors import listing_get_for_user, user_sees_identity

from ..models import Match
from ..reasons import MESSAGES, reason_labels, render_reasons
from ..selectors import MAX_LIMIT, matches_for_listing


class MatchQuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(
        required=False, default=20, min_value=1, max_value=MAX_LIMIT, help_text="How many matches, best first."
    )


class MatchedListingSerializer(serializers.ModelSerializer):
    """The other listing of a match, as the caller may see it."""

    kind = serializers.ChoiceField(ListingKind.choices, read_only=True)
    language = serializers.ChoiceField(Language.choices, read_only=True)
    province = serializers.CharField(source="province_id", allow_null=True, read_only=True)
    organization = OrganizationSummarySerializer(allow_null=True, read_only=True)
    url = serializers.SerializerMethodField(help_text="The listing's page.")

    class Meta:
        model = Listing
        fields = [
            "reference_code",
            "kind",
            "title",
            "summary",
            "language",
            "trl",
            "min_trl",
            "province",
            "is_anonymous",
            "organization",
            "published_at",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField())
    def get_url(self, listing: Listing) -> str:
        return self.context["request"].build_absolute_uri(listing.get_absolute_url())

    def to_representation(self, listing: Listing) -> dict:
        data = super().to_representation(listing)
        if not user_sees_identity(user=self.context["request"].user, listing=listing):
            data["organization"] = None
        return data


class ReasonSerializer(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=[(code, code) for code in MESSAGES], read_only=True, help_text="What the reason is about."
    )
    text = serializers.CharField(read_only=True, help_text="The reason in the request's language.")
    points = serializers.IntegerField(read_only=True, help_text="Points it brought to the score (negative: penalty).")


class MatchSerializer(serializers.ModelSerializer):
    listing = serializers.SerializerMethodField(
        help_text="The other listing: an offer for a need, a need for an offer."
    )
    reasons = serializers.SerializerMethodField()
    found_at = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = Match
        fields = ["listing", "score", "reasons", "found_at", "computed_at"]
        read_only_fields = fields

    @extend_schema_field(MatchedListingSerializer)
    def get_listing(self, match: Match) -> dict:
        listing = self.context["listing"]
        other = match.offer if match.need_id == listing.pk else match.need
        return MatchedListingSerializer(other, context=self.context).data

    @extend_schema_field(ReasonSerializer(many=True))
    def get_reasons(self, match: Match) -> list[dict]:
        return [
            {"code": reason.code, "text": reason.text, "points": reason.points}
            for reason in render_reasons(match.reasons, self.context["labels"])
        ]


REFERENCE_CODE = reference_code_parameter(description="The listing's reference code, e.g. CT-TN-2026-00042.")


class ListingMatchesView(ApiViewMixin, APIView):
    """The matches of a listing."""

    permission_classes = [AllowAny]
    pagination_class = None  # a short list, best first, cut at ``limit``

    @extend_schema(
        operation_id="listings_matches_list",
        tags=["listings"],
        summary="Matches of a listing",
        description=(
            "For a need, the published offers that could meet it; for an offer, the published needs it could "
            "serve; best first, each with its score (0–100) and the reasons behind it, in the request's language. "
            "The owners of the listing and staff see all its matches; anybody else only those with a published "
            "listing, and only for a listing they may see."
        ),
        parameters=[REFERENCE_CODE, MatchQuerySerializer],
        responses={200: MatchSerializer(many=True), **error_responses(400, 404)},
    )
    def get(self, request: Request, reference_code: str) -> Response:
        params = self.parse_query(MatchQuerySerializer)
        listing = listing_get_for_user(user=request.user, reference_code=reference_code)
        matches = matches_for_listing(user=request.user, listing=listing, limit=params["limit"])
        context = {
            **self.get_serializer_context(),
            "listing": listing,
            "labels": reason_labels(match.reasons for match in matches),
        }
        return Response(MatchSerializer(matches, many=True, context=context).data)
