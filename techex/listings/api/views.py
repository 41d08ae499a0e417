"""Listing endpoints: read through the selectors, write through the services, one call each."""

from collections.abc import Callable
from typing import cast

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from techex.accounts.requests import AuthenticatedRequest
from techex.core.api import (
    ApiPagination,
    ApiViewMixin,
    ReferenceCodeLookupMixin,
    error_responses,
    reference_code_parameter,
)
from techex.core.filtersets import filterset_parameters
from techex.core.permissions import STAFF_ONLY
from techex.departments.scope import can_act

from .. import services
from ..engine import index_version, keep_answer, kept_answer, search
from ..filtersets import MAX_WORDS_LENGTH, ListingFilterSet
from ..models import Listing, ListingAttachment
from ..selectors import (
    attachments_visible,
    listing_get_for_user,
    listing_list_for_owner,
    user_can_manage,
)
from .serializers import (
    BrokerSerializer,
    ListingCreateSerializer,
    ListingListQuerySerializer,
    ListingSerializer,
    ListingUpdateSerializer,
    NoteSerializer,
    RejectionSerializer,
)

REFERENCE_CODE = reference_code_parameter(description="The listing's reference code, e.g. CT-TO-2026-00042.")
OWNER_ONLY = _("Only members of the listing's organisation may do this.")
STATUS_NEEDS_MINE = _("Filter by status only among your own listings (mine=true).")


def _action_schema(summary: str, *, who: str, body=None) -> Callable:
    # An action without a body never reads one, so only those with a body can answer 415.
    codes = (400, 403, 404, 415) if body else (400, 403, 404)
    return extend_schema(
        summary=summary,
        description=f"{who} only. A state that does not allow the action answers 400 naming the state.",
        parameters=[REFERENCE_CODE],
        request=body,
        responses={200: ListingSerializer, **error_responses(*codes)},
    )


class ListingPagination(ApiPagination):
    """Pages of listings; ``count_exact`` is false when a search has more results than it counts."""

    count_exact = True

    def get_paginated_response(self, data) -> Response:
        response = super().get_paginated_response(data)
        response.data["count_exact"] = self.count_exact
        return response

    def get_paginated_response_schema(self, schema: dict) -> dict:
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count_exact"] = {
            "type": "boolean",
            "description": "False when a search finds more listings than it counts: `count` is then a lower "
            "bound (10,000).",
        }
        return schema


