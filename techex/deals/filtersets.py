"""The filters of the lists of deals: staff's list of every deal (page and API) and a person's own deals (the stage
chips of "my deals" and the API's list). One FilterSet, so a filter means the same thing on every list."""

import django_filters
from django.db.models import Q, QuerySet

from techex.core.api import MAX_BIGINT
from techex.core.filtersets import FilterSet, IntegerFilter
from techex.core.text import clean_text, fold
from techex.listings.models import Listing

from .choices import DealStage
from .models import Deal


class DealFilterSet(FilterSet):
    """Words and filters of a list of deals; all but ``stage`` are for staff's list of every deal."""

    STAFF_FILTERS = ("q", "province", "field", "broker", "created_from", "created_to")

    stage = django_filters.ChoiceFilter(choices=DealStage.choices)
    q = django_filters.CharFilter(
        method="filter_words",
        max_length=200,
        help_text="Staff, with all=true (otherwise a 400): a code, words of the title, a name.",
    )
    province = django_filters.CharFilter(
        field_name="listing__province_id",
        max_length=4,
        help_text="Staff, with all=true (otherwise a 400): the listing's province code.",
    )
    field = django_filters.CharFilter(
        method="filter_field",
        max_length=8,
        help_text="Staff, with all=true (otherwise a 400): an S&T field code or its prefix.",
    )
    broker = IntegerFilter(
        field_name="broker_id", min_value=1, max_value=MAX_BIGINT, help_text="Staff, with all=true (otherwise a 400)."
    )
    created_from = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", help_text="Staff, with all=true (otherwise a 400)."
    )
    created_to = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", help_text="Staff, with all=true (otherwise a 400)."
    )

    class Meta:
        model = Deal
        fields: list[str] = []

    def filter_words(self, queryset: QuerySet[Deal], name: str, value: str) -> QuerySet[Deal]:
        q = clean_text(value)
        if not q:
            return queryset
        return queryset.filter(
            Q(reference_code__iexact=q)
            | Q(listing__reference_code__iexact=q)
            | Q(listing__search_text__contains=fold(q))
            | Q(owner_organization__name__icontains=q)
            | Q(inquirer_organization__name__icontains=q)
        )

    def filter_field(self, queryset: QuerySet[Deal], name: str, value: str) -> QuerySet[Deal]:
        # A subquery, not a join: a deal about a listing in two sub-fields of the field is listed (and counted in
        # the funnel) once.
        in_field = Listing.fields.through.objects.filter(stfield__code__startswith=value).values("listing_id")
        return queryset.filter(listing_id__in=in_field)
