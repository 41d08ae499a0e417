"""The steps that move a deal between stages (forward, accept, decline, withdraw, drop, start the
negotiation, complete), its broker and its timeline."""

from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from .. import selectors, services
from ..choices import DealAction
from .common import (
    DealViewBase,
    read_schema,
    step_schema,
)
from .serializers import (
    DealBrokerSerializer,
    DealReasonSerializer,
    DealTimelineEntrySerializer,
)


class DealStageActions(DealViewBase):
    """The steps that move a deal between stages (forward, accept, decline, withdraw, drop, start the"""

    @step_schema("Forward an anonymous listing's inquiry to its owner", who="The deal's broker")
    @action(detail=True, methods=["post"])
    def forward(self, request: Request, reference_code: str) -> Response:
        return self._transition(reference_code, DealAction.FORWARD, services.deal_forward)

    @step_schema("Accept an inquiry (contacts are revealed)", who="The listing's owners or the deal's broker")
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, reference_code: str) -> Response:
        return self._transition(reference_code, DealAction.ACCEPT, services.deal_accept)

    @step_schema("Decline a deal", who="The listing's owners or the deal's broker", body=DealReasonSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, reference_code: str) -> Response:
        return self._transition(reference_code, DealAction.DECLINE, services.deal_decline, body=DealReasonSerializer)

    @step_schema("Withdraw from a deal", who="The inquirer", body=DealReasonSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, reference_code: str) -> Response:
        return self._transition(reference_code, DealAction.WITHDRAW, services.deal_withdraw, body=DealReasonSerializer)

    @step_schema(
        "Drop a stalled deal", who="Staff or the deal's broker (staff only once signed)", body=DealReasonSerializer
    )
    @action(detail=True, methods=["post"])
    def drop(self, request: Request, reference_code: str) -> Response:
        return self._transition(reference_code, DealAction.DROP, services.deal_drop, body=DealReasonSerializer)

    @step_schema("Start negotiating an accepted deal", who="The parties")
    @action(detail=True, methods=["post"], url_path="start-negotiation")
    def start_negotiation(self, request: Request, reference_code: str) -> Response:
        return self._transition(reference_code, DealAction.START_NEGOTIATION, services.deal_start_negotiation)

    @step_schema("Complete a deal whose contract is in force", who="The parties, the broker or staff")
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, reference_code: str) -> Response:
        return self._transition(reference_code, DealAction.COMPLETE, services.deal_complete)

    @step_schema("Assign, change or remove the deal's broker", who="Staff", body=DealBrokerSerializer)
    @action(detail=True, methods=["post"], url_path="assign-broker")
    def assign_broker(self, request: Request, reference_code: str) -> Response:
        return self._transition(
            reference_code, DealAction.ASSIGN_BROKER, services.deal_assign_broker, body=DealBrokerSerializer
        )

    @read_schema("The deal's timeline (from its audit trail)", DealTimelineEntrySerializer, many=True)
    @action(detail=True, methods=["get"])
    def timeline(self, request: Request, reference_code: str) -> Response:
        deal = self._deal(reference_code)
        page = self.paginate_queryset(selectors.deal_timeline(deal=deal, user=request.user))
        return self.get_paginated_response(DealTimelineEntrySerializer(page, many=True).data)
