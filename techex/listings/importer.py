"""Import listings from JSONL, CSV or XLSX: check every row first, then write them all or none.

Rows are matched on ``external_ref`` (or, for a listing made on the exchange, on its reference code, which is what
an export writes there), so importing the same file twice changes nothing. Every write goes through the listing
services, acting for staff, so imported listings get the same validation, search text and audit trail as those
typed in a form. The file format is described in docs/import-format.md.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from techex.organizations.models import Organization

from . import services
from .choices import ListingStatus
from .import_rows import Lookups, ParsedRow, RowParser, external_ref_of, validation_messages
from .models import Listing
from .states import EDITABLE_STATES
from .tabular import FileFormatError, SourceRow, format_of, read_rows
from .validation import M2M_FIELDS, SCALAR_FIELDS, submission_errors, validate_data

# progress(stage, done, total): stage is "validating" while rows are checked, then "saving" while they are written.
ProgressCallback = Callable[[str, int, int], None]
PROGRESS_EVERY = 50
CREATE_BATCH = 500
LOOKUP_BATCH = 500


@dataclass(frozen=True)
class RowError:
    """A problem on one line of the file (line 1 is the header of a CSV or XLSX file)."""

    line: int
    reason: str

    def __str__(self) -> str:
        return _("line %(line)d: %(reason)s") % {"line": self.line, "reason": self.reason}


@dataclass
class ImportResult:
    """What an import did, or, when ``errors`` is not empty, why it did nothing."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def bad_lines(self) -> int:
        return len({error.line for error in self.errors})


@dataclass
class _Planned:
    row: ParsedRow
    listing: Listing | None = None
    changes: dict[str, Any] = field(default_factory=dict)


class _RollBack(Exception):
    """Raised inside the import's transaction to undo every write when a row failed while saving."""


def import_listings_file(
    *,
    path: str | Path,
    user,
    publish: bool = False,
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
    is_demo: bool = False,
) -> ImportResult:
    """Import a .jsonl, .csv or .xlsx file of listings, all rows or none."""
    path = Path(path)
    fmt = format_of(path.name)
    if fmt is None:
        return ImportResult(errors=[RowError(0, _("Use a .jsonl, .csv or .xlsx file."))], dry_run=dry_run)
    return import_listings(
        content=path.read_bytes(),
        fmt=fmt,
        user=user,
        publish=publish,
        dry_run=dry_run,
        progress=progress,
        is_demo=is_demo,
    )


def import_listings(
    *,
    content: bytes,
    fmt: str,
    user,
    publish: bool = False,
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
    is_demo: bool = False,
) -> ImportResult:
    """Import listings from a file's content; with ``dry_run`` only check and count."""
    require_publisher(user, publish)
    try:
        rows = read_rows(content, fmt)
    except FileFormatError as exc:
        return ImportResult(errors=[RowError(exc.line, exc.reason)], dry_run=dry_run)
    planned, errors = _plan(rows, publish=publish, progress=progress)
    result = ImportResult(
        created=sum(1 for item in planned if item.listing is None),
        updated=sum(1 for item in planned if item.listing is not None and item.changes),
        unchanged=sum(1 for item in planned if item.listing is not None and not item.changes),
        rows=len(rows),
        errors=errors,
        dry_run=dry_run,
    )
    if errors or dry_run:
        if errors:
            result.created = result.updated = result.unchanged = 0
        return result
    errors = _write(planned, user=user, publish=publish, is_demo=is_demo, progress=progress)
    if errors:
        return ImportResult(rows=len(rows), errors=errors)
    return result


def require_publisher(user, publish: bool) -> None:
    if publish and not getattr(user, "is_staff", False):
        raise PermissionDenied(_("Only a staff account may publish imported listings at once."))


# --- checking every row ------------------------------------------------------------------------------------------


