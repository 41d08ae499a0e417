"""A deal's NDA: asking, accepting, uploading, confirming, cancelling, its file; the standard NDA text."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from techex.core.api import error_responses
from techex.core.permissions import require_staff

from .. import permissions, selectors, services
from ..choices import DealAction
from ..files import nda_file_response
from .common import (
    FILE_RESPONSES,
    PARTICIPANTS,
    REFERENCE_CODE,
    DealViewBase,
    step_schema,
)
from .serializers import (
    NDARequestSerializer,
    NDASerializer,
    NDATemplateSerializer,
    NDATemplateWriteSerializer,
    NDAUploadSerializer,
)


class NDAActions(DealViewBase):
    """A deal's NDA: asking, accepting, uploading, confirming, cancelling, its file; the standard NDA text."""

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

    @step_schema(
        "Ask for an NDA",
        who="The parties, once the inquiry is accepted; in the app, asking counts as your side's acceptance",
        body=NDARequestSerializer,
        response=NDASerializer,
        created=True,
    )
    @action(detail=True, methods=["post"], url_path="nda/request")
    def nda_request(self, request: Request, reference_code: str) -> Response:
        deal = self._deal(reference_code)
        permissions.require_role(DealAction.NDA_REQUEST, user=request.user, deal=deal)
        data = self._input(NDARequestSerializer)
        nda = services.nda_request(user=self._require_sign_in(), deal=deal, method=data["method"])
        return Response(self._output(NDASerializer, nda, deal), status=status.HTTP_201_CREATED)

    @step_schema("Accept the standard NDA in the app", who="The party that has not yet", response=NDASerializer)
    @action(detail=True, methods=["post"], url_path="nda/accept")
    def nda_accept(self, request: Request, reference_code: str) -> Response:
        return self._nda_step(reference_code, DealAction.NDA_ACCEPT, services.nda_accept)

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
        permissions.require_role(DealAction.NDA_UPLOAD, user=request.user, deal=deal, nda=nda)
        data = self._input(NDAUploadSerializer)
        nda = services.nda_upload_signed(user=self._require_sign_in(), nda=nda, file=data["file"])
        return Response(self._output(NDASerializer, nda, deal))

    @step_schema("Confirm the signed NDA (it is in force)", who="The other party or staff", response=NDASerializer)
    @action(detail=True, methods=["post"], url_path="nda/confirm")
    def nda_confirm(self, request: Request, reference_code: str) -> Response:
        return self._nda_step(reference_code, DealAction.NDA_CONFIRM, services.nda_confirm_signed)

    @step_schema("Cancel an NDA request not yet in force", who="The parties", response=NDASerializer)
    @action(detail=True, methods=["post"], url_path="nda/cancel")
    def nda_cancel(self, request: Request, reference_code: str) -> Response:
        return self._nda_step(reference_code, DealAction.NDA_CANCEL, services.nda_cancel)

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
        user = self._require_sign_in()
        if request.method == "GET":
            template = selectors.nda_template_current()
            if template is None:
                raise NotFound
            return Response(NDATemplateSerializer(template).data)
        require_staff(request.user)
        data = self._input(NDATemplateWriteSerializer)
        template = services.nda_template_update(user=user, **data)
        return Response(NDATemplateSerializer(template).data, status=status.HTTP_201_CREATED)
