"""Import of listings from JSONL, CSV and XLSX: all rows or none, idempotent, every problem reported."""

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from techex.core.models import AuditEntry
from techex.core.services import audit_verify_chain
from techex.listings import services
from techex.listings.choices import ImportJobStatus, ListingStatus
from techex.listings.importer import RowError, import_listings_file
from techex.listings.models import ImportJob, Listing
from techex.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

TAX_CODE = "0301234567"


@pytest.fixture
def supplier(reference_data):
    return OrganizationFactory(name="Viện Lúa Đồng bằng sông Cửu Long", tax_code=TAX_CODE)


@pytest.fixture
def buyer(reference_data):
    return OrganizationFactory(name="Hợp tác xã Tôm Sạch")


def offer_row(**overrides):
    row = {
        "kind": "offer",
        "external_ref": "src-1",
        "title": "Máy sấy lúa tầng sôi",
        "summary": "Sấy 10 tấn/mẻ bằng trấu.",
        "description": "Giảm 30% chi phí nhiên liệu so với lò sấy vỉ ngang.",
        "language": "vi",
        "field_codes": "4; 402",
        "keywords": "sấy lúa; trấu",
        "ipc_codes": "F26B 17/10",
        "vsic": "01",
        "trl": 7,
        "stage": "demonstrated",
        "ip_type": "patent",
        "ip_status": "granted",
        "transfer_forms": "non_exclusive_licence; technical_service",
        "price_type": "range",
        "price_min": 100_000_000,
        "price_max": 250_000_000,
        "province_code": "92",
        "ward_code": "",
        "organization_tax_code": TAX_CODE,
        "organization_name": "",
        "is_anonymous": "false",
        "source": "Viện Lúa",
    }
    row.update(overrides)
    return row


def need_row(**overrides):
    row = {
        "kind": "need",
        "external_ref": "src-2",
        "title": "Cần hệ thống khử mặn cho ao tôm",
        "summary": "Khử mặn quy mô nhỏ cho 20 ha ao tôm.",
        "description": "Độ mặn mùa khô vượt 8‰.",
        "field_codes": "4",
        "min_trl": 6,
        "deadline": "2027-03-31",
        "price_type": "negotiable",
        "organization_name": "hợp tác xã tôm sạch",
        "is_anonymous": "true",
    }
    row.update(overrides)
    return row


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n", encoding="utf-8")
    return path


def csv_text(rows: list[dict], delimiter: str = ",") -> str:
    columns = list(dict.fromkeys(name for row in rows for name in row))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write_csv(path: Path, rows: list[dict], *, bom: bool = True, delimiter: str = ",") -> Path:
    path.write_text(("\ufeff" if bom else "") + csv_text(rows, delimiter), encoding="utf-8")
    return path


def xlsx_content(rows: list[dict]) -> bytes:
    from openpyxl import Workbook

    columns = list(dict.fromkeys(name for row in rows for name in row))
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(name) for name in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_xlsx(path: Path, rows: list[dict]) -> Path:
    path.write_bytes(xlsx_content(rows))
    return path


WRITERS = {"jsonl": write_jsonl, "csv": write_csv, "xlsx": write_xlsx}


# --- good files --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "xlsx"])
def test_good_file_imports_in_every_format(tmp_path, supplier, buyer, staff, fmt):
    path = WRITERS[fmt](tmp_path / f"listings.{fmt}", [offer_row(), need_row()])

    result = import_listings_file(path=path, user=staff)

    assert result.errors == []
    assert (result.created, result.updated, result.unchanged, result.rows) == (2, 0, 0, 2)
    offer = Listing.objects.get(external_ref="src-1")
    assert offer.kind == "offer"
    assert offer.organization == supplier
    assert offer.status == ListingStatus.DRAFT and not offer.is_live
    assert offer.title == "Máy sấy lúa tầng sôi"
    assert sorted(offer.fields.values_list("code", flat=True)) == ["4", "402"]
    assert offer.keywords == ["sấy lúa", "trấu"]
    assert offer.ipc_codes == ["F26B17/10"]
    assert offer.vsic_id == "01"
    assert (offer.trl, offer.stage, offer.ip_type, offer.ip_status) == (7, "demonstrated", "patent", "granted")
    assert offer.transfer_forms == ["non_exclusive_licence", "technical_service"]
    assert (offer.price_type, offer.price_min, offer.price_max) == ("range", 100_000_000, 250_000_000)
    assert offer.province_id == "92"
    assert offer.source == "Viện Lúa"
    assert offer.created_by == staff
    assert offer.reference_code.startswith("CT-TO-")
    assert "may say lua tang soi" in offer.search_text
    need = Listing.objects.get(external_ref="src-2")
    # The organisation is found by its exact name, whatever the letter case.
    assert need.organization == buyer
    assert need.is_anonymous
    assert need.min_trl == 6
    assert need.deadline == date(2027, 3, 31)
    assert AuditEntry.objects.filter(action="listing.create").count() == 2
    assert audit_verify_chain() == []


