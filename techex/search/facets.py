"""Facet counts of a result set: how many results each value of each filter would leave.

Counts are disjunctive: a facet is counted over the results with every *other* filter applied, so choosing one
kind still shows how many listings of the other kind match. The S&T field facet counts the level below the chosen
field (the six fields, then their sectors, then majors); the TRL facet counts what the TRL filter would return
(offers at or above the level, needs that accept it); anonymous listings are not counted by organisation type.
"""

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Length, Substr
from django.utils.translation import gettext as _

from techex.listings.choices import IPType, ListingKind, TransferForm
from techex.listings.models import Listing
from techex.listings.selectors import ListingFilters, apply_filters
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


def compute_facets(filters: ListingFilters, restrict) -> list[Facet]:
    """Facets of the live listings matching ``filters`` (without words) and ``restrict`` (a queryset filter on
    ids from the words, or None)."""

    def base(**cleared) -> QuerySet[Listing]:
        qs = apply_filters(qs=Listing.objects.live(), filters=replace(filters, q="", **cleared))
        return qs.filter(restrict) if restrict is not None else qs

    facets = []
    kinds = dict(base(kind="").values_list("kind").annotate(n=Count("id")).order_by())
    facets.append(Facet("kind", _("Kind"), _values(kinds, dict(ListingKind.choices), filters.kind, keep_order=True)))

    prefix = filters.field
    level_length = len(prefix) + (1 if not prefix else 2)
    through = Listing.fields.through
    field_rows = (
        # django-stubs does not follow annotate() on an auto-created through model (it would on Listing).
        through.objects.filter(listing__in=base(field="").values("id"))  # type: ignore[misc]  # see the line above
        .filter(stfield__code__startswith=prefix)
        .annotate(length=Length("stfield__code"))
        .filter(length__gte=level_length)
        .annotate(top=Substr("stfield__code", 1, level_length))
        .values("top")
        .annotate(n=Count("listing_id", distinct=True))
        .order_by()
    )
    field_counts = {row["top"]: row["n"] for row in field_rows}
    labels = {f.code: f.label for f in STField.objects.filter(code__in=[*field_counts, prefix])}
    field_values = _values(field_counts, labels, "")
    if prefix:
        count = base().count()
        field_values.insert(0, FacetValue(value=prefix, label=labels.get(prefix, prefix), count=count, selected=True))
    facets.append(Facet("field", _("S&T field"), field_values))

    provinces = dict(
        base(province="").exclude(province=None).values_list("province_id").annotate(n=Count("id")).order_by()
    )
    province_labels = {p.code: p.label for p in Province.objects.filter(code__in=provinces)}
    facets.append(Facet("province", _("Province"), _values(provinces, province_labels, filters.province)))

    trl = base(trl=None).aggregate(
        **{f"t{n}": Count("id", filter=Q(trl__gte=n) | Q(min_trl__lte=n)) for n in range(1, 10)}
    )
    trl_counts = {str(n): trl[f"t{n}"] for n in range(1, 10)}
    trl_labels = {str(n): f"TRL {n}" for n in range(1, 10)}
    facets.append(Facet("trl", _("TRL"), _values(trl_counts, trl_labels, str(filters.trl or ""), keep_order=True)))

    ip = dict(base(ip_type="").exclude(ip_type="").values_list("ip_type").annotate(n=Count("id")).order_by())
    facets.append(Facet("ip_type", _("IP"), _values(ip, dict(IPType.choices), filters.ip_type)))

    forms = base(transfer_form="").aggregate(
        **{value: Count("id", filter=Q(transfer_forms__icontains=f'"{value}"')) for value in TransferForm.values}
    )
    facets.append(
        Facet("transfer_form", _("Transfer form"), _values(forms, dict(TransferForm.choices), filters.transfer_form))
    )

    types = dict(
        base(organization_type="")
        .filter(is_anonymous=False)
        .values_list("organization__type")
        .annotate(n=Count("id"))
        .order_by()
    )
    facets.append(
        Facet(
            "organization_type",
            _("Organisation type"),
            _values(types, dict(OrganizationType.choices), filters.organization_type),
        )
    )
    return facets
