"""Background work of statistics: making a report's file (queued after commit by ``services``)."""

import logging

from django.core.files.base import ContentFile
from django.utils import timezone, translation
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def statistics_report_generate(report_id: int) -> str:
    """Compute the report's figures, write its PDF or XLSX to storage, and keep its status and progress up to date
    (the list page polls them); return the final status."""
    from .choices import ReportStatus
    from .models import StatisticsReport
    from .reports import report_bytes, report_content

    report = StatisticsReport.objects.select_related("department").filter(pk=report_id).first()
    if report is None or report.status != ReportStatus.QUEUED:
        return "skipped"  # gone, or already taken by another worker
    rows = StatisticsReport.objects.filter(pk=report.pk)
    rows.update(status=ReportStatus.RUNNING, progress=1)

    def progress(percent: int) -> None:
        rows.update(progress=max(1, min(percent, 99)))

    try:
        with translation.override("vi"):
            content = report_content(
                department=report.department,
                period_kind=report.period_kind,
                period_start=report.period_start,
                period_end=report.period_end,
                progress=progress,
            )
            data = report_bytes(content, file_format=report.format)
        scope = report.department.code if report.department is not None else "region"
        report.file.save(f"report_{scope}_{report.period_label}.{report.format}", ContentFile(data), save=False)
    except Exception as error:  # a failed report says so on the list; the worker goes on with the next task
        logger.exception("statistics report %s failed", report.pk)
        rows.update(status=ReportStatus.FAILED, error=f"{type(error).__name__}: {error}"[:2000])
        return ReportStatus.FAILED
    rows.update(status=ReportStatus.DONE, progress=100, file=report.file.name, finished_at=timezone.now())
    return ReportStatus.DONE
