"""The statistics domain's writes: the reports staff ask for (the figures themselves are reads, in selectors)."""

import datetime
from typing import Any

from django.db import transaction
from django.http import Http404

from techex.core.services import audit_record
from techex.departments.models import Department
from techex.departments.scope import staff_scope

from .choices import PeriodKind, ReportFormat
from .models import StatisticsReport


@transaction.atomic
def statistics_report_request(
    *,
    user: Any,
    department: Department | None,
    period_kind: str,
    period_start: datetime.date,
    period_end: datetime.date,
    file_format: str,
) -> StatisticsReport:
    """Queue a report of a department (None: the region) the user's scope covers; 404 otherwise, as for a forbidden
    object. The file is made in the background (``tasks.statistics_report_generate``) after the commit."""
    from .tasks import statistics_report_generate

    scope = staff_scope(user)
    if not scope.covers_department(department.pk if department is not None else None):
        raise Http404
    if department is not None and not department.is_active:
        raise Http404
    if period_kind not in PeriodKind.values or file_format not in ReportFormat.values or period_end < period_start:
        raise ValueError("a report needs a known period kind and format, and a period in order")
    report = StatisticsReport.objects.create(
        department=department,
        period_kind=period_kind,
        period_start=period_start,
        period_end=period_end,
        format=file_format,
        requested_by=user,
    )
    audit_record(
        actor=user,
        action="statistics.report_requested",
        target=report,
        data={
            "department": department.code if department is not None else "",
            "period": report.period_label,
            "format": file_format,
        },
    )
    transaction.on_commit(lambda: statistics_report_generate.enqueue(report.pk))
    return report
