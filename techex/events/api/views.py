"""Event endpoints: read through the selectors, write through the services, one call each.

The public reads published (and cancelled) events with the list page's FilterSet; a draft answers 404 but to the
staff who run it; a member reads and cancels only their own registrations.
"""

import json

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from techex.accounts.requests import AuthenticatedRequest
from techex.core.api import ApiViewMixin, error_responses, is_lookup_safe
from techex.core.filtersets import filterset_parameters
from techex.organizations.models import Organization

from .. import b2b, selectors, services
from ..calendar import agenda_ics, event_ics
from ..filtersets import EventFilterSet
from .serializers import (
    B2BMeetingSerializer,
    EventDetailSerializer,
    EventSerializer,
    RegistrationCreateSerializer,
    RegistrationSerializer,
    SessionSerializer,
)

SLUG = OpenApiParameter(
    "slug",
    {"type": "string", "pattern": "^[-a-zA-Z0-9_]{1,80}$"},
    OpenApiParameter.PATH,
    description="The event's slug.",
)

REGISTRATION_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The registration's id.")


class ICSRenderer(BaseRenderer):
    media_type = "text/calendar"
    format = "ics"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return json.dumps(data).encode()  # an error's detail


@extend_schema_view(
    list=extend_schema(
        summary="List events",
        description="Published and cancelled events: upcoming first (soonest first), then past ones (latest first).",
        parameters=filterset_parameters(EventFilterSet),
        responses={200: EventSerializer(many=True), **error_responses(400, 404)},
    ),
    retrieve=extend_schema(
        summary="Get an event with its programme",
        parameters=[SLUG],
        responses={200: EventDetailSerializer, **error_responses(404)},
    ),
)
class EventViewSet(ApiViewMixin, viewsets.GenericViewSet):
    """Events: techmarts, demo days, seminars, connection sessions, courses, online events."""

    permission_classes = [AllowAny]
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]{1,80}"

    def list(self, request: Request) -> Response:
        filters = EventFilterSet(request.query_params)
        errors = filters.api_errors()
        if errors:
            raise serializers.ValidationError(errors)
        events = selectors.event_list_public(filters=filters)
        page = self.paginate_queryset(events)
        return self.get_paginated_response(EventSerializer(page, many=True).data)

    def retrieve(self, request: Request, slug: str) -> Response:
        event = selectors.event_get_public(slug=slug, user=request.user)
        return Response(EventDetailSerializer(event).data)

    @extend_schema(
        summary="The event's programme",
        description="Its sessions in time order, each with its calendar file.",
        parameters=[SLUG],
        responses={200: SessionSerializer(many=True), **error_responses(404)},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def sessions(self, request: Request, slug: str) -> Response:
        event = selectors.event_get_public(slug=slug, user=request.user)
        return Response(SessionSerializer(event.sessions.all(), many=True).data)

    @extend_schema(
        summary="The event's calendar file (ICS)",
        parameters=[SLUG],
        responses={
            (200, "text/calendar"): OpenApiResponse(OpenApiTypes.BINARY),
            **error_responses(404),
        },
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, ICSRenderer], url_path="ics")
    def ics(self, request: Request, slug: str) -> HttpResponse:
        event = selectors.event_get_public(slug=slug, user=request.user)
        response = HttpResponse(event_ics(event), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
        return response

    def _own_b2b_profile(self, request: Request, slug: str):
        event = selectors.event_get_public(slug=slug, user=request.user)
        profile = b2b.b2b_profile_of(user=request.user, event=event)
        if profile is None:  # not a B2B participant of this event (or not signed in): as for a missing page
            raise Http404
        return event, profile

    @extend_schema(
        summary="Your B2B agenda at the event",
        description="Your published B2B meetings in time order, with table numbers; 404 unless you take part.",
        parameters=[SLUG],
        responses={200: B2BMeetingSerializer(many=True), **error_responses(404)},
    )
    @action(detail=True, methods=["get"], pagination_class=None, url_path="b2b/meetings")
    def b2b_meetings(self, request: Request, slug: str) -> Response:
        _event, profile = self._own_b2b_profile(request, slug)
        return Response(B2BMeetingSerializer(b2b.agenda_rows(profile=profile), many=True).data)

    @extend_schema(
        summary="Your B2B agenda as a calendar file (ICS)",
        parameters=[SLUG],
        responses={
            (200, "text/calendar"): OpenApiResponse(OpenApiTypes.BINARY),
            **error_responses(404),
        },
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, ICSRenderer], url_path="b2b/agenda-ics")
    def b2b_agenda_ics(self, request: Request, slug: str) -> HttpResponse:
        event, profile = self._own_b2b_profile(request, slug)
        rows = b2b.agenda_rows(profile=profile)
        settings = b2b.b2b_settings_of(event=event)
        slots = settings.slot_times() if settings else []
        ics = agenda_ics(profile=profile, meetings=[row[1] for row in rows], slots=slots)
        response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{event.slug}-b2b.ics"'
        return response


