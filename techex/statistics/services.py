"""The statistics domain's writes: the reports staff ask for and the daily open-data files (the figures themselves
are reads, in selectors)."""

import datetime
import hashlib
import tempfile
from typing import Any

from django.core.files import File
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from techex.core.operator import operator
from techex.core.services import audit_record
from techex.departments.models import Department
from techex.departments.scope import staff_scope

from . import opendata
from .choices import OpenDataFormat, PeriodKind, ReportFormat
from .models import OpenDataFile, StatisticsReport


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


def open_data_publish(*, now: datetime.datetime | None = None) -> list[OpenDataFile]:
    """Write today's open-data files (CSV and JSON of the live listings' public part) and keep the last
    ``KEPT_PER_FORMAT`` of each format; run daily (``manage.py publish_open_data``, from cron)."""
    now = now or timezone.now()
    made = []
    for file_format in OpenDataFormat.values:
        with tempfile.TemporaryFile() as spool:
            rows = opendata.write_csv(spool) if file_format == "csv" else opendata.write_json(spool, generated_at=now)
            spool.seek(0)
            digest = hashlib.sha256()
            for block in iter(lambda: spool.read(1 << 20), b""):
                digest.update(block)
            size = spool.tell()
            spool.seek(0)
            release = OpenDataFile(
                format=file_format, rows=rows, size=size, sha256=digest.hexdigest(), generated_at=now
            )
            name = f"{operator()['code'].lower()}-listings-{now:%Y-%m-%d}.{file_format}"
            release.file.save(name, File(spool), save=False)
            release.save()
        made.append(release)
        for old in OpenDataFile.objects.filter(format=file_format)[opendata.KEPT_PER_FORMAT :]:
            old.file.delete(save=False)
            old.delete()
    return made
