"""What the exchange hands to other exchanges: a listing in the exchange format, and the feed of changes in order."""

from dataclasses import dataclass
from typing import Any

from techex.core.operator import operator
from techex.listings.exporter import export_queryset
from techex.listings.models import Listing
from techex.listings.public_record import COLUMNS, public_record

from .choices import FORMAT
from .models import ApiKey, HarvestSource, ListingChange

MAX_PAGE = 500


def global_id(*, reference_code: str) -> str:
    """A listing's identifier across exchanges: the operator's code and the reference code."""
    return f"{operator()['code']}:{reference_code}"


def exchange_record(*, listing: Listing) -> dict[str, Any]:
    """A live listing in the exchange format: its public record, named globally."""
    return {"id": global_id(reference_code=listing.reference_code), **public_record(listing)}


@dataclass(frozen=True)
class ChangesPage:
    changes: list[dict[str, Any]]
    next_cursor: str
    has_more: bool


def changes_after(*, cursor: int, limit: int) -> ChangesPage:
    """The changes numbered after ``cursor``, in order: a live listing's record, or a tombstone for one that left the
    public view (withdrawn, expired, archived, deleted). ``next_cursor`` is where the next call starts."""
    rows = list(ListingChange.objects.filter(seq__gt=cursor).order_by("seq")[: limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    ids = [row.listing_id for row in rows if row.listing_id is not None]
    live = {listing.pk: listing for listing in export_queryset(Listing.objects.live().filter(pk__in=ids))}
    changes = []
    for row in rows:
        listing = live.get(row.listing_id) if row.listing_id is not None else None
        record = exchange_record(listing=listing) if listing is not None else None
        changes.append(
            {
                "seq": row.seq,
                "id": global_id(reference_code=row.reference_code),
                "deleted": record is None,
                "listing": record,
            }
        )
    return ChangesPage(changes, str(rows[-1].seq if rows else cursor), has_more)


def record_schema() -> dict[str, Any]:
    """The published JSON Schema of a page of the feed (and of a listing in the exchange format)."""
    listing = {
        "type": "object",
        "required": ["id", *(column.name for column in COLUMNS)],
        "properties": {
            "id": {"type": "string", "description": "The operator's code, a colon, the listing's reference code."},
            **{column.name: {**column.schema, "description": str(column.description)} for column in COLUMNS},
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": FORMAT,
        "title": "A page of the feed of listing changes of a technology exchange",
        "type": "object",
        "required": ["format", "operator", "changes", "next_cursor", "has_more"],
        "properties": {
            "format": {"const": FORMAT},
            "operator": {
                "type": "object",
                "required": ["code", "name"],
                "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
            },
            "changes": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["seq", "id", "deleted", "listing"],
                    "properties": {
                        "seq": {"type": "integer"},
                        "id": {"type": "string"},
                        "deleted": {"type": "boolean"},
                        "listing": {"oneOf": [{"$ref": "#/$defs/listing"}, {"type": "null"}]},
                    },
                },
            },
            "next_cursor": {"type": "string"},
            "has_more": {"type": "boolean"},
        },
        "$defs": {"listing": listing},
    }


def api_key_list() -> list[ApiKey]:
    return list(ApiKey.objects.select_related("created_by"))


def harvest_source_list() -> list[HarvestSource]:
    return list(HarvestSource.objects.select_related("organization").order_by("name"))


LOG_SIZE = 10


def webhook_endpoint_list() -> list[Any]:
    """The endpoints, each with its latest deliveries (``recent``) for the delivery log."""
    from .models import WebhookDelivery, WebhookEndpoint

    endpoints = list(WebhookEndpoint.objects.all())
    for endpoint in endpoints:
        recent = list(WebhookDelivery.objects.filter(endpoint=endpoint).order_by("-pk")[:LOG_SIZE])
        setattr(endpoint, "recent", recent)  # noqa: B010  # read by the template beside the endpoint's fields
    return endpoints
