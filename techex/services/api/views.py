"""Service endpoints: the catalogue and verified providers for everyone, requests for those taking part.

A request that does not exist and one the caller may not read answer the same 404.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, viewsets
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from techex.core.api import (
    ApiViewMixin,
    ReferenceCodeLookupMixin,
    error_responses,
    is_lookup_safe,
    reference_code_parameter,
)
from techex.core.filtersets import filterset_parameters

from .. import selectors
from ..filtersets import ServiceRequestFilterSet
from ..models import ServiceCategory
from .serializers import CategorySerializer, ProviderSerializer, ServiceRequestSerializer, ValuationSerializer

CATEGORY = OpenApiParameter(
    "category", str, description="Only the providers of this category (its code); an unknown code is a 400."
)


@extend_schema_view(
    list=extend_schema(
        summary="List the service categories",
        responses={200: CategorySerializer(many=True), **error_responses(404)},
    ),
    retrieve=extend_schema(
        summary="Get a service category", responses={200: CategorySerializer, **error_responses(404)}
    ),
)
class ServiceCategoryViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """The services of the technology market, with the texts of their pages in the request's language."""

    permission_classes = [AllowAny]
    serializer_class = CategorySerializer
    lookup_field = "code"
    lookup_value_regex = "[-a-z0-9]{1,40}"

    def get_queryset(self):
        return ServiceCategory.objects.active()


@extend_schema_view(
    list=extend_schema(
        summary="List verified service providers",
        parameters=[CATEGORY],
        responses={200: ProviderSerializer(many=True), **error_responses(400, 404)},
    ),
    retrieve=extend_schema(
        summary="Get a verified provider", responses={200: ProviderSerializer, **error_responses(404)}
    ),
)
class ServiceProviderViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Organisations verified by staff as providers of services, with their completed requests and ratings."""

    permission_classes = [AllowAny]
    serializer_class = ProviderSerializer
    lookup_field = "organization__slug"
    lookup_url_kwarg = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]{1,80}"

    def get_queryset(self):
        code = self.request.query_params.get("category", "")
        category = None
        if code and self.action == "list":
            safe = is_lookup_safe(code, 40)
            category = ServiceCategory.objects.active().filter(code=code).first() if safe else None
            if category is None:
                raise exceptions.ValidationError({"category": [_("There is no such category.")]})
        return selectors.provider_list_public(category=category)


@extend_schema_view(
    list=extend_schema(
        summary="List your service requests",
        description="The requests your organisations sent (`role=client`) or received as provider (`role=provider`).",
        parameters=filterset_parameters(ServiceRequestFilterSet),
        responses={200: ServiceRequestSerializer(many=True), **error_responses(400, 401, 404)},
    ),
    retrieve=extend_schema(
        summary="Get a service request",
        parameters=[reference_code_parameter(description="The request's reference code.")],
        responses={200: ServiceRequestSerializer, **error_responses(401, 404)},
    ),
)
class ServiceRequestViewSet(ApiViewMixin, ReferenceCodeLookupMixin, viewsets.GenericViewSet):
    """Your service requests, as client or as provider (staff: those of their department's scope, by address)."""

    permission_classes = [IsAuthenticated]
    serializer_class = ServiceRequestSerializer

    def list(self, request: Request) -> Response:
        filters = ServiceRequestFilterSet(request.query_params)
        errors = filters.api_errors()
        if errors:
            raise exceptions.ValidationError(errors)
        values = filters.values()
        queryset = selectors.request_list_for_user(user=request.user, role=values.get("role", ""))
        queryset = filters.apply(
            queryset.prefetch_related("quotes").select_related(*selectors.VALUATION_RELATED), without=("role",)
        )
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(ServiceRequestSerializer(page, many=True).data)

    def retrieve(self, request: Request, reference_code: str) -> Response:
        try:
            service_request = selectors.request_get_for_user(user=request.user, reference_code=reference_code)
        except Http404 as exc:
            raise exceptions.NotFound() from exc
        return Response(ServiceRequestSerializer(service_request).data)


# --- valuation records (issue 13) ------------------------------------------------------------------------------------

LISTING = OpenApiParameter(
    "listing", str, required=True, description="The listing's reference code (an empty value is a 400)."
)


@extend_schema_view(
    list=extend_schema(
        summary="List a listing's valuation records",
        description=(
            "The valuation records of a listing you may open, if you may see its confidential part (its owners, "
            "staff of its department, an inquirer whose NDA is in force); an empty list otherwise."
        ),
        parameters=[LISTING],
        responses={200: ValuationSerializer(many=True), **error_responses(400, 404)},
    ),
)
class ValuationViewSet(ApiViewMixin, viewsets.GenericViewSet):
    """Valuation records of a listing, under the rule of the listing's confidential part."""

    permission_classes = [AllowAny]
    serializer_class = ValuationSerializer
    pagination_class = None

    def list(self, request: Request) -> Response:
        code = request.query_params.get("listing", "")
        if not code:
            raise exceptions.ValidationError({"listing": [_("Give the listing's reference code.")]})
        try:
            _listing, records = selectors.listing_valuations_by_code(user=request.user, reference_code=code)
        except Http404 as exc:
            raise exceptions.NotFound() from exc
        return Response(ValuationSerializer(records, many=True).data)