@extend_schema_view(
    list=extend_schema(
        summary="List listings",
        description=(
            "Live listings. With `q`, the listings the words find, best first (`sort=relevance`, the default), each "
            "with its `score` and `highlight`: accents, case and Unicode form do not matter, though words typed "
            "with diacritics rank the listings with those very words first; a word of four letters "
            "or more may have one letter wrong, missing, extra or swapped, English words match their other forms. "
            "Up to three words must all match (if no listing has them all, listings with some of them are "
            "returned; if few have all three, those lacking one follow); longer queries (a need's summary: `q` "
            f"takes up to {MAX_WORDS_LENGTH:,} characters) return listings with any of the words, best first. "
            "Without `q`, newest "
            "first. With `mine=true`, the listings of your organisations in any status, most recently changed "
            "first (`q` then needs every word, as typed without accents)."
        ),
        parameters=[ListingListQuerySerializer, *filterset_parameters(ListingFilterSet)],
        responses={200: ListingSerializer(many=True), **error_responses(400, 404)},
    ),
    retrieve=extend_schema(
        summary="Get a listing",
        description="A live listing, or any listing of yours (staff: any listing).",
        parameters=[REFERENCE_CODE],
        responses={200: ListingSerializer, **error_responses(404)},
    ),
    create=extend_schema(
        summary="Create a listing",
        description="A draft listing of one of your organisations.",
        request=ListingCreateSerializer,
        responses={201: ListingSerializer, **error_responses(400, 403, 415)},
    ),
    partial_update=extend_schema(
        summary="Change a listing",
        description=(
            "Only the keys sent change. On a published listing the change is a revision: the published version "
            "stays public until staff approve it, and the revision shows in `pending_changes`."
        ),
        parameters=[REFERENCE_CODE],
        request=ListingUpdateSerializer,
        responses={200: ListingSerializer, **error_responses(400, 403, 404, 415)},
    ),
)
class ListingViewSet(ReferenceCodeLookupMixin, ApiViewMixin, viewsets.GenericViewSet):
    """Technology offers and needs."""

    serializer_class = ListingSerializer
    pagination_class = ListingPagination
    permission_classes = [IsAuthenticatedOrReadOnly]
    queryset = Listing.objects.none()  # for the schema; every read goes through a selector

    # --- reads ---------------------------------------------------------------------------------------------------

    def list(self, request: Request) -> HttpResponse:  # a kept search answer is already rendered
        kept = self._kept_answer()
        if kept is not None:
            return kept
        params, filters = self._parse_list_query()
        if params["mine"]:
            if not request.user.is_authenticated:
                raise NotAuthenticated
            listings = listing_list_for_owner(user=request.user, filters=filters)
            attachments = ListingAttachment.objects.all()
        else:
            return self._search(filters, params.get("sort") or "relevance")
        page = self.paginate_queryset(self._with_api_relations(listings, attachments))
        return self.get_paginated_response(self._output(page, many=True).data)

    def _parse_list_query(self) -> tuple[dict, ListingFilterSet]:
        """The list's options and its FilterSet; every bad parameter is named in one 400."""
        options = ListingListQuerySerializer(data=self.request.query_params)
        errors = {} if options.is_valid() else dict(options.errors)
        filters = ListingFilterSet(self.request.query_params)
        errors.update(filters.api_errors())
        # As a serializer's validate(): the rule between parameters is checked once each one is valid.
        if not errors and filters.values().get("status") and not options.validated_data.get("mine"):
            errors["status"] = [str(STATUS_NEEDS_MINE)]
        if errors:
            raise ValidationError(errors)
        return options.validated_data, filters

    def _search(self, filters: ListingFilterSet, sort: str) -> HttpResponse:
        found = search(filters=filters, sort=sort)
        response = self._search_page(found)
        if found.version is None or not self._answer_is_shared():
            return response
        # Rendered once, kept, and answered as it will be answered from the cache.
        body = cast(bytes, self.request.accepted_renderer.render(response.data, self.request.accepted_media_type, {}))
        keep_answer(found.version, self.request.build_absolute_uri(), body)
        return self._answer(body)

    # Anonymous callers all see the same answer for the same address: a search's answer, rendered, is kept for this
    # version of the index (techex.search.cache) and served before anything else is parsed or read, so a popular
    # search costs little more than reading the index's version and the cache.

    def _answer_is_shared(self) -> bool:
        request = self.request
        return not request.user.is_authenticated and request.accepted_renderer.format == "json"

    def _kept_answer(self) -> HttpResponse | None:
        if not self.request.query_params.get("q", "").strip() or not self._answer_is_shared():
            return None
        body = kept_answer(index_version(), self.request.build_absolute_uri())
        return None if body is None else self._answer(body)

    def _answer(self, body: bytes) -> HttpResponse:
        return HttpResponse(body, content_type=self.request.accepted_renderer.media_type)

    def _search_page(self, found) -> Response:
        hits = self.paginate_queryset(found.hits) or []  # None only without a paginator
        cast(ListingPagination, self.paginator).count_exact = found.total_exact
        listings = [hit.listing for hit in hits]
        for hit in hits:
            hit.listing.search_score = hit.score
            if found.parsed is not None:
                hit.listing.search_highlight = {"title": hit.title_html, "snippet": hit.snippet_html}
        # What attachments_visible() shows the public of a live listing, for the whole page at once.
        attachments = ListingAttachment.objects.filter(is_approved=True, is_confidential=False)
        prefetch_related_objects(
            listings, "partner_provinces", Prefetch("attachments", queryset=attachments, to_attr="api_attachments")
        )
        return self.get_paginated_response(self._output(listings, many=True).data)

    def retrieve(self, request: Request, reference_code: str) -> Response:
        return Response(self._output(self._get(reference_code)).data)

    # --- writes --------------------------------------------------------------------------------------------------

    def create(self, request: AuthenticatedRequest) -> Response:
        serializer = ListingCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        listing = services.listing_create(
            user=request.user, organization=data.pop("organization"), kind=data.pop("kind"), data=data
        )
        return Response(self._output(listing).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: AuthenticatedRequest, reference_code: str) -> Response:
        listing = self._get(reference_code, owner=True)
        serializer = ListingUpdateSerializer(data=request.data, partial=True, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        listing = services.listing_update(listing=listing, user=request.user, data=serializer.validated_data)
        return Response(self._output(listing).data)

    # --- lifecycle -----------------------------------------------------------------------------------------------

    @_action_schema("Submit a listing for review", who="The listing's owners")
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def submit(self, request: Request, reference_code: str) -> Response:
        return self._transition(reference_code, services.listing_submit, owner=True)

    @_action_schema("Withdraw a listing", who="The listing's owners")
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def withdraw(self, request: Request, reference_code: str) -> Response:
        return self._transition(reference_code, services.listing_withdraw, owner=True)

    @_action_schema("Archive a listing", who="The listing's owners and staff")
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def archive(self, request: Request, reference_code: str) -> Response:
        return self._transition(reference_code, services.listing_archive, owner=True, staff=True)

    @_action_schema("Reopen a withdrawn or rejected listing as a draft", who="The listing's owners")
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def reopen(self, request: Request, reference_code: str) -> Response:
        return self._transition(reference_code, services.listing_reopen, owner=True)

    @_action_schema("Renew a listing for another validity period", who="The listing's owners")
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def renew(self, request: Request, reference_code: str) -> Response:
        return self._transition(reference_code, services.listing_renew, owner=True)

    @_action_schema("Publish a submitted listing or revision", who="Staff")
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def publish(self, request: Request, reference_code: str) -> Response:
        return self._transition(reference_code, services.listing_publish, staff=True)

    @_action_schema("Send a submitted listing back for changes", who="Staff", body=NoteSerializer)
    @action(detail=True, methods=["post"], url_path="request-changes", permission_classes=[IsAuthenticated])
    def request_changes(self, request: Request, reference_code: str) -> Response:
        return self._transition(reference_code, services.listing_request_changes, staff=True, body=NoteSerializer)

    @_action_schema(
        "Reject a submitted listing (or only the revision of a live one)", who="Staff", body=RejectionSerializer
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def reject(self, request: Request, reference_code: str) -> Response:
        return self._transition(reference_code, services.listing_reject, staff=True, body=RejectionSerializer)

    @_action_schema(
        "Assign, change or remove an anonymous listing's broker",
        who="Staff of the listing's department",
        body=BrokerSerializer,
    )
    @action(detail=True, methods=["post"], url_path="assign-broker", permission_classes=[IsAuthenticated])
    def assign_broker(self, request: Request, reference_code: str) -> Response:
        return self._transition(reference_code, services.listing_assign_broker, staff=True, body=BrokerSerializer)

    # --- helpers -------------------------------------------------------------------------------------------------

    def _get(self, reference_code: str, *, owner: bool = False, staff: bool = False) -> Listing:
        """Return the listing if the caller may see it (else 404) and, when asked, may act on it (else 403).

        The services check the same rules; checking here first answers 403 before looking at the input.
        """
        user = self.request.user
        listing = listing_get_for_user(user=user, reference_code=reference_code)
        may_own = owner and user_can_manage(user=user, listing=listing)
        may_staff = staff and user.is_staff
        if may_staff and not may_own and not can_act(user, listing):
            raise NotFound  # out of the user's department's scope: as for a missing listing (docs/departments.md)
        if (owner or staff) and not (may_own or may_staff):
            raise PermissionDenied(OWNER_ONLY if owner else STAFF_ONLY)
        return listing

    def _transition(self, reference_code: str, service, *, owner=False, staff=False, body=None) -> Response:
        """Check who may act (404, 403), then the input (400), then let the service check the state (400)."""
        listing = self._get(reference_code, owner=owner, staff=staff)
        arguments = {}
        if body is not None:
            serializer = body(data=self.request.data, context=self.get_serializer_context())
            serializer.is_valid(raise_exception=True)
            arguments = serializer.validated_data
        listing = service(listing=listing, user=self.request.user, **arguments)
        return Response(self._output(listing).data)

    def _output(self, listings, *, many: bool = False) -> ListingSerializer:
        if not many:
            listings.api_attachments = list(attachments_visible(user=self.request.user, listing=listings))
        return ListingSerializer(listings, many=many, context=self.get_serializer_context())

    @staticmethod
    def _with_api_relations(listings: QuerySet[Listing], attachments: QuerySet[ListingAttachment]):
        return listings.prefetch_related(
            "partner_provinces", Prefetch("attachments", queryset=attachments, to_attr="api_attachments")
        )
