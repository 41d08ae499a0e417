"""Open data: the public part of the live listings as CSV and JSON files, under CC BY 4.0, regenerated daily and
described in a DCAT catalogue (JSON-LD).

What goes in is what a visitor reads on a listing's public page: its approved text and classifications, its
province, its price or budget, and its owner's name and page unless it is anonymous. Never a confidential document,
never an anonymous owner, never a contact, a tax code or a street address (an inventor's is their home).
"""

import csv
import io
import json
from datetime import datetime
from typing import IO, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse

from techex.core.operator import operator
from techex.listings.exporter import csv_cell
from techex.listings.public_record import COLUMN_NAMES, public_records
from techex.notifications.emails import absolute_url

LICENCE_NAME = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
CONTENT_TYPES = {"csv": "text/csv", "json": "application/json"}
KEPT_PER_FORMAT = 7  # a week of daily files: a harvester that missed a day still finds yesterday's


def _cell(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    return csv_cell(value)


def write_csv(out: IO[bytes]) -> int:
    """Write the CSV file (UTF-8 with a byte-order mark, as the exchange's exports) to ``out``; return its rows."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(COLUMN_NAMES)
    count = 0
    for row in public_records():
        writer.writerow([_cell(row[name]) for name in COLUMN_NAMES])
        count += 1
    text.detach()
    return count


def write_json(out: IO[bytes], *, generated_at: datetime) -> int:
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
    for row in public_records():
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
