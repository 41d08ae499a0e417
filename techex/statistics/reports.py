"""The quarterly and yearly reports: every indicator's table (and, in the PDF, its chart) for one department or
the region, over one quarter or one year. Built by the background task (``tasks.statistics_report_generate``).

The PDF uses fpdf2 with the DejaVu font the contract summary ships (``deals/pdf.py``), so Vietnamese prints with
its diacritics; the XLSX has one sheet per indicator with the numbers stored as numbers (shares as fractions with
a percent format), so a spreadsheet can add them up.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace
from openpyxl import Workbook

from techex.deals.pdf import FAMILY, FONTS, GREEN, LABEL_FILL
from techex.departments.models import Department
from techex.departments.selectors import lead_department
from techex.listings.form_fields import group_thousands

from .choices import PeriodKind, ReportFormat
from .filtersets import Criteria
from .indicators import INDICATORS, Indicator
from .types import SUPPRESSED, Table

OPERATOR_LOGO = "img/logo.svg"
BAR_FILLS = ((11, 110, 79), (217, 119, 6), (37, 99, 235), (147, 51, 234))
XLSX_FORMATS = {"vnd": "#,##0", "share": "0.0%", "days": "0.0", "count": "0"}
# Excel's own limits on a sheet's name: 31 characters, none of these.
_SHEET_FORBIDDEN = str.maketrans({c: "-" for c in "[]:*?/\\"})

Progress = Callable[[int], None]


@dataclass(frozen=True)
class ReportContent:
    """What one report states: who, which period, and each indicator's table."""

    department_name: str
    region_name: str
    is_region: bool
    period_kind: str
    period_start: datetime.date
    period_end: datetime.date
    period_label: str
    logo: str  # a static path, may be empty
    tables: list[tuple[Indicator, Table]]
    made_at: datetime.datetime


