"""Measure how many rows per second ``import_listings`` writes on a throw-away SQLite database.

    .venv/bin/python bench/import_throughput.py [ROWS]

Builds a fresh database in a temporary directory (migrations, reference data, two organisations, a staff account),
writes ROWS listings (default 1,000) as JSONL, CSV and XLSX, and times for each: the first import, the first import
with --publish, and a second import of the same file (nothing changes).
"""

import csv
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def rows(count: int) -> list[dict]:
    result = []
    for number in range(count):
        offer = number % 3 != 0
        row = {
            "kind": "offer" if offer else "need",
            "external_ref": f"bench-{number}",
            "title": f"Công nghệ sấy nông sản bằng năng lượng mặt trời số {number}",
            "summary": "Hệ thống sấy kết hợp năng lượng mặt trời và sinh khối cho hợp tác xã.",
            "description": "Giảm 30% chi phí nhiên liệu; sản phẩm đạt tiêu chuẩn xuất khẩu. " * 8,
            "field_codes": "4; 402",
            "keywords": "sấy; năng lượng mặt trời; sinh khối",
            "transfer_forms": "non_exclusive_licence; technical_service",
            "price_type": "negotiable",
            "province_code": "92",
            "organization_tax_code": "1800000001" if offer else "1800000002",
            "source": "bench",
        }
        row.update({"trl": 6, "stage": "lab_tested"} if offer else {"min_trl": 5})
        result.append(row)
    return result


def write(path: Path, data: list[dict]) -> Path:
    columns = list(dict.fromkeys(name for row in data for name in row))
    if path.suffix == ".jsonl":
        path.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in data), encoding="utf-8")
    elif path.suffix == ".csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns)
        writer.writeheader()
        writer.writerows(data)
        path.write_text(buffer.getvalue(), encoding="utf-8")
    else:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(columns)
        for row in data:
            sheet.append([row.get(name) for name in columns])
        workbook.save(path)
    return path


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    workdir = Path(tempfile.mkdtemp(prefix="techex-bench-"))
    os.environ["DJANGO_VAR_DIR"] = str(workdir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from techex.accounts.models import User
    from techex.listings.importer import import_listings_file
    from techex.listings.models import Listing
    from techex.organizations.models import Organization
    from techex.reference.loader import load_all

    load_all()
    Organization.objects.create(name="Viện A", slug="vien-a", type="institute", tax_code="1800000001")
    Organization.objects.create(name="HTX B", slug="htx-b", type="cooperative", tax_code="1800000002")
    staff = User.objects.create_user("bench@example.vn", is_staff=True)
    data = rows(count)
    print(f"{count} rows, SQLite in {workdir}")
    for fmt in ("jsonl", "csv", "xlsx"):
        path = write(workdir / f"bench.{fmt}", data)
        for label, publish in (("import", False), ("import --publish", True), ("again (unchanged)", True)):
            if label != "again (unchanged)":
                Listing.objects.all().delete()
            started = time.perf_counter()
            result = import_listings_file(path=path, user=staff, publish=publish)
            seconds = time.perf_counter() - started
            assert result.ok, result.errors[:5]
            print(f"{fmt:5} {label:18} {seconds:6.2f} s {count / seconds:7.0f} rows/s  {result}")


if __name__ == "__main__":
    main()
