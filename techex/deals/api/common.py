"""What the deal endpoints share: the path parameters, the schema of a step, and the base viewset that finds the
deal (404 alike for missing and unreadable), checks the caller's role (403) and the input (400), and shapes the
output. The endpoints themselves are split by the deal's stages (``stages``, ``negotiation``, ``nda``,
``contract``) and gathered in ``views.DealViewSet``, so every address stays under ``/api/v1/deals/``.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotAuthenticated, NotFound, PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from techex.core.api import ApiViewMixin, ReferenceCodeLookupMixin, error_responses, reference_code_parameter
from techex.core.uploads import IMAGE_FORMATS, OFFICE_TYPES

from .. import permissions, selectors
from ..models import Deal
from .serializers import (
    DealDetailSerializer,
    DealSerializer,
    NDASerializer,
    ProposalSerializer,
)

REFERENCE_CODE = reference_code_parameter(description="The deal's reference code, e.g. CT-GD-2026-00001.")
PROPOSAL_ID = OpenApiParameter(
    "proposal_id",
    {"type": "string", "pattern": "^[0-9]{1,18}$"},
    OpenApiParameter.PATH,
    description="The id of one of the deal's proposals.",
)
TOKEN = OpenApiParameter(
    "token", {"type": "string", "pattern": "^[0-9a-f]{32}$"}, OpenApiParameter.PATH, description="The file's token."
)
FILE_TYPES = sorted(
    {"application/pdf", *(t for t, _e in OFFICE_TYPES.values()), *(t for t, _e in IMAGE_FORMATS.values())}
)
FILE_RESPONSES = {
    **{(200, content_type): OpenApiTypes.BINARY for content_type in FILE_TYPES},
    **error_responses(404),
}
PARTICIPANTS = "The deal's parties, its broker and staff may read it; anyone else gets 404."


def step_schema(
    summary: str, *, who: str, body=None, response=DealDetailSerializer, created=False, extra=()
) -> Callable:
    codes = (400, 403, 404, 415) if body else (400, 403, 404)
    return extend_schema(
        summary=summary,
        description=f"{who}. A stage that does not allow it answers 400 naming the stage. {PARTICIPANTS}",
        parameters=[REFERENCE_CODE, *extra],
        request=body,
        responses={201 if created else 200: response, **error_responses(*codes)},
    )


def read_schema(summary: str, response, *, extra=(), many=False) -> Callable:
    return extend_schema(
        summary=summary,
        description=PARTICIPANTS,
        parameters=[REFERENCE_CODE, *extra],
        responses={200: response(many=many) if many else response, **error_responses(404)},
    )


class DealViewBase(ReferenceCodeLookupMixin, ApiViewMixin, viewsets.GenericViewSet):
    """The deal endpoints' settings and helpers."""

    """Deals: from an inquiry on a listing to a recorded technology-transfer contract."""

    serializer_class = DealSerializer
    # Every deal address is looked up first and answers 404 to anyone who may not read it, signed in or not.
    permission_classes = [AllowAny]
    queryset = Deal.objects.none()  # for the schema; every read goes through a selector

    def get_exception_handler(self):
        handler = super().get_exception_handler()

        def handle(exc: Exception, context: dict) -> Any:
            # A service's refusal carries the reason; DRF would keep it too, but only as the first argument.
            if isinstance(exc, DjangoPermissionDenied):
                exc = PermissionDenied(str(exc) if exc.args else None)
            return handler(exc, context)

        return handle

    # --- helpers -------------------------------------------------------------------------------------------------

    def _require_sign_in(self) -> None:
        if not self.request.user.is_authenticated:
            raise NotAuthenticated

    def _deal(self, reference_code: str) -> Deal:
        return selectors.deal_get_for_user(user=self.request.user, reference_code=reference_code)

    def _nda(self, deal: Deal):
        nda = selectors.current_nda(deal=deal)
        if nda is None:
            raise NotFound
        return nda

    def _input(self, serializer_class: type[serializers.Serializer]) -> dict:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _terms(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.terms()

    def _deal_output(self, deal: Deal) -> dict:
        deal = selectors.deal_get_for_user(user=self.request.user, reference_code=deal.reference_code)
        return DealDetailSerializer(deal, context=self.get_serializer_context()).data

    def _output(self, serializer_class, instance, deal: Deal, *, many: bool = False):
        context = {**self.get_serializer_context(), "deal": deal}
        return serializer_class(instance, many=many, context=context).data

    def _transition(self, reference_code: str, name: str, service, *, body=None) -> Response:
        """Check who may act (404, 403), then the input (400), then let the service check the stage (400)."""
        deal = self._deal(reference_code)
        permissions.require_role(name, user=self.request.user, deal=deal)
        arguments = self._input(body) if body is not None else {}
        deal = service(user=self.request.user, deal=deal, **arguments)
        return Response(self._deal_output(deal))

    def _answer(self, reference_code: str, proposal_id: str, name: str, service, body=None) -> Response:
        deal = self._deal(reference_code)
        proposal = selectors.proposal_get_for_deal(deal=deal, pk=proposal_id)
        permissions.require_role(name, user=self.request.user, deal=deal, proposal=proposal)
        arguments = self._input(body) if body is not None else {}
        proposal = service(user=self.request.user, proposal=proposal, **arguments)
        return Response(self._output(ProposalSerializer, proposal, deal))

    def _nda_step(self, reference_code: str, name: str, service) -> Response:
        deal = self._deal(reference_code)
        nda = self._nda(deal)
        permissions.require_role(name, user=self.request.user, deal=deal, nda=nda)
        nda = service(user=self.request.user, nda=nda)
        return Response(self._output(NDASerializer, nda, deal))
