"""Export listings as CSV (streamed) or XLSX (typed cells), in the import format so an export can be re-imported.

A listing made on the exchange has no external reference; its reference code is written there instead, and the
importer matches it back to the same listing.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet

from techex.reference.models import Province, STField

from .models import Listing
from .tabular import COLUMNS, FORMULA_STARTS, LIST_SEPARATOR, PLAIN_COLUMNS

CHUNK_SIZE = 500
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Widths (in characters) of the columns worth widening in a spreadsheet; the others keep the default.
XLSX_WIDTHS = {"external_ref": 22, "title": 48, "summary": 60, "description": 60, "organization_name": 36}


def export_queryset(listings: QuerySet[Listing]) -> QuerySet[Listing]:
    """Load what the export writes, in a fixed number of queries per chunk of listings."""
    return (
        listings.select_related(None)
        .prefetch_related(None)
        .select_related("organization")
        .prefetch_related(
            Prefetch("fields", queryset=STField.objects.only("code").order_by("code")),
            Prefetch("partner_provinces", queryset=Province.objects.only("code").order_by("code")),
        )
    )


def listing_row(listing: Listing, *, show_identity: bool) -> dict[str, Any]:
    """One listing as typed values by column; ``show_identity`` False leaves out an anonymous listing's owner.

    ``show_identity`` is True only for the user's own listings and staff's queue: the organisation's tax code is one
    of its private fields (``organizations.selectors.PRIVATE_FIELDS``), so a public export leaves it out and names
    the organisation only (the import finds it by name).
    """
    hide = listing.is_anonymous and not show_identity
    row: dict[str, Any] = {name: getattr(listing, name) for name in PLAIN_COLUMNS}
    row.update(
        {
            "external_ref": listing.external_ref or listing.reference_code,
            "field_codes": [field.code for field in listing.fields.all()],
            "keywords": list(listing.keywords or []),
            "ipc_codes": list(listing.ipc_codes or []),
            "transfer_forms": list(listing.transfer_forms or []),
            "partner_types": list(listing.partner_types or []),
            "partner_province_codes": [province.code for province in listing.partner_provinces.all()],
            "vsic": listing.vsic_id or "",
            "province_code": listing.province_id or "",
            "ward_code": listing.ward_id or "",
            "organization_tax_code": listing.organization.tax_code if show_identity else "",
            "organization_name": "" if hide else listing.organization.name,
        }
    )
    return row


def _rows(listings: QuerySet[Listing], *, show_identity: bool) -> Iterator[dict[str, Any]]:
    for listing in export_queryset(listings).iterator(chunk_size=CHUNK_SIZE):
        yield listing_row(listing, show_identity=show_identity)


# --- CSV ---------------------------------------------------------------------------------------------------------


class _Echo:
    """A file-like object whose write returns the text, so csv.writer can feed a streaming response."""

    def write(self, value: str) -> str:
        return value


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(str(item) for item in value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    # Keep spreadsheet programs from running a cell as a formula; the importer removes the apostrophe.
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_lines(listings: QuerySet[Listing], *, show_identity: bool) -> Iterator[str]:
    """Yield the CSV file line by line, starting with a byte-order mark so Excel reads it as UTF-8."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(COLUMNS)
    for row in _rows(listings, show_identity=show_identity):
        yield writer.writerow([csv_cell(row[name]) for name in COLUMNS])


# --- XLSX --------------------------------------------------------------------------------------------------------


def _xlsx_cells(sheet, values: Iterable[Any]) -> list:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cells = []
    for value in values:
        if isinstance(value, list):
            value = LIST_SEPARATOR.join(str(item) for item in value)
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell = WriteOnlyCell(sheet, value=None if value == "" else value)
        if isinstance(value, str) and value:
            # Text stays text, even when it starts with "=" (openpyxl would otherwise write a formula).
            cell.data_type = "s"
        elif isinstance(value, date):
            cell.number_format = "yyyy-mm-dd"
        cells.append(cell)
    return cells


def xlsx_bytes(listings: QuerySet[Listing], *, show_identity: bool) -> bytes:
    """Build the workbook: one sheet, a bold frozen header, numbers as numbers and dates as dates."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("listings")
    sheet.freeze_panes = "A2"
    for index, name in enumerate(COLUMNS, start=1):
        if name in XLSX_WIDTHS:
            sheet.column_dimensions[get_column_letter(index)].width = XLSX_WIDTHS[name]
    header = []
    for name in COLUMNS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in _rows(listings, show_identity=show_identity):
        sheet.append(_xlsx_cells(sheet, (row[name] for name in COLUMNS)))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
