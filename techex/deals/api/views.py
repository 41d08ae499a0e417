"""Deal endpoints: read through the selectors, write through the services, one call each.

Every address under a deal answers 404 alike for a deal that does not exist and one the caller may not read
(anonymous callers included), so reference codes, proposal ids and file tokens cannot be probed. A caller who
reads the deal but may not take a step gets 403 with the reason; a step the stage does not allow gets 400.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import QueryDict
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, NotFound, PermissionDenied
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from techex.core.api import ApiViewMixin, ReferenceCodeLookupMixin, error_responses, reference_code_parameter
from techex.core.permissions import require_staff
from techex.core.uploads import IMAGE_FORMATS, OFFICE_TYPES

from .. import permissions, selectors, services
from ..choices import DealAction
from ..files import attachment_response, nda_file_response
from ..models import Deal
from ..types import DealFilters
from .serializers import (
    ContractSerializer,
    ContractTermsSerializer,
    DealBrokerSerializer,
    DealDetailSerializer,
    DealFunnelStageSerializer,
    DealMessageCreateSerializer,
    DealMessageSerializer,
    DealMessageUploadSerializer,
    DealQuerySerializer,
    DealReasonSerializer,
    DealSerializer,
    DealTimelineEntrySerializer,
    InquirySerializer,
    NDARequestSerializer,
    NDASerializer,
    NDATemplateSerializer,
    NDATemplateWriteSerializer,
    NDAUploadSerializer,
    ProposalSerializer,
    ProposalTermsSerializer,
    RegistrationSerializer,
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


def _step(summary: str, *, who: str, body=None, response=DealDetailSerializer, created=False, extra=()) -> Callable:
    codes = (400, 403, 404, 415) if body else (400, 403, 404)
    return extend_schema(
        summary=summary,
        description=f"{who}. A stage that does not allow it answers 400 naming the stage. {PARTICIPANTS}",
        parameters=[REFERENCE_CODE, *extra],
        request=body,
        responses={201 if created else 200: response, **error_responses(*codes)},
    )


def _read(summary: str, response, *, extra=(), many=False) -> Callable:
    return extend_schema(
        summary=summary,
        description=PARTICIPANTS,
        parameters=[REFERENCE_CODE, *extra],
        responses={200: response(many=many) if many else response, **error_responses(404)},
    )


@extend_schema_view(
    list=extend_schema(
        summary="List your deals",
        description=(
            "The deals you take part in (as a party or broker), latest activity first; `awaiting=true` keeps those "
            "waiting for you. Staff: `all=true` lists every deal, with the staff filters."
        ),
        parameters=[DealQuerySerializer],
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
    retrieve=_read("Get a deal", DealDetailSerializer),
)
class DealViewSet(ReferenceCodeLookupMixin, ApiViewMixin, viewsets.GenericViewSet):
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

    # --- deals ---------------------------------------------------------------------------------------------------

    def list(self, request: Request) -> Response:
        self._require_sign_in()
        params = self.parse_query(DealQuerySerializer)
        if params["all"]:
            if not request.user.is_staff:
                raise PermissionDenied(DealQuerySerializer.default_error_messages["staff_only"])
            filters = DealFilters(
                q=params.get("q", ""),
                stage=params.get("stage", ""),
                province=params.get("province", ""),
                field=params.get("field", ""),
                broker=params.get("broker"),
                created_from=params.get("created_from"),
                created_to=params.get("created_to"),
            )
            deals = selectors.deal_list_for_staff(user=request.user, filters=filters)
        else:
            deals = selectors.deal_list_for_user(
                user=request.user, stage=params.get("stage", ""), awaiting=params["awaiting"]
            )
        page = self.paginate_queryset(deals)
        return self.get_paginated_response(DealSerializer(page, many=True, context=self.get_serializer_context()).data)

    def create(self, request: Request) -> Response:
        self._require_sign_in()
        data = self._input(InquirySerializer)
        deal = services.deal_inquire(user=request.user, **data)
        return Response(self._deal_output(deal), status=status.HTTP_201_CREATED)

    def retrieve(self, request: Request, reference_code: str) -> Response:
        return Response(self._deal_output(self._deal(reference_code)))

    @_step("Forward an anonymous listing's inquiry to its owner", who="The deal's broker")
    @action(detail=True, methods=["post"])
    def forward(self, request: Request, reference_code: str) -> Response:
        return self._transition(reference_code, "forward", services.deal_forward)

    @_step("Accept an inquiry (contacts are revealed)", who="The listing's owners or the deal's broker")
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, reference_code: str) -> Response:
        return self._transition(reference_code, "accept", services.deal_accept)

    @_step("Decline a deal", who="The listing's owners or the deal's broker", body=DealReasonSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, reference_code: str) -> Response:
        return self._transition(reference_code, "decline", services.deal_decline, body=DealReasonSerializer)

    @_step("Withdraw from a deal", who="The inquirer", body=DealReasonSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, reference_code: str) -> Response:
        return self._transition(reference_code, "withdraw", services.deal_withdraw, body=DealReasonSerializer)

    @_step("Drop a stalled deal", who="Staff or the deal's broker (staff only once signed)", body=DealReasonSerializer)
    @action(detail=True, methods=["post"])
    def drop(self, request: Request, reference_code: str) -> Response:
        return self._transition(reference_code, "drop", services.deal_drop, body=DealReasonSerializer)

    @_step("Start negotiating an accepted deal", who="The parties")
    @action(detail=True, methods=["post"], url_path="start-negotiation")
    def start_negotiation(self, request: Request, reference_code: str) -> Response:
        return self._transition(reference_code, "start_negotiation", services.deal_start_negotiation)

    @_step("Complete a deal whose contract is in force", who="The parties, the broker or staff")
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, reference_code: str) -> Response:
        return self._transition(reference_code, "complete", services.deal_complete)

    @_step("Assign, change or remove the deal's broker", who="Staff", body=DealBrokerSerializer)
    @action(detail=True, methods=["post"], url_path="assign-broker")
    def assign_broker(self, request: Request, reference_code: str) -> Response:
        return self._transition(reference_code, "assign_broker", services.deal_assign_broker, body=DealBrokerSerializer)

    @_read("The deal's timeline (from its audit trail)", DealTimelineEntrySerializer, many=True)
    @action(detail=True, methods=["get"])
    def timeline(self, request: Request, reference_code: str) -> Response:
        deal = self._deal(reference_code)
        page = self.paginate_queryset(selectors.deal_timeline(deal=deal, user=request.user))
        return self.get_paginated_response(DealTimelineEntrySerializer(page, many=True).data)

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
        permissions.require_role("message", user=request.user, deal=deal)
        multipart = isinstance(request.data, QueryDict)
        data = self._input(DealMessageUploadSerializer if multipart else DealMessageCreateSerializer)
        message = services.deal_message_post(
            user=request.user, deal=deal, body=data["body"], files=data.get("files", ())
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
        permissions.require_role("propose", user=request.user, deal=deal)
        terms = self._terms(ProposalTermsSerializer)
        proposal = services.proposal_create(user=request.user, deal=deal, terms=terms)
        return Response(self._output(ProposalSerializer, proposal, deal), status=status.HTTP_201_CREATED)

    @_step(
        "Accept a proposal (the deal is agreed)", who="The other side", response=ProposalSerializer, extra=[PROPOSAL_ID]
    )
    @action(detail=True, methods=["post"], url_path=r"proposals/(?P<proposal_id>[0-9]{1,18})/accept")
    def proposal_accept(self, request: Request, reference_code: str, proposal_id: str) -> Response:
        return self._answer(reference_code, proposal_id, "proposal_accept", services.proposal_accept)

    @_step(
        "Reject a proposal",
        who="The other side",
        body=DealReasonSerializer,
        response=ProposalSerializer,
        extra=[PROPOSAL_ID],
    )
    @action(detail=True, methods=["post"], url_path=r"proposals/(?P<proposal_id>[0-9]{1,18})/reject")
    def proposal_reject(self, request: Request, reference_code: str, proposal_id: str) -> Response:
        return self._answer(
            reference_code, proposal_id, "proposal_reject", services.proposal_reject, DealReasonSerializer
        )

    @_step(
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
        permissions.require_role("proposal_counter", user=request.user, deal=deal, proposal=proposal)
        terms = self._terms(ProposalTermsSerializer)
        counter = services.proposal_counter(user=request.user, proposal=proposal, terms=terms)
        return Response(self._output(ProposalSerializer, counter, deal), status=status.HTTP_201_CREATED)

    @_step("Withdraw one's own proposal", who="The side that made it", response=ProposalSerializer, extra=[PROPOSAL_ID])
    @action(detail=True, methods=["post"], url_path=r"proposals/(?P<proposal_id>[0-9]{1,18})/withdraw")
    def proposal_withdraw(self, request: Request, reference_code: str, proposal_id: str) -> Response:
        return self._answer(reference_code, proposal_id, "proposal_withdraw", services.proposal_withdraw)

    # --- NDA -----------------------------------------------------------------------------------------------------

    @extend_schema(
        summary="The deal's NDA",
        description=f"The NDA requested or in force, with its text; 404 if none. {PARTICIPANTS}",
        parameters=[REFERENCE_CODE],
        responses={200: NDASerializer, **error_responses(404)},
    )
    @action(detail=True, methods=["get"])
    def nda(self, request: Request, reference_code: str) -> Response:
        deal = self._deal(reference_code)
        return Response(self._output(NDASerializer, self._nda(deal), deal))

    @_step(
        "Ask for an NDA",
        who="The parties, once the inquiry is accepted; in the app, asking counts as your side's acceptance",
        body=NDARequestSerializer,
        response=NDASerializer,
        created=True,
    )
    @action(detail=True, methods=["post"], url_path="nda/request")
    def nda_request(self, request: Request, reference_code: str) -> Response:
        deal = self._deal(reference_code)
        permissions.require_role("nda_request", user=request.user, deal=deal)
        data = self._input(NDARequestSerializer)
        nda = services.nda_request(user=request.user, deal=deal, method=data["method"])
        return Response(self._output(NDASerializer, nda, deal), status=status.HTTP_201_CREATED)

    @_step("Accept the standard NDA in the app", who="The party that has not yet", response=NDASerializer)
    @action(detail=True, methods=["post"], url_path="nda/accept")
    def nda_accept(self, request: Request, reference_code: str) -> Response:
        return self._nda_step(reference_code, "nda_accept", services.nda_accept)

    @extend_schema(
        summary="Upload the signed NDA",
        description=f"The parties, as multipart/form-data; a new upload replaces the file. {PARTICIPANTS}",
        parameters=[REFERENCE_CODE],
        request={"multipart/form-data": NDAUploadSerializer},
        responses={200: NDASerializer, **error_responses(400, 403, 404, 415)},
    )
    @action(detail=True, methods=["post"], url_path="nda/upload", parser_classes=[MultiPartParser])
    def nda_upload(self, request: Request, reference_code: str) -> Response:
        deal = self._deal(reference_code)
        nda = self._nda(deal)
        permissions.require_role("nda_upload", user=request.user, deal=deal, nda=nda)
        data = self._input(NDAUploadSerializer)
        nda = services.nda_upload_signed(user=request.user, nda=nda, file=data["file"])
        return Response(self._output(NDASerializer, nda, deal))

    @_step("Confirm the signed NDA (it is in force)", who="The other party or staff", response=NDASerializer)
    @action(detail=True, methods=["post"], url_path="nda/confirm")
    def nda_confirm(self, request: Request, reference_code: str) -> Response:
        return self._nda_step(reference_code, "nda_confirm", services.nda_confirm_signed)

    @_step("Cancel an NDA request not yet in force", who="The parties", response=NDASerializer)
    @action(detail=True, methods=["post"], url_path="nda/cancel")
    def nda_cancel(self, request: Request, reference_code: str) -> Response:
        return self._nda_step(reference_code, "nda_cancel", services.nda_cancel)

    @extend_schema(
        summary="Download the signed NDA",
        description=PARTICIPANTS,
        parameters=[REFERENCE_CODE],
        responses=FILE_RESPONSES,
    )
    @action(detail=True, methods=["get"], url_path="nda/file", url_name="nda-file")
    def nda_file(self, request: Request, reference_code: str):
        return nda_file_response(selectors.nda_file_get_for_user(user=request.user, reference_code=reference_code))

    @extend_schema(
        methods=["GET"],
        summary="The standard NDA text",
        description="The newest version; signed-in users.",
        responses={200: NDATemplateSerializer, **error_responses(404)},
    )
    @extend_schema(
        methods=["POST"],
        summary="Publish a new version of the standard NDA text",
        description="Staff. NDAs already made keep the version they were made with.",
        request=NDATemplateWriteSerializer,
        responses={201: NDATemplateSerializer, **error_responses(400, 403, 415)},
    )
    @action(detail=False, methods=["get", "post"], url_path="nda-template")
    def nda_template(self, request: Request) -> Response:
        self._require_sign_in()
        if request.method == "GET":
            template = selectors.nda_template_current()
            if template is None:
                raise NotFound
            return Response(NDATemplateSerializer(template).data)
        require_staff(request.user)
        data = self._input(NDATemplateWriteSerializer)
        template = services.nda_template_update(user=request.user, **data)
        return Response(NDATemplateSerializer(template).data, status=status.HTTP_201_CREATED)

    # --- contract ------------------------------------------------------------------------------------------------

    @extend_schema(
        methods=["GET"],
        summary="The deal's contract",
        description=f"404 until one is recorded. {PARTICIPANTS}",
        parameters=[REFERENCE_CODE],
        responses={200: ContractSerializer, **error_responses(404)},
    )
    @extend_schema(
        methods=["POST"],
        summary="Record the signed contract",
        description=(
            "The parties or the broker, once the terms are agreed; the deal becomes “contract signed”. Whether "
            f"registration is compulsory follows from Art. 31. {PARTICIPANTS}"
        ),
        parameters=[REFERENCE_CODE],
        request=ContractTermsSerializer,
        responses={201: ContractSerializer, **error_responses(400, 403, 404, 415)},
    )
    @action(detail=True, methods=["get", "post"])
    def contract(self, request: Request, reference_code: str) -> Response:
        deal = self._deal(reference_code)
        if request.method == "GET":
            contract = getattr(deal, "contract", None)
            if contract is None:
                raise NotFound
            return Response(ContractSerializer(contract).data)
        permissions.require_role("contract_record", user=request.user, deal=deal)
        terms = self._terms(ContractTermsSerializer)
        contract = services.contract_record(user=request.user, deal=deal, terms=terms)
        return Response(ContractSerializer(contract).data, status=status.HTTP_201_CREATED)

    @_step(
        "Update the contract's registration",
        who="The parties, the broker or staff",
        body=RegistrationSerializer,
        response=ContractSerializer,
    )
    @action(detail=True, methods=["post"], url_path="contract/registration")
    def contract_registration(self, request: Request, reference_code: str) -> Response:
        deal = self._deal(reference_code)
        permissions.require_role("registration_update", user=request.user, deal=deal)
        contract = getattr(deal, "contract", None)
        if contract is None:
            permissions.require_state(DealAction.REGISTRATION_UPDATE, deal=deal)
        data = self._input(RegistrationSerializer)
        contract = services.contract_registration_update(
            user=request.user,
            contract=contract,
            status=data["status"],
            number=data.get("number", ""),
            certified_on=data.get("certified_on"),
        )
        return Response(ContractSerializer(contract).data)

    # --- staff ---------------------------------------------------------------------------------------------------

    @extend_schema(
        summary="The deal funnel",
        description="Staff: for each stage, how many deals reached it and the value of those.",
        responses={200: DealFunnelStageSerializer(many=True), **error_responses(403)},
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def funnel(self, request: Request) -> Response:
        self._require_sign_in()
        require_staff(request.user)
        funnel = selectors.deal_funnel(deals=selectors.deal_list_for_staff(user=request.user))
        return Response(DealFunnelStageSerializer(funnel, many=True).data)

    # --- helpers -------------------------------------------------------------------------------------------------

    def _require_sign_in(self) -> None:
        if not self.request.user.is_authenticated:
            raise NotAuthenticated

    def _deal(self, reference_code: str) -> Deal:
        return selectors.deal_get_for_user(user=self.request.user, reference_code=reference_code)

    def _nda(self, deal: Deal):
        nda = selectors.current_nda(deal)
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
