"""The harvester: takes another exchange's listings in as foreign listings, from its feed of changes.

Each page of the feed is applied in one transaction with the cursor that follows it, so a run stopped anywhere
(a network failure, a crash) resumes from the last page applied: nothing is missed and, since listings are matched
by their global identifier, nothing is duplicated. A foreign listing goes through the import service like any
imported listing (checked, published, indexed, matched), owned by the organisation standing for the source; a
tombstone withdraws it. The page it came from is kept to link back.
"""

import json
import logging
from dataclasses import dataclass, field
from typing import Any
from urllib.error import URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from django.db import transaction
from django.utils import timezone

from techex.listings import services as listing_services
from techex.listings.choices import ListingStatus
from techex.listings.importer import import_listings
from techex.listings.models import Listing
from techex.listings.tabular import COLUMNS as IMPORT_COLUMNS

from .choices import FORMAT
from .models import ForeignListing, HarvestSource

logger = logging.getLogger(__name__)

PAGE_SIZE = 200
TIMEOUT = 30  # seconds per request
# What the import format takes from a record as is; the owner and the identity are the source's.
TAKEN = tuple(name for name in IMPORT_COLUMNS if name not in {"external_ref", "organization_tax_code", "ward_code"})
OWN = {"organization_name", "is_anonymous", "source", "open_for_inquiries"}


class HarvestError(Exception):
    """The source could not be read (network, authentication, format): nothing of the page was applied."""


@dataclass
class HarvestResult:
    pages: int = 0
    created: int = 0
    updated: int = 0
    withdrawn: int = 0
    skipped: list[str] = field(default_factory=list)


def fetch_page(source: HarvestSource, *, cursor: str, limit: int = PAGE_SIZE) -> dict[str, Any]:
    if not source.base_url.startswith(("https://", "http://")):
        raise HarvestError(f"{source.base_url}: only http and https addresses are harvested")
    query = urlencode({"cursor": cursor or "0", "limit": limit})
    request = Request(  # noqa: S310  # the scheme is checked above
        f"{source.base_url}/api/v1/exchange/changes/?{query}",
        headers={"Authorization": f"Api-Key {source.api_key}", "Accept": "application/json"},
    )
    try:
        with urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310  # the scheme is checked above
            page = json.load(response)
    except (URLError, OSError, ValueError) as error:
        raise HarvestError(f"{source.base_url}: {error}") from error
    if not isinstance(page, dict) or page.get("format") != FORMAT or not isinstance(page.get("changes"), list):
        raise HarvestError(f"{source.base_url}: not a page of the {FORMAT} feed")
    return page


def harvest(source: HarvestSource, *, limit: int = PAGE_SIZE, max_pages: int | None = None) -> HarvestResult:
    """Apply the source's changes since its cursor, page by page; record the run (and a failure) on the source."""
    result = HarvestResult()
    try:
        while max_pages is None or result.pages < max_pages:
            page = fetch_page(source, cursor=source.cursor, limit=limit)
            with transaction.atomic():
                _apply(source, page["changes"], result)
                source.cursor = str(page["next_cursor"])
                source.save(update_fields=["cursor", "updated_at"])
            result.pages += 1
            if not page.get("has_more"):
                break
    except HarvestError as error:
        _finish(source, problem=str(error))
        raise
    _finish(source, problem="; ".join(result.skipped))
    return result


def _finish(source: HarvestSource, *, problem: str) -> None:
    source.last_run_at = timezone.now()
    source.last_error = problem[:2000]
    source.save(update_fields=["last_run_at", "last_error", "updated_at"])


def _apply(source: HarvestSource, changes: list[dict[str, Any]], result: HarvestResult) -> None:
    wanted = [c for c in changes if not c.get("deleted") and _wanted(source, c.get("listing") or {})]
    taken = {c["id"] for c in wanted}
    gone = [c["id"] for c in changes if c["id"] not in taken]
    for global_id in gone:
        result.withdrawn += _withdraw(source, global_id)
    if wanted:
        _upsert(source, wanted, result)


def _wanted(source: HarvestSource, record: dict[str, Any]) -> bool:
    return bool(record) and (not source.kinds or record.get("kind") in source.kinds)


def _withdraw(source: HarvestSource, global_id: str) -> int:
    foreign = ForeignListing.objects.filter(source=source, global_id=global_id).select_related("listing").first()
    if foreign is None or not foreign.listing.is_live:
        return 0
    listing_services.listing_withdraw(listing=foreign.listing, user=source.created_by)
    return 1


def _row(source: HarvestSource, change: dict[str, Any]) -> dict[str, Any]:
    record = change["listing"]
    row = {name: record[name] for name in TAKEN if name in record and name not in OWN}
    row.update(
        external_ref=change["id"],
        organization_name=source.organization.name,
        source=source.name,
    )
    return {name: value for name, value in row.items() if value not in (None, "", [])}


def _upsert(source: HarvestSource, changes: list[dict[str, Any]], result: HarvestResult) -> None:
    by_ref = {change["id"]: change for change in changes}
    # A listing withdrawn here after a tombstone, now live again upstream, is reopened so the import can publish it.
    for listing in Listing.objects.filter(external_ref__in=by_ref, status=ListingStatus.WITHDRAWN):
        listing_services.listing_reopen(listing=listing, user=source.created_by)
    rows = {change["id"]: _row(source, change) for change in changes}
    outcome = _import(source, list(rows.values()))
    if outcome.errors:
        # Leave out the rows the import refused (by their line), say which, and apply the others.
        refs = list(rows)
        problems = {refs[error.line - 1]: error.reason for error in outcome.errors if 0 < error.line <= len(refs)}
        result.skipped += [f"{ref}: {reason}" for ref, reason in problems.items()]
        refused = set(problems)
        rows = {ref: row for ref, row in rows.items() if ref not in refused}
        outcome = _import(source, list(rows.values())) if rows else outcome
        if outcome.errors and rows:
            result.skipped += [f"{error.line}: {error.reason}" for error in outcome.errors]
            return
    result.created += outcome.created
    result.updated += outcome.updated
    listings = Listing.objects.filter(external_ref__in=rows).only("pk", "external_ref")
    for listing in listings:
        origin = by_ref[listing.external_ref]["listing"].get("url") or source.base_url
        ForeignListing.objects.update_or_create(
            global_id=listing.external_ref, defaults={"listing": listing, "source": source, "origin_url": origin}
        )


def _import(source: HarvestSource, rows: list[dict[str, Any]]):
    content = "\n".join(json.dumps(row, ensure_ascii=False) for row in rows).encode()
    return import_listings(content=content, fmt="jsonl", user=source.created_by, publish=True)
