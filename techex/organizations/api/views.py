"""Organisation endpoints: read through the selectors, write through the services, one call each."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from techex.accounts.requests import AuthenticatedRequest
from techex.core.api import ApiViewMixin, IsStaff, error_responses
from techex.departments.scope import can_act

from .. import services
from ..choices import OrganizationType
from ..models import Organization
from ..selectors import (
    organization_get_for_user,
    organization_list_for_user,
    organization_list_public,
    user_is_org_admin,
)
from .serializers import OrganizationSerializer, OrganizationWriteSerializer, RefusalSerializer

SLUG_PATTERN = "[-a-zA-Z0-9_]{1,80}"
SLUG = OpenApiParameter(
    "slug",
    {"type": "string", "pattern": f"^{SLUG_PATTERN}$"},
    OpenApiParameter.PATH,
    description="The organisation's slug.",
)
ADMINS_ONLY = _("Only the organisation's administrators may change its profile.")


class OrganizationQuerySerializer(serializers.Serializer):
    mine = serializers.BooleanField(
        required=False, default=False, help_text="Your own organisations, in any verification state (needs signing in)."
    )
    q = serializers.CharField(
        required=False, max_length=100, help_text="Part of the name or short name, or a tax code."
    )
    type = serializers.ChoiceField(OrganizationType.choices, required=False)
    province = serializers.CharField(required=False, max_length=4, help_text="A province code.")


@extend_schema_view(
    list=extend_schema(
        summary="List organisations",
        description=(
            "Every organisation except those whose verification was refused, by name. With `mine=true`, your own "
            "organisations in any state (the ids to create listings with)."
        ),
        parameters=[OrganizationQuerySerializer],
        responses={200: OrganizationSerializer(many=True), **error_responses(400, 404)},
    ),
    retrieve=extend_schema(
        summary="Get an organisation",
        parameters=[SLUG],
        responses={200: OrganizationSerializer, **error_responses(404)},
    ),
    create=extend_schema(
        summary="Register an organisation",
        description="You become its administrator; it awaits verification by staff.",
        request=OrganizationWriteSerializer,
        responses={201: OrganizationSerializer, **error_responses(400, 403, 415)},
    ),
    partial_update=extend_schema(
        summary="Change an organisation's profile",
        description="Its administrators and staff. A new tax code (or a refused organisation's change) asks for "
        "verification again.",
        parameters=[SLUG],
        request=OrganizationWriteSerializer,
        responses={200: OrganizationSerializer, **error_responses(400, 403, 404, 415)},
    ),
    verify=extend_schema(
        summary="Verify an organisation",
        description="Staff only.",
        parameters=[SLUG],
        request=None,
        responses={200: OrganizationSerializer, **error_responses(403, 404)},
    ),
    refuse=extend_schema(
        summary="Refuse an organisation's verification",
        description="Staff only; the reason is shown to the organisation, and the public no longer sees it.",
        parameters=[SLUG],
        request=RefusalSerializer,
        responses={200: OrganizationSerializer, **error_responses(400, 403, 404, 415)},
    ),
)
class OrganizationViewSet(ApiViewMixin, viewsets.GenericViewSet):
    """Universities, institutes, enterprises, cooperatives, inventors, intermediaries and public bodies."""

    serializer_class = OrganizationSerializer
    permission_classes = [IsAuthenticatedOrReadOnly]
    lookup_field = "slug"
    # Only what a slug is made of: anything else is answered 404 before it reaches the database.
    lookup_value_regex = SLUG_PATTERN
    queryset = Organization.objects.none()  # for the schema; every read goes through a selector

    def list(self, request: Request) -> Response:
        params = self.parse_query(OrganizationQuerySerializer)
        if params.pop("mine"):
            if not request.user.is_authenticated:
                raise NotAuthenticated
            organizations = organization_list_for_user(user=request.user)
        else:
            organizations = organization_list_public(**params)
        page = self.paginate_queryset(organizations)
        return self.get_paginated_response(self._output(page, many=True).data)

    def retrieve(self, request: Request, slug: str) -> Response:
        return Response(self._output(organization_get_for_user(user=request.user, slug=slug)).data)

    def create(self, request: AuthenticatedRequest) -> Response:
        serializer = OrganizationWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        organization = services.organization_create(user=request.user, data=serializer.validated_data)
        return Response(self._output(self._fresh(organization)).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: AuthenticatedRequest, slug: str) -> Response:
        organization = organization_get_for_user(user=request.user, slug=slug)
        # The service checks this too; checking first answers 403 before looking at the input.
        if not (can_act(request.user, organization) or user_is_org_admin(user=request.user, organization=organization)):
            raise PermissionDenied(ADMINS_ONLY)
        serializer = OrganizationWriteSerializer(
            organization, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        organization = services.organization_update(
            organization=organization, user=request.user, data=serializer.validated_data
        )
        return Response(self._output(self._fresh(organization)).data)

    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated, IsStaff])
    def verify(self, request: AuthenticatedRequest, slug: str) -> Response:
        organization = organization_get_for_user(user=request.user, slug=slug)
        organization = services.organization_verify(organization=organization, user=request.user)
        return Response(self._output(self._fresh(organization)).data)

    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated, IsStaff])
    def refuse(self, request: AuthenticatedRequest, slug: str) -> Response:
        organization = organization_get_for_user(user=request.user, slug=slug)
        serializer = RefusalSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        organization = services.organization_refuse_verification(
            organization=organization, user=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(self._output(self._fresh(organization)).data)

    def _fresh(self, organization: Organization) -> Organization:
        """Read the organisation again as the detail shows it (the user's memberships may have changed)."""
        return organization_get_for_user(user=self.request.user, slug=organization.slug)

    def _output(self, organizations, *, many: bool = False) -> OrganizationSerializer:
        return OrganizationSerializer(organizations, many=many, context=self.get_serializer_context())
