from collections import Counter
from dataclasses import dataclass

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


def provinces_for_old_codes() -> dict[str, Province]:
    """The new province of each old province code whose communes all went to one province."""
    targets: dict[str, set[str]] = {}
    for old, new in WardSuccession.objects.values_list("old_province_code", "new_ward__province_id").distinct():
        targets.setdefault(old, set()).add(new)
    provinces = Province.objects.in_bulk()
    return {old: provinces[next(iter(new))] for old, new in targets.items() if len(new) == 1}