def test_csv_without_bom_and_with_semicolons_imports(tmp_path, supplier, buyer, staff):
    path = write_csv(tmp_path / "excel.csv", [offer_row(), need_row()], bom=False, delimiter=";")

    result = import_listings_file(path=path, user=staff)

    assert result.errors == []
    assert result.created == 2
    assert Listing.objects.get(external_ref="src-1").transfer_forms == ["non_exclusive_licence", "technical_service"]


def test_xlsx_number_cells_for_codes_are_read_as_codes(tmp_path, supplier, staff):
    from techex.reference.models import Ward

    ward = Ward.objects.filter(province_id="92").order_by("code").first()
    row = offer_row(
        province_code=92, ward_code=int(ward.code), field_codes=402, organization_tax_code=int(TAX_CODE), trl=7.0
    )
    result = import_listings_file(path=write_xlsx(tmp_path / "numbers.xlsx", [row]), user=staff)

    assert result.errors == []
    listing = Listing.objects.get()
    assert (listing.province_id, listing.ward_id, listing.organization, listing.trl) == ("92", ward.code, supplier, 7)
    assert list(listing.fields.values_list("code", flat=True)) == ["402"]


def test_commune_alone_places_the_listing_in_its_province(tmp_path, supplier, staff):
    from techex.reference.models import Ward

    ward = Ward.objects.filter(province_id="92").order_by("code").first()
    row = offer_row(ward_code=ward.code)
    del row["province_code"]
    import_listings_file(path=write_jsonl(tmp_path / "a.jsonl", [row]), user=staff)

    assert Listing.objects.get().province_id == "92"


# --- idempotence and updates -------------------------------------------------------------------------------------


def test_second_import_of_the_same_file_changes_nothing(tmp_path, supplier, buyer, staff):
    path = write_csv(tmp_path / "listings.csv", [offer_row(), need_row()])
    import_listings_file(path=path, user=staff)
    before = list(Listing.objects.order_by("pk").values())
    audit_count = AuditEntry.objects.count()

    result = import_listings_file(path=path, user=staff)

    assert result.errors == []
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert list(Listing.objects.order_by("pk").values()) == before
    assert AuditEntry.objects.count() == audit_count


def test_changed_row_updates_its_listing_through_the_service(tmp_path, supplier, buyer, staff):
    import_listings_file(path=write_jsonl(tmp_path / "v1.jsonl", [offer_row(), need_row()]), user=staff)
    changed = offer_row(title="Máy sấy lúa tầng sôi thế hệ 2", field_codes="4", trl=8)

    result = import_listings_file(path=write_jsonl(tmp_path / "v2.jsonl", [changed, need_row()]), user=staff)

    assert result.errors == []
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    offer = Listing.objects.get(external_ref="src-1")
    assert offer.title == "Máy sấy lúa tầng sôi thế hệ 2"
    assert offer.trl == 8
    assert list(offer.fields.values_list("code", flat=True)) == ["4"]
    assert "the he 2" in offer.search_text
    entry = AuditEntry.objects.filter(action="listing.update").get()
    assert entry.data == {"fields": ["fields", "title", "trl"]}


def test_change_to_a_live_listing_waits_for_review_unless_published(tmp_path, supplier, staff):
    path = write_jsonl(tmp_path / "v1.jsonl", [offer_row()])
    import_listings_file(path=path, user=staff, publish=True)
    changed = write_jsonl(tmp_path / "v2.jsonl", [offer_row(title="Tên mới")])

    import_listings_file(path=changed, user=staff)
    listing = Listing.objects.get()
    assert listing.is_live and listing.status == ListingStatus.SUBMITTED
    assert listing.title == "Máy sấy lúa tầng sôi"
    assert listing.pending_changes["title"] == "Tên mới"

    # The same file again changes nothing: it matches the revision that waits.
    assert import_listings_file(path=changed, user=staff).unchanged == 1

    result = import_listings_file(
        path=write_jsonl(tmp_path / "v3.jsonl", [offer_row(title="Tên mới hơn")]), user=staff, publish=True
    )
    listing.refresh_from_db()
    assert result.updated == 1
    assert (listing.status, listing.title, listing.pending_changes) == (ListingStatus.PUBLISHED, "Tên mới hơn", None)