def report_content(
    *,
    department: Department | None,
    period_kind: str,
    period_start: datetime.date,
    period_end: datetime.date,
    progress: Progress | None = None,
) -> ReportContent:
    """Compute every indicator; ``progress`` is told 0–80 % as they are done (writing the file is the rest)."""
    from .models import period_label

    operator = settings.TECHEX_OPERATOR
    named = department or lead_department()
    criteria = Criteria(date_from=period_start, date_to=period_end, department=department)
    tables = []
    for n, indicator in enumerate(INDICATORS, start=1):
        tables.append((indicator, indicator.table(criteria)))
        if progress is not None:
            progress(n * 80 // len(INDICATORS))
    label = period_label(period_kind, period_start)
    return ReportContent(
        department_name=named.name if named is not None else operator["department"],
        region_name=operator["region"],
        is_region=department is None,
        period_kind=period_kind,
        period_start=period_start,
        period_end=period_end,
        period_label=label,
        logo=(named.logo if named is not None and named.logo else "") or OPERATOR_LOGO,
        tables=tables,
        made_at=timezone.localtime(),
    )


def cell_text(value: Any, kind: str) -> str:
    """A cell as printed, in the active language's number style (config/formats: 1.500.000 and 12,5 in Vietnamese)."""
    if value is SUPPRESSED or value is None:
        return "–"
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return str(value)
    # Rounded here: number_format cuts the decimals it does not print.
    if kind == "share":
        return f"{formats.number_format(round(Decimal(str(value)) * 100, 1), decimal_pos=1, use_l10n=True)} %"
    if kind == "days":
        return formats.number_format(round(Decimal(str(value)), 1), decimal_pos=1, use_l10n=True, force_grouping=True)
    return group_thousands(int(value))


def _title(content: ReportContent) -> str:
    if content.period_kind == PeriodKind.QUARTER:
        quarter = (content.period_start.month - 1) // 3 + 1
        return _("Statistics report, quarter %(quarter)d of %(year)d") % {
            "quarter": quarter,
            "year": content.period_start.year,
        }
    return _("Statistics report, year %(year)d") % {"year": content.period_start.year}


def _scope_line(content: ReportContent) -> str:
    if content.is_region:
        return _("The whole region: %(region)s") % {"region": content.region_name}
    return content.department_name


# --- PDF ------------------------------------------------------------------------------------------------------------


class _ReportPDF(FPDF):
    footer_text = ""

    def footer(self):
        self.set_y(-14)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(91, 103, 112)
        self.cell(0, 6, f"{self.footer_text} · {self.page_no()}/{{nb}}", align="C")


def _logo(pdf: FPDF, static_path: str) -> None:
    found = finders.find(static_path) if static_path else None
    if not found:
        return
    try:
        pdf.image(str(found), x=pdf.l_margin, y=pdf.t_margin, h=14)
    except Exception:  # noqa: BLE001 (a logo fpdf2 cannot draw must not cost the report: the name is printed)
        return
    pdf.set_x(pdf.l_margin + 18)


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """The label cut to the width (with an ellipsis); the table below gives it whole."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _chart(pdf: FPDF, table: Table) -> None:
    """Horizontal bars of the chart columns, as on the dashboard (the table follows, with every figure)."""
    rows = table.chart_rows()
    if not table.chart or not rows:
        return
    columns = [c for c in table.columns if c.key in table.chart]
    indexes = [table.columns.index(c) for c in columns]
    values = [[row[i] if isinstance(row[i], (int, float, Decimal)) else None for i in indexes] for row in rows]
    top = max((float(v) for row in values for v in row if v is not None), default=0.0) or 1.0
    label_w, bar_space, bar_h = 48.0, pdf.epw - 48.0 - 22.0, 3.2
    pdf.set_font(FAMILY, "", 7)
    if len(columns) > 1:
        x = pdf.l_margin
        for n, column in enumerate(columns):
            pdf.set_fill_color(*BAR_FILLS[n % len(BAR_FILLS)])
            pdf.rect(x, pdf.get_y() + 0.8, 3, 3, style="F")
            pdf.set_xy(x + 4, pdf.get_y())
            pdf.cell(40, 4.5, str(column.label)[:30])
            x += 45
        pdf.ln(5.5)
    for row, row_values in zip(rows, values, strict=True):
        group_h = len(columns) * (bar_h + 0.6) + 1.6
        if pdf.get_y() + group_h > pdf.page_break_trigger:
            pdf.add_page()
        y = pdf.get_y()
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(label_w - 2, group_h - 1.6, _fit(pdf, str(row[0]), label_w - 3), align="R")
        for n, (column, value) in enumerate(zip(columns, row_values, strict=True)):
            bar_y = y + n * (bar_h + 0.6)
            width = float(value) / top * bar_space if value is not None else 0.0
            if width > 0:
                pdf.set_fill_color(*BAR_FILLS[n % len(BAR_FILLS)])
                pdf.rect(pdf.l_margin + label_w, bar_y, width, bar_h, style="F")
            pdf.set_xy(pdf.l_margin + label_w + width + 1, bar_y - 0.4)
            pdf.cell(20, bar_h + 0.8, cell_text(value, column.kind))
        pdf.set_y(y + group_h)
    pdf.ln(2)


def _table(pdf: FPDF, table: Table) -> None:
    if not table.rows:
        pdf.set_font(FAMILY, "", 9)
        pdf.multi_cell(0, 5, _("No figures in this period."), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        return
    count = len(table.columns)
    font = 8 if count <= 6 else 6.5
    pdf.set_font(FAMILY, "", font)
    first = 2.2 if count > 2 else 1.5
    pdf.set_fill_color(255, 255, 255)  # the chart's last bar colour would otherwise fill the cells
    with pdf.table(
        col_widths=(first, *([1] * (count - 1))),
        text_align=("LEFT", *(["RIGHT"] * (count - 1))),
        line_height=font * 0.55,
        padding=1,
        borders_layout="HORIZONTAL_LINES",
        headings_style=FontFace(emphasis="BOLD", color=GREEN, fill_color=LABEL_FILL),
    ) as pdf_table:
        header = pdf_table.row()
        for column in table.columns:
            header.cell(str(column.label))
        last = len(table.rows) - 1
        for r, row in enumerate(table.rows):
            line = pdf_table.row()
            style = FontFace(emphasis="BOLD") if table.total_row and r == last else None
            for column, value in zip(table.columns, row, strict=True):
                line.cell(cell_text(value, column.kind), style=style)


def report_pdf(content: ReportContent) -> bytes:
    pdf = _ReportPDF(format="A4")
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(16, 14, 16)
    pdf.set_auto_page_break(auto=True, margin=20)
    title = _title(content)
    pdf.set_title(f"{title} · {content.department_name}")
    pdf.set_creator(settings.TECHEX_OPERATOR["name"])
    pdf.set_lang("vi")
    pdf.footer_text = f"{content.department_name} · {content.period_label}"
    pdf.add_page()
    _logo(pdf, content.logo)
    x = pdf.get_x()
    pdf.set_font(FAMILY, "B", 12)
    pdf.set_text_color(29, 35, 39)
    pdf.multi_cell(0, 6, content.department_name, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_x(x)
    pdf.set_font(FAMILY, "", 9)
    pdf.set_text_color(91, 103, 112)
    pdf.multi_cell(0, 5, settings.TECHEX_OPERATOR["name"], new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(max(pdf.get_y(), pdf.t_margin + 16))
    pdf.ln(2)
    pdf.set_font(FAMILY, "B", 15)
    pdf.set_text_color(*GREEN)
    pdf.multi_cell(0, 8, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "", 10)
    pdf.set_text_color(29, 35, 39)
    period = f"{content.period_start:%d/%m/%Y} – {content.period_end:%d/%m/%Y}"
    pdf.multi_cell(0, 6, f"{_scope_line(content)} · {period}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "", 8)
    pdf.set_text_color(91, 103, 112)
    made = _("Made on %(date)s from the records of the exchange.") % {"date": f"{content.made_at:%d/%m/%Y %H:%M}"}
    pdf.multi_cell(0, 5, made, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for indicator, table in content.tables:
        pdf.ln(4)
        if pdf.get_y() > pdf.page_break_trigger - 40:
            pdf.add_page()
        pdf.set_font(FAMILY, "B", 11)
        pdf.set_text_color(*GREEN)
        pdf.multi_cell(0, 6, str(indicator.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FAMILY, "", 7.5)
        pdf.set_text_color(91, 103, 112)
        pdf.multi_cell(0, 4, indicator.definition, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)
        pdf.set_text_color(29, 35, 39)
        _chart(pdf, table)
        _table(pdf, table)
        for note in table.notes:
            pdf.set_font(FAMILY, "", 7.5)
            pdf.multi_cell(0, 4, str(note), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())


# --- XLSX -----------------------------------------------------------------------------------------------------------


def _sheet_name(text: str, taken: set[str]) -> str:
    base = text.translate(_SHEET_FORBIDDEN)[:31]
    name, n = base, 2
    while name.lower() in taken:
        name = f"{base[:28]}-{n}"
        n += 1
    taken.add(name.lower())
    return name


def _xlsx_value(value: Any) -> Any:
    if value is SUPPRESSED or value is None:
        return None
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return value
    return str(value)


def report_xlsx(content: ReportContent) -> bytes:
    """A cover sheet, then one sheet per indicator (named by its key): the header row, then the rows."""
    book = Workbook()
    book.remove(book.worksheets[0])  # the default sheet, untyped for mypy; named ones are created below
    taken: set[str] = set()
    cover = book.create_sheet(_sheet_name(_("Report"), taken))
    cover.append([_title(content)])
    cover.append([_("Department"), content.department_name])
    cover.append([_("Scope"), _scope_line(content)])
    cover.append([_("Period"), content.period_start, content.period_end])
    cover.append([_("Made on"), content.made_at.replace(tzinfo=None)])
    for cell in (cover["B4"], cover["C4"]):
        cell.number_format = "dd/mm/yyyy"
    cover["B5"].number_format = "dd/mm/yyyy hh:mm"
    cover.column_dimensions["A"].width = 28
    cover.column_dimensions["B"].width = 44
    cover.append([])
    cover.append([_("Sheet"), _("Indicator"), _("Definition")])
    for indicator, _unused in content.tables:
        cover.append([indicator.key[:31], str(indicator.title), indicator.definition])
    for indicator, table in content.tables:
        sheet = book.create_sheet(_sheet_name(indicator.key, taken))
        sheet.append([str(column.label) for column in table.columns])
        for row in table.rows:
            sheet.append([_xlsx_value(cell) for cell in row])
        for c, column in enumerate(table.columns, start=1):
            number_format = XLSX_FORMATS.get(column.kind)
            sheet.column_dimensions[sheet.cell(1, c).column_letter].width = 30 if c == 1 else 16
            if number_format:
                for r in range(2, len(table.rows) + 2):
                    sheet.cell(r, c).number_format = number_format
        sheet.freeze_panes = "B2"
        for note in table.notes:
            sheet.append([])
            sheet.append([str(note)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def report_bytes(content: ReportContent, *, file_format: str) -> bytes:
    with translation.override("vi"):  # the reports are Vietnamese, whoever asked and in whatever language
        return report_pdf(content) if file_format == ReportFormat.PDF else report_xlsx(content)
