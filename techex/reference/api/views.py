"""Reference classifications, read-only.

The short, fixed tables (34 provinces, 9 TRLs, about 110 VSIC sections and divisions) come whole, for a select
box; the long ones (3,321 communes, about 300 S&T fields, about 790 IPC classes) come in pages.
"""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import AllowAny

from techex.core.api import ApiPagination, ApiViewMixin, error_responses

from ..models import TRL, IPCClass, Province, STField, VSICCode, Ward
from ..selectors import province_list, ward_list_for_province
from . import serializers as s


class ReferencePagination(ApiPagination):
    page_size = 100
    max_page_size = 1000


class ReferenceViewSet(ApiViewMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [AllowAny]
    query_serializer: type[serializers.Serializer] | None = None

    def params(self) -> dict[str, Any]:
        return self.parse_query(self.query_serializer) if self.query_serializer else {}


def _list_schema(summary: str, serializer, query=None, *, paginated: bool) -> Any:
    errors = (400, 404) if paginated else ((400,) if query else ())
    return extend_schema_view(
        list=extend_schema(
            summary=summary,
            tags=["reference"],
            parameters=[query] if query else None,
            responses={200: serializer(many=True), **error_responses(*errors)},
        )
    )


def _hierarchy(qs: QuerySet, params: dict[str, Any]) -> QuerySet:
    if "level" in params:
        qs = qs.filter(level=params["level"])
    if "parent" in params:
        qs = qs.filter(parent_id=params["parent"])
    return qs


@_list_schema("List provinces", s.ProvinceSerializer, paginated=False)
class ProvinceViewSet(ReferenceViewSet):
    """Provinces and centrally-run cities (2025), the Mekong Delta first."""

    serializer_class = s.ProvinceSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Province]:
        return province_list()


@_list_schema("List communes and wards", s.WardSerializer, s.WardQuerySerializer, paginated=True)
class WardViewSet(ReferenceViewSet):
    """Communes, wards and special zones (2025), by name; filter by province."""

    serializer_class = s.WardSerializer
    pagination_class = ReferencePagination
    query_serializer = s.WardQuerySerializer

    def get_queryset(self) -> QuerySet[Ward]:
        province = self.params().get("province")
        if province:
            return ward_list_for_province(province_code=province)
        return Ward.objects.order_by("province_id", "name", "code")


@_list_schema("List S&T fields", s.STFieldSerializer, s.STFieldQuerySerializer, paginated=True)
class STFieldViewSet(ReferenceViewSet):
    """Fields of science and technology (Decision 12/2008), by code; filter by level or parent."""

    serializer_class = s.STFieldSerializer
    pagination_class = ReferencePagination
    query_serializer = s.STFieldQuerySerializer

    def get_queryset(self) -> QuerySet[STField]:
        return _hierarchy(STField.objects.order_by("code"), self.params())


@_list_schema("List technology readiness levels", s.TRLSerializer, paginated=False)
class TRLViewSet(ReferenceViewSet):
    """Technology readiness levels 1 to 9."""

    serializer_class = s.TRLSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[TRL]:
        return TRL.objects.order_by("level")


@_list_schema("List IPC classes", s.IPCClassSerializer, s.IPCQuerySerializer, paginated=True)
class IPCViewSet(ReferenceViewSet):
    """International Patent Classification sections, classes and subclasses; filter by level or parent."""

    serializer_class = s.IPCClassSerializer
    pagination_class = ReferencePagination
    query_serializer = s.IPCQuerySerializer

    def get_queryset(self) -> QuerySet[IPCClass]:
        return _hierarchy(IPCClass.objects.order_by("code"), self.params())


@_list_schema("List VSIC codes", s.VSICCodeSerializer, s.VSICQuerySerializer, paginated=False)
class VSICViewSet(ReferenceViewSet):
    """Vietnam Standard Industrial Classification 2025 sections and divisions; filter by level or parent."""

    serializer_class = s.VSICCodeSerializer
    pagination_class = None
    query_serializer = s.VSICQuerySerializer

    def get_queryset(self) -> QuerySet[VSICCode]:
        return _hierarchy(VSICCode.objects.order_by("code"), self.params())
