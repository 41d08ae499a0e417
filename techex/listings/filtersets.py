"""The filters of every list of listings: the browse page and its export, the API's list, "my listings" and the
review queue, saved searches. One FilterSet, so a filter means the same thing on every list."""

import django_filters
from django.db.models import Q, QuerySet

from techex.core.api import MAX_BIGINT
from techex.core.filtersets import FilterSet, IntegerFilter
from techex.core.text import fold
from techex.organizations.choices import OrganizationType

from .choices import IPType, ListingKind, ListingStatus, TransferForm
from .models import Listing

MAX_QUERY_TERMS = 10
# The longest words a search takes (the API's ``q``, the search boxes): a need's summary is a natural query.
MAX_WORDS_LENGTH = 1000


class ListingFilterSet(FilterSet):
    """Words and filters of a list of listings.

    The words (``q``) are matched here as plain folded substrings, every word required: enough for an
    organisation's own listings and the review queue, which the search index (live listings only) does not hold.
    Public lists search the words with the index instead (techex.search), applying the other filters from here.
    """

    q = django_filters.CharFilter(
        method="filter_words",
        max_length=MAX_WORDS_LENGTH,
        help_text="Words to search for (accents, case and small typos do not matter); results best first.",
    )
    kind = django_filters.ChoiceFilter(choices=ListingKind.choices)
    field = django_filters.CharFilter(method="filter_field", max_length=8, help_text="An S&T field code or its prefix.")
    province = django_filters.CharFilter(field_name="province_id", max_length=4, help_text="A province code.")
    trl = IntegerFilter(
        method="filter_trl", min_value=1, max_value=9, help_text="Offers at or above this TRL and needs that accept it."
    )
    ip_type = django_filters.ChoiceFilter(choices=IPType.choices)
    transfer_form = django_filters.ChoiceFilter(choices=TransferForm.choices, method="filter_transfer_form")
    organization = IntegerFilter(
        method="filter_organization",
        min_value=1,
        max_value=MAX_BIGINT,
        help_text="An organisation's id (its named listings).",
    )
    status = django_filters.ChoiceFilter(
        choices=ListingStatus.choices, help_text="Only with mine=true; without it, a 400."
    )
    organization_type = django_filters.ChoiceFilter(
        choices=OrganizationType.choices,
        method="filter_organization_type",
        help_text="Listings of this kind of organisation (named ones).",
    )

    class Meta:
        model = Listing
        fields: list[str] = []

    def filter_words(self, queryset: QuerySet[Listing], name: str, value: str) -> QuerySet[Listing]:
        for term in fold(value).split()[:MAX_QUERY_TERMS]:
            queryset = queryset.filter(search_text__contains=term)
        return queryset

    def filter_field(self, queryset: QuerySet[Listing], name: str, value: str) -> QuerySet[Listing]:
        # A subquery, not a join: a listing in two sub-fields of the field is one result, and one in every count
        # made from the results (the facets).
        in_field = Listing.fields.through.objects.filter(stfield__code__startswith=value).values("listing_id")
        return queryset.filter(id__in=in_field)

    def filter_trl(self, queryset: QuerySet[Listing], name: str, value: int) -> QuerySet[Listing]:
        # An offer matches at or above the level asked for; a need matches when it accepts that level.
        return queryset.filter(Q(trl__gte=value) | Q(min_trl__lte=value))

    def filter_transfer_form(self, queryset: QuerySet[Listing], name: str, value: str) -> QuerySet[Listing]:
        # JSON lists are matched as text so the same query runs on SQLite and PostgreSQL; the quotes keep
        # "exclusive_licence" from matching "non_exclusive_licence".
        return queryset.filter(transfer_forms__icontains=f'"{value}"')

    def filter_organization(self, queryset: QuerySet[Listing], name: str, value: int) -> QuerySet[Listing]:
        return queryset.filter(organization_id=value, is_anonymous=False)

    def filter_organization_type(self, queryset: QuerySet[Listing], name: str, value: str) -> QuerySet[Listing]:
        # An anonymous listing does not say what kind of organisation is behind it either.
        return queryset.filter(organization__type=value, is_anonymous=False)

    @property
    def words(self) -> str:
        return self.values().get("q", "")
