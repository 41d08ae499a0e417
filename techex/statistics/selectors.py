"""The indicators' figures: reads only, over the listings, deals, contracts and search demand below.

Each indicator is one function taking the resolved ``Criteria`` and answering a ``Table``; ``indicators.py`` names
them with their definitions (the one place the definitions are written). The period applies to each indicator's
own date, stated in its definition.
"""

from __future__ import annotations

import datetime
import statistics as pystats
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Substr, TruncQuarter, TruncYear
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techex.deals.choices import ContractForm, CrossBorder, DealStage
from techex.deals.models import Deal
from techex.deals.states import FUNNEL
from techex.departments.forms import ALL_QUEUES
from techex.departments.scope import staff_scope
from techex.departments.selectors import department_list_public
from techex.events.choices import EventStatus, MeetingStatus, RegistrationStatus
from techex.events.models import Event, Meeting, MeetingRequest, Registration
from techex.listings.choices import IPType, ListingKind, ListingStatus, TransferForm
from techex.listings.models import Listing
from techex.organizations.choices import OrganizationType, VerificationStatus
from techex.organizations.models import Organization
from techex.reference.models import TRL, Province, STField
from techex.search.models import SearchQueryDay
from techex.services.models import ServiceRequest

from . import targets
from .choices import OpenDataFormat
from .filtersets import Criteria, StatisticsFilterSet, default_period
from .types import SUPPRESSED, Column, Table

if TYPE_CHECKING:
    from techex.accounts.models import User

    from .models import OpenDataFile

# Public figures: a cell standing for fewer contracts than this is withheld, so no figure reveals one contract's
# value or its parties (docs/statistics.md).
SMALL_CELL = 3
TOP_QUERIES = 20
# A contract's technology is of domestic origin when it does not come from abroad.
DOMESTIC_ORIGIN = (CrossBorder.DOMESTIC, CrossBorder.OUT_OF_VIETNAM)
RESEARCH_TYPES = (OrganizationType.UNIVERSITY, OrganizationType.INSTITUTE)
# A listing that leaves the public view this way has no date of leaving: it is not counted live at any month's end.
_LEFT = (ListingStatus.WITHDRAWN, ListingStatus.ARCHIVED)
NOT_GIVEN = _("Not given")


# --- criteria -------------------------------------------------------------------------------------------------------


def _criteria(values: dict[str, Any], department: Any) -> Criteria:
    start, end = default_period()
    return Criteria(
        date_from=values.get("date_from") or start,
        date_to=values.get("date_to") or end,
        field_code=values.get("field", ""),
        province_code=values.get("province", ""),
        organization_type=values.get("organization_type", ""),
        department=department,
    )


def statistics_criteria(*, user: User | Any, filters: StatisticsFilterSet) -> Criteria:
    """The filters resolved for a staff member: the lead reads the region (empty or ``all``) or any active
    department; a partner's staff read their own department only, and another's is 404 (as the selectors answer
    a forbidden object). Invalid values are left out (the page shows their errors; the API answers 400 first)."""
    scope = staff_scope(user)
    if not scope.is_staff:
        raise Http404
    values = filters.values()
    code = values.get("department", "")
    if scope.is_lead:
        department = None
        if code and code != ALL_QUEUES:
            department = department_list_public().filter(code=code).first()
            if department is None:
                raise Http404
    else:
        department = scope.department
        if department is None or not scope.province_codes or (code and code != department.code):
            raise Http404
    return _criteria(values, department)


def public_criteria(*, filters: StatisticsFilterSet) -> Criteria:
    """The filters of the public figures: the whole region, never a department's queue."""
    values = {key: value for key, value in filters.values().items() if key != "department"}
    return _criteria(values, None)


# --- periods ----------------------------------------------------------------------------------------------------------


