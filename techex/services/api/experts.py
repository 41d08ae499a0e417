"""Expert endpoints: the directory (search and facets) and an expert's profile, with the pages' rules.

Listed experts are everyone's to read; a hidden profile is read by the expert and in-scope staff only; e-mail and
phone are given to those two only, never to anyone else (contact goes through a service request).
"""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from techex.core.api import ApiViewMixin, error_responses

from .. import experts
from ..expert_forms import ExpertSearchForm
from ..expert_models import Expert


class ExpertSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    fields_codes = serializers.SerializerMethodField(method_name="get_field_codes")
    specialities = serializers.ListField(source="speciality_list", child=serializers.CharField(), read_only=True)
    organization = serializers.CharField(source="organization_label", read_only=True)
    province = serializers.CharField(source="province_id", read_only=True, allow_null=True)
    categories = serializers.SerializerMethodField()
    email = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()

    class Meta:
        model = Expert
        fields = [
            "slug",
            "full_name",
            "title",
            "fields_codes",
            "specialities",
            "languages",
            "organization",
            "province",
            "cv",
            "publications",
            "categories",
            "accepts_requests",
            "email",
            "phone",
            "url",
        ]

    def get_field_codes(self, obj: Expert) -> list[str]:
        return [f.code for f in obj.fields.all()]

    def get_categories(self, obj: Expert) -> list[str]:
        return [c.code for c in obj.categories.all()]

    def _contact(self, obj: Expert, name: str) -> str | None:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return getattr(obj, name) if user is not None and experts.sees_contact(user, obj) else None

    def get_email(self, obj: Expert) -> str | None:
        """Only for the expert themself and in-scope staff (null otherwise)."""
        return self._contact(obj, "email")

    def get_phone(self, obj: Expert) -> str | None:
        """Only for the expert themself and in-scope staff (null otherwise)."""
        return self._contact(obj, "phone")


def _limit(name: str) -> int:
    """The search form's own length limit of a parameter (one place for it: ``ExpertSearchForm``)."""
    return ExpertSearchForm.base_fields[name].max_length  # type: ignore[attr-defined]


class ExpertSearchQuerySerializer(serializers.Serializer):
    """The query string of the search, as the schema tells it (the form checks it)."""

    q = serializers.CharField(
        required=False, max_length=_limit("q"), help_text="Words: without diacritics, in any Unicode form, with typos."
    )
    field = serializers.CharField(
        required=False, max_length=_limit("field"), help_text="An S&T field code (its sector: the first three digits)."
    )
    province = serializers.CharField(required=False, max_length=_limit("province"), help_text="A province code.")
    category = serializers.CharField(
        required=False, max_length=_limit("category"), help_text="A service category code."
    )


SEARCH_PARAMETERS = [ExpertSearchQuerySerializer]


@extend_schema_view(
    list=extend_schema(
        summary="Search the expert directory",
        description=(
            "Listed experts, best first when `q` is given (the listings' search: folding, typo correction, "
            "BM25F), by name otherwise. The answer carries `facets` (field sectors, provinces, services) beside "
            "the page of results."
        ),
        parameters=SEARCH_PARAMETERS,
        responses={200: ExpertSerializer(many=True), **error_responses(400, 404)},
    ),
    retrieve=extend_schema(summary="Get an expert", responses={200: ExpertSerializer, **error_responses(404)}),
)
class ExpertViewSet(ApiViewMixin, viewsets.GenericViewSet):
    """The expert directory."""

    permission_classes = [AllowAny]
    serializer_class = ExpertSerializer
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]{1,80}"

    def list(self, request: Request) -> Response:
        form = ExpertSearchForm(request.query_params)
        if not form.is_valid():
            raise exceptions.ValidationError({name: [str(e) for e in errors] for name, errors in form.errors.items()})
        found = experts.expert_search(**form.values())
        page = self.paginate_queryset(found.hits)
        experts_page = [hit.expert for hit in page or []]
        data = ExpertSerializer(experts_page, many=True, context={"request": request}).data
        response = self.get_paginated_response(data)
        response.data["facets"] = [
            {
                "name": facet.name,
                "values": [{"value": v.value, "label": str(v.label), "count": v.count} for v in facet.values],
            }
            for facet in found.facets
        ]
        response.data["corrected"] = found.corrected
        return response

    @extend_schema(parameters=[OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH)])
    def retrieve(self, request: Request, slug: str) -> Response:
        try:
            expert = experts.expert_get(slug=slug, user=request.user)
        except Http404 as exc:
            raise exceptions.NotFound() from exc
        return Response(ExpertSerializer(expert, context={"request": request}).data)
