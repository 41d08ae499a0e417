"""Export of listings to CSV and XLSX: the browse page's filters, typed cells, re-importable as is."""

import csv
import io
from datetime import date, datetime

import pytest
from django.urls import reverse

from techex.listings.importer import import_listings_file
from techex.listings.models import Listing
from techex.listings.tabular import COLUMNS
from techex.listings.tests.factories import make_listing, make_published
from techex.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def listings(reference_data, owner, org, staff):
    """Two live offers (one anonymous), a live need and a draft."""
    org.tax_code = "1800123456"
    org.save()
    offer = make_published(
        user=owner,
        organization=org,
        staff=staff,
        price_type="fixed",
        price_min=150_000_000,
        province=_province("92"),
        ipc_codes=["F26B"],
    )
    hidden = make_published(user=owner, organization=org, staff=staff, title="Quy trình bí mật", is_anonymous=True)
    need = make_published(user=owner, organization=org, staff=staff, kind="need", deadline=date(2027, 6, 30))
    draft = make_listing(user=owner, organization=org, title="Bản nháp chưa duyệt")
    return {"offer": offer, "hidden": hidden, "need": need, "draft": draft}


def _province(code):
    from techex.reference.models import Province

    return Province.objects.get(pk=code)


def export(client, fmt: str, **params):
    response = client.get(reverse("listings:export", kwargs={"fmt": fmt}), params)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def csv_rows(body: bytes) -> list[dict]:
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def xlsx_sheet(body: bytes):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(body)).worksheets[0]


