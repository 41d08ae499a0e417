"""Load the reference classifications shipped in ``data/reference`` (idempotent: rows are upserted by code)."""

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.db import models, transaction

from techex.core import events

from .events import ReferenceDataLoaded
from .models import TRL, IPCClass, Province, STField, VSICCode, Ward, WardSuccession

# Sent (inside the loading transaction) once every table is loaded: domains above reference that hang data on it
# subscribe in their apps.py (departments makes sure of the lead department).

_M = TypeVar("_M", bound=models.Model)


def data_dir() -> Path:
    return settings.BASE_DIR / "data" / "reference"


def _rows(relative: str) -> Iterator[dict[str, str]]:
    with open(data_dir() / relative, encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _upsert(model: type[_M], objects: list[_M], fields: list[str]) -> int:
    model._default_manager.bulk_create(
        objects, update_conflicts=True, unique_fields=[model._meta.pk.name], update_fields=fields, batch_size=500
    )
    return len(objects)


def load_provinces() -> int:
    objects = [
        Province(
            code=row["code"],
            name=row["name"],
            name_en=row["name_en"],
            full_name=row["full_name"],
            unit_type=row["unit_type"],
            is_mekong=row["mekong_focus"] == "1",
        )
        for row in _rows("admin/vn_provinces_2025.csv")
    ]
    return _upsert(Province, objects, ["name", "name_en", "full_name", "unit_type", "is_mekong"])


def load_wards() -> int:
    objects = [
        Ward(
            code=row["code"],
            province_id=row["province_code"],
            name=row["name"],
            name_en=row["name_en"],
            full_name=row["full_name"],
            unit_type=row["unit_type"],
        )
        for row in _rows("admin/vn_wards_2025.csv")
    ]
    return _upsert(Ward, objects, ["province", "name", "name_en", "full_name", "unit_type"])


def load_st_fields() -> int:
    rows = [
        {
            "code": r["code"],
            "parent": r["parent_code"],
            "name": r["name_vi"],
            "name_en": r["oecd_fos_name_en"],
            "oecd": r["oecd_fos_code"],
        }
        for r in _rows("st_fields/vn_st_fields_12-2008_level1_2.csv")
    ]
    # The 5-digit majors have no official English names: the project's translation (PROVENANCE.md) names them, so
    # an English page reads every level of the classification in English, not the majors alone in Vietnamese.
    english = {r["code"]: r["name_en"] for r in _rows("st_fields/vn_st_fields_12-2008_level3_en.csv")}
    rows += [
        {
            "code": r["code"],
            "parent": r["parent_code"],
            "name": r["name_vi"],
            "name_en": english.get(r["code"], ""),
            "oecd": "",
        }
        for r in _rows("st_fields/vn_st_fields_12-2008_level3_PARTIAL.csv")
    ]
    # Parents first, so each row's parent exists when it is written.
    rows.sort(key=lambda r: (len(r["code"]), r["code"]))
    count = 0
    for level in sorted({len(r["code"]) for r in rows}):
        objects = [
            STField(
                code=r["code"],
                parent_id=r["parent"] or None,
                level={1: 1, 3: 2}.get(len(r["code"]), 3),
                name=r["name"],
                name_en=r["name_en"],
                oecd_code=r["oecd"],
            )
            for r in rows
            if len(r["code"]) == level
        ]
        count += _upsert(STField, objects, ["parent", "level", "name", "name_en", "oecd_code"])
    return count


def load_trl() -> int:
    objects = [
        TRL(
            level=int(row["trl"]),
            name=row["vi_unofficial_translation"],
            name_en=row["eu_horizon2020_annex_g_en"].capitalize(),
            description_en=row["nasa_en"],
        )
        for row in _rows("trl/trl_definitions.csv")
    ]
    return _upsert(TRL, objects, ["name", "name_en", "description_en"])


def load_ipc() -> int:
    count = 0
    rows = list(_rows("ipc/ipc_sections_classes_subclasses_en.csv"))
    for level in ("section", "class", "subclass"):
        objects = [
            IPCClass(code=r["code"], parent_id=r["parent_code"] or None, level=level, title=r["title_short"][:600])
            for r in rows
            if r["level"] == level
        ]
        count += _upsert(IPCClass, objects, ["parent", "level", "title"])
    return count


def load_vsic() -> int:
    rows = list(_rows("vsic/vsic2025_level1_2.csv"))
    count = 0
    for level in ("1", "2"):
        objects = [
            VSICCode(
                code=r["code"],
                parent_id=r["parent_code"] or None,
                level=int(level),
                name=r["name_vi"],
                name_en=r["isic_rev5_section_title_en"],
            )
            for r in rows
            if r["level"] == level
        ]
        count += _upsert(VSICCode, objects, ["parent", "level", "name", "name_en"])
    return count


def load_ward_successions() -> int:
    """The old-to-new commune links of the 2025 reform, upserted by (old commune, new commune)."""
    objects = [
        WardSuccession(
            old_province_code=row["old_province_code"],
            old_province_name=row["old_province_name"],
            old_ward_code=row["old_ward_code"],
            old_ward_name=row["old_ward_name"],
            new_ward_id=row["new_ward_code"],
            is_partial=int(row["n_new_targets"]) > 1,
        )
        for row in _rows("admin/old_to_new_ward_mapping_2025.csv")
    ]
    fields = ["old_province_code", "old_province_name", "old_ward_name", "is_partial"]
    WardSuccession.objects.bulk_create(
        objects,
        update_conflicts=True,
        unique_fields=["old_ward_code", "new_ward"],
        update_fields=fields,
        batch_size=1000,
    )
    return len(objects)


@transaction.atomic
def load_all() -> dict[str, int]:
    counts = {
        "provinces": load_provinces(),
        "communes": load_wards(),
        "st_fields": load_st_fields(),
        "trl": load_trl(),
        "ipc": load_ipc(),
        "vsic": load_vsic(),
        "commune_successions": load_ward_successions(),
    }
    events.publish(ReferenceDataLoaded())
    return counts