def _months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months, day = [], start.replace(day=1)
    while day <= end:
        months.append(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return months


def _quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _quarters(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    quarters, day = [], _quarter_start(start)
    while day <= end:
        quarters.append(day)
        day = (day + datetime.timedelta(days=95)).replace(day=1)
        day = _quarter_start(day)
    return quarters


def _month_label(day: datetime.date) -> str:
    return f"{day.year}-{day.month:02d}"


def _quarter_label(day: datetime.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _as_date(value: datetime.date | datetime.datetime | None) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    return value


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _month_edges(criteria: Criteria, months: list[datetime.date]) -> list[datetime.datetime]:
    """The period's start, then each month's end (the period's end for the last): month i is [edge i, edge i+1)."""
    end = criteria.ends()
    return [criteria.starts()] + [min(_aware((m + datetime.timedelta(days=32)).replace(day=1)), end) for m in months]


def _quarter_edges(criteria: Criteria, quarters: list[datetime.date]) -> list[datetime.datetime]:
    end = criteria.ends()
    following = [(q + datetime.timedelta(days=95)).replace(day=1) for q in quarters]
    return [criteria.starts()] + [min(_aware(_quarter_start(day)), end) for day in following]


def _bucketed(qs: QuerySet, date_field: str, edges: list[datetime.datetime]) -> dict[int, int]:
    return {bucket: row["n"] for bucket, row in _bucketed_rows(qs, date_field, edges, n=Count("id")).items()}


def _bucketed_rows(qs: QuerySet, date_field: str, edges: list[datetime.datetime], **aggregates: Any) -> dict[int, Any]:
    """How many rows fall in each interval between ``edges`` (-1: before the first), in one grouped query.

    Compared with the edges in the database's own terms (a CASE), not truncated to a month there: on SQLite a
    time-zone truncation runs as a Python function per row, which a dashboard over 100,000 listings cannot afford.
    """
    whens = [When(**{f"{date_field}__lt": edges[0]}, then=Value(-1))]
    whens += [When(**{f"{date_field}__lt": edge}, then=Value(i)) for i, edge in enumerate(edges[1:])]
    bucket = Case(*whens, default=Value(None), output_field=IntegerField())
    rows = qs.filter(**{f"{date_field}__isnull": False}).annotate(bucket=bucket).values("bucket").annotate(**aggregates)
    return {row["bucket"]: row for row in rows if row["bucket"] is not None}


def _share(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001")) if whole else None


# --- listings ---------------------------------------------------------------------------------------------------------


def listings_by_month(*, criteria: Criteria) -> Table:
    """Listings published, renewed and expired in each month of the period, and live at its end."""
    listings = criteria.listings(Listing.objects.order_by())
    months = _months(criteria.date_from, criteria.date_to)
    edges = _month_edges(criteria, months)
    # Live at a moment E: published before E, not expired by then (``valid_until`` none or from E on), not withdrawn
    # or archived. Counted as those published before E less those whose ``valid_until`` fell before E; a listing
    # whose ``valid_until`` precedes its publication is never live and left out of both. Three grouped queries.
    may_live = (
        Q(published_at__lt=edges[-1])
        & ~Q(status__in=_LEFT)
        & (Q(valid_until__isnull=True) | Q(valid_until__gte=F("published_at")))
    )
    by_start = _bucketed_rows(listings, "published_at", edges, n=Count("id"), opened=Count("id", filter=may_live))
    renewed = _bucketed(listings, "renewed_at", edges)
    by_end = _bucketed_rows(
        listings,
        "valid_until",
        edges,
        expired=Count("id", filter=Q(status=ListingStatus.EXPIRED)),
        closed=Count("id", filter=may_live & Q(published_at__isnull=False)),
    )
    live_at, live = [], 0
    for bucket in range(-1, len(months)):
        live += by_start.get(bucket, {}).get("opened", 0) - by_end.get(bucket, {}).get("closed", 0)
        if bucket >= 0:
            live_at.append(live)
    published = {bucket: row["n"] for bucket, row in by_start.items()}
    expired = {bucket: row["expired"] for bucket, row in by_end.items()}
    return Table(
        columns=[
            Column("month", _("Month"), "text"),
            Column("published", _("Published")),
            Column("renewed", _("Renewed")),
            Column("expired", _("Expired")),
            Column("live", _("Live at the month's end")),
        ],
        rows=[
            [_month_label(m), published.get(i, 0), renewed.get(i, 0), expired.get(i, 0), live_at[i]]
            for i, m in enumerate(months)
        ],
        chart=("published", "live"),
    )


def _breakdown_listings(criteria: Criteria, *, live: bool) -> QuerySet[Listing]:
    if live:
        return criteria.listings(Listing.objects.live().order_by())
    return criteria.listings(
        Listing.objects.order_by().filter(published_at__gte=criteria.starts(), published_at__lt=criteria.ends())
    )


_KIND_COLUMNS = [Column("offers", _("Offers")), Column("needs", _("Needs")), Column("total", _("Total"))]


def _kind_table(label: Any, counted: Iterable[tuple[Any, str, int]], labels: list[tuple[Any, Any]]) -> Table:
    """Rows by a dimension's value (in ``labels``' order, then any value not in them), offers and needs apart."""
    by_value: dict[Any, dict[str, int]] = defaultdict(lambda: {ListingKind.OFFER: 0, ListingKind.NEED: 0})
    for value, kind, n in counted:
        by_value[value][kind] += n
    order = [value for value, _label in labels]
    names = dict(labels)
    order += [value for value in by_value if value not in names]
    rows = []
    for value in order:
        if value not in by_value:
            continue
        counts = by_value[value]
        offers, needs = counts[ListingKind.OFFER], counts[ListingKind.NEED]
        rows.append([str(names.get(value, NOT_GIVEN if value in (None, "") else value)), offers, needs, offers + needs])
    return Table(columns=[Column("label", label, "text"), *_KIND_COLUMNS], rows=rows, chart=("offers", "needs"))


def listings_by_field(*, criteria: Criteria, live: bool = False) -> Table:
    """Listings by top-level S&T field (a listing in two fields counts in each)."""
    listings = _breakdown_listings(criteria, live=live)
    rows = (
        Listing.fields.through.objects.filter(listing_id__in=listings.values("id"))
        .annotate(top=Substr("stfield_id", 1, 1))  # type: ignore[misc]  # the stubs do not see an annotation here
        .values("top", "listing__kind")
        .annotate(n=Count("listing_id", distinct=True))
        .order_by()
    )
    labels = [(f.code, f.label) for f in STField.objects.filter(level=1).order_by("code")]
    return _kind_table(_("S&T field"), ((r["top"], r["listing__kind"], r["n"]) for r in rows), labels)


def listings_by_province(*, criteria: Criteria, live: bool = False) -> Table:
    """Listings by the province of their place (2025 units)."""
    listings = _breakdown_listings(criteria, live=live)
    rows = listings.values("province_id", "kind").annotate(n=Count("id"))
    used = {r["province_id"] for r in rows}
    labels = [(p.code, p.name) for p in Province.objects.filter(code__in=used).order_by("name")]
    return _kind_table(_("Province"), ((r["province_id"], r["kind"], r["n"]) for r in rows), labels)


def listings_by_organization_type(*, criteria: Criteria) -> Table:
    listings = _breakdown_listings(criteria, live=False)
    rows = listings.values("organization__type", "kind").annotate(n=Count("id"))
    return _kind_table(
        _("Organisation type"),
        ((r["organization__type"], r["kind"], r["n"]) for r in rows),
        list(OrganizationType.choices),
    )


def listings_by_trl(*, criteria: Criteria) -> Table:
    listings = _breakdown_listings(criteria, live=False)
    rows = listings.values("trl", "kind").annotate(n=Count("id"))
    labels = [(t.level, f"TRL {t.level}") for t in TRL.objects.order_by("level")]
    return _kind_table(_("TRL"), ((r["trl"], r["kind"], r["n"]) for r in rows), labels)


def listings_by_transfer_form(*, criteria: Criteria) -> Table:
    listings = _breakdown_listings(criteria, live=False)
    counts = listings.aggregate(
        **{
            f"{form}__{kind}": Count("id", filter=Q(kind=kind, transfer_forms__icontains=f'"{form}"'))
            for form in TransferForm.values
            for kind in ListingKind.values
        }
    )
    counted = [
        (form, kind, counts[f"{form}__{kind}"] or 0) for form in TransferForm.values for kind in ListingKind.values
    ]
    table = _kind_table(_("Transfer form"), counted, list(TransferForm.choices))
    table.rows = [row for row in table.rows if row[-1]]
    return table


def needs_answered(*, criteria: Criteria) -> Table:
    """Needs published in each quarter, those with an inquiry and those answered (an inquiry accepted)."""
    deals = Deal.objects.filter(listing=OuterRef("pk"))
    needs = (
        _breakdown_listings(criteria, live=False)
        .filter(kind=ListingKind.NEED)
        .annotate(inquired=Exists(deals), answered=Exists(deals.filter(reached_accepted_at__isnull=False)))
    )
    quarters = _quarters(criteria.date_from, criteria.date_to)
    by_quarter = _bucketed_rows(
        needs,
        "published_at",
        _quarter_edges(criteria, quarters),
        n=Count("id"),
        with_inquiry=Count("id", filter=Q(inquired=True)),
        with_answer=Count("id", filter=Q(answered=True)),
    )
    rows = []
    for i, quarter in enumerate(quarters):
        row = by_quarter.get(i, {"n": 0, "with_inquiry": 0, "with_answer": 0})
        rows.append(
            [
                _quarter_label(quarter),
                row["n"],
                row["with_inquiry"],
                row["with_answer"],
                _share(row["with_answer"], row["n"]),
            ]
        )
    return Table(
        columns=[
            Column("quarter", _("Quarter"), "text"),
            Column("needs", _("Needs published")),
            Column("inquired", _("With an inquiry")),
            Column("answered", _("Answered")),
            Column("share", _("Share answered"), "share"),
        ],
        rows=rows,
        chart=("needs", "answered"),
    )


# --- deals ------------------------------------------------------------------------------------------------------------


def deal_funnel(*, criteria: Criteria) -> Table:
    """Deals started in the period by the furthest stage reached, the conversion from the stage before and the
    median days between the two."""
    deals = criteria.deals(Deal.objects.order_by()).filter(
        created_at__gte=criteria.starts(), created_at__lt=criteria.ends()
    )
    fields = [field for _stage, field in FUNNEL]
    moments = list(deals.values_list(*fields))
    rows = []
    for i, (stage, _field) in enumerate(FUNNEL):
        reached = [m for m in moments if m[i] is not None]
        if i == 0:
            rows.append([_stage_label(stage), len(reached), None, None])
            continue
        before = sum(1 for m in moments if m[i - 1] is not None)
        days = [(m[i] - m[i - 1]).total_seconds() / 86400 for m in reached if m[i - 1] is not None]
        median = Decimal(str(round(pystats.median(days), 1))) if days else None
        rows.append([_stage_label(stage), len(reached), _share(len(reached), before), median])
    return Table(
        columns=[
            Column("stage", _("Stage reached"), "text"),
            Column("deals", _("Deals")),
            Column("conversion", _("From the stage before"), "share"),
            Column("median_days", _("Median days from the stage before"), "days"),
        ],
        rows=rows,
        chart=("deals",),
    )


def _stage_label(stage: str) -> str:
    return str(DealStage(stage).label)


def _contracts(criteria: Criteria, start: datetime.date, end: datetime.date) -> QuerySet[Deal]:
    return criteria.deals(Deal.objects.order_by()).filter(
        contract__isnull=False, contract__signed_on__gte=start, contract__signed_on__lte=end
    )


def _contracts_per_quarter(criteria: Criteria, start: datetime.date) -> dict[datetime.date | None, Any]:
    rows = (
        _contracts(criteria, start, criteria.date_to)
        .annotate(quarter=TruncQuarter("contract__signed_on"))
        .values("quarter")
        .annotate(n=Count("id"), value=Sum("contract__value_vnd"))
    )
    return {_as_date(row["quarter"]): row for row in rows}


def contracts_by_quarter(*, criteria: Criteria) -> Table:
    """Contracts signed in each quarter, their value, its growth on the same quarter a year before and the
    Decision 1158 growth target for that year."""
    first = _quarter_start(criteria.date_from)
    per_quarter = _contracts_per_quarter(criteria, first.replace(year=first.year - 1))
    empty = {"n": 0, "value": None}
    rows = []
    for quarter in _quarters(criteria.date_from, criteria.date_to):
        row = per_quarter.get(quarter, empty)
        before = per_quarter.get(quarter.replace(year=quarter.year - 1), empty)
        value, previous = row["value"] or 0, before["value"] or 0
        growth = (Decimal(value - previous) / Decimal(previous)).quantize(Decimal("0.0001")) if previous else None
        target = targets.target_for(targets.VALUE_GROWTH, quarter.year)
        rows.append([_quarter_label(quarter), row["n"], value, previous, growth, target])
    return Table(
        columns=[
            Column("quarter", _("Quarter"), "text"),
            Column("contracts", _("Contracts")),
            Column("value", _("Value"), "vnd"),
            Column("value_year_before", _("Value a year before"), "vnd"),
            Column("growth", _("Growth on a year before"), "share"),
            Column("target", _("Decision 1158 target"), "share"),
        ],
        rows=rows,
        chart=("value",),
        notes=[_("Contracts recorded without a value count as contracts and add nothing to the value.")],
    )


def _transferor_type_in(types: Iterable[str]) -> Q:
    """The transferor (bên giao) is the owner of an offer and the inquirer about a need."""
    return Q(listing__kind=ListingKind.OFFER, owner_organization__type__in=types) | Q(
        listing__kind=ListingKind.NEED, inquirer_organization__type__in=types
    )


def _by_year(criteria: Criteria, **counts: Any) -> dict[datetime.date | None, Any]:
    rows = (
        _contracts(criteria, criteria.date_from, criteria.date_to)
        .annotate(year=TruncYear("contract__signed_on"))
        .values("year")
        .annotate(**counts)
    )
    return {_as_date(row["year"]): row for row in rows}


def _years(criteria: Criteria) -> list[datetime.date]:
    return [datetime.date(year, 1, 1) for year in range(criteria.date_from.year, criteria.date_to.year + 1)]


def _share_by_year(criteria: Criteria, *, whole: Q | None, part: Q, goal: Any, columns: tuple[Column, Column]) -> Table:
    """By signing year: the contracts counted (``whole``), those of them that qualify (``part``), their share and
    the 1158 target of that year."""
    per_year = _by_year(criteria, n=Count("id", filter=whole), part=Count("id", filter=part))
    rows = []
    for year in _years(criteria):
        row = per_year.get(year, {"n": 0, "part": 0})
        target = targets.target_for(goal, year.year)
        rows.append([str(year.year), row["n"], row["part"], _share(row["part"], row["n"]), target])
    return Table(
        columns=[
            Column("year", _("Year"), "text"),
            *columns,
            Column("share", _("Share"), "share"),
            Column("target", _("Decision 1158 target"), "share"),
        ],
        rows=rows,
        chart=("share", "target"),
    )


def ip_share(*, criteria: Criteria) -> Table:
    """The share of contracts that transfer intellectual property, by year, against the 1158 target."""
    is_ip = Q(contract__contract_form=ContractForm.IP_TRANSFER) | ~Q(listing__ip_type=IPType.NONE)
    columns = (Column("contracts", _("Contracts")), Column("ip", _("With intellectual property")))
    return _share_by_year(criteria, whole=None, part=is_ip, goal=targets.IP_SHARE, columns=columns)


def institutes_share(*, criteria: Criteria) -> Table:
    """The share of domestic-origin contracts whose technology comes from a university or institute, by year."""
    domestic = Q(contract__cross_border__in=DOMESTIC_ORIGIN)
    research = domestic & _transferor_type_in(RESEARCH_TYPES)
    columns = (
        Column("domestic", _("Domestic-origin contracts")),
        Column("research", _("From institutes and universities")),
    )
    return _share_by_year(criteria, whole=domestic, part=research, goal=targets.INSTITUTES_SHARE, columns=columns)


# --- search demand ----------------------------------------------------------------------------------------------------


def _queries(criteria: Criteria) -> QuerySet[Any, Any]:
    return (
        SearchQueryDay.objects.filter(day__gte=criteria.date_from, day__lte=criteria.date_to)
        .values("query")
        .annotate(searches=Sum("searches"), empty=Sum("empty"))
    )


def search_top_queries(*, criteria: Criteria) -> Table:
    rows = _queries(criteria).order_by("-searches", "query")[:TOP_QUERIES]
    return Table(
        columns=[
            Column("query", _("Query"), "text"),
            Column("searches", _("Searches")),
            Column("empty", _("Found nothing")),
        ],
        rows=[[r["query"], r["searches"], r["empty"]] for r in rows],
        chart=("searches",),
    )


def search_empty_queries(*, criteria: Criteria) -> Table:
    rows = _queries(criteria).filter(empty__gt=0).order_by("-empty", "query")[:TOP_QUERIES]
    return Table(
        columns=[Column("query", _("Query"), "text"), Column("empty", _("Searches that found nothing"))],
        rows=[[r["query"], r["empty"]] for r in rows],
        chart=("empty",),
    )


# --- public figures ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LiveCounts:
    """Live listings counted by kind and by province (province code → count), from one query."""

    by_kind: dict[str, int]
    by_province: dict[str, int]


def live_listing_counts() -> LiveCounts:
    """Live listings by kind and by province in one query: the home page's numbers and its region block read it."""
    by_kind: Counter[str] = Counter()
    by_province: Counter[str] = Counter()
    for row in Listing.objects.live().order_by().values("kind", "province_id").annotate(n=Count("id")):
        by_kind[row["kind"]] += row["n"]
        if row["province_id"]:
            by_province[row["province_id"]] += row["n"]
    return LiveCounts(by_kind=dict(by_kind), by_province=dict(by_province))


def headline_numbers(*, live: LiveCounts | None = None) -> dict[str, int]:
    """The exchange's numbers on the home page: live offers and needs, verified organisations."""
    counts = (live or live_listing_counts()).by_kind
    return {
        "offers": counts.get(ListingKind.OFFER, 0),
        "needs": counts.get(ListingKind.NEED, 0),
        "organizations": Organization.objects.filter(verification_status=VerificationStatus.VERIFIED).count(),
    }


def deals_started_by_quarter(*, criteria: Criteria) -> Table:
    quarters = _quarters(criteria.date_from, criteria.date_to)
    deals = criteria.deals(Deal.objects.order_by())
    by_quarter = _bucketed(deals, "created_at", _quarter_edges(criteria, quarters))
    return Table(
        columns=[Column("quarter", _("Quarter"), "text"), Column("deals", _("Deals started"))],
        rows=[[_quarter_label(q), by_quarter.get(i, 0)] for i, q in enumerate(quarters)],
        chart=("deals",),
    )


def events_by_quarter(*, criteria: Criteria) -> Table:
    """Published events by the quarter they start in, their confirmed registrations and their B2B meetings."""
    quarters = _quarters(criteria.date_from, criteria.date_to)
    edges = _quarter_edges(criteria, quarters)
    events = criteria.events(Event.objects.order_by().filter(status=EventStatus.PUBLISHED))
    held = _bucketed(events, "starts_at", edges)
    registered = _bucketed(
        Registration.objects.order_by().filter(event__in=events, status=RegistrationStatus.CONFIRMED),
        "event__starts_at",
        edges,
    )
    requested = _bucketed(MeetingRequest.objects.order_by().filter(event__in=events), "event__starts_at", edges)
    meetings = _bucketed_rows(
        Meeting.objects.order_by().filter(event__in=events),
        "event__starts_at",
        edges,
        scheduled=Count("id", filter=Q(published=True)),
        met=Count("id", filter=Q(status=MeetingStatus.HELD)),
    )
    empty = {"scheduled": 0, "met": 0}
    return Table(
        columns=[
            Column("quarter", _("Quarter"), "text"),
            Column("events", _("Events")),
            Column("registrations", _("Confirmed registrations")),
            Column("meeting_requests", _("B2B meeting requests")),
            Column("meetings_scheduled", _("B2B meetings on agendas")),
            Column("meetings_held", _("B2B meetings held")),
        ],
        rows=[
            [
                _quarter_label(q),
                held.get(i, 0),
                registered.get(i, 0),
                requested.get(i, 0),
                meetings.get(i, empty)["scheduled"],
                meetings.get(i, empty)["met"],
            ]
            for i, q in enumerate(quarters)
        ],
        chart=("events", "meetings_held"),
    )


def services_by_quarter(*, criteria: Criteria) -> Table:
    """Service requests submitted, with a quote accepted, and delivered, each by the quarter of that step."""
    quarters = _quarters(criteria.date_from, criteria.date_to)
    edges = _quarter_edges(criteria, quarters)
    requests = criteria.service_requests(ServiceRequest.objects.order_by())
    steps = {
        key: _bucketed(requests, date_field, edges)
        for key, date_field in (("submitted", "created_at"), ("accepted", "accepted_at"), ("delivered", "delivered_at"))
    }
    return Table(
        columns=[
            Column("quarter", _("Quarter"), "text"),
            Column("submitted", _("Service requests")),
            Column("accepted", _("Quotes accepted")),
            Column("delivered", _("Services delivered")),
        ],
        rows=[[_quarter_label(q), *(steps[key].get(i, 0) for key in steps)] for i, q in enumerate(quarters)],
        chart=("submitted", "delivered"),
    )


def public_contracts_by_quarter(*, criteria: Criteria) -> Table:
    """Contracts recorded by quarter and their value, with small cells withheld, and the total."""
    per_quarter = _contracts_per_quarter(criteria, _quarter_start(criteria.date_from))
    quarters = _quarters(criteria.date_from, criteria.date_to)
    cells = [(q, per_quarter.get(q, {"n": 0, "value": None})) for q in quarters]
    small = {q for q, row in cells if 0 < row["n"] < SMALL_CELL}
    if len(small) == 1:
        # One withheld quarter could be worked out from the total: withhold the next smallest too.
        others = sorted((row["n"], q) for q, row in cells if row["n"] and q not in small)
        if others:
            small.add(others[0][1])
    rows: list[list[Any]] = []
    for quarter, row in cells:
        if quarter in small:
            rows.append([_quarter_label(quarter), SUPPRESSED, SUPPRESSED])
        else:
            rows.append([_quarter_label(quarter), row["n"], row["value"] or 0])
    total_n = sum(row["n"] for _q, row in cells)
    total_value = sum(row["value"] or 0 for _q, row in cells)
    shown = total_n >= SMALL_CELL
    rows.append([str(_("Total")), total_n if shown else SUPPRESSED, total_value if shown else SUPPRESSED])
    notes = []
    if small or not shown:
        notes.append(
            _("Figures standing for fewer than %(n)d contracts are withheld, so that none reveals one contract.")
            % {"n": SMALL_CELL}
        )
    return Table(
        columns=[
            Column("quarter", _("Quarter"), "text"),
            Column("contracts", _("Contracts")),
            Column("value", _("Value"), "vnd"),
        ],
        rows=rows,
        chart=("contracts",),
        notes=notes,
        total_row=True,
    )


# --- reports ----------------------------------------------------------------------------------------------------------


def report_list_for_user(*, user: User | Any) -> QuerySet[Any]:
    """The reports a staff member may read: their department's (a partner), every one (the lead); none otherwise."""
    from .models import StatisticsReport

    return StatisticsReport.objects.in_scope(user).select_related("department", "requested_by")


def report_get_for_user(*, user: User | Any, pk: int) -> Any:
    """One report in the user's scope; 404 alike for a missing one and another department's."""
    report = report_list_for_user(user=user).filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


def open_data_files() -> dict[str, OpenDataFile]:
    """The newest published open-data file of each format (none before the first daily run)."""
    from .models import OpenDataFile

    newest: dict[str, OpenDataFile] = {}
    for file_format in OpenDataFormat.values:
        release = OpenDataFile.objects.filter(format=file_format).first()
        if release is not None:
            newest[file_format] = release
    return newest