@extend_schema_view(
    list=extend_schema(
        summary="List your registrations",
        responses={200: RegistrationSerializer(many=True), **error_responses(404)},
    ),
    retrieve=extend_schema(
        summary="Get one of your registrations",
        parameters=[REGISTRATION_ID],
        responses={200: RegistrationSerializer, **error_responses(404)},
    ),
    create=extend_schema(
        summary="Register for an event",
        description=(
            "As the signed-in member, with one of your organisations. A full event puts you on the waiting list "
            "(`status` says `waiting`); a closed registration or a second registration is refused with 400."
        ),
        request=RegistrationCreateSerializer,
        responses={201: RegistrationSerializer, **error_responses(400, 404, 415)},
    ),
)
class RegistrationViewSet(ApiViewMixin, viewsets.GenericViewSet):
    """Your own registrations for events."""

    permission_classes = [IsAuthenticated]
    # Read by OPTIONS (the metadata of a POST) and the schema's defaults; every action names its own in the schema.
    serializer_class = RegistrationCreateSerializer
    lookup_value_regex = "[0-9]{1,18}"

    def list(self, request: AuthenticatedRequest) -> Response:
        registrations = selectors.registration_list_for_user(user=request.user)
        page = self.paginate_queryset(registrations.prefetch_related("sessions"))
        return self.get_paginated_response(RegistrationSerializer(page, many=True).data)

    def retrieve(self, request: AuthenticatedRequest, pk: str) -> Response:
        registration = selectors.registration_get_for_user(user=request.user, pk=_int_or_404(pk))
        return Response(RegistrationSerializer(registration).data)

    def create(self, request: AuthenticatedRequest) -> Response:
        serializer = RegistrationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated()
        if not is_lookup_safe(data["event"], max_length=80):
            raise Http404
        event = selectors.event_get_public(slug=data["event"], user=request.user)
        organization = None
        if data.get("organization"):
            organization = Organization.objects.filter(pk=data["organization"], memberships__user=request.user).first()
            if organization is None:
                raise ValidationError({"organization": [_("Choose one of your organisations.")]})
        sessions = list(event.sessions.filter(pk__in=data["sessions"]))
        if len(sessions) != len(set(data["sessions"])):
            raise ValidationError({"sessions": [_("Choose sessions of this event.")]})
        registration = services.registration_create(
            event=event,
            user=request.user,
            organization=organization,
            role=data["role"],
            sessions=sessions,
            wants_b2b=data["wants_b2b"],
            phone=data["phone"],
        )
        return Response(RegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Cancel one of your registrations",
        description="A freed place goes to the first on the waiting list.",
        parameters=[REGISTRATION_ID],
        request=None,
        responses={200: RegistrationSerializer, **error_responses(400, 404)},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: AuthenticatedRequest, pk: str) -> Response:
        registration = selectors.registration_get_for_user(user=request.user, pk=_int_or_404(pk))
        registration = services.registration_cancel_own(user=request.user, registration=registration)
        return Response(RegistrationSerializer(registration).data)


def _int_or_404(value: str) -> int:
    if not value.isdigit() or len(value) > 18:
        raise Http404
    return int(value)
