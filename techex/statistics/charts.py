"""Server-rendered, accessible SVG charts: horizontal bars (they read on a phone as well as on a desk), a title and
a description for screen readers, and always the table beside them (the template puts it there)."""

from decimal import Decimal
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from .types import Table

WIDTH = 340
LABEL_WIDTH = 128
BAR_START = LABEL_WIDTH + 6
BAR_SPACE = WIDTH - BAR_START - 44  # room for the value after the longest bar
BAR = 11
GAP = 2
ROW_GAP = 8
LEGEND = 18
LABEL_MAX = 19


def _number(value: Any, kind: str) -> str:
    if value is None or not isinstance(value, (int, float, Decimal)):
        return "–"
    if kind == "share":
        return f"{float(value) * 100:.0f}%"
    if kind == "vnd":
        amount = float(value)
        for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
            if amount >= size:
                return f"{amount / size:.1f}{suffix}"
        return f"{amount:.0f}"
    if kind == "days":
        return f"{float(value):.1f}"
    return f"{value}"


def _short(text: str) -> str:
    return text if len(text) <= LABEL_MAX else text[: LABEL_MAX - 1] + "…"


def bar_chart(table: Table, *, title: str, chart_id: str) -> SafeString:
    """The table's chart columns as horizontal bars, one group per row; empty when there is nothing to draw."""
    rows = table.chart_rows()
    if not table.chart or not rows:
        return mark_safe("")  # noqa: S308 (a constant)
    columns = [c for c in table.columns if c.key in table.chart]
    indexes = [table.columns.index(c) for c in columns]
    values = [[row[i] if isinstance(row[i], (int, float, Decimal)) else None for i in indexes] for row in rows]
    top = max((float(v) for row in values for v in row if v is not None), default=0.0) or 1.0
    series = len(columns)
    row_height = series * (BAR + GAP) + ROW_GAP
    legend = LEGEND if series > 1 else 0
    height = legend + row_height * len(rows) + 4
    parts: list[SafeString] = []
    if series > 1:
        parts.append(
            format_html_join(
                "",
                '<rect x="{}" y="4" width="10" height="10" class="series-{}"/><text x="{}" y="13">{}</text>',
                ((4 + n * 170, n, 4 + n * 170 + 14, _short(str(c.label))) for n, c in enumerate(columns)),
            )
        )
    for r, (row, row_values) in enumerate(zip(rows, values, strict=True)):
        y = legend + r * row_height
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" class="label">{}</text>',
                LABEL_WIDTH,
                y + series * (BAR + GAP) / 2 + 3,
                _short(str(row[0])),
            )
        )
        for n, (column, value) in enumerate(zip(columns, row_values, strict=True)):
            width = round(float(value) / top * BAR_SPACE, 1) if value is not None else 0
            bar_y = y + n * (BAR + GAP)
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" class="series-{}"><title>{}: {} {}</title></rect>'
                    '<text x="{}" y="{}" class="value">{}</text>',
                    BAR_START,
                    bar_y,
                    width,
                    BAR,
                    n,
                    row[0],
                    column.label,
                    _number(value, column.kind),
                    BAR_START + width + 3,
                    bar_y + BAR - 1,
                    _number(value, column.kind),
                )
            )
    description = ", ".join(str(c.label) for c in columns)
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-t {}-d" '
        'preserveAspectRatio="xMinYMin meet"><title id="{}-t">{}</title><desc id="{}-d">{}</desc>{}</svg>',
        WIDTH,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
        mark_safe("".join(parts)),  # noqa: S308 (each part escaped by format_html)
    )