def test_export_of_a_listing_made_on_the_exchange_matches_it_by_reference_code(tmp_path, published_offer, staff):
    row = offer_row(
        external_ref=published_offer.reference_code,
        title=published_offer.title,
        organization_tax_code="",
        organization_name=published_offer.organization.name,
    )
    result = import_listings_file(path=write_jsonl(tmp_path / "a.jsonl", [row]), user=staff, dry_run=True)

    assert result.errors == []
    assert (result.created, result.updated) == (0, 1)


# --- bad files ---------------------------------------------------------------------------------------------------


def test_bad_file_imports_nothing_and_reports_every_bad_line(tmp_path, supplier, buyer, staff):
    rows = [
        offer_row(external_ref="ok-1"),
        offer_row(external_ref="bad-field", field_codes="4; 999"),
        offer_row(external_ref="no-title", title=""),
        offer_row(external_ref="bad-trl", trl=12),
        offer_row(external_ref="bad-org", organization_tax_code="", organization_name="Công ty Không Có"),
        offer_row(external_ref="bad-province", province_code="99"),
        offer_row(external_ref="ok-1", title="Bản trùng"),
        offer_row(external_ref="wrong-type", title=["not", "text"]),
        offer_row(external_ref="too-long", summary="x" * 501),
        offer_row(external_ref="bad-ward", ward_code="00004"),
        need_row(external_ref="need-with-trl", trl=5),
    ]
    path = write_jsonl(tmp_path / "bad.jsonl", rows)

    result = import_listings_file(path=path, user=staff)

    assert not Listing.objects.exists()
    assert (result.created, result.updated, result.unchanged) == (0, 0, 0)
    assert result.errors == [
        RowError(2, "field_codes: Unknown code “999”."),
        RowError(3, "title: Enter a title."),
        RowError(4, "trl: “12” is not a whole number from 1 to 9."),
        RowError(5, "organization_name: No organisation on the exchange is called “Công ty Không Có”."),
        RowError(6, "province_code: Unknown code “99”."),
        RowError(7, "external_ref: “ok-1” is already used on line 1 of this file."),
        RowError(8, "title: Expected text."),
        RowError(9, "summary: Keep this under 500 characters (it has 501)."),
        RowError(10, "ward_code: This commune does not belong to the chosen province."),
        RowError(11, "trl: A need states the minimum TRL it accepts, not its own TRL."),
    ]
    assert result.bad_lines == 10


def test_bad_csv_reports_file_line_numbers_after_the_header(tmp_path, supplier, staff):
    rows = [offer_row(), offer_row(external_ref="x", kind="thing", price_min="abc", deadline="31-12-2026")]
    result = import_listings_file(path=write_csv(tmp_path / "bad.csv", rows), user=staff)

    assert not Listing.objects.exists()
    assert [str(error) for error in result.errors] == [
        "line 3: kind: Unknown value “thing”; use one of offer, need.",
        "line 3: price_min: “abc” is not a whole number of at least 0.",
        "line 3: deadline: “31-12-2026” is not a date (YYYY-MM-DD).",
    ]


def test_unknown_column_is_refused(tmp_path, supplier, staff):
    path = write_csv(tmp_path / "typo.csv", [{**offer_row(), "titel": "x"}])
    result = import_listings_file(path=path, user=staff)

    assert result.errors == [RowError(1, "Unknown column: “titel”. The columns are described on the import help page.")]


def test_file_not_in_utf8_names_the_line(tmp_path, supplier, staff):
    path = tmp_path / "latin.csv"
    path.write_bytes(csv_text([offer_row()]).encode("cp1258", errors="replace"))

    result = import_listings_file(path=path, user=staff)

    assert not Listing.objects.exists()
    assert result.errors[0].line == 2
    assert "not UTF-8" in result.errors[0].reason


def test_renamed_file_is_not_read_as_a_workbook(tmp_path, supplier, staff):
    path = tmp_path / "listings.xlsx"
    path.write_text(csv_text([offer_row()]), encoding="utf-8")

    result = import_listings_file(path=path, user=staff)

    assert result.errors == [RowError(1, "This file is not an Excel workbook (.xlsx); its content was checked.")]


def test_withdrawn_listing_cannot_be_changed_by_an_import(tmp_path, supplier, staff):
    import_listings_file(path=write_jsonl(tmp_path / "a.jsonl", [offer_row()]), user=staff)
    listing = Listing.objects.get()
    Listing.objects.filter(pk=listing.pk).update(status=ListingStatus.WITHDRAWN)

    result = import_listings_file(path=write_jsonl(tmp_path / "b.jsonl", [offer_row(title="Khác")]), user=staff)

    assert result.errors == [RowError(1, f"The listing {listing.reference_code} is “Withdrawn” and cannot be changed.")]


