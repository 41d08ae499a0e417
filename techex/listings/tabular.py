"""The listing file format shared by import and export: its columns, and reading rows from JSONL, CSV and XLSX.

One listing per line or row, one field per column (docs/import-format.md). Reading yields raw cell values with
their line numbers; turning them into listing data is the importer's job.
"""

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from techex.core.uploads import check_unpacked_size

# The order of the columns in an export and in the documentation.
COLUMNS = (
    "kind",
    "external_ref",
    "title",
    "summary",
    "description",
    "advantages",
    "applications",
    "comparison",
    "problem",
    "technical_requirements",
    "current_conditions",
    "language",
    "field_codes",
    "keywords",
    "ipc_codes",
    "vsic",
    "trl",
    "stage",
    "min_trl",
    "ip_type",
    "ip_status",
    "ip_numbers",
    "ip_territory",
    "transfer_forms",
    "price_type",
    "price_min",
    "price_max",
    "deadline",
    "partner_types",
    "partner_province_codes",
    "province_code",
    "ward_code",
    "deployment_place",
    "open_for_inquiries",
    "organization_tax_code",
    "organization_name",
    "is_anonymous",
    "source",
)
LIST_COLUMNS = frozenset(
    {"field_codes", "keywords", "ipc_codes", "transfer_forms", "partner_types", "partner_province_codes"}
)
# Columns that name a related row by its code, or the listing's identity in its source.
CODE_COLUMNS = frozenset(
    {"external_ref", "vsic", "province_code", "ward_code", "organization_tax_code", "organization_name"}
)
# Columns holding a model field of the same name as is.
PLAIN_COLUMNS = tuple(name for name in COLUMNS if name not in LIST_COLUMNS and name not in CODE_COLUMNS)
FORMATS = ("jsonl", "csv", "xlsx")
LIST_SEPARATOR = "; "
# Spreadsheet programs run a cell that starts with one of these as a formula; a CSV export prefixes such text with
# an apostrophe (OWASP "CSV injection") and the import takes it off again, so the round trip is exact.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class SourceRow:
    """One line of a file: its raw values by column, or why it could not be read."""

    line: int
    values: dict[str, Any]
    error: str = ""


class FileFormatError(Exception):
    """The file as a whole cannot be read (wrong encoding, not a workbook, no header)."""

    def __init__(self, reason: str, line: int = 1) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


def format_of(filename: str) -> str | None:
    """Return ``jsonl``, ``csv`` or ``xlsx`` from a file name, or None for anything else."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return extension if extension in FORMATS else None


def read_rows(content: bytes, fmt: str) -> list[SourceRow]:
    """Read every non-blank row of a file; raise FileFormatError if the file itself is unreadable."""
    readers = {"jsonl": _read_jsonl, "csv": _read_csv, "xlsx": _read_xlsx}
    return list(readers[fmt](content))


def decode_text(content: bytes) -> str:
    """Decode UTF-8 with or without a byte-order mark, naming the line of the first bad byte."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        raise FileFormatError(
            _("The file is not UTF-8 text (first bad byte on line %(line)d). Save it as “CSV UTF-8” or UTF-8.")
            % {"line": line},
            line=line,
        ) from exc