def test_csv_export_has_the_import_columns_and_only_live_listings(client, listings):
    response, body = export(client, "csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="listings-')
    assert response.streaming
    rows = csv_rows(body)
    assert list(rows[0]) == list(COLUMNS)
    by_ref = {row["external_ref"]: row for row in rows}
    assert set(by_ref) == {listings[name].reference_code for name in ("offer", "hidden", "need")}
    offer = by_ref[listings["offer"].reference_code]
    assert offer["kind"] == "offer"
    assert offer["field_codes"] == "4; 402"
    assert offer["keywords"] == "sấy lúa; tầng sôi; trấu"
    assert offer["transfer_forms"] == "non_exclusive_licence; technical_service"
    assert (offer["trl"], offer["price_min"], offer["province_code"]) == ("7", "150000000", "92")
    assert offer["organization_tax_code"] == ""  # a private field of the organisation: its own lists only
    assert offer["organization_name"] == listings["offer"].organization.name
    assert offer["is_anonymous"] == "false"
    hidden = by_ref[listings["hidden"].reference_code]
    # The public export does not reveal who is behind an anonymous listing.
    assert (hidden["organization_tax_code"], hidden["organization_name"], hidden["is_anonymous"]) == ("", "", "true")
    assert by_ref[listings["need"].reference_code]["deadline"] == "2027-06-30"


def test_xlsx_export_has_typed_cells(client, listings):
    response, body = export(client, "xlsx")

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = xlsx_sheet(body)
    header = [cell.value for cell in sheet[1]]
    assert header == list(COLUMNS)
    rows = [dict(zip(header, (cell.value for cell in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    offer = next(row for row in rows if row["external_ref"] == listings["offer"].reference_code)
    assert isinstance(offer["trl"], int) and offer["trl"] == 7
    assert isinstance(offer["price_min"], int) and offer["price_min"] == 150_000_000
    assert offer["province_code"] == "92"
    assert offer["field_codes"] == "4; 402"
    assert offer["is_anonymous"] is False
    need = next(row for row in rows if row["external_ref"] == listings["need"].reference_code)
    assert isinstance(need["deadline"], datetime) and need["deadline"].date() == date(2027, 6, 30)
    assert need["trl"] is None


def test_export_uses_the_browse_filters(client, listings):
    _, body = export(client, "csv", kind="need")
    assert [row["external_ref"] for row in csv_rows(body)] == [listings["need"].reference_code]

    _, body = export(client, "csv", kind="offer", trl="7", field="4", province="92")
    assert [row["external_ref"] for row in csv_rows(body)] == [listings["offer"].reference_code]

    # A value the browse page would ignore is ignored here too.
    _, body = export(client, "csv", trl="eleven")
    assert len(csv_rows(body)) == 3


def test_unknown_format_is_404(client, listings):
    assert client.get(reverse("listings:export", kwargs={"fmt": "pdf"})).status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(client, tmp_path, listings, staff, fmt):
    _, body = export(client, fmt)
    path = tmp_path / f"export.{fmt}"
    path.write_bytes(body)
    before = list(Listing.objects.order_by("pk").values())

    result = import_listings_file(path=path, user=staff)

    assert result.errors == []
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert list(Listing.objects.order_by("pk").values()) == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_into_another_exchange_creates_the_same_listings(client, tmp_path, listings, staff, fmt):
    _, body = export(client, fmt, kind="offer")
    path = tmp_path / f"export.{fmt}"
    path.write_bytes(body)
    Listing.objects.all().delete()

    result = import_listings_file(path=path, user=staff)

    # The anonymous offer's organisation is not in the public export, so it cannot be created elsewhere.
    assert not Listing.objects.exists()
    assert [error.reason for error in result.errors] == [
        "organization_tax_code: Give the tax code or the exact name of an existing organisation."
    ]


def test_formula_like_text_stays_text(client, tmp_path, reference_data, owner, org, staff):
    listing = make_published(user=owner, organization=org, staff=staff, title='=HYPERLINK("http://x.example","y")')

    _, csv_body = export(client, "csv")
    _, xlsx_body = export(client, "xlsx")

    assert csv_rows(csv_body)[0]["title"] == "'" + listing.title
    cell = xlsx_sheet(xlsx_body)["C2"]
    assert (cell.value, cell.data_type) == (listing.title, "s")
    for fmt, body in (("csv", csv_body), ("xlsx", xlsx_body)):
        path = tmp_path / f"e.{fmt}"
        path.write_bytes(body)
        assert import_listings_file(path=path, user=staff).unchanged == 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_query_count_does_not_grow_with_rows(client, reference_data, owner, org, staff, fmt, count_queries):
    def count() -> int:
        with count_queries() as queries:
            response, _ = export(client, fmt)
        assert response.status_code == 200
        return len(queries)

    make_published(user=owner, organization=org, staff=staff)
    few = count()
    for number in range(6):
        member = MembershipFactory(organization=OrganizationFactory(tax_code=f"03000000{number:02d}")).user
        kind = "need" if number % 2 else "offer"
        make_published(user=member, organization=member.organizations.get(), staff=staff, kind=kind)

    assert count() == few
    # The listings, and their fields and partner provinces (the browse form checks a field or province code only
    # when one is given).
    assert few == 3


def test_my_listings_export_needs_a_member_and_includes_drafts(client, listings, owner, outsider):
    assert client.get(reverse("listings:export", kwargs={"fmt": "csv"}), {"scope": "mine"}).status_code == 404

    client.force_login(owner)
    response, body = export(client, "csv", scope="mine")
    rows = csv_rows(body)
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    assert len(rows) == 4
    hidden = next(row for row in rows if row["external_ref"] == listings["hidden"].reference_code)
    assert hidden["organization_name"] == listings["hidden"].organization.name
    assert hidden["organization_tax_code"] == "1800123456"  # the members' own organisation

    client.force_login(outsider)
    _, body = export(client, "csv", scope="mine")
    assert csv_rows(body) == []


def test_review_queue_export_is_for_staff(client, listings, owner, staff):
    from techex.listings import services

    services.listing_submit(listing=listings["draft"], user=owner)
    client.force_login(owner)
    assert client.get(reverse("listings:export", kwargs={"fmt": "xlsx"}), {"scope": "review"}).status_code == 404

    client.force_login(staff)
    _, body = export(client, "csv", scope="review")
    assert [row["title"] for row in csv_rows(body)] == ["Bản nháp chưa duyệt"]