def test_dry_run_counts_and_writes_nothing(tmp_path, supplier, buyer, staff):
    result = import_listings_file(
        path=write_jsonl(tmp_path / "a.jsonl", [offer_row(), need_row()]), user=staff, dry_run=True
    )

    assert (result.created, result.dry_run) == (2, True)
    assert not Listing.objects.exists()


def test_progress_is_reported_while_checking_and_saving(tmp_path, supplier, staff):
    rows = [offer_row(external_ref=f"r{i}") for i in range(60)]
    calls = []

    import_listings_file(
        path=write_jsonl(tmp_path / "a.jsonl", rows), user=staff, progress=lambda *args: calls.append(args)
    )

    assert ("validating", 50, 60) in calls
    assert ("validating", 60, 60) in calls
    assert calls[-1] == ("saving", 60, 60)
    assert Listing.objects.count() == 60


# --- publishing --------------------------------------------------------------------------------------------------


def test_publish_makes_every_new_listing_live(tmp_path, supplier, buyer, staff):
    path = write_jsonl(tmp_path / "a.jsonl", [offer_row(), need_row()])

    call_command("import_listings", str(path), "--publish", "--user", staff.email, stdout=io.StringIO())

    assert Listing.objects.live().count() == 2
    listing = Listing.objects.get(external_ref="src-1")
    assert listing.status == ListingStatus.PUBLISHED
    assert listing.published_at and listing.valid_until
    assert AuditEntry.objects.filter(action="listing.publish", actor=staff).count() == 2
    assert audit_verify_chain() == []


def test_publish_is_refused_without_a_staff_account(tmp_path, supplier, owner):
    path = write_jsonl(tmp_path / "a.jsonl", [offer_row()])

    with pytest.raises(CommandError, match="--publish needs --user with the e-mail address of a staff account"):
        call_command("import_listings", str(path), "--publish", "--user", owner.email)
    with pytest.raises(CommandError, match="--publish needs --user"):
        call_command("import_listings", str(path), "--publish")
    with pytest.raises(PermissionDenied, match="Only a staff account may publish imported listings"):
        import_listings_file(path=path, user=owner, publish=True)
    assert not Listing.objects.exists()


def test_publish_reports_rows_that_could_not_be_submitted(tmp_path, supplier, staff):
    path = write_jsonl(tmp_path / "a.jsonl", [offer_row(trl=None, description="")])

    result = import_listings_file(path=path, user=staff, publish=True)

    # An imported offer may leave its TRL unknown (open data rarely states one); the description is still required.
    assert result.errors == [RowError(1, "description: Enter a description.")]
    assert not Listing.objects.exists()


# --- the command -------------------------------------------------------------------------------------------------


def test_command_reports_counts(tmp_path, supplier, buyer, staff):
    path = write_csv(tmp_path / "a.csv", [offer_row(), need_row()])
    out = io.StringIO()

    call_command("import_listings", str(path), "--user", staff.email, stdout=out)
    call_command("import_listings", str(path), stdout=out)

    lines = out.getvalue().splitlines()
    assert "2 were created, 0 were updated, 0 unchanged." in lines[0]
    assert "0 were created, 0 were updated, 2 unchanged." in lines[1]


def test_command_exits_with_the_report_on_a_bad_file(tmp_path, supplier, staff):
    path = write_csv(tmp_path / "bad.csv", [offer_row(), offer_row(external_ref="b", trl="nine", title="")])
    err = io.StringIO()

    with pytest.raises(CommandError, match=r"bad\.csv: 1 bad line\(s\), 2 problem\(s\); nothing was imported\."):
        call_command("import_listings", str(path), stderr=err)

    assert err.getvalue().splitlines() == [
        "line 3: title: Enter a title.",
        "line 3: trl: “nine” is not a whole number from 1 to 9.",
    ]
    assert not Listing.objects.exists()


def test_command_refuses_an_unknown_user(tmp_path):
    with pytest.raises(CommandError, match="No account has the e-mail address nobody@example.vn"):
        call_command("import_listings", str(tmp_path / "a.csv"), "--user", "nobody@example.vn")