def check_workbook(content: bytes) -> None:
    """Refuse anything that is not an Excel workbook by its content, or that unpacks to too much (the check every
    zip-based upload gets, ``core.uploads.check_unpacked_size``)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            check_unpacked_size(archive, packed_size=len(content))
    except ValidationError as exc:
        raise FileFormatError(exc.messages[0]) from exc
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileFormatError(_("This file is not an Excel workbook (.xlsx); its content was checked.")) from exc
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise FileFormatError(_("This file is not an Excel workbook (.xlsx); its content was checked."))


def _header(cells: list[Any], line: int) -> list[str]:
    names = [str(cell).strip().lower() if cell is not None else "" for cell in cells]
    if not any(names):
        raise FileFormatError(_("The first row must name the columns (kind, external_ref, title …)."), line=line)
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            raise FileFormatError(_("The column “%(name)s” appears twice.") % {"name": name}, line=line)
        seen.add(name)
    return names


def _unknown_columns(names: list[str]) -> list[str]:
    return [name for name in names if name and name not in COLUMNS]


def unknown_columns_error(names: list[str]) -> str:
    return _("Unknown column: %(names)s. The columns are described on the import help page.") % {
        "names": ", ".join(f"“{name}”" for name in names)
    }


def _read_jsonl(content: bytes) -> Iterator[SourceRow]:
    text = decode_text(content)
    # Split on \n only: JSON strings may hold U+2028 and other characters that str.splitlines() breaks on.
    for number, raw in enumerate(text.split("\n"), start=1):
        raw = raw.strip()
        if not raw:
            continue
        try:
            values = json.loads(raw)
        except json.JSONDecodeError as exc:
            yield SourceRow(number, {}, _("This line is not valid JSON (%(error)s).") % {"error": exc.msg})
            continue
        if not isinstance(values, dict):
            yield SourceRow(number, {}, _("Each line must be one JSON object."))
            continue
        values = {str(key).strip().lower(): value for key, value in values.items()}
        unknown = _unknown_columns(list(values))
        yield SourceRow(number, values, unknown_columns_error(unknown) if unknown else "")


def _sniff_delimiter(first_line: str) -> str:
    # Excel in locales whose decimal mark is a comma (Vietnamese among them) saves "CSV" with semicolons.
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", ";", "\t")}
    return max(counts, key=lambda delimiter: counts[delimiter]) if any(counts.values()) else ","


def _read_csv(content: bytes) -> Iterator[SourceRow]:
    text = decode_text(content)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text.split("\n", 1)[0]))
    names: list[str] | None = None
    start = 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            if names is None:
                names = _header(cells, line)
                unknown = _unknown_columns(names)
                if unknown:
                    raise FileFormatError(unknown_columns_error(unknown), line=line)
                continue
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(names) and any(cell.strip() for cell in cells[len(names) :]):
                yield SourceRow(line, {}, _("This line has more cells than the header has columns."))
                continue
            # A short line leaves its last columns empty, as a spreadsheet program means it.
            cells = cells + [""] * (len(names) - len(cells))
            values = {name: _strip_formula_guard(cell) for name, cell in zip(names, cells, strict=False) if name}
            yield SourceRow(line, values)
    except csv.Error as exc:
        raise FileFormatError(
            _("The CSV file is malformed near line %(line)d (%(error)s).") % {"line": start, "error": exc},
            line=start,
        ) from exc
    if names is None:
        raise FileFormatError(_("The file is empty."))


def _strip_formula_guard(cell: str) -> str:
    if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


def _read_xlsx(content: bytes) -> Iterator[SourceRow]:
    from openpyxl import load_workbook

    check_workbook(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (KeyError, InvalidFileException …) for a broken file
        raise FileFormatError(_("This file is not a readable Excel workbook (.xlsx).")) from exc
    try:
        sheet = workbook.worksheets[0]
        names: list[str] | None = None
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            if names is None:
                names = _header(list(cells), number)
                unknown = _unknown_columns(names)
                if unknown:
                    raise FileFormatError(unknown_columns_error(unknown), line=number)
                continue
            if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells):
                continue
            if len(cells) > len(names) and any(cell not in (None, "") for cell in cells[len(names) :]):
                yield SourceRow(number, {}, _("This row has more cells than the header has columns."))
                continue
            cells = (*cells, *([None] * (len(names) - len(cells))))
            yield SourceRow(number, {name: cell for name, cell in zip(names, cells, strict=False) if name})
        if names is None:
            raise FileFormatError(_("The workbook's first sheet is empty."))
    finally:
        workbook.close()