def _plan(
    rows: list[SourceRow], *, publish: bool, progress: ProgressCallback | None
) -> tuple[list[_Planned], list[RowError]]:
    """Check every row against the rules and the database; return what to write and every problem found."""
    parser = RowParser(Lookups.load(row.values for row in rows))
    existing = _existing_listings(rows)
    planned: list[_Planned] = []
    errors: list[RowError] = []
    first_line: dict[str, int] = {}
    for done, source in enumerate(rows, start=1):
        if progress and done % PROGRESS_EVERY == 0:
            progress("validating", done, len(rows))
        if source.error:
            errors.append(RowError(source.line, source.error))
            continue
        row = parser.parse(source.line, source.values)
        problems = list(row.errors)
        if row.external_ref in first_line:
            problems.append(
                _("external_ref: “%(ref)s” is already used on line %(line)d of this file.")
                % {"ref": row.external_ref, "line": first_line[row.external_ref]}
            )
        elif row.external_ref:
            first_line[row.external_ref] = row.line
        item = _Planned(row=row, listing=existing.get(row.external_ref))
        if not row.errors:
            problems += _check_new(item, publish) if item.listing is None else _check_update(item, publish)
        errors.extend(RowError(source.line, problem) for problem in problems)
        if not problems:
            planned.append(item)
    if progress:
        progress("validating", len(rows), len(rows))
    return planned, errors


def _existing_listings(rows: list[SourceRow]) -> dict[str, Listing]:
    """Load the listings the file refers to, by external reference or, failing that, by reference code."""
    refs = sorted({external_ref_of(row.values.get("external_ref")) for row in rows} - {""})
    found: dict[str, Listing] = {}
    for start in range(0, len(refs), LOOKUP_BATCH):
        batch = refs[start : start + LOOKUP_BATCH]
        listings = (
            Listing.objects.filter(
                models.Q(external_ref__in=batch) | models.Q(reference_code__in=batch, external_ref__isnull=True)
            )
            .select_related("organization", "province", "ward", "vsic")
            .prefetch_related("fields", "partner_provinces")
        )
        # An external reference wins over a reference code that happens to read the same.
        for listing in sorted(listings, key=lambda listing: listing.external_ref is None):
            found.setdefault(listing.external_ref or listing.reference_code, listing)
    return found


def _check_new(item: _Planned, publish: bool) -> list[str]:
    row = item.row
    problems: list[str] = []
    if row.organization is None:
        problems.append(_("organization_tax_code: Give the tax code or the exact name of an existing organisation."))
    problems += _validation_problems(row.kind, row.data)
    if publish and not problems:
        problems += _submission_problems(row.kind, row.data)
    return problems


def _check_update(item: _Planned, publish: bool) -> list[str]:
    row, listing = item.row, item.listing
    assert listing is not None
    if row.kind != listing.kind:
        return [
            _("kind: The listing %(code)s is “%(kind)s”; an import cannot change the kind of a listing.")
            % {"code": listing.reference_code, "kind": listing.get_kind_display()}
        ]
    if row.organization is not None and row.organization.pk != listing.organization_id:
        return [
            _("organization_name: The listing %(code)s belongs to “%(name)s”; an import cannot move it.")
            % {"code": listing.reference_code, "name": listing.organization.name}
        ]
    current = _current_data(listing)
    item.changes = {
        name: value for name, value in row.data.items() if _comparable(name, value) != _comparable(name, current[name])
    }
    if not item.changes:
        return []
    if listing.status not in EDITABLE_STATES:
        return [
            _("The listing %(code)s is “%(state)s” and cannot be changed.")
            % {"code": listing.reference_code, "state": listing.get_status_display()}
        ]
    merged = {**current, **row.data}
    problems = _validation_problems(listing.kind, merged)
    if publish and not problems:
        problems += _submission_problems(listing.kind, merged)
    return problems


def _current_data(listing: Listing) -> dict[str, Any]:
    """The listing's latest content: its columns, overlaid by a revision that awaits review."""
    data: dict[str, Any] = {name: getattr(listing, name) for name in SCALAR_FIELDS}
    for name in M2M_FIELDS:
        data[name] = list(getattr(listing, name).all())
    if listing.pending_changes:
        data.update(services.listing_pending_data(listing=listing))
    return data


def _comparable(name: str, value: Any) -> Any:
    if name in M2M_FIELDS:
        return sorted(str(getattr(item, "pk", item)) for item in value or [])
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, date):
        return value.isoformat()
    return value