# --- the upload page ---------------------------------------------------------------------------------------------


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_import_pages_are_404_for_all_but_staff(client, owner, org, who):
    job = ImportJob.objects.create(token="t" * 32, original_name="a.csv", format="csv", file="imports/x.csv")
    if who == "member":
        client.force_login(owner)

    assert client.get(reverse("listings:import")).status_code == 404
    assert client.post(reverse("listings:import"), {"file": upload("a.csv", b"kind\n")}).status_code == 404
    assert client.get(reverse("listings:import_status", kwargs={"pk": job.pk})).status_code == 404
    assert ImportJob.objects.count() == 1


def test_staff_upload_runs_the_import_and_shows_the_result(
    client, staff, supplier, buyer, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    assert client.get(reverse("listings:import")).status_code == 200
    content = ("\ufeff" + csv_text([offer_row(), need_row()])).encode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("listings:import"), {"file": upload("listings.csv", content), "publish": "on"})

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("listings:import_status", kwargs={"pk": job.pk})
    assert (job.status, job.created_count, job.total_rows, job.processed_rows) == (ImportJobStatus.DONE, 2, 2, 2)
    assert job.created_by == staff
    assert job.file.name.startswith("imports/") and job.file.name.endswith(".csv")
    assert Listing.objects.live().count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "Imported" in page
    assert "every 1s" not in page
    assert "New and changed listings are live." in page


def test_bad_upload_lists_every_problem_on_the_status_page(client, staff, supplier, django_capture_on_commit_callbacks):
    client.force_login(staff)
    content = csv_text([offer_row(), offer_row(external_ref="b", trl=12), offer_row(external_ref="c", title="")])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("listings:import"), {"file": upload("bad.csv", content.encode())})

    job = ImportJob.objects.get()
    assert job.status == ImportJobStatus.FAILED
    assert job.errors == [
        {"line": 3, "reason": "trl: “12” is not a whole number from 1 to 9."},
        {"line": 4, "reason": "title: Enter a title."},
    ]
    assert not Listing.objects.exists()
    page = client.get(job.get_absolute_url()).content.decode()
    assert "2 problems were found, so nothing was imported." in page
    assert "trl: “12” is not a whole number from 1 to 9." in page


def test_running_import_is_polled_and_shows_its_progress(client, staff):
    client.force_login(staff)
    job = ImportJob.objects.create(
        token="p" * 32,
        original_name="big.jsonl",
        format="jsonl",
        file="imports/p.jsonl",
        status=ImportJobStatus.VALIDATING,
        total_rows=200,
        processed_rows=50,
        created_by=staff,
    )

    page = client.get(job.get_absolute_url()).content.decode()
    partial = client.get(job.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()

    assert 'hx-trigger="every 1s"' in page
    assert '<progress max="100" value="25"' in page
    assert "50 of 200 rows checked." in page
    assert partial.lstrip().startswith('<section id="import-progress"')
    assert "<html" not in partial
    assert 'hx-trigger="every 1s"' in partial


def test_renamed_file_is_refused_at_upload(client, staff):
    client.force_login(staff)
    fake = csv_text([offer_row()]).encode()

    response = client.post(reverse("listings:import"), {"file": upload("listings.xlsx", fake)})

    assert response.status_code == 200
    assert "This file is not an Excel workbook (.xlsx); its content was checked." in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("listings.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "The file is not UTF-8 text"),
        ("listings.pdf", b"%PDF-1.4", "Upload a .jsonl, .csv or .xlsx file."),
        ("listings.jsonl", b"", "The submitted file is empty."),
    ],
)
def test_upload_checks_type_and_content(client, staff, name, content, message):
    client.force_login(staff)

    response = client.post(reverse("listings:import"), {"file": upload(name, content)})

    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_upload_over_the_size_limit_is_refused(client, staff, settings):
    settings.LISTING_IMPORT_MAX_BYTES = 100
    client.force_login(staff)

    response = client.post(reverse("listings:import"), {"file": upload("a.csv", b"kind,title\n" + b"x" * 200)})

    assert "The file is too large" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_real_workbook_upload_is_accepted(client, staff, supplier, django_capture_on_commit_callbacks):
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("listings:import"), {"file": upload("a.xlsx", xlsx_content([offer_row()]))})

    assert ImportJob.objects.get().status == ImportJobStatus.DONE
    assert Listing.objects.get().title == "Máy sấy lúa tầng sôi"


def test_services_bulk_create_refuses_publish_for_non_staff(supplier, owner):
    item = services.NewListing(organization=supplier, kind="offer", data={"title": "A", "summary": "B"})

    with pytest.raises(PermissionDenied, match="Only the exchange's staff may do this."):
        services.listings_bulk_create(user=owner, items=[item], publish=True)
    assert not Listing.objects.exists()
