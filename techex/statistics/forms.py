"""The form staff ask for a report with: the period (a quarter or a year that has begun), the format, and the
department within their scope (the lead: the region or any active department; a partner: their own)."""

import datetime
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from techex.departments.models import Department
from techex.departments.scope import staff_scope
from techex.departments.selectors import department_list_public

from .choices import PeriodKind, ReportFormat

REGION = "region"
_QUARTER = re.compile(r"^(\d{4})-?[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
# Before this year the exchange kept no records: a report would be empty.
FIRST_YEAR = 2000

QUARTER_MALFORMED = _("Write the quarter as year and quarter, for example 2025-Q2.")
YEAR_MALFORMED = _("Write the year with four digits, for example 2025.")
PERIOD_IN_FUTURE = _("This period has not begun yet.")
PERIOD_TOO_OLD = _("The exchange keeps no records before %(year)d.")


def period_bounds(kind: str, text: str) -> tuple[datetime.date, datetime.date] | None:
    """The first and last day of ``2025-Q2`` or ``2025``; None when the text does not name one."""
    text = text.strip()
    if kind == PeriodKind.QUARTER:
        match = _QUARTER.match(text)
        if match is None:
            return None
        year, quarter = int(match[1]), int(match[2])
        start = datetime.date(year, 3 * quarter - 2, 1)
        end = datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, 3 * quarter + 1, 1)
        return start, end - datetime.timedelta(days=1)
    match = _YEAR.match(text)
    if match is None:
        return None
    year = int(match[1])
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


class ReportRequestForm(forms.Form):
    period_kind = forms.ChoiceField(label=_("Quarter or year"), choices=PeriodKind.choices, initial=PeriodKind.QUARTER)
    period = forms.CharField(
        label=_("Period"), max_length=8, help_text=_("A quarter as 2025-Q2, or a year as 2025."), strip=True
    )
    format = forms.ChoiceField(label=_("Format"), choices=ReportFormat.choices, initial=ReportFormat.PDF)
    department = forms.ChoiceField(label=_("Department"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The last quarter that has ended: the report most often asked for.
        today = timezone.localdate()
        ended = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1) - datetime.timedelta(days=1)
        self.fields["period"].initial = f"{ended.year}-Q{(ended.month - 1) // 3 + 1}"
        scope = staff_scope(user)
        self.departments: dict[str, Department] = {}
        choices: list[tuple[str, Any]] = []
        if scope.is_lead:
            choices.append((REGION, _("The whole region")))
            self.departments = {d.code: d for d in department_list_public()}
        elif scope.department is not None and scope.province_codes:
            self.departments = {scope.department.code: scope.department}
        choices += [(code, department.name) for code, department in self.departments.items()]
        self.fields["department"].choices = choices  # type: ignore[attr-defined]  # a ChoiceField

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind, text = cleaned.get("period_kind"), cleaned.get("period")
        if kind and text:
            bounds = period_bounds(kind, text)
            if bounds is None:
                self.add_error("period", QUARTER_MALFORMED if kind == PeriodKind.QUARTER else YEAR_MALFORMED)
            elif bounds[0] > timezone.localdate():
                self.add_error("period", PERIOD_IN_FUTURE)
            elif bounds[0].year < FIRST_YEAR:
                self.add_error("period", str(PERIOD_TOO_OLD) % {"year": FIRST_YEAR})
            else:
                cleaned["period_start"], cleaned["period_end"] = bounds
        code = cleaned.get("department")
        cleaned["department_obj"] = None if code == REGION else self.departments.get(code or "")
        return cleaned
