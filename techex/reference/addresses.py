"""One postal address from a street line, a commune or ward and a province, each named once.

People type the ward and the province into the street line as often as not ("… phường Hưng Phú, thành phố Cần
Thơ"), and the organisation's form also asks for them: a naive join wrote them twice ("…, phường Hưng Phú, thành
phố Cần Thơ, Phường Hưng Phú, Cần Thơ"). A unit is added only when no comma-separated part of the street line
already names it, with or without its prefix (phường, P., xã, TP., tỉnh…), accents and letter case ignored.
"""

from typing import Protocol

from techex.core.text import fold

# Folded unit prefixes a part of an address may start with.
_PREFIXES = ("thanh pho", "thi tran", "dac khu", "phuong", "tinh", "xa", "tp", "p", "x", "t")


class _Unit(Protocol):
    name: str
    full_name: str


def _bare(part: str) -> str:
    folded = fold(part)
    for prefix in _PREFIXES:
        if folded.startswith(prefix + " "):
            return folded[len(prefix) + 1 :]
    return folded


def _named_in(parts: set[str], unit: _Unit) -> bool:
    return fold(unit.name) in parts or _bare(unit.full_name) in parts


def full_address(*, street: str, ward: _Unit | None = None, province: _Unit | None = None) -> str:
    """``street, ward, province``, leaving out the ward and the province when ``street`` already names them.

    A ward missing from a street line that ends with the province goes before the province.
    """
    parts = [part.strip() for part in (street or "").split(",") if part.strip()]
    bare = [_bare(part) for part in parts]
    province_at = next((i for i, name in enumerate(bare) if province is not None and _named_in({name}, province)), None)
    if ward is not None and not _named_in(set(bare), ward):
        parts.insert(len(parts) if province_at is None else province_at, ward.full_name)
    if province is not None and province_at is None:
        parts.append(province.full_name)
    return ", ".join(parts)
