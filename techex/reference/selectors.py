from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from .models import Province, STField, Ward, WardSuccession


def ward_list_for_province(*, province_code: str) -> QuerySet[Ward]:
    if not province_code:
        return Ward.objects.none()
    return Ward.objects.filter(province_id=province_code).order_by("name")


def province_list() -> QuerySet[Province]:
    """Provinces with the Mekong Delta first, then alphabetical."""
    return Province.objects.order_by("-is_mekong", "name")


def st_field_choices() -> QuerySet[STField]:
    return STField.objects.order_by("code")


@dataclass(frozen=True)
class OldAddressMapping:
    """Where a pre-2025 address lies now; ``is_partial`` when the old unit was split and the answer is a guess."""

    province: Province | None
    ward: Ward | None
    is_partial: bool
    candidates: tuple[Ward, ...] = ()


def map_old_address(*, old_ward_code: str = "", old_province_code: str = "") -> OldAddressMapping:
    """Map a commune or province code of before 1 July 2025 to the units in force (data/reference/admin).

    An old commune split between several new ones is ``is_partial``: its ward is the new commune of the same name
    when there is one (the seat usually keeps the name), else the first by code, and every candidate is given so
    staff can choose. Without a commune, an old province maps to the new province that took most of its communes
    (partial when its communes went to several, as old An Giang's did).
    """
    if old_ward_code:
        links = list(
            WardSuccession.objects.filter(old_ward_code=old_ward_code)
            .select_related("new_ward__province")
            .order_by("new_ward_id")
        )
        if links:
            candidates = tuple(link.new_ward for link in links)
            same_name = [w for w in candidates if w.full_name.casefold() == links[0].old_ward_name.casefold()]
            ward = (same_name or list(candidates))[0]
            partial = len(candidates) > 1
            return OldAddressMapping(ward.province, ward, partial, candidates if partial else ())
    if old_province_code:
        counts = Counter(
            WardSuccession.objects.filter(old_province_code=old_province_code).values_list(
                "new_ward__province_id", flat=True
            )
        )
        if counts:
            code = counts.most_common(1)[0][0]
            return OldAddressMapping(Province.objects.get(pk=code), None, len(counts) > 1)
    return OldAddressMapping(None, None, False)


def wards_for_old_codes(*, codes: set[str]) -> dict[str, Ward]:
    """The new commune of each old commune code that maps to exactly one (for importers; split ones are left out,
    so the import reports them for a person to choose)."""
    if not codes:
        return {}
    links = WardSuccession.objects.filter(old_ward_code__in=codes, is_partial=False).select_related("new_ward")
    return {link.old_ward_code: link.new_ward for link in links}


@dataclass(frozen=True)
class SplitUnit:
    """A pre-2025 unit whose territory went to several units in force: staff choose (``partial`` links)."""

    old_code: str
    old_name: str
    candidates: tuple[Any, ...]  # the provinces or the communes in force


def old_provinces() -> tuple[dict[str, Province], dict[str, SplitUnit]]:
    """Each pre-2025 province code: the province in force when all its communes went to one, else (old An Giang,
    89) a ``SplitUnit`` with every province that took some (two queries)."""
    targets: dict[str, tuple[str, set[str]]] = {}
    rows = WardSuccession.objects.values_list("old_province_code", "old_province_name", "new_ward__province_id")
    for old, name, new in rows.distinct():
        targets.setdefault(old, (name, set()))[1].add(new)
    provinces = Province.objects.in_bulk()
    single = {old: provinces[next(iter(new))] for old, (_name, new) in targets.items() if len(new) == 1}
    split = {
        old: SplitUnit(old, name, tuple(provinces[code] for code in sorted(new)))
        for old, (name, new) in targets.items()
        if len(new) > 1
    }
    return single, split


def provinces_for_old_codes() -> dict[str, Province]:
    """The new province of each old province code whose communes all went to one province."""
    return old_provinces()[0]


def split_old_wards(*, codes: set[str]) -> dict[str, SplitUnit]:
    """Of ``codes``, the old communes split between several new ones, each with its candidates (one query)."""
    if not codes:
        return {}
    found: dict[str, tuple[str, list[Ward]]] = {}
    links = (
        WardSuccession.objects.filter(old_ward_code__in=codes, is_partial=True)
        .select_related("new_ward")
        .order_by("old_ward_code", "new_ward_id")
    )
    for link in links:
        found.setdefault(link.old_ward_code, (link.old_ward_name, []))[1].append(link.new_ward)
    return {code: SplitUnit(code, name, tuple(wards)) for code, (name, wards) in found.items() if len(wards) > 1}
