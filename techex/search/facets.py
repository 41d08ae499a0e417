"""Facet counts of a result set: how many results each value of each filter would leave.

Counts are disjunctive: a facet is counted over the results with every *other* filter applied, so choosing one
kind still shows how many listings of the other kind match. The S&T field facet counts the level below the chosen
field (the six fields, then their sectors, then majors); the TRL facet counts what the TRL filter would return
(offers at or above the level, needs that accept it); anonymous listings are not counted by organisation type.
Each result is counted once: the filters of ``ListingFilterSet`` never join a listing to several rows.
"""

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Length, Substr
from django.utils.translation import gettext as _

from techex.listings.choices import IPType, ListingKind, TransferForm
from techex.listings.filtersets import ListingFilterSet
from techex.listings.form_fields import trl_at_least
from techex.listings.models import Listing
from techex.organizations.choices import OrganizationType
from techex.reference.models import Province, STField

from .types import Facet, FacetValue

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # a development requirement: types only


def _values(
    counts: dict[str, int], labels: Mapping[str, "StrOrPromise"], selected: str, *, keep_order: bool = False
) -> list[FacetValue]:
    counts = {str(value): count for value, count in counts.items()}
    if selected and selected not in counts:
        counts[selected] = 0  # a chosen value stays visible (and removable) even when nothing has it
    rows = [
        FacetValue(value, labels.get(value, value), count, value == selected)
        for value, count in counts.items()
        if count or value == selected
    ]
    if not keep_order:
        rows.sort(key=lambda row: (-row.count, row.label))
    return rows


class _Results:
    """The live listings the words (``restrict``) and the filters find, with any one filter left out."""

    def __init__(self, filters: ListingFilterSet, restrict: Q | None):
        self.filters, self.restrict = filters, restrict
        self.selected = filters.values()

    def without(self, name: str = "") -> QuerySet[Listing]:
        qs = self.filters.apply(Listing.objects.live(), without=("q", name))
        return qs.filter(self.restrict) if self.restrict is not None else qs

    def chosen(self, name: str) -> str:
        return str(self.selected.get(name, ""))


def _kind_facet(results: _Results) -> Facet:
    counts = dict(results.without("kind").values_list("kind").annotate(n=Count("id")).order_by())
    values = _values(counts, dict(ListingKind.choices), results.chosen("kind"), keep_order=True)
    return Facet("kind", _("Kind"), values)


def _field_facet(results: _Results) -> Facet:
    prefix = results.chosen("field")
    level_length = len(prefix) + (1 if not prefix else 2)
    rows = (
        # django-stubs does not follow annotate() on an auto-created through model (it would on Listing).
        Listing.fields.through.objects.filter(listing__in=results.without("field").values("id"))  # type: ignore[misc]
        .filter(stfield__code__startswith=prefix)
        .annotate(length=Length("stfield__code"))
        .filter(length__gte=level_length)
        .annotate(top=Substr("stfield__code", 1, level_length))
        .values("top")
        .annotate(n=Count("listing_id", distinct=True))
        .order_by()
    )
    counts = {row["top"]: row["n"] for row in rows}
    labels = {f.code: f.label for f in STField.objects.filter(code__in=[*counts, prefix])}
    values = _values(counts, labels, "")
    if prefix:
        count = results.without().count()
        values.insert(0, FacetValue(value=prefix, label=labels.get(prefix, prefix), count=count, selected=True))
    return Facet("field", _("S&T field"), values)


def _province_facet(results: _Results) -> Facet:
    counts = dict(
        results.without("province").exclude(province=None).values_list("province_id").annotate(n=Count("id")).order_by()
    )
    labels = {p.code: p.label for p in Province.objects.filter(code__in=counts)}
    return Facet("province", _("Province"), _values(counts, labels, results.chosen("province")))


def _trl_facet(results: _Results) -> Facet:
    levels = range(1, 10)
    trl = results.without("trl").aggregate(
        **{f"t{n}": Count("id", filter=Q(trl__gte=n) | Q(min_trl__lte=n)) for n in levels}
    )
    counts = {str(n): trl[f"t{n}"] for n in levels}
    labels = {str(n): trl_at_least(n) for n in levels}
    return Facet("trl", _("TRL"), _values(counts, labels, results.chosen("trl"), keep_order=True))


def _ip_type_facet(results: _Results) -> Facet:
    qs = results.without("ip_type").exclude(ip_type="")
    counts = dict(qs.values_list("ip_type").annotate(n=Count("id")).order_by())
    return Facet("ip_type", _("IP"), _values(counts, dict(IPType.choices), results.chosen("ip_type")))


def _transfer_form_facet(results: _Results) -> Facet:
    counts = results.without("transfer_form").aggregate(
        **{value: Count("id", filter=Q(transfer_forms__icontains=f'"{value}"')) for value in TransferForm.values}
    )
    values = _values(counts, dict(TransferForm.choices), results.chosen("transfer_form"))
    return Facet("transfer_form", _("Transfer form"), values)


def _organization_type_facet(results: _Results) -> Facet:
    counts = dict(
        results.without("organization_type")
        .filter(is_anonymous=False)
        .values_list("organization__type")
        .annotate(n=Count("id"))
        .order_by()
    )
    values = _values(counts, dict(OrganizationType.choices), results.chosen("organization_type"))
    return Facet("organization_type", _("Organisation type"), values)


FACETS = (
    _kind_facet,
    _field_facet,
    _province_facet,
    _trl_facet,
    _ip_type_facet,
    _transfer_form_facet,
    _organization_type_facet,
)


def compute_facets(filters: ListingFilterSet, restrict: Q | None) -> list[Facet]:
    """Facets of the live listings matching ``filters`` (without words) and ``restrict`` (a queryset filter on
    ids from the words, or None), in the order the page shows them."""
    results = _Results(filters, restrict)
    return [facet(results) for facet in FACETS]
