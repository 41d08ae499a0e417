"""Open data: the daily CSV and JSON files of the live listings' public part, their page, downloads and the DCAT
catalogue; nothing private ever in them."""

import csv
import hashlib
import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from techex.listings import services as listing_services
from techex.listings.public_record import COLUMN_NAMES
from techex.listings.tests.factories import make_listing, make_published
from techex.organizations.tests.factories import MembershipFactory, OrganizationFactory
from techex.statistics import opendata
from techex.statistics.models import OpenDataFile
from techex.statistics.services import open_data_publish

pytestmark = pytest.mark.django_db

PRIVATE = ("0312345678", "99 đường Bí Mật", "bimat@example.vn", "0909 000 111", "Viện Giấu Tên", "Bản nháp riêng")


@pytest.fixture
def market(reference_data, owner, staff):
    """A named offer and an anonymous need, live; a draft and a withdrawn offer, not."""
    named = OrganizationFactory(
        name="Trường Đại học Mở Cửa",
        tax_code="0312345678",
        address="99 đường Bí Mật",
        email="bimat@example.vn",
        phone="0909 000 111",
    )
    MembershipFactory(user=owner, organization=named)
    offer = make_published(user=owner, organization=named, staff=staff, price_type="range", price_min=10, price_max=20)
    hidden = OrganizationFactory(name="Viện Giấu Tên")
    need = make_published(
        user=MembershipFactory(organization=hidden).user,
        organization=hidden,
        staff=staff,
        kind="need",
        is_anonymous=True,
    )
    make_listing(user=owner, organization=named, title="Bản nháp riêng")
    gone = make_published(user=owner, organization=named, staff=staff, title="Đã rút khỏi sàn")
    listing_services.listing_withdraw(listing=gone, user=owner)
    return offer, need, named


def read(release: OpenDataFile) -> bytes:
    with release.file.open("rb") as handle:
        return handle.read()


def test_the_files_hold_the_live_listings_public_part_only(market):
    offer, need, named = market
    csv_file, json_file = open_data_publish()
    assert (csv_file.format, csv_file.rows, json_file.format, json_file.rows) == ("csv", 2, "json", 2)

    content = read(csv_file)
    assert content.startswith("\ufeff".encode())  # spreadsheets read the Vietnamese as UTF-8
    table = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert list(table[0]) == list(COLUMN_NAMES)
    by_id = {row["identifier"]: row for row in table}
    assert set(by_id) == {offer.reference_code, need.reference_code}
    assert by_id[offer.reference_code]["organization_name"] == "Trường Đại học Mở Cửa"
    assert by_id[offer.reference_code]["organization_url"] == f"http://localhost:8000{named.get_absolute_url()}"
    assert by_id[offer.reference_code]["url"] == f"http://localhost:8000{offer.get_absolute_url()}"
    assert by_id[offer.reference_code]["field_codes"] == "4; 402"
    assert by_id[need.reference_code]["organization_name"] == by_id[need.reference_code]["organization_url"] == ""

    document = json.loads(read(json_file))
    assert document["licence"] == {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}
    assert document["count"] == 2 and len(document["listings"]) == 2
    [json_offer] = [row for row in document["listings"] if row["identifier"] == offer.reference_code]
    assert json_offer["field_codes"] == ["4", "402"] and json_offer["price_max"] == 20

    for release in (csv_file, json_file):
        text = read(release).decode("utf-8-sig")
        for private in PRIVATE:
            assert private not in text
        assert hashlib.sha256(read(release)).hexdigest() == release.sha256 and release.size == len(read(release))


def test_the_page_links_the_newest_files_and_downloads_them(client, market):
    assert client.get(reverse("open_data_download", kwargs={"file_format": "csv"})).status_code == 404
    page = client.get(reverse("open_data")).content.decode()
    assert "has not been published yet" in page
    open_data_publish(now=timezone.now() - timedelta(days=1))
    newest_csv, _newest_json = open_data_publish()
    page = client.get("/du-lieu-mo/", follow=True).content.decode()
    assert "2 listings" in page and newest_csv.sha256 in page and "identifier" in page
    response = client.get(reverse("open_data_download", kwargs={"file_format": "csv"}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "public" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == read(newest_csv)
    assert client.get(reverse("open_data_download", kwargs={"file_format": "xml"})).status_code == 404


def test_the_dcat_catalogue_describes_each_distribution(client, market):
    open_data_publish()
    response = client.get(reverse("open_data_catalogue"))
    assert response.status_code == 200 and response["Content-Type"] == "application/ld+json"
    catalogue = response.json()
    assert catalogue["@type"] == "dcat:Catalog"
    [dataset] = catalogue["dcat:dataset"]
    assert dataset["dct:license"] == {"@id": "https://creativecommons.org/licenses/by/4.0/"}
    assert dataset["dcat:landingPage"] == {"@id": "http://testserver/open-data/"}
    by_type = {d["dcat:mediaType"]: d for d in dataset["dcat:distribution"]}
    assert set(by_type) == {"text/csv", "application/json"}
    csv_release = OpenDataFile.objects.filter(format="csv").first()
    assert by_type["text/csv"]["dcat:byteSize"] == csv_release.size
    assert by_type["text/csv"]["spdx:checksum"]["spdx:checksumValue"] == csv_release.sha256
    assert by_type["text/csv"]["dcat:downloadURL"] == {"@id": "http://localhost:8000/open-data/listings.csv"}
    assert dataset["dct:modified"] == csv_release.generated_at.isoformat()


def test_a_week_of_files_is_kept(market):
    start = timezone.now() - timedelta(days=10)
    for day in range(10):
        open_data_publish(now=start + timedelta(days=day))
    assert OpenDataFile.objects.filter(format="csv").count() == opendata.KEPT_PER_FORMAT
    oldest = OpenDataFile.objects.filter(format="json").last()
    assert oldest.generated_at == start + timedelta(days=10 - opendata.KEPT_PER_FORMAT)


def test_the_daily_command_publishes_and_says_what(market):
    out = io.StringIO()
    call_command("publish_open_data", stdout=out)
    assert "csv: 2 listings" in out.getvalue() and "json: 2 listings" in out.getvalue()
