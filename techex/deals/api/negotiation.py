"""A deal's messages, their files and its proposals."""

from django.http import QueryDict
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from techex.core.api import JSONParser, error_responses

from .. import permissions, selectors, services
from ..choices import DealAction
from ..files import attachment_response
from .common import (
    FILE_RESPONSES,
    PARTICIPANTS,
    PROPOSAL_ID,
    REFERENCE_CODE,
    TOKEN,
    DealViewBase,
    step_schema,
)
from .serializers import (
    DealMessageCreateSerializer,
    DealMessageSerializer,
    DealMessageUploadSerializer,
    DealReasonSerializer,
    ProposalSerializer,
    ProposalTermsSerializer,
)


class NegotiationActions(DealViewBase):
    """A deal's messages, their files and its proposals."""

    # --- messages ------------------------------------------------------------------------------------------------

    @extend_schema(
        methods=["GET"],
        summary="The deal's messages",
        description=f"Oldest first, paginated. {PARTICIPANTS}",
        parameters=[REFERENCE_CODE],
        responses={200: DealMessageSerializer(many=True), **error_responses(404)},
    )
    @extend_schema(
        methods=["POST"],
        summary="Post a message",
        description=(
            "As JSON (text only) or multipart/form-data with up to 5 files (PDF, office documents, images; "
            f"checked by content). The parties, the broker and staff, while the deal is open. {PARTICIPANTS}"
        ),
        parameters=[REFERENCE_CODE],
        request={"application/json": DealMessageCreateSerializer, "multipart/form-data": DealMessageUploadSerializer},
        responses={201: DealMessageSerializer, **error_responses(400, 403, 404, 415)},
    )
    @action(detail=True, methods=["get", "post"], parser_classes=[JSONParser, MultiPartParser])
    def messages(self, request: Request, reference_code: str) -> Response:
        deal = self._deal(reference_code)
        if request.method == "GET":
            page = self.paginate_queryset(selectors.deal_messages(deal=deal))
            return self.get_paginated_response(self._output(DealMessageSerializer, page, deal, many=True))
        permissions.require_role(DealAction.MESSAGE, user=request.user, deal=deal)
        multipart = isinstance(request.data, QueryDict)
        data = self._input(DealMessageUploadSerializer if multipart else DealMessageCreateSerializer)
        message = services.deal_message_post(
            user=self._require_sign_in(), deal=deal, body=data["body"], files=data.get("files", ())
        )
        return Response(self._output(DealMessageSerializer, message, deal), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Download a message's file",
        description=f"{PARTICIPANTS} A token of another deal is a 404 too.",
        parameters=[REFERENCE_CODE, TOKEN],
        responses=FILE_RESPONSES,
    )
    @action(detail=True, methods=["get"], url_path="attachments/(?P<token>[0-9a-f]{32})", url_name="attachment")
    def attachment(self, request: Request, reference_code: str, token: str):
        attachment = selectors.attachment_get_for_user(user=request.user, token=token, reference_code=reference_code)
        return attachment_response(attachment)

    # --- proposals -----------------------------------------------------------------------------------------------

    @extend_schema(
        methods=["GET"],
        summary="The deal's proposals",
        description=f"Oldest first, paginated. {PARTICIPANTS}",
        parameters=[REFERENCE_CODE],
        responses={200: ProposalSerializer(many=True), **error_responses(404)},
    )
    @extend_schema(
        methods=["POST"],
        summary="Make a proposal",
        description=(
            "The parties, once the inquiry is accepted (the first proposal opens the negotiation) and while no "
            f"other proposal awaits an answer. {PARTICIPANTS}"
        ),
        parameters=[REFERENCE_CODE],
        request=ProposalTermsSerializer,
        responses={201: ProposalSerializer, **error_responses(400, 403, 404, 415)},
    )
    @action(detail=True, methods=["get", "post"])
    def proposals(self, request: Request, reference_code: str) -> Response:
        deal = self._deal(reference_code)
        if request.method == "GET":
            page = self.paginate_queryset(selectors.deal_proposals(deal=deal))
            return self.get_paginated_response(self._output(ProposalSerializer, page, deal, many=True))
        permissions.require_role(DealAction.PROPOSE, user=request.user, deal=deal)
        terms = self._terms(ProposalTermsSerializer)
        proposal = services.proposal_create(user=self._require_sign_in(), deal=deal, terms=terms)
        return Response(self._output(ProposalSerializer, proposal, deal), status=status.HTTP_201_CREATED)

    @step_schema(
        "Accept a proposal (the deal is agreed)", who="The other side", response=ProposalSerializer, extra=[PROPOSAL_ID]
    )
    @action(detail=True, methods=["post"], url_path=r"proposals/(?P<proposal_id>[0-9]{1,18})/accept")
    def proposal_accept(self, request: Request, reference_code: str, proposal_id: str) -> Response:
        return self._answer(reference_code, proposal_id, DealAction.PROPOSAL_ACCEPT, services.proposal_accept)

    @step_schema(
        "Reject a proposal",
        who="The other side",
        body=DealReasonSerializer,
        response=ProposalSerializer,
        extra=[PROPOSAL_ID],
    )
    @action(detail=True, methods=["post"], url_path=r"proposals/(?P<proposal_id>[0-9]{1,18})/reject")
    def proposal_reject(self, request: Request, reference_code: str, proposal_id: str) -> Response:
        return self._answer(
            reference_code, proposal_id, DealAction.PROPOSAL_REJECT, services.proposal_reject, DealReasonSerializer
        )

    @step_schema(
        "Counter a proposal with other terms",
        who="The other side",
        body=ProposalTermsSerializer,
        response=ProposalSerializer,
        created=True,
        extra=[PROPOSAL_ID],
    )
    @action(detail=True, methods=["post"], url_path=r"proposals/(?P<proposal_id>[0-9]{1,18})/counter")
    def proposal_counter(self, request: Request, reference_code: str, proposal_id: str) -> Response:
        deal = self._deal(reference_code)
        proposal = selectors.proposal_get_for_deal(deal=deal, pk=proposal_id)
        permissions.require_role(DealAction.PROPOSAL_COUNTER, user=request.user, deal=deal, proposal=proposal)
        terms = self._terms(ProposalTermsSerializer)
        counter = services.proposal_counter(user=self._require_sign_in(), proposal=proposal, terms=terms)
        return Response(self._output(ProposalSerializer, counter, deal), status=status.HTTP_201_CREATED)

    @step_schema(
        "Withdraw one's own proposal", who="The side that made it", response=ProposalSerializer, extra=[PROPOSAL_ID]
    )
    @action(detail=True, methods=["post"], url_path=r"proposals/(?P<proposal_id>[0-9]{1,18})/withdraw")
    def proposal_withdraw(self, request: Request, reference_code: str, proposal_id: str) -> Response:
        return self._answer(reference_code, proposal_id, DealAction.PROPOSAL_WITHDRAW, services.proposal_withdraw)
