"""Open data: the public part of the live listings as CSV and JSON files, under CC BY 4.0, regenerated daily and
described in a DCAT catalogue (JSON-LD).

What goes in is what a visitor reads on a listing's public page: its approved text and classifications, its
province, its price or budget, and its owner's name and page unless it is anonymous. Never a confidential document,
never an anonymous owner, never a contact, a tax code or a street address (an inventor's is their home).
"""

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from techex.core.operator import operator
from techex.listings.exporter import CHUNK_SIZE, csv_cell, export_queryset, listing_row
from techex.listings.models import Listing
from techex.notifications.emails import absolute_url

LICENCE_NAME = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
CONTENT_TYPES = {"csv": "text/csv", "json": "application/json"}
KEPT_PER_FORMAT = 7  # a week of daily files: a harvester that missed a day still finds yesterday's


@dataclass(frozen=True)
class Column:
    name: str
    description: Any  # a lazy translation


# The columns, in the files' order, with what each holds (shown on the open-data page).
COLUMNS = (
    Column("identifier", _("The listing's reference code, unique on this exchange, starting with its code.")),
    Column("url", _("The address of the listing's public page.")),
    Column("kind", _("offer (technology supply) or need (technology demand).")),
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
    Column("field_codes", _("S&T field codes (Decision 12/2008/QĐ-BKHCN), separated by “; ” in CSV.")),
    Column("keywords", _("Keywords.")),
    Column("ipc_codes", _("International Patent Classification codes.")),
    Column("vsic", _("Industry code (VSIC 2018).")),
    Column("trl", _("Technology readiness level, 1–9 (offers).")),
    Column("stage", _("Development stage (offers).")),
    Column("min_trl", _("Lowest readiness level accepted (needs).")),
    Column("ip_type", _("Intellectual property type.")),
    Column("ip_status", _("Protection status.")),
    Column("ip_numbers", _("Patent or application numbers.")),
    Column("ip_territory", _("Where the protection holds.")),
    Column("transfer_forms", _("Transfer forms accepted.")),
    Column("price_type", _("How the price is given.")),
    Column("price_min", _("Price or budget from, in VND.")),
    Column("price_max", _("Price or budget to, in VND.")),
    Column("deadline", _("Deadline (needs), YYYY-MM-DD.")),
    Column("partner_types", _("Kinds of partner sought.")),
    Column("partner_province_codes", _("Provinces where partners are sought (2025 codes).")),
    Column("province_code", _("Province of the listing (2025 administrative units).")),
    Column("deployment_place", _("Where the technology is to be deployed.")),
    Column("organization_name", _("The owner's name; empty when the listing is anonymous.")),
    Column("organization_url", _("The owner's page; empty when the listing is anonymous.")),
    Column("source", _("Where the listing came from (the exchange itself or an imported source).")),
    Column("published_at", _("When it was published (ISO 8601).")),
    Column("valid_until", _("Until when it is valid (ISO 8601).")),
)
COLUMN_NAMES = tuple(column.name for column in COLUMNS)


def public_listings():
    return export_queryset(Listing.objects.live().order_by("pk"))


def open_data_row(listing: Listing) -> dict[str, Any]:
    """One live listing's public part, by column (``listing_row`` without identity, plus its addresses)."""
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


def rows() -> Iterator[dict[str, Any]]:
    for listing in public_listings().iterator(chunk_size=CHUNK_SIZE):
        yield open_data_row(listing)


def _cell(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    return csv_cell(value)


def write_csv(out: io.BufferedIOBase) -> int:
    """Write the CSV file (UTF-8 with a byte-order mark, as the exchange's exports) to ``out``; return its rows."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(COLUMN_NAMES)
    count = 0
    for row in rows():
        writer.writerow([_cell(row[name]) for name in COLUMN_NAMES])
        count += 1
    text.detach()
    return count


def write_json(out: io.BufferedIOBase, *, generated_at: datetime) -> int:
    """Write the JSON file to ``out``, one listing at a time (no list of them all in memory); return its rows."""
    head = {
        "licence": {"name": LICENCE_NAME, "url": LICENCE_URL},
        "publisher": operator()["department"],
        "source": absolute_url("/"),
        "generated_at": generated_at,
    }
    out.write(json.dumps(head, cls=DjangoJSONEncoder, ensure_ascii=False)[:-1].encode())
    out.write(b', "listings": [')
    count = 0
    for row in rows():
        out.write((b",\n" if count else b"\n") + json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False).encode())
        count += 1
    out.write(f'\n], "count": {count}}}\n'.encode())
    return count


def catalogue(files: dict[str, Any], *, page_url: str, catalogue_url: str) -> dict[str, Any]:
    """The DCAT catalogue (JSON-LD) of the open data: one dataset, a distribution per published format."""
    config = operator()
    publisher = {"@type": "foaf:Organization", "foaf:name": config["department"]}
    newest = max((release.generated_at for release in files.values()), default=None)
    distributions = [
        {
            "@type": "dcat:Distribution",
            "dct:title": f"{config['name']} — {release.format.upper()}",
            "dcat:downloadURL": {"@id": absolute_url(_download_path(release.format))},
            "dcat:mediaType": CONTENT_TYPES[release.format],
            "dcat:byteSize": release.size,
            "dct:modified": release.generated_at.isoformat(),
            "dct:license": {"@id": LICENCE_URL},
            "spdx:checksum": {
                "@type": "spdx:Checksum",
                "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
                "spdx:checksumValue": release.sha256,
            },
        }
        for release in files.values()
    ]
    dataset = {
        "@type": "dcat:Dataset",
        "@id": f"{page_url}#listings",
        "dct:identifier": f"{config['code']}-listings",
        "dct:title": [
            {"@language": "vi", "@value": f"Công nghệ chào bán và nhu cầu công nghệ — {config['name']}"},
            {"@language": "en", "@value": f"Technology offers and needs — {config['name_en']}"},
        ],
        "dct:description": [
            {
                "@language": "vi",
                "@value": "Phần công khai của các tin đang hiển thị trên sàn, cập nhật hằng ngày.",
            },
            {"@language": "en", "@value": "The public part of the live listings of the exchange, updated daily."},
        ],
        "dct:publisher": publisher,
        "dct:license": {"@id": LICENCE_URL},
        "dct:accrualPeriodicity": {"@id": "http://purl.org/cld/freq/daily"},
        "dct:spatial": config["region"],
        "dcat:keyword": ["technology transfer", "chuyển giao công nghệ", "technology market"],
        "dcat:landingPage": {"@id": page_url},
        "dcat:distribution": distributions,
    }
    if newest is not None:
        dataset["dct:modified"] = newest.isoformat()
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "spdx": "http://spdx.org/rdf/terms#",
        },
        "@id": catalogue_url,
        "@type": "dcat:Catalog",
        "dct:title": config["name"],
        "dct:publisher": publisher,
        "dct:license": {"@id": LICENCE_URL},
        "dcat:dataset": [dataset],
    }


def _download_path(file_format: str) -> str:
    return reverse("open_data_download", kwargs={"file_format": file_format})
