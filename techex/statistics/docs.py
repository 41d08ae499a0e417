"""docs/statistics.md, written from the indicators and targets (``manage.py statistics_docs``), so the page and the
code state the same definitions; ``tests/test_docs.py`` fails when the committed page is not what this writes."""

from pathlib import Path

from django.conf import settings
from django.utils import translation

from . import targets
from .indicators import INDICATORS, PUBLIC, SECTIONS
from .selectors import SMALL_CELL

DOC_PATH = Path(settings.BASE_DIR) / "docs" / "statistics.md"

INTRO = """# Statistics: indicators and their definitions

<!-- Written by `manage.py statistics_docs` from techex/statistics/indicators.py and targets.py: edit those, then
run the command. tests/test_docs.py fails when this page and the code disagree. -->

Code: `techex/statistics` (floor: right under `site`, above every domain it reads; it writes nothing of theirs).
The staff dashboard is `/statistics/` (staff only; a CSV per indicator at `/statistics/<key>.csv`), the API
`/api/v1/statistics/indicators/` and `/api/v1/statistics/indicators/<key>/` (staff), the public page `/thong-ke/`
and its API `/api/v1/statistics/`.

## Filters (every indicator)

One FilterSet (`statistics.filtersets.StatisticsFilterSet`) for the page, the CSV downloads and the API:
`date_from` and `date_to` (the period, both days included; by default from 1 January two years ago to today; at most
ten years), `field` (an S&T field code or its prefix, among the listing's fields), `province` (the listing's
place, 2025 units), `organization_type` (the listing owner's type) and `department`. The period applies to each
indicator's own date, named in its definition. A deal and its contract are filtered by their listing.

`department`, as on the staff queues (docs/departments.md): lead staff read the whole region (empty or `all`) or
any active department (its queue: the items routed to it, and for the lead also the items not routed yet, so the
departments add up exactly to the region); a partner department's staff read their own department, and asking for
another is 404 (the API too), as the selectors answer a forbidden object; staff of an inactive partner read nothing.
The public figures are always the region's.

## Reports

Staff ask for a quarterly or yearly report at `/statistics/reports/` (linked from the dashboard): the period
(`2025-Q2` or `2025`; one that has begun), PDF or XLSX, and the department within their scope (the lead: the whole
region or any active department; a partner's staff: their own). The request is audited
(`statistics.report_requested`) and a `StatisticsReport` row is queued; the background task
`statistics.tasks.statistics_report_generate` computes every indicator of `INDICATORS` for that period and
department with the same selectors as the dashboard, updating the row's progress (0–100, the list page polls it
with htmx while a report is queued or running), and stores the file through the project's storage. The PDF
(fpdf2, the DejaVu font shipped in `deals/fonts`) is in Vietnamese, with the department's name (the lead's for the
region) and logo, each indicator's definition, chart and table; the XLSX has a cover sheet and one sheet per
indicator, named by its key, with the figures as numbers (shares as fractions with a percent format). A report is
scoped as a staff queue: a partner's staff list and download their department's reports only, the lead every one;
anyone else gets 404.

## Search demand

The search domain counts each search typed on the pages (the first page of results, not the pages turned) in
`search.models.SearchQueryDay`: the day, the query (trimmed, lower case) and how many of its searches found nothing.
No person, session, address or time of day is kept, and a query with an e-mail address or a long run of digits (a
phone or tax number) is not kept at all.

## Speed

Every figure is computed from the records at each request (no cache, no pre-aggregate), so it is always exact.
`bench/statistics_speed.py` measures the dashboard and the API at 100,000 listings and 10,000 deals: the issue's
target (p95 ≤ 300 ms uncached) is **not met yet** for the staff dashboard and API on either database (1–5 s for the
whole region on this shared 2-core machine); the public page and API meet it on both. The next step is a
pre-aggregate: monthly counts per
department, province, top-level field, owner type and kind, kept exact by the listing and deal events (rebuilt by
a command and checked against the live query in the tests).

## Events and services

Events and B2B meetings held and the deals they started, and services requested and delivered, will be added to
`INDICATORS` (sections "events" and "services") with those domains; the dashboard keeps a place for them.
"""


def _pct(value: object) -> str:
    return f"{float(str(value)) * 100:.0f} %"


def render() -> str:
    lines = [INTRO]
    lines.append("## The Decision 1158 targets (`statistics.targets`)\n")
    lines.append(f"Source: {targets.SOURCE}.\n")
    lines.append("| target | until | value |")
    lines.append("|---|---|---|")
    for group in (targets.VALUE_GROWTH, targets.IP_SHARE, targets.INSTITUTES_SHARE):
        for target in group:
            lines.append(f"| {target.key} | {target.until_year} | {_pct(target.value)} |")
    lines.append("")
    with translation.override("en"):
        sections = {key: str(title) for key, title in SECTIONS.items()}
        sections["public"] = "Public statistics"
        groups = [(key, [i for i in INDICATORS if i.section == key]) for key in SECTIONS]
        groups.append(("public", list(PUBLIC)))
        for key, indicators in groups:
            lines.append(f"## {sections[key]}\n")
            if key == "public":
                lines.append(
                    f"Small cells: a public cell standing for fewer than {SMALL_CELL} contracts is withheld "
                    "(`statistics.selectors.SMALL_CELL`).\n"
                )
            for indicator in indicators:
                with translation.override("vi"):
                    title_vi = str(indicator.title)
                lines.append(f"### {indicator.title} — {title_vi} (`{indicator.key}`)\n")
                lines.append(f"- EN: {indicator.definition_en}")
                lines.append(f"- VI: {indicator.definition_vi}\n")
    return "\n".join(lines).rstrip() + "\n"
