"""Saved searches of the signed-in user: list, one, save, delete (``/api/v1/saved-searches/``).

Reads go through ``selectors`` (somebody else's saved search is a 404, as one that does not exist), writes
through ``services``, whose refusals (an unknown code, a duplicate, the limit) answer 400 with the message.
"""

from django.core.exceptions import ValidationError
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from techex.core.api import ApiViewMixin, StrictCharField, StrictIntegerField, WriteSerializer, error_responses
from techex.listings.choices import IPType, ListingKind, TransferForm
from techex.organizations.choices import OrganizationType

from .. import selectors, services
from ..models import SavedSearch

ID_PATTERN = "[0-9]{1,18}"
SAVED_SEARCH_ID = OpenApiParameter(
    "id", {"type": "string", "pattern": f"^{ID_PATTERN}$"}, OpenApiParameter.PATH, description="The saved search's id."
)


class SavedSearchFiltersSerializer(WriteSerializer):
    """The browse page's filters; each may be left out."""

    kind = serializers.ChoiceField(choices=ListingKind.choices, required=False)
    field = StrictCharField(required=False, max_length=8, help_text="An S&T field code, any level, e.g. `4` or `402`.")
    province = StrictCharField(required=False, max_length=4, help_text="A province code, e.g. `92` (Cần Thơ).")
    trl = StrictIntegerField(
        required=False, min_value=1, max_value=9, help_text="Offers at or above this TRL, needs that accept it."
    )
    ip_type = serializers.ChoiceField(choices=IPType.choices, required=False)
    transfer_form = serializers.ChoiceField(choices=TransferForm.choices, required=False)
    organization_type = serializers.ChoiceField(choices=OrganizationType.choices, required=False)


class SavedSearchSerializer(serializers.ModelSerializer):
    filters = SavedSearchFiltersSerializer(read_only=True)
    alerts = serializers.BooleanField(source="is_active", read_only=True, help_text="Whether new listings are alerted.")
    alerts_url = serializers.SerializerMethodField(help_text="The page of the search's latest alerts (no sign-in).")
    feed_url = serializers.SerializerMethodField(help_text="The search's Atom feed (no sign-in).")

    class Meta:
        model = SavedSearch
        fields = ["id", "name", "q", "filters", "alerts", "created_at", "last_alerted_at", "alerts_url", "feed_url"]
        read_only_fields = fields

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_alerts_url(self, obj: SavedSearch) -> str:
        return self._absolute(obj.get_absolute_url())

    def get_feed_url(self, obj: SavedSearch) -> str:
        return self._absolute(reverse("alerts:saved_feed", kwargs={"token": obj.token}))


class SavedSearchCreateSerializer(WriteSerializer):
    name = StrictCharField(
        required=False, allow_blank=True, help_text="Up to 120 characters; made from the words and filters if left out."
    )
    q = StrictCharField(required=False, allow_blank=True, help_text="The words, as typed in the search box.")
    filters = SavedSearchFiltersSerializer(required=False)


def _under_filters(exc: ValidationError) -> ValidationError:
    """The service names a bad filter by itself ("province"); in this API it is an error of ``filters``."""
    if not hasattr(exc, "error_dict"):
        return exc
    errors: dict[str, list[str]] = {}
    for name, messages in exc.message_dict.items():
        key = "filters" if name in selectors.FILTER_NAMES else name
        errors.setdefault(key, []).extend(messages)
    return ValidationError(errors)


@extend_schema_view(
    list=extend_schema(
        summary="List my saved searches",
        description="Your saved searches, newest first.",
        responses={200: SavedSearchSerializer(many=True), **error_responses(404)},
    ),
    retrieve=extend_schema(
        summary="Get one of my saved searches",
        description="Somebody else's saved search answers 404, as one that does not exist.",
        parameters=[SAVED_SEARCH_ID],
        responses={200: SavedSearchSerializer, **error_responses(404)},
    ),
    create=extend_schema(
        summary="Save a search",
        description=(
            "Keep words and filters; new listings that the search finds are then alerted to you (in the app, in a "
            "daily e-mail at most, and in the search's feed). At most 50 saved searches; the same search twice is "
            "refused."
        ),
        request=SavedSearchCreateSerializer,
        responses={201: SavedSearchSerializer, **error_responses(400, 403)},
    ),
    destroy=extend_schema(
        summary="Delete one of my saved searches",
        parameters=[SAVED_SEARCH_ID],
        responses={204: None, **error_responses(403, 404)},
    ),
)
class SavedSearchViewSet(ApiViewMixin, viewsets.GenericViewSet):
    """Searches you keep, to be told of new listings that match them."""

    serializer_class = SavedSearchSerializer
    permission_classes = [IsAuthenticated]
    lookup_value_regex = ID_PATTERN
    queryset = SavedSearch.objects.none()  # for the schema; every read goes through a selector

    def list(self, request: Request) -> Response:
        searches = selectors.saved_search_list_for_user(user=request.user)
        page = self.paginate_queryset(searches)
        return self.get_paginated_response(SavedSearchSerializer(page, many=True, context={"request": request}).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        saved = selectors.saved_search_get_for_user(user=request.user, pk=pk)
        return Response(SavedSearchSerializer(saved, context={"request": request}).data)

    def create(self, request: Request) -> Response:
        serializer = SavedSearchCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            saved = services.saved_search_create(
                user=request.user, q=data.get("q", ""), filters=dict(data.get("filters", {})), name=data.get("name", "")
            )
        except ValidationError as exc:
            raise _under_filters(exc) from exc
        return Response(SavedSearchSerializer(saved, context={"request": request}).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, pk: str) -> Response:
        saved = selectors.saved_search_get_for_user(user=request.user, pk=pk)
        services.saved_search_delete(saved_search=saved, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
