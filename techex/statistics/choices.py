from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "XLSX"


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


# A report in these states is still being made: its row on the list page polls for progress.
IN_PROGRESS = (ReportStatus.QUEUED, ReportStatus.RUNNING)


class OpenDataFormat(models.TextChoices):
    CSV = "csv", "CSV"
    JSON = "json", "JSON"
