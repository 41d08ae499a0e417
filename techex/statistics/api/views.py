"""Statistics endpoints: the public headline figures, and every indicator for staff (their department's scope).

The same FilterSet as the dashboard; an invalid filter is 400 naming it, a department outside the caller's scope
404 (as the dashboard answers).
"""

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from techex.core.api import IsStaff, error_responses
from techex.core.filtersets import filterset_parameters

from .. import selectors
from ..filtersets import Criteria, StatisticsFilterSet
from ..indicators import BY_KEY, INDICATORS, PUBLIC, Indicator
from ..types import SUPPRESSED


class ColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named as Field's own attribute
    kind = serializers.ChoiceField(choices=["text", "count", "vnd", "share", "days"])


class IndicatorSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    definition = serializers.CharField()
    columns = ColumnSerializer(many=True)
    rows = serializers.ListField(
        child=serializers.DictField(),
        help_text="One object per row, keyed by column; a share is a fraction (0.25 = 25 %); null is no figure. "
        "`suppressed` lists the keys of the cells withheld (fewer than 3 contracts stand behind them).",
    )
    notes = serializers.ListField(child=serializers.CharField())


class PeriodSerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    field = serializers.CharField(required=False)
    province = serializers.CharField(required=False)
    organization_type = serializers.CharField(required=False)
    department = serializers.CharField(required=False)


class IndicatorsSerializer(serializers.Serializer):
    filters = PeriodSerializer()
    indicators = IndicatorSerializer(many=True)


class HeadlineSerializer(serializers.Serializer):
    offers = serializers.IntegerField(help_text="Technology offers live today.")
    needs = serializers.IntegerField(help_text="Technology needs live today.")
    organizations = serializers.IntegerField(help_text="Verified organisations.")


class PublicStatisticsSerializer(IndicatorsSerializer):
    numbers = HeadlineSerializer()


def _cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return None if value is SUPPRESSED else value


def indicator_data(indicator: Indicator, criteria: Criteria) -> dict[str, Any]:
    table = indicator.table(criteria)
    rows = []
    for row in table.rows:
        data = {column.key: _cell(cell) for column, cell in zip(table.columns, row, strict=True)}
        suppressed = [column.key for column, cell in zip(table.columns, row, strict=True) if cell is SUPPRESSED]
        if suppressed:
            data["suppressed"] = suppressed
        rows.append(data)
    return {
        "key": indicator.key,
        "title": str(indicator.title),
        "definition": indicator.definition,
        "columns": [{"key": c.key, "label": str(c.label), "kind": c.kind} for c in table.columns],
        "rows": rows,
        "notes": [str(note) for note in table.notes],
    }


def _filters(request: Request) -> StatisticsFilterSet:
    filters = StatisticsFilterSet(request.query_params)
    if errors := filters.api_errors():
        raise ValidationError(errors)
    return filters


_PARAMETERS = filterset_parameters(StatisticsFilterSet)


class PublicStatisticsView(APIView):
    """The region's headline figures, as on the public statistics page."""

    permission_classes = [AllowAny]

    @extend_schema(
        summary="Public statistics",
        operation_id="statistics_public",
        description="Live offers and needs by S&T field and province (today), deals started and contracts recorded "
        "by quarter, total recorded value; cells of fewer than 3 contracts are withheld. `department` is ignored.",
        parameters=_PARAMETERS,
        responses={200: PublicStatisticsSerializer, **error_responses(400)},
        tags=["statistics"],
    )
    def get(self, request: Request) -> Response:
        criteria = selectors.public_criteria(filters=_filters(request))
        return Response(
            {
                "filters": criteria.query(),
                "numbers": selectors.headline_numbers(),
                "indicators": [indicator_data(i, criteria) for i in PUBLIC],
            }
        )


def _staff_indicators(request: Request, chosen: tuple[Indicator, ...]) -> Response:
    criteria = selectors.statistics_criteria(user=request.user, filters=_filters(request))
    return Response({"filters": criteria.query(), "indicators": [indicator_data(i, criteria) for i in chosen]})


class StaffIndicatorsView(APIView):
    """Every indicator of the staff dashboard, for the caller's department (the region for the lead)."""

    permission_classes = [IsStaff]

    @extend_schema(
        summary="Staff indicators",
        operation_id="statistics_indicators_list",
        description="Every indicator of the dashboard with its definition and table. A partner department's staff "
        "read their own department; another department is 404.",
        parameters=_PARAMETERS,
        responses={200: IndicatorsSerializer, **error_responses(400, 403, 404)},
        tags=["statistics"],
    )
    def get(self, request: Request) -> Response:
        return _staff_indicators(request, INDICATORS)


class StaffIndicatorView(APIView):
    """One indicator of the staff dashboard."""

    permission_classes = [IsStaff]

    @extend_schema(
        summary="One staff indicator",
        operation_id="statistics_indicator_retrieve",
        description="One indicator by its key (docs/statistics.md lists them), filtered as the dashboard.",
        parameters=[
            OpenApiParameter("key", str, OpenApiParameter.PATH, enum=[i.key for i in INDICATORS]),
            *_PARAMETERS,
        ],
        responses={200: IndicatorsSerializer, **error_responses(400, 403, 404)},
        tags=["statistics"],
    )
    def get(self, request: Request, key: str) -> Response:
        if key not in BY_KEY:
            raise NotFound
        return _staff_indicators(request, (BY_KEY[key],))
