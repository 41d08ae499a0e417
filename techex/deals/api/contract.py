"""A deal's contract and its registration."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from techex.core.api import error_responses

from .. import permissions, services
from ..choices import DealAction
from .common import (
    PARTICIPANTS,
    REFERENCE_CODE,
    DealViewBase,
    step_schema,
)
from .serializers import (
    ContractSerializer,
    ContractTermsSerializer,
    RegistrationSerializer,
)


class ContractActions(DealViewBase):
    """A deal's contract and its registration."""

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
        permissions.require_role(DealAction.CONTRACT_RECORD, user=request.user, deal=deal)
        terms = self._terms(ContractTermsSerializer)
        contract = services.contract_record(user=self._require_sign_in(), deal=deal, terms=terms)
        return Response(ContractSerializer(contract).data, status=status.HTTP_201_CREATED)

    @step_schema(
        "Update the contract's registration",
        who="The parties, the broker or staff",
        body=RegistrationSerializer,
        response=ContractSerializer,
    )
    @action(detail=True, methods=["post"], url_path="contract/registration")
    def contract_registration(self, request: Request, reference_code: str) -> Response:
        deal = self._deal(reference_code)
        permissions.require_role(DealAction.REGISTRATION_UPDATE, user=request.user, deal=deal)
        contract = getattr(deal, "contract", None)
        if contract is None:
            permissions.require_state(DealAction.REGISTRATION_UPDATE, deal=deal)
        assert contract is not None  # require_state refuses a deal without a contract
        data = self._input(RegistrationSerializer)
        contract = services.contract_registration_update(
            user=self._require_sign_in(),
            contract=contract,
            status=data["status"],
            number=data.get("number", ""),
            certified_on=data.get("certified_on"),
        )
        return Response(ContractSerializer(contract).data)
