"""Turn the raw cells of an import file into listing data, naming every problem in the user's terms (columns).

Reference codes and organisations are looked up in bulk once per file (``Lookups``), so checking a row costs no
query.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db.models import Field
from django.utils.translation import gettext as _

from techex.core.text import clean_text
from techex.organizations.models import Organization
from techex.reference.models import IPCClass, Province, STField, VSICCode, Ward
from techex.reference.selectors import SplitUnit, old_provinces, split_old_wards, wards_for_old_codes

from .choices import IPStatus, IPType, Language, ListingKind, PriceType, Stage
from .models import Listing
from .tabular import COLUMNS
from .validation import TEXT_FIELDS, normalize_data

CHOICE_COLUMNS = {
    "kind": ListingKind,
    "language": Language,
    "stage": Stage,
    "ip_type": IPType,
    "ip_status": IPStatus,
    "price_type": PriceType,
}
TEXT_COLUMNS = TEXT_FIELDS
# Model field → column, for messages from the shared validation, which speaks of model fields.
FIELD_COLUMNS = {
    "fields": "field_codes",
    "partner_provinces": "partner_province_codes",
    "province": "province_code",
    "ward": "ward_code",
}
TRUE_WORDS = frozenset({"true", "1", "yes", "y", "x", "có", "co", "đúng"})
FALSE_WORDS = frozenset({"false", "0", "no", "n", "không", "khong", "sai"})
_DIGITS = re.compile(r"^\d+$")
_GROUPED = re.compile(r"^\d{1,3}([ .,\u00a0]\d{3})+$")
_IPC = re.compile(r"^[A-H](\d{2}([A-Z](\d{1,4}/\d{1,6})?)?)?$")


class CellError(ValueError):
    """A cell whose value cannot be used; the message is shown to the user as is."""


@dataclass
class ParsedRow:
    """One row as listing data: the model-field dictionary the listing services take, plus its provenance."""

    line: int
    kind: str = ""
    external_ref: str = ""
    source: str = ""
    organization: Organization | None = None
    data: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


@dataclass
class Lookups:
    """Reference rows and organisations, loaded once for the whole file."""

    fields: dict[str, STField]
    provinces: dict[str, Province]
    wards: dict[str, Ward]
    vsic: dict[str, VSICCode]
    ipc: frozenset[str]
    org_by_tax_code: dict[str, Organization]
    orgs_by_name: dict[str, list[Organization]]
    # Pre-2025 codes of units divided between several in force (``partial`` links): reported for staff to choose.
    split_provinces: dict[str, SplitUnit] = field(default_factory=dict)
    split_wards: dict[str, SplitUnit] = field(default_factory=dict)

    @classmethod
    def load(cls, rows: Iterable[dict[str, Any]]) -> "Lookups":
        ward_codes = {_code(row.get("ward_code"), width=5) for row in rows} - {""}
        wards: dict[str, Ward] = {}
        codes = sorted(ward_codes)
        for start in range(0, len(codes), 500):
            wards.update(Ward.objects.in_bulk(codes[start : start + 500]))
        wards.update(wards_for_old_codes(codes=ward_codes - wards.keys()))  # pre-2025 codes (docs/departments.md)
        split_wards = split_old_wards(codes=ward_codes - wards.keys())
        old_single, old_split = old_provinces()
        # Every organisation, because names are matched case-insensitively with Vietnamese letters, which SQLite's
        # lower() does not fold; a few columns each keep this small even for a national exchange.
        orgs = list(Organization.objects.only("id", "name", "tax_code", "slug"))
        by_name: dict[str, list[Organization]] = {}
        for org in orgs:
            by_name.setdefault(_name_key(org.name), []).append(org)
        return cls(
            fields=STField.objects.in_bulk(),
            provinces={**old_single, **Province.objects.in_bulk()},
            wards=wards,
            vsic=VSICCode.objects.in_bulk(),
            ipc=frozenset(IPCClass.objects.values_list("code", flat=True)),
            org_by_tax_code={org.tax_code: org for org in orgs if org.tax_code},
            orgs_by_name=by_name,
            split_provinces=old_split,
            split_wards=split_wards,
        )


def _listing_field(name: str) -> Field:
    return cast(Field, Listing._meta.get_field(name))  # a column of the listing itself, not a relation


def _max_length(name: str) -> int:
    return cast(int, _listing_field(name).max_length)  # asked only of the listing's text columns, which have one


def _has_error(row: ParsedRow, column: str) -> bool:
    return any(error.startswith(f"{column}:") for error in row.errors)


def _name_key(name: str) -> str:
    return " ".join(clean_text(name).casefold().split())


def _number_text(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _code(value: Any, *, width: int = 0) -> str:
    """Read a code that a spreadsheet may have turned into a number (92, 1.0 → "01")."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, int | float):
        text = _number_text(value)
        return text.zfill(width) if width and _DIGITS.match(text) else text
    return str(value).strip()


