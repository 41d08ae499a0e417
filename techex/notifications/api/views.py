"""The signed-in user's notifications: list, one, mark one or all read."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from techex.accounts.requests import AuthenticatedRequest
from techex.core.api import ApiViewMixin, error_responses

from .. import selectors, services
from ..models import Notification
from .serializers import NotificationQuerySerializer, NotificationSerializer, ReadAllSerializer

ID_PATTERN = "[0-9]{1,18}"
NOTIFICATION_ID = OpenApiParameter(
    "id",
    {"type": "string", "pattern": f"^{ID_PATTERN}$"},
    OpenApiParameter.PATH,
    description="The notification's id.",
)


@extend_schema_view(
    list=extend_schema(
        summary="List my notifications",
        description="Your notifications, newest first, each with its text in the language of the request.",
        parameters=[NotificationQuerySerializer],
        responses={200: NotificationSerializer(many=True), **error_responses(400, 404)},
    ),
    retrieve=extend_schema(
        summary="Get one of my notifications",
        description="Somebody else's notification answers 404, as one that does not exist.",
        parameters=[NOTIFICATION_ID],
        responses={200: NotificationSerializer, **error_responses(404)},
    ),
)
class NotificationViewSet(ApiViewMixin, viewsets.GenericViewSet):
    """What happened to your listings and deals."""

    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated]
    lookup_value_regex = ID_PATTERN
    queryset = Notification.objects.none()  # for the schema; every read goes through a selector

    def list(self, request: Request) -> Response:
        params = self.parse_query(NotificationQuerySerializer)
        notifications = selectors.notification_list_for_user(user=request.user, unread=params["unread"])
        page = self.paginate_queryset(notifications)
        return self.get_paginated_response(NotificationSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        notification = selectors.notification_get_for_user(user=request.user, pk=int(pk))
        return Response(NotificationSerializer(notification).data)

    @extend_schema(
        summary="Mark one of my notifications read",
        description="Marking a read notification again changes nothing. It no longer goes out by e-mail.",
        parameters=[NOTIFICATION_ID],
        request=None,
        responses={200: NotificationSerializer, **error_responses(403, 404)},
    )
    @action(detail=True, methods=["post"])
    def read(self, request: AuthenticatedRequest, pk: str) -> Response:
        notification = selectors.notification_get_for_user(user=request.user, pk=int(pk))
        notification = services.notification_mark_read(notification=notification, user=request.user)
        return Response(NotificationSerializer(notification).data)

    @extend_schema(
        summary="Mark all my notifications read",
        request=None,
        responses={200: ReadAllSerializer, **error_responses(403)},
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: AuthenticatedRequest) -> Response:
        return Response({"marked": services.notification_mark_all_read(user=request.user)})
