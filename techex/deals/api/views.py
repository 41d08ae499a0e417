"""Deal endpoints: read through the selectors, write through the services, one call each.

Every address under a deal answers 404 alike for a deal that does not exist and one the caller may not read
(anonymous callers included), so reference codes, proposal ids and file tokens cannot be probed. A caller who
reads the deal but may not take a step gets 403 with the reason; a step the stage does not allow gets 400.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from techex.core.api import error_responses
from techex.core.filtersets import filterset_parameters
from techex.core.permissions import require_staff
from techex.departments.forms import queue_context

from .. import selectors, services
from ..filtersets import DealFilterSet
from .common import DealViewBase, read_schema
from .contract import ContractActions
from .nda import NDAActions
from .negotiation import NegotiationActions
from .serializers import (
    DealDetailSerializer,
    DealFunnelStageSerializer,
    DealQuerySerializer,
    DealSerializer,
    InquirySerializer,
)
from .stages import DealStageActions

STAFF_FILTER_NEEDS_ALL = _("Use this filter with all=true (staff).")


@extend_schema_view(
    list=extend_schema(
        summary="List your deals",
        description=(
            "The deals you take part in (as a party or broker), latest activity first; `awaiting=true` keeps those "
            "waiting for you. Staff: `all=true` lists every deal, with the staff filters."
        ),
        parameters=[DealQuerySerializer, *filterset_parameters(DealFilterSet)],
        responses={200: DealSerializer(many=True), **error_responses(400, 403, 404)},
    ),
    create=extend_schema(
        summary="Send an inquiry (expression of interest)",
        description=(
            "About a live listing of another organisation, for one of your organisations. An anonymous listing's "
            "inquiry goes to its broker first."
        ),
        request=InquirySerializer,
        responses={201: DealDetailSerializer, **error_responses(400, 403, 415)},
    ),
    retrieve=read_schema("Get a deal", DealDetailSerializer),
)
class DealViewSet(DealStageActions, NegotiationActions, NDAActions, ContractActions, DealViewBase):
    """Deals: from an inquiry on a listing to a recorded technology-transfer contract."""

    # --- deals ---------------------------------------------------------------------------------------------------

    def list(self, request: Request) -> Response:
        self._require_sign_in()
        params, filters = self._parse_list_query()
        if params["all"]:
            if not request.user.is_staff:
                raise PermissionDenied(DealQuerySerializer.default_error_messages["staff_only"])
            deals = selectors.deal_list_for_staff(user=request.user, filters=filters)
        else:
            stage = filters.values().get("stage", "")
            deals = selectors.deal_list_for_user(user=request.user, stage=stage, awaiting=params["awaiting"])
        page = self.paginate_queryset(deals)
        return self.get_paginated_response(DealSerializer(page, many=True, context=self.get_serializer_context()).data)

    def _parse_list_query(self) -> tuple[dict, DealFilterSet]:
        """The list's options and its FilterSet; every bad parameter is named in one 400."""
        options = DealQuerySerializer(data=self.request.query_params)
        errors = {} if options.is_valid() else dict(options.errors)
        filters = DealFilterSet(self.request.query_params)
        errors.update(filters.api_errors())
        # As a serializer's validate(): the rule between parameters is checked once each one is valid.
        if not errors and not options.validated_data.get("all"):
            given = [name for name in DealFilterSet.STAFF_FILTERS if self.request.query_params.get(name)]
            errors.update({name: [str(STAFF_FILTER_NEEDS_ALL)] for name in given})
        if errors:
            raise serializers.ValidationError(errors)
        return options.validated_data, filters

    def create(self, request: Request) -> Response:
        user = self._require_sign_in()
        data = self._input(InquirySerializer)
        deal = services.deal_inquire(user=user, **data)
        return Response(self._deal_output(deal), status=status.HTTP_201_CREATED)

    def retrieve(self, request: Request, reference_code: str) -> Response:
        return Response(self._deal_output(self._deal(reference_code)))

    # --- staff ---------------------------------------------------------------------------------------------------

    @extend_schema(
        summary="The deal funnel",
        description=(
            "Staff: for each stage, how many deals reached it and the value of those. `department`, as on the staff "
            "queues: empty for the user's own department, a department's code or `all` (lead staff only)."
        ),
        parameters=[
            OpenApiParameter(
                "department",
                str,
                description="Empty (my department), a department's code, or all; anything else is a 400.",
            )
        ],
        responses={200: DealFunnelStageSerializer(many=True), **error_responses(400, 403)},
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def funnel(self, request: Request) -> Response:
        self._require_sign_in()
        require_staff(request.user)
        # The page's rule (departments.forms.queue_context); an API client is told of a queue it may not read
        # rather than answered with another one.
        context = queue_context(request, selectors.deal_list_for_staff, counts=False)
        if context["queue_form"].errors:
            raise ValidationError(context["queue_form"].errors)
        funnel = selectors.deal_funnel(deals=context["queue"])
        return Response(DealFunnelStageSerializer(funnel, many=True).data)
