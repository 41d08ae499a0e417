"""The national targets the department reports against, written once.

Source: Decision 1158/QĐ-TTg of 13 July 2021 approving the National Programme for the development of the science
and technology market to 2030 (Chương trình phát triển thị trường khoa học và công nghệ quốc gia đến năm 2030),
section II "Objectives". The indicators (``indicators.py``), the dashboard and docs/statistics.md read them here.
"""

from dataclasses import dataclass
from decimal import Decimal

SOURCE = "Decision 1158/QĐ-TTg (13 July 2021), National S&T market development programme to 2030, section II"


@dataclass(frozen=True)
class Target:
    """A share or growth rate (a fraction) the programme asks for, up to and including ``until_year``."""

    key: str
    until_year: int
    value: Decimal


# Transaction value growth a year: 25 % to 2025, 30 % from 2026 to 2030.
VALUE_GROWTH = (Target("value_growth", 2025, Decimal("0.25")), Target("value_growth", 2030, Decimal("0.30")))
# Transactions whose object is intellectual property: more than 15 % (2025) and 20 % (2030).
IP_SHARE = (Target("ip_share", 2025, Decimal("0.15")), Target("ip_share", 2030, Decimal("0.20")))
# Domestic-origin transactions whose technology comes from institutes and universities: more than 35 % and 40 %.
INSTITUTES_SHARE = (
    Target("institutes_share", 2025, Decimal("0.35")),
    Target("institutes_share", 2030, Decimal("0.40")),
)


def target_for(targets: tuple[Target, ...], year: int) -> Decimal | None:
    """The target in force for ``year`` (the first stage not yet over); None after the programme's end."""
    for target in targets:
        if year <= target.until_year:
            return target.value
    return None
