"""The contract summary as a PDF, for the registration dossier.

fpdf2 is pure Python (no system libraries: WeasyPrint would need pango, which a user's machine may lack). It embeds
a subset of DejaVu Sans, shipped in ``fonts/`` (see PROVENANCE.md), so Vietnamese prints with its diacritics
wherever the exchange runs.
"""

from pathlib import Path

from fpdf import FPDF
from fpdf.enums import TableCellFillMode, XPos, YPos
from fpdf.fonts import FontFace

from .summary import ContractSummary

FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVu"
GREEN = (11, 110, 79)
LABEL_FILL = (238, 241, 243)


class _SummaryPDF(FPDF):
    footer_text = ""

    def footer(self):
        self.set_y(-14)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(91, 103, 112)
        self.cell(0, 6, f"{self.footer_text} · {self.page_no()}/{{nb}}", align="C")


def _document(summary: ContractSummary) -> _SummaryPDF:
    pdf = _SummaryPDF(format="A4")
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.set_title(f"{summary.title} {summary.reference_code}")
    pdf.set_creator(summary.operator)
    pdf.set_lang("vi")
    pdf.footer_text = f"{summary.operator} · {summary.reference_code}"
    pdf.add_page()
    return pdf


def _heading(pdf: FPDF, summary: ContractSummary) -> None:
    pdf.set_font(FAMILY, "", 9)
    pdf.set_text_color(91, 103, 112)
    pdf.multi_cell(0, 5, summary.operator, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "B", 15)
    pdf.set_text_color(*GREEN)
    pdf.multi_cell(0, 8, summary.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "", 10)
    pdf.set_text_color(29, 35, 39)
    pdf.multi_cell(0, 6, f"{summary.reference_code} · {summary.printed_on}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)


def _section(pdf: FPDF, title: str, rows) -> None:
    pdf.ln(3)
    pdf.set_font(FAMILY, "B", 11)
    pdf.set_text_color(*GREEN)
    pdf.multi_cell(0, 7, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(29, 35, 39)
    pdf.set_font(FAMILY, "", 9.5)
    with pdf.table(
        col_widths=(34, 66),
        first_row_as_headings=False,
        line_height=5.5,
        padding=1.5,
        borders_layout="HORIZONTAL_LINES",
        cell_fill_color=LABEL_FILL,
        cell_fill_mode=TableCellFillMode.COLUMNS,
    ) as table:
        for row in rows:
            line = table.row()
            line.cell(row.label, style=FontFace(emphasis="BOLD"))
            line.cell(row.value)


def contract_summary_pdf(summary: ContractSummary) -> bytes:
    """Render the summary as the bytes of an A4 PDF."""
    pdf = _document(summary)
    _heading(pdf, summary)
    for section in summary.sections:
        _section(pdf, section.title, section.rows)
    pdf.ln(4)
    pdf.set_font(FAMILY, "", 8.5)
    pdf.set_text_color(91, 103, 112)
    for note in summary.notes:
        pdf.multi_cell(0, 4.5, note, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)
    return bytes(pdf.output())