def _validation_problems(kind: str, data: dict[str, Any]) -> list[str]:
    try:
        validate_data(kind, data)
    except ValidationError as exc:
        return validation_messages(exc)
    return []


class _FieldsProbe:
    """Stands in for ``listing.fields`` so the submission rules can judge a row before it is saved."""

    def __init__(self, items: list) -> None:
        self.items = items

    def exists(self) -> bool:
        return bool(self.items)


def _submission_problems(kind: str, data: dict[str, Any]) -> list[str]:
    # The same rules as listing_submit, so a row that --publish would fail on is reported with the others.
    probe = SimpleNamespace(
        kind=kind,
        title=data.get("title"),
        summary=data.get("summary"),
        description=data.get("description"),
        trl=data.get("trl"),
        fields=_FieldsProbe(data.get("fields") or []),
    )
    errors = submission_errors(probe, require_trl=False)
    return validation_messages(ValidationError(errors)) if errors else []


# --- writing -----------------------------------------------------------------------------------------------------


def _write(
    planned: list[_Planned], *, user, publish: bool, is_demo: bool, progress: ProgressCallback | None
) -> list[RowError]:
    """Write every checked row in one transaction; if any row still fails, undo them all and say which."""
    new = [item for item in planned if item.listing is None]
    changed = [item for item in planned if item.listing is not None and item.changes]
    total = len(new) + len(changed)
    errors: list[RowError] = []
    if progress:
        # Before the transaction, so a progress display outside it can see that saving has begun.
        progress("saving", 0, total)
    try:
        with transaction.atomic():
            for start in range(0, len(new), CREATE_BATCH):
                errors += _create(new[start : start + CREATE_BATCH], user=user, publish=publish, is_demo=is_demo)
                if progress:
                    progress("saving", min(start + CREATE_BATCH, len(new)), total)
            for done, item in enumerate(changed, start=len(new) + 1):
                try:
                    with transaction.atomic():
                        _update(item, user=user, publish=publish)
                except (ValidationError, PermissionDenied, IntegrityError) as exc:
                    errors.append(RowError(item.row.line, "; ".join(_messages(exc))))
                if progress and done % PROGRESS_EVERY == 0:
                    progress("saving", done, total)
            if errors:
                raise _RollBack
    except _RollBack:
        return errors
    if progress:
        progress("saving", total, total)
    return []


def _messages(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        return validation_messages(exc)
    return [str(exc)]


def _create(batch: list[_Planned], *, user, publish: bool, is_demo: bool) -> list[RowError]:
    """Create a batch of listings at once; if the batch fails, find the rows at fault one by one."""
    items = [
        services.NewListing(
            organization=cast(Organization, item.row.organization),  # _check_new refused a row without one
            kind=item.row.kind,
            data=item.row.data,
            external_ref=item.row.external_ref,
            source=item.row.source,
        )
        for item in batch
    ]
    # No "published" e-mail per listing: it would also go to the importing staff member (the creator), once per
    # row; the import's own report tells them what happened.
    options = {"user": user, "is_demo": is_demo, "publish": publish, "notify": False}
    try:
        with transaction.atomic():
            services.listings_bulk_create(items=items, **options)
        return []
    except (ValidationError, PermissionDenied, IntegrityError):
        pass
    errors: list[RowError] = []
    for item, new in zip(batch, items, strict=True):
        try:
            with transaction.atomic():
                services.listings_bulk_create(items=[new], **options)
        except (ValidationError, PermissionDenied, IntegrityError) as exc:
            errors.append(RowError(item.row.line, "; ".join(_messages(exc))))
    return errors or [RowError(batch[0].row.line, _("These rows could not be saved together; try again."))]


def _update(item: _Planned, *, user, publish: bool) -> None:
    assert item.listing is not None
    listing = services.listing_update(listing=item.listing, user=user, data=item.changes, check_membership=False)
    if publish:
        if listing.status in (ListingStatus.DRAFT, ListingStatus.CHANGES_REQUESTED):
            listing = services.listing_submit(listing=listing, user=user, check_membership=False)
        if listing.status == ListingStatus.SUBMITTED:
            services.listing_publish(listing=listing, user=user)
