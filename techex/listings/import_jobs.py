"""Imports uploaded by staff on the web: the checked upload, the stored job and its run in the background."""

import logging
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from techex.core.permissions import require_staff
from techex.core.services import audit_record
from techex.core.text import clean_text

from . import tasks
from .choices import ImportJobStatus
from .importer import ImportResult, RowError, import_listings, require_publisher
from .models import ImportJob
from .tabular import FileFormatError, check_workbook, decode_text, format_of

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def import_max_bytes() -> int:
    return int(getattr(settings, "LISTING_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def check_import_upload(file) -> str:
    """Return the upload's format after checking its size and that its content is what its name says."""
    fmt = format_of(getattr(file, "name", "") or "")
    if fmt is None:
        raise ValidationError(_("Upload a .jsonl, .csv or .xlsx file."), code="bad_type")
    limit = import_max_bytes()
    if not file.size:
        raise ValidationError(_("The file is empty."), code="empty")
    if file.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    file.seek(0)
    content = file.read()
    file.seek(0)
    try:
        if fmt == "xlsx":
            check_workbook(content)
        else:
            decode_text(content)
            if b"\x00" in content:
                raise FileFormatError(_("This file is not text; its content was checked."))
    except FileFormatError as exc:
        raise ValidationError(exc.reason, code="bad_content") from exc
    return fmt


@transaction.atomic
def import_job_create(*, user, file, publish: bool = False) -> ImportJob:
    """Store a staff member's upload privately and queue its import."""
    require_staff(user)
    require_publisher(user, publish)
    fmt = check_import_upload(file)
    job = ImportJob(
        token=secrets.token_hex(16),
        original_name=clean_text(getattr(file, "name", "") or "")[:255] or f"import.{fmt}",
        format=fmt,
        publish=publish,
        created_by=user,
    )
    job.file.save(f"upload.{fmt}", file, save=False)
    job.full_clean()
    job.save()
    audit_record(
        actor=user, action="listing.import_upload", target=job, data={"file": job.original_name, "publish": publish}
    )
    transaction.on_commit(lambda: tasks.listing_import_run.enqueue(job.pk))
    return job


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Run a queued import and record its outcome; a job already started elsewhere is left alone."""
    now = timezone.now()
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJobStatus.QUEUED).update(
        status=ImportJobStatus.VALIDATING, started_at=now, updated_at=now
    )
    if not claimed:
        return None
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    try:
        with job.file.open("rb") as handle:
            content = handle.read()
        result = import_listings(
            content=content,
            fmt=job.format,
            user=job.created_by,
            publish=job.publish,
            progress=_progress_writer(job.pk),
        )
    except PermissionDenied as exc:
        result = ImportResult(errors=[RowError(0, str(exc))])
    except Exception:  # the job must end in a state staff can see, whatever went wrong
        logger.exception("Listing import %s failed", job_id)
        result = ImportResult(
            errors=[RowError(0, _("The import stopped on an unexpected error and imported nothing; it was logged."))]
        )
    _record_result(job, result)
    return job


def _progress_writer(job_id: int):
    def write(stage: str, done: int, total: int) -> None:
        now = timezone.now()
        jobs = ImportJob.objects.filter(pk=job_id)
        if stage == "validating":
            jobs.update(processed_rows=done, total_rows=total, updated_at=now)
        elif done == 0:
            # Later calls come from inside the import's transaction, where nobody else could see them.
            jobs.update(status=ImportJobStatus.SAVING, updated_at=now)

    return write


def _record_result(job: ImportJob, result: ImportResult) -> None:
    job.status = ImportJobStatus.DONE if result.ok else ImportJobStatus.FAILED
    job.total_rows = job.processed_rows = result.rows
    job.created_count, job.updated_count, job.unchanged_count = result.created, result.updated, result.unchanged
    job.errors = [{"line": error.line, "reason": error.reason} for error in result.errors]
    job.finished_at = timezone.now()
    job.save()
