"""The statistics domain writes one thing of its own: the reports staff ask for (made in the background)."""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from techex.departments.scope import ScopedQuerySet

from .choices import IN_PROGRESS, OpenDataFormat, PeriodKind, ReportFormat, ReportStatus


def report_path(report: "StatisticsReport", filename: str) -> str:
    return f"statistics/reports/{report.created_at:%Y/%m}/{filename}"


class StatisticsReport(models.Model):
    """A quarterly or yearly report of a department (None: the whole region) as PDF or XLSX."""

    # Scoped as the staff queues: a department's report is its staff's (and the lead's); the region's, the lead's.
    scope_department_field = "department"

    department = models.ForeignKey(
        "departments.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
        help_text=_("Empty: the whole region."),
    )
    period_kind = models.CharField(_("period kind"), max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    format = models.CharField(_("format"), max_length=8, choices=ReportFormat.choices)
    status = models.CharField(_("status"), max_length=8, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to=report_path, max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("statistics report")
        verbose_name_plural = _("statistics reports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="statistics_report_progress_max"),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="statistics_report_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_label} {self.format}"

    @property
    def period_label(self) -> str:
        return period_label(self.period_kind, self.period_start)

    @property
    def in_progress(self) -> bool:
        return self.status in IN_PROGRESS


def period_label(kind: str, start: datetime.date) -> str:
    """``2025-Q2`` or ``2025``: how a period is typed in the form and named in the files."""
    if kind == PeriodKind.QUARTER:
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return str(start.year)


def open_data_path(release: "OpenDataFile", filename: str) -> str:
    return f"open-data/{release.generated_at:%Y/%m/%d}/{filename}"


class OpenDataFile(models.Model):
    """One published file of the open data (the public part of the live listings), regenerated daily; the newest of
    each format is the one offered for download and described in the DCAT catalogue."""

    format = models.CharField(_("format"), max_length=8, choices=OpenDataFormat.choices)
    file = models.FileField(_("file"), upload_to=open_data_path, max_length=255)
    rows = models.PositiveIntegerField(_("rows"))
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    generated_at = models.DateTimeField(_("generated at"), db_index=True)

    class Meta:
        verbose_name = _("open data file")
        verbose_name_plural = _("open data files")
        ordering = ["-generated_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.generated_at:%Y-%m-%d} {self.format}"
