"""The filters of the list of events, one FilterSet for the page and the API."""

import django_filters
from django.db.models import QuerySet

from techex.core.filtersets import FilterSet

from .choices import EventType
from .models import Event


class EventFilterSet(FilterSet):
    """Type, dates, province and S&T field of an event."""

    type = django_filters.ChoiceFilter(choices=EventType.choices, help_text="The kind of event.")
    date_from = django_filters.DateFilter(
        field_name="ends_at", lookup_expr="date__gte", help_text="Events still running on or after this day."
    )
    date_to = django_filters.DateFilter(
        field_name="starts_at", lookup_expr="date__lte", help_text="Events starting on or before this day."
    )
    province = django_filters.CharFilter(field_name="province_id", max_length=4, help_text="A province code.")
    field = django_filters.CharFilter(method="filter_field", max_length=8, help_text="An S&T field code or prefix.")

    class Meta:
        model = Event
        fields: list[str] = []

    def filter_field(self, queryset: QuerySet[Event], name: str, value: str) -> QuerySet[Event]:
        # A subquery, not a join: an event in two sub-fields of the field is listed once.
        in_field = Event.fields.through.objects.filter(stfield__code__startswith=value).values("event_id")
        return queryset.filter(pk__in=in_field)
