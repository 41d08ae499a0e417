"""The exchange-to-exchange endpoints: the feed of listing changes (for harvesters) and its published JSON Schema."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from techex.core.api import ApiViewMixin, error_responses
from techex.core.operator import operator
from techex.core.permissions import is_staff

from .. import selectors
from ..choices import FORMAT, ApiScope
from ..models import ApiKey


class CanHarvest(BasePermission):
    """A key with the harvest scope, or the exchange's staff."""

    message = _("This needs an API key with the harvest scope.")

    def has_permission(self, request, view) -> bool:
        key = request.auth
        return (isinstance(key, ApiKey) and key.allows(ApiScope.HARVEST)) or is_staff(request.user)


class ChangesQuerySerializer(serializers.Serializer):
    cursor = serializers.RegexField(
        r"^[0-9]{1,18}$",
        required=False,
        default="0",
        help_text="Where to start: the `next_cursor` of the previous page (opaque); none for the beginning.",
        error_messages={"invalid": _("Use the next_cursor of a previous page.")},
    )
    limit = serializers.IntegerField(min_value=1, max_value=selectors.MAX_PAGE, default=100)


class ChangeSerializer(serializers.Serializer):
    seq = serializers.IntegerField()
    id = serializers.CharField()
    deleted = serializers.BooleanField()
    listing = serializers.DictField(allow_null=True, help_text="The listing in the exchange format; null if deleted.")


class OperatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ChangesPageSerializer(serializers.Serializer):
    format = serializers.CharField()
    operator = OperatorSerializer()
    changes = ChangeSerializer(many=True)
    next_cursor = serializers.CharField()
    has_more = serializers.BooleanField()


class ChangesView(ApiViewMixin, APIView):
    permission_classes = [CanHarvest]
    pagination_class = None

    @extend_schema(
        operation_id="exchange_changes",
        tags=["exchange"],
        summary="The feed of listing changes, in order (for another exchange's harvester)",
        description=(
            "Every live listing whose public view changed after the cursor, once each at its latest change, and a "
            "tombstone (`deleted: true`) for each listing that left the public view. Changes are numbered in the "
            "order they were committed, so a harvester that keeps `next_cursor` never misses nor re-reads one. "
            "Needs an API key with the `harvest` scope. The format is published as a JSON Schema at "
            "`/api/v1/exchange/schema/`."
        ),
        parameters=[ChangesQuerySerializer],
        responses={200: ChangesPageSerializer, **error_responses(400, 403)},
    )
    def get(self, request: Request) -> Response:
        query = self.parse_query(ChangesQuerySerializer)
        page = selectors.changes_after(cursor=int(query["cursor"]), limit=query["limit"])
        config = operator()
        return Response(
            {
                "format": FORMAT,
                "operator": {"code": config["code"], "name": config["name"]},
                "changes": page.changes,
                "next_cursor": page.next_cursor,
                "has_more": page.has_more,
            }
        )


class SchemaView(ApiViewMixin, APIView):
    permission_classes = [AllowAny]
    pagination_class = None

    @extend_schema(
        operation_id="exchange_schema",
        tags=["exchange"],
        summary="The JSON Schema of the exchange format (a page of the feed of changes)",
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT), **error_responses()},
    )
    def get(self, request: Request) -> Response:
        return Response(selectors.record_schema())
