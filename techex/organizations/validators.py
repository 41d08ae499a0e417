"""Vietnamese tax code (mã số thuế) validation."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

TAX_CODE_RE = re.compile(r"^(\d{10})(?:-(\d{3}))?$")
# Check digit of the 10-digit enterprise/organisation code (Circular 105/2020/TT-BTC, Appendix on structure):
# digits 1-9 weighted 31, 29, 23, 19, 17, 13, 7, 5, 3; the tenth is 10 - (sum mod 11).
WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def tax_code_check_digit(first_nine: str) -> int | None:
    """Return the check digit for nine digits, or None when no digit can satisfy the rule."""
    total = sum(int(d) * w for d, w in zip(first_nine, WEIGHTS, strict=True))
    digit = 10 - (total % 11)
    return digit if 0 <= digit <= 9 else None


def normalize_tax_code(value: str) -> str:
    return re.sub(r"[\s.]", "", value or "")


def validate_tax_code(value: str) -> None:
    """Accept 10 digits, or 10 digits, a hyphen and 3 digits for a branch, with a valid check digit."""
    match = TAX_CODE_RE.match(normalize_tax_code(value))
    if not match:
        raise ValidationError(
            _("A tax code has 10 digits, or 10 digits, a hyphen and 3 digits for a branch (e.g. 1800123456-001)."),
            code="tax_code_format",
        )
    main = match.group(1)
    if tax_code_check_digit(main[:9]) != int(main[9]):
        raise ValidationError(_("This tax code is not valid: its check digit does not match."), code="tax_code_check")
    if match.group(2) == "000":
        raise ValidationError(_("A branch suffix runs from 001 to 999."), code="tax_code_branch")
