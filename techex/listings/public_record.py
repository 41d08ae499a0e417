"""The public record of a listing: what anyone may know of a live listing, as plain values by column, for the
machines that read the exchange (the open-data files, the exchange-to-exchange harvest).

It is what a visitor reads on the listing's public page: its approved text and classifications, its province, its
price or budget, and its owner's name and page unless it is anonymous. Never a confidential document, never an
anonymous owner, never a contact, a tax code or a street address (an inventor's is their home).
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from techex.notifications.emails import absolute_url

from .exporter import CHUNK_SIZE, export_queryset, listing_row
from .models import Listing

TEXT: dict[str, Any] = {"type": "string"}
TEXTS: dict[str, Any] = {"type": "array", "items": {"type": "string"}}
NUMBER: dict[str, Any] = {"type": ["integer", "null"]}
WHEN: dict[str, Any] = {"type": ["string", "null"], "format": "date-time"}


@dataclass(frozen=True)
class Column:
    name: str
    description: Any  # a lazy translation
    schema: dict[str, Any] = field(default_factory=lambda: TEXT)  # its JSON Schema, for the exchange format


# The columns, in the files' order, with what each holds (shown on the open-data page).
COLUMNS = (
    Column("identifier", _("The listing's reference code, unique on this exchange, starting with its code.")),
    Column("url", _("The address of the listing's public page."), {"type": "string", "format": "uri"}),
    Column(
        "kind",
        _("offer (technology supply) or need (technology demand)."),
        {"type": "string", "enum": ["offer", "need"]},
    ),
    Column("title", _("Title.")),
    Column("summary", _("Summary.")),
    Column("description", _("Description.")),
    Column("advantages", _("Advantages (offers).")),
    Column("applications", _("Applications (offers).")),
    Column("comparison", _("Comparison with other technologies (offers).")),
    Column("problem", _("The problem to solve (needs).")),
    Column("technical_requirements", _("Technical requirements (needs).")),
    Column("current_conditions", _("Current conditions (needs).")),
    Column("language", _("Language of the text: vi or en.")),
    Column("field_codes", _("S&T field codes (Decision 12/2008/QĐ-BKHCN), separated by “; ” in CSV."), TEXTS),
    Column("keywords", _("Keywords."), TEXTS),
    Column("ipc_codes", _("International Patent Classification codes."), TEXTS),
    Column("vsic", _("Industry code (VSIC 2018).")),
    Column("trl", _("Technology readiness level, 1–9 (offers)."), NUMBER),
    Column("stage", _("Development stage (offers).")),
    Column("min_trl", _("Lowest readiness level accepted (needs)."), NUMBER),
    Column("ip_type", _("Intellectual property type.")),
    Column("ip_status", _("Protection status.")),
    Column("ip_numbers", _("Patent or application numbers.")),
    Column("ip_territory", _("Where the protection holds.")),
    Column("transfer_forms", _("Transfer forms accepted."), TEXTS),
    Column("price_type", _("How the price is given.")),
    Column("price_min", _("Price or budget from, in VND."), NUMBER),
    Column("price_max", _("Price or budget to, in VND."), NUMBER),
    Column("deadline", _("Deadline (needs), YYYY-MM-DD."), {"type": ["string", "null"], "format": "date"}),
    Column("partner_types", _("Kinds of partner sought."), TEXTS),
    Column("partner_province_codes", _("Provinces where partners are sought (2025 codes)."), TEXTS),
    Column("province_code", _("Province of the listing (2025 administrative units).")),
    Column("deployment_place", _("Where the technology is to be deployed.")),
    Column("organization_name", _("The owner's name; empty when the listing is anonymous.")),
    Column("organization_url", _("The owner's page; empty when the listing is anonymous.")),
    Column("source", _("Where the listing came from (the exchange itself or an imported source).")),
    Column("published_at", _("When it was published (ISO 8601)."), WHEN),
    Column("valid_until", _("Until when it is valid (ISO 8601)."), WHEN),
)
COLUMN_NAMES = tuple(column.name for column in COLUMNS)


def public_listings():
    return export_queryset(Listing.objects.live().order_by("pk"))


def public_record(listing: Listing) -> dict[str, Any]:
    """One live listing's public record, by column (``listing_row`` without identity, plus its addresses)."""
    row = listing_row(listing, show_identity=False)
    named = bool(row["organization_name"])
    row.update(
        {
            "identifier": listing.reference_code,
            "url": absolute_url(listing.get_absolute_url()),
            "organization_url": absolute_url(listing.organization.get_absolute_url()) if named else "",
            "published_at": listing.published_at,
            "valid_until": listing.valid_until,
        }
    )
    return {name: row[name] for name in COLUMN_NAMES}


def public_records() -> Iterator[dict[str, Any]]:
    """Every live listing's public record, in the order they were created, a chunk at a time."""
    for listing in public_listings().iterator(chunk_size=CHUNK_SIZE):
        yield public_record(listing)
