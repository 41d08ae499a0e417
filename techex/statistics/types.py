"""What every indicator answers: a table (its chart draws some of its columns), read alike by the page, the CSV
download, the API and the docs."""

from dataclasses import dataclass, field
from typing import Any

# How a column's numbers read: a count, an amount in VND, a share (0–1), a number of days; "text" for labels.
KINDS = ("text", "count", "vnd", "share", "days")


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # a lazy translation
    kind: str = "count"


@dataclass
class Table:
    """Rows of cells in the columns' order; the first column labels the row. A cell is None when there is no
    figure (a share of nothing) and ``SUPPRESSED`` when it is withheld (public small cells)."""

    columns: list[Column]
    rows: list[list[Any]]
    chart: tuple[str, ...] = ()  # the keys of the columns the chart draws (none: no chart, the table alone)
    notes: list[Any] = field(default_factory=list)
    total_row: bool = False  # the last row sums the others: the table shows it, the chart does not

    def chart_rows(self) -> list[list[Any]]:
        return self.rows[:-1] if self.total_row else self.rows

    def column(self, key: str) -> list[Any]:
        index = [c.key for c in self.columns].index(key)
        return [row[index] for row in self.rows]

    def as_dicts(self) -> list[dict[str, Any]]:
        return [{c.key: cell for c, cell in zip(self.columns, row, strict=True)} for row in self.rows]


class _Suppressed:
    """A withheld cell: fewer than ``SMALL_CELL`` contracts stand behind it."""

    def __repr__(self) -> str:
        return "SUPPRESSED"

    def __bool__(self) -> bool:
        return False


SUPPRESSED: Any = _Suppressed()