def external_ref_of(value: Any) -> str:
    """The external reference as the importer stores it, for matching rows to listings before they are parsed."""
    try:
        return parse_text(value, "external_ref")
    except CellError:
        return ""


def parse_text(value: Any, column: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _number_text(value)
    raise CellError(_("%(column)s: Expected text.") % {"column": column})


def parse_choice(value: Any, column: str) -> str:
    text = parse_text(value, column).lower()
    choices = CHOICE_COLUMNS[column]
    if not text:
        return ""
    if text not in choices.values:
        raise CellError(
            _("%(column)s: Unknown value “%(value)s”; use one of %(choices)s.")
            % {"column": column, "value": text, "choices": ", ".join(choices.values)}
        )
    return text


def parse_int(value: Any, column: str, *, low: int = 0, high: int | None = None) -> int | None:
    """Read a whole number; digits grouped by thousands ("1.500.000", "1,500,000") are accepted."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str):
        text = value.strip()
        if _DIGITS.match(text) or _GROUPED.match(text):
            number = int(re.sub(r"\D", "", text))
    if number is None or number < low or (high is not None and number > high):
        if high is not None:
            message = _("%(column)s: “%(value)s” is not a whole number from %(low)d to %(high)d.")
        else:
            message = _("%(column)s: “%(value)s” is not a whole number of at least %(low)d.")
        raise CellError(message % {"column": column, "value": value, "low": low, "high": high or 0})
    return number


def parse_bool(value: Any, column: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if not text:
        return None
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise CellError(_("%(column)s: Write true or false, not “%(value)s”.") % {"column": column, "value": value})


def parse_date(value: Any, column: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a calendar date, no time zone
        except ValueError:
            continue
    raise CellError(_("%(column)s: “%(value)s” is not a date (YYYY-MM-DD).") % {"column": column, "value": value})


def parse_list(value: Any, column: str, *, width: int = 0) -> list[str]:
    """Read a list: a JSON array in JSONL, else items separated by semicolons (commas also work)."""
    if value is None:
        return []
    if isinstance(value, list):
        items = value
    elif isinstance(value, str):
        items = value.replace(",", ";").split(";")
    elif isinstance(value, int | float) and not isinstance(value, bool):
        items = [value]
    else:
        raise CellError(_("%(column)s: Expected a list separated by “;”.") % {"column": column})
    result = []
    for item in items:
        if isinstance(item, dict | list | bool):
            raise CellError(_("%(column)s: Expected a list of codes or words.") % {"column": column})
        text = _code(item, width=width)
        if text:
            result.append(clean_text(text))
    return result


class RowParser:
    """Check one row's cells and build its listing data."""

    def __init__(self, lookups: Lookups) -> None:
        self.lookups = lookups

    def parse(self, line: int, values: dict[str, Any]) -> ParsedRow:
        row = ParsedRow(line=line)
        present = {name for name in COLUMNS if name in values}
        steps = (
            self._identity,
            self._texts,
            self._choices,
            self._classification,
            self._numbers,
            self._places,
            self._flags,
            self._organization,
        )
        for step in steps:
            step(row, values, present)
        if not row.errors:
            row.data = normalize_data(row.data)
        return row

    def _guard(self, row: ParsedRow, function, *args, **kwargs) -> Any:
        try:
            return function(*args, **kwargs)
        except CellError as exc:
            row.errors.append(str(exc))
            return None

    def _identity(self, row: ParsedRow, values: dict[str, Any], present: set[str]) -> None:
        row.kind = self._guard(row, parse_choice, values.get("kind"), "kind") or ""
        if not row.kind and not _has_error(row, "kind"):
            row.errors.append(_("kind: Write “offer” or “need”."))
        row.external_ref = self._guard(row, parse_text, values.get("external_ref"), "external_ref") or ""
        if not row.external_ref and not _has_error(row, "external_ref"):
            row.errors.append(_("external_ref: Give the listing's id in its source system."))
        elif len(row.external_ref) > _max_length("external_ref"):
            row.errors.append(_("external_ref: Keep it under 128 characters."))
        row.source = self._guard(row, parse_text, values.get("source"), "source") or ""
        if len(row.source) > _max_length("source"):
            row.errors.append(_("source: Keep it under 255 characters."))

    def _texts(self, row: ParsedRow, values: dict[str, Any], present: set[str]) -> None:
        for column in TEXT_COLUMNS:
            if column in present or column in ("title", "summary"):
                text = self._guard(row, parse_text, values.get(column), column)
                if text is not None:
                    row.data[column] = text
        if not row.data.get("title") and not _has_error(row, "title"):
            row.errors.append(_("title: Enter a title."))
        if not row.data.get("summary") and not _has_error(row, "summary"):
            row.errors.append(_("summary: Enter a summary."))

    def _choices(self, row: ParsedRow, values: dict[str, Any], present: set[str]) -> None:
        for column in ("language", "stage", "ip_type", "ip_status", "price_type"):
            if column in present:
                value = self._guard(row, parse_choice, values.get(column), column)
                if value is not None:
                    row.data[column] = value or _listing_field(column).get_default()

    def _classification(self, row: ParsedRow, values: dict[str, Any], present: set[str]) -> None:
        lookups = self.lookups
        if "field_codes" in present:
            codes = self._guard(row, parse_list, values.get("field_codes"), "field_codes") or []
            self._unknown(row, "field_codes", [c for c in codes if c not in lookups.fields])
            row.data["fields"] = [lookups.fields[c] for c in dict.fromkeys(codes) if c in lookups.fields]
        if "vsic" in present:
            code = _code(values.get("vsic"), width=2).upper()
            if code and code not in lookups.vsic:
                self._unknown(row, "vsic", [code])
            row.data["vsic"] = lookups.vsic.get(code)
        if "keywords" in present:
            row.data["keywords"] = self._guard(row, parse_list, values.get("keywords"), "keywords") or []
        for column in ("transfer_forms", "partner_types"):
            if column in present:
                row.data[column] = [
                    item.lower() for item in self._guard(row, parse_list, values.get(column), column) or []
                ]
        if "ipc_codes" in present:
            codes = self._guard(row, parse_list, values.get("ipc_codes"), "ipc_codes") or []
            codes = [code.upper().replace(" ", "") for code in codes]
            # A code names a group (A01B 1/00) or a wider class; its subclass (A01B) must be a real one.
            unknown = [code for code in codes if not _IPC.match(code) or code[:4] not in lookups.ipc]
            self._unknown(row, "ipc_codes", unknown)
            row.data["ipc_codes"] = codes

    def _split(self, row: ParsedRow, column: str, unit: SplitUnit) -> None:
        """A pre-2025 unit divided between several in force: flagged for staff, who choose (not guessed)."""
        row.errors.append(
            _(
                "%(column)s: “%(code)s” is %(name)s as it was before 1 July 2025, since divided between "
                "%(candidates)s; give the code of the one where it lies now."
            )
            % {
                "column": column,
                "code": unit.old_code,
                "name": unit.old_name,
                "candidates": ", ".join(f"{new.full_name} ({new.pk})" for new in unit.candidates),
            }
        )

    def _unknown(self, row: ParsedRow, column: str, codes: list[str]) -> None:
        if codes:
            row.errors.append(
                _("%(column)s: Unknown code %(codes)s.")
                % {"column": column, "codes": ", ".join(f"“{code}”" for code in codes)}
            )

    def _numbers(self, row: ParsedRow, values: dict[str, Any], present: set[str]) -> None:
        for column in ("trl", "min_trl"):
            if column in present:
                row.data[column] = self._guard(row, parse_int, values.get(column), column, low=1, high=9)
        for column in ("price_min", "price_max"):
            if column in present:
                row.data[column] = self._guard(row, parse_int, values.get(column), column)
        if "deadline" in present:
            row.data["deadline"] = self._guard(row, parse_date, values.get("deadline"), "deadline")

    def _places(self, row: ParsedRow, values: dict[str, Any], present: set[str]) -> None:
        lookups = self.lookups
        if "province_code" in present:
            code = _code(values.get("province_code"), width=2)
            if code in lookups.split_provinces:
                self._split(row, "province_code", lookups.split_provinces[code])
            elif code and code not in lookups.provinces:
                self._unknown(row, "province_code", [code])
            row.data["province"] = lookups.provinces.get(code)
        if "ward_code" in present:
            code = _code(values.get("ward_code"), width=5)
            ward = lookups.wards.get(code)
            if code in lookups.split_wards:
                self._split(row, "ward_code", lookups.split_wards[code])
            elif code and ward is None:
                self._unknown(row, "ward_code", [code])
            row.data["ward"] = ward
            # A commune alone is enough to place a listing: its province follows from it.
            if ward is not None and row.data.get("province") is None and "province_code" not in present:
                row.data["province"] = lookups.provinces.get(ward.province_id)
        if "partner_province_codes" in present:
            codes = self._guard(
                row, parse_list, values.get("partner_province_codes"), "partner_province_codes", width=2
            )
            codes = codes or []
            self._unknown(row, "partner_province_codes", [c for c in codes if c not in lookups.provinces])
            row.data["partner_provinces"] = [
                lookups.provinces[c] for c in dict.fromkeys(codes) if c in lookups.provinces
            ]

    def _flags(self, row: ParsedRow, values: dict[str, Any], present: set[str]) -> None:
        for column in ("is_anonymous", "open_for_inquiries"):
            if column in present:
                value = self._guard(row, parse_bool, values.get(column), column)
                row.data[column] = _listing_field(column).get_default() if value is None else value

    def _organization(self, row: ParsedRow, values: dict[str, Any], present: set[str]) -> None:
        # Vietnamese tax codes have 10 digits and may start with 0, which a spreadsheet number cell drops.
        tax_code = _code(values.get("organization_tax_code"), width=10)
        name = self._guard(row, parse_text, values.get("organization_name"), "organization_name") or ""
        if tax_code and tax_code in self.lookups.org_by_tax_code:
            row.organization = self.lookups.org_by_tax_code[tax_code]
            return
        if name:
            matches = self.lookups.orgs_by_name.get(_name_key(name), [])
            if len(matches) == 1:
                row.organization = matches[0]
                return
            if len(matches) > 1:
                row.errors.append(
                    _("organization_name: Several organisations are called “%(name)s”; give the tax code.")
                    % {"name": name}
                )
                return
        if tax_code:
            row.errors.append(
                _("organization_tax_code: No organisation on the exchange has the tax code “%(tax_code)s”.")
                % {"tax_code": tax_code}
            )
        if name:
            row.errors.append(
                _("organization_name: No organisation on the exchange is called “%(name)s”.") % {"name": name}
            )
        # Neither given: fine for a row that updates an existing listing, checked by the importer.


def validation_messages(error: ValidationError) -> list[str]:
    """Flatten the shared validation's errors into “column: message” lines."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    return [
        f"{FIELD_COLUMNS.get(name, name)}: {message}"
        for name, messages in error.message_dict.items()
        for message in messages
    ]
