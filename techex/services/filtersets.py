"""The filters of a person's service requests: the "my requests" page and the API's list. One FilterSet, so a
filter means the same thing on both."""

import django_filters
from django.db.models import QuerySet

from techex.core.filtersets import FilterSet

from .choices import Party, RequestState
from .models import ServiceRequest

ROLE_CHOICES = [(Party.CLIENT, Party.CLIENT.label), (Party.PROVIDER, Party.PROVIDER.label)]


class ServiceRequestFilterSet(FilterSet):
    """``role`` picks the requests sent (client) or received (provider); ``state`` and ``category`` narrow them."""

    # The role is read by the selector (it decides which requests are the user's), not applied as a filter.
    role = django_filters.ChoiceFilter(choices=ROLE_CHOICES, method="keep", help_text="client or provider.")
    state = django_filters.ChoiceFilter(choices=RequestState.choices)
    category = django_filters.CharFilter(field_name="category__code", max_length=40, help_text="A category's code.")

    class Meta:
        model = ServiceRequest
        fields: list[str] = []

    def keep(self, queryset: QuerySet[ServiceRequest], name: str, value: str) -> QuerySet[ServiceRequest]:
        return queryset
