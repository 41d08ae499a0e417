"""The filters of every indicator: one FilterSet for the dashboard page, its CSV downloads and the API.

The values are read once into a ``Criteria`` (selectors.statistics_criteria resolves the department against the
staff member's scope); each indicator applies the criteria to its own rows with ``Criteria.listings`` or
``Criteria.deals``, and the period to its own date (docs/statistics.md says which).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techex.core.filtersets import FilterSet
from techex.departments.selectors import in_queue
from techex.events.models import Event
from techex.listings.models import Listing
from techex.organizations.choices import OrganizationType
from techex.services.models import ServiceRequest

if TYPE_CHECKING:
    from techex.deals.models import Deal
    from techex.departments.models import Department

# A chart by month over more than ten years would be unreadable, and the query longer than a page should take.
MAX_YEARS = 10
PERIOD_TOO_LONG = _("The period may be at most %(years)d years.")
PERIOD_REVERSED = _("The end of the period is before its start.")
# The exchange's records start in this century; a date far outside it (0001-01-01) would overflow the month and
# quarter edges, which are computed a step before and after the period.
EARLIEST_DATE = datetime.date(2000, 1, 1)
LATEST_DATE = datetime.date(2099, 12, 31)
DATE_OUT_OF_RANGE = _("Choose a date in the years %(earliest)s to %(latest)s.")


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """From the first of January two years ago to today: three calendar years, enough for growth on a year."""
    today = today or timezone.localdate()
    return datetime.date(today.year - 2, 1, 1), today


class StatisticsFilterSet(FilterSet):
    """Period, S&T field, province, organisation type and department (``?department=``, as the staff queues)."""

    date_from = django_filters.DateFilter(
        label=_("From"),
        help_text="First day of the period (default: 1 January two years ago). Days from 2000 to 2099; a period "
        "longer than ten years, or one that ends before it starts, is a 400.",
    )
    date_to = django_filters.DateFilter(
        label=_("To"),
        help_text="Last day of the period (default: today). Days from 2000 to 2099; a period that ends before it "
        "starts is a 400.",
    )
    field = django_filters.CharFilter(
        label=_("S&T field"), max_length=8, help_text="An S&T field code or its prefix (the listing's fields)."
    )
    province = django_filters.CharFilter(
        label=_("Province"), max_length=4, help_text="A 2025 province code (the listing's place)."
    )
    organization_type = django_filters.ChoiceFilter(
        label=_("Organisation type"),
        choices=OrganizationType.choices,
        empty_label=_("All types"),
        help_text="The type of the listing's owner.",
    )
    department = django_filters.CharFilter(
        label=_("Department"),
        max_length=64,
        help_text="Staff: empty for yours (the region for the lead), `all` (lead) or a department's code.",
    )

    class Meta:
        # Each indicator filters its own rows through ``Criteria``; the model only gives django-filter a queryset.
        model = Listing
        fields: list[str] = []

    def __init__(self, data=None, *args, **kwargs) -> None:
        super().__init__(data, *args, **kwargs)
        form_clean = self.form.clean

        def clean() -> dict:
            cleaned: dict = form_clean() or {}
            start, end = cleaned.get("date_from"), cleaned.get("date_to")
            default_start, default_end = default_period()
            start_or_default, end_or_default = start or default_start, end or default_end
            out_of_range = [
                name
                for name, day in (("date_from", start), ("date_to", end))
                if day and not EARLIEST_DATE <= day <= LATEST_DATE
            ]
            for name in out_of_range:
                self.form.add_error(
                    name, str(DATE_OUT_OF_RANGE) % {"earliest": EARLIEST_DATE.year, "latest": LATEST_DATE.year}
                )
            if out_of_range:
                return cleaned
            if start_or_default > end_or_default:
                self.form.add_error("date_to" if end else "date_from", PERIOD_REVERSED)
            elif (end_or_default - start_or_default).days > MAX_YEARS * 366:
                self.form.add_error("date_from", str(PERIOD_TOO_LONG) % {"years": MAX_YEARS})
            return cleaned

        self.form.clean = clean  # type: ignore[method-assign]


@dataclass(frozen=True)
class Criteria:
    """The valid filters, resolved: the period (inclusive dates), the listing's field, place and owner's type,
    and the department (None: the whole region)."""

    date_from: datetime.date
    date_to: datetime.date
    field_code: str = ""
    province_code: str = ""
    organization_type: str = ""
    department: Department | None = None
    region_label: str = field(default="", compare=False)

    def _listing_q(self, prefix: str) -> Q:
        q = Q()
        if self.field_code:
            # A subquery, not a join: a listing in two sub-fields of the field counts once.
            in_field = Listing.fields.through.objects.filter(stfield__code__startswith=self.field_code)
            q &= Q(**{f"{prefix}id__in": in_field.values("listing_id")})
        if self.province_code:
            q &= Q(**{f"{prefix}province_id": self.province_code})
        if self.organization_type:
            q &= Q(**{f"{prefix}organization__type": self.organization_type})
        return q

    def listings(self, queryset: QuerySet[Listing]) -> QuerySet[Listing]:
        """Listings passing every filter but the period (each indicator dates its own rows)."""
        queryset = queryset.filter(self._listing_q(""))
        return in_queue(queryset=queryset, department=self.department) if self.department else queryset

    def deals(self, queryset: QuerySet[Deal]) -> QuerySet[Deal]:
        """Deals whose listing passes the filters, in the department's queue (a deal follows its listing's)."""
        queryset = queryset.filter(self._listing_q("listing__"))
        return in_queue(queryset=queryset, department=self.department) if self.department else queryset

    def events(self, queryset: QuerySet[Event]) -> QuerySet[Event]:
        """Events of the field and province (the event's own place), in the department's queue. An event has no
        owner's type: the organisation-type filter does not apply to it."""
        if self.field_code:
            in_field = Event.fields.through.objects.filter(stfield__code__startswith=self.field_code)
            queryset = queryset.filter(id__in=in_field.values("event_id"))
        if self.province_code:
            queryset = queryset.filter(province_id=self.province_code)
        return in_queue(queryset=queryset, department=self.department) if self.department else queryset

    def service_requests(self, queryset: QuerySet[ServiceRequest]) -> QuerySet[ServiceRequest]:
        """Service requests of the client's province (a guest's stated one) and type, in the department's queue; a
        guest's request counts once its address is confirmed. The S&T field filter does not apply to them."""
        queryset = queryset.filter(Q(guest_email="") | Q(guest_email_verified_at__isnull=False))
        if self.province_code:
            queryset = queryset.filter(
                Q(client_organization__province_id=self.province_code) | Q(guest_province_id=self.province_code)
            )
        if self.organization_type:
            queryset = queryset.filter(client_organization__type=self.organization_type)
        return in_queue(queryset=queryset, department=self.department) if self.department else queryset

    def starts(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.date_from, datetime.time.min))

    def ends(self) -> datetime.datetime:
        """The first moment after the period (its last day is included)."""
        day = self.date_to + datetime.timedelta(days=1)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

    def query(self) -> dict[str, str]:
        """The criteria as query parameters (for CSV links and the API)."""
        values = {
            "date_from": self.date_from.isoformat(),
            "date_to": self.date_to.isoformat(),
            "field": self.field_code,
            "province": self.province_code,
            "organization_type": self.organization_type,
            "department": self.department.code if self.department else "",
        }
        return {key: value for key, value in values.items() if value}
