"""The demo data of `make run`: `seed_demo` and the files in data/demo, which are the product's first impression."""

import csv
import io
import json
import re
import unicodedata
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from techex.core.models import AuditEntry
from techex.listings.choices import ListingKind, ListingStatus
from techex.listings.importer import import_listings_file
from techex.listings.models import Listing
from techex.organizations.choices import MembershipRole, VerificationStatus
from techex.organizations.models import Membership, Organization
from techex.organizations.validators import validate_tax_code
from techex.site.management.commands import seed_demo

pytestmark = pytest.mark.django_db

DEMO_DIR = settings.BASE_DIR / "data" / "demo"
LIMIT = 5
# Letters that only Vietnamese text has (ASCII titles would mean the diacritics were lost somewhere).
VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)


def _organizations() -> list[dict]:
    return json.loads((DEMO_DIR / "organizations.json").read_text(encoding="utf-8"))["organizations"]


def _rows(name: str) -> list[dict]:
    with open(DEMO_DIR / name, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _seed(*options: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--force", *options, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {
        "users": get_user_model().objects.count(),
        "organizations": Organization.objects.count(),
        "memberships": Membership.objects.count(),
        "listings": Listing.objects.count(),
        "live": Listing.objects.live().count(),
        "audit": AuditEntry.objects.count(),
    }


@pytest.fixture
def seeded(reference_data):
    return _seed("--limit", str(LIMIT))


def test_refuses_to_run_without_debug(reference_data, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not Organization.objects.exists()


def test_runs_with_debug_on(reference_data, settings):
    settings.DEBUG = True
    call_command("seed_demo", "--limit", "1", stdout=io.StringIO())
    assert Listing.objects.live().exists()


def test_prints_the_staff_account_and_the_address(seeded):
    assert seed_demo.STAFF_EMAIL in seeded
    assert seed_demo.DEMO_PASSWORD in seeded
    assert "http://127.0.0.1:8000" in seeded


def test_the_staff_account_can_sign_in(seeded, client):
    staff = get_user_model().objects.get(email=seed_demo.STAFF_EMAIL)
    assert staff.is_staff
    assert EmailAddress.objects.filter(user=staff, verified=True, primary=True).exists()
    response = client.post(
        reverse("account_login"), {"login": seed_demo.STAFF_EMAIL, "password": seed_demo.DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    assert int(client.session["_auth_user_id"]) == staff.pk


def test_each_vietnamese_organisation_has_an_admin_who_can_sign_in(seeded, client):
    contacts = [item for item in _organizations() if item.get("contact")]
    assert len(contacts) >= 15
    for item in contacts:
        organization = Organization.objects.get(tax_code=item["tax_code"])
        membership = Membership.objects.get(organization=organization, role=MembershipRole.ADMIN)
        assert membership.user.email == item["contact"]["email"]
        assert EmailAddress.objects.filter(user=membership.user, verified=True, primary=True).exists()
    email = contacts[0]["contact"]["email"]
    client.post(reverse("account_login"), {"login": email, "password": seed_demo.DEMO_PASSWORD})
    assert "_auth_user_id" in client.session


def test_organisations_are_verified_demo_organisations(seeded):
    items = _organizations()
    assert Organization.objects.filter(is_demo=True).count() == len(items)
    assert not Organization.objects.exclude(verification_status=VerificationStatus.VERIFIED).exists()
    nasa = Organization.objects.get(name="National Aeronautics and Space Administration")
    assert (nasa.type, nasa.country, nasa.province_id) == ("institute", "US", None)
    assert Organization.objects.filter(country="US", type="public_body").count() == len(items) - 1 - sum(
        1 for item in items if item.get("country") == "VN"
    )
    can_tho = Organization.objects.filter(country="VN", province_id="92")
    assert can_tho.exists() and all(org.ward.province_id == "92" for org in can_tho)


def test_listings_are_live_with_vietnamese_titles(seeded):
    vietnamese = Listing.objects.live().filter(language="vi")
    assert vietnamese.count() == LIMIT
    for listing in vietnamese:
        assert VIETNAMESE.search(listing.title), listing.title
        assert listing.title == unicodedata.normalize("NFC", listing.title)
        assert listing.is_demo and listing.fields.exists() and listing.province_id
        assert listing.source == "Dữ liệu minh hoạ (demo)"
    assert Listing.objects.live().filter(language="en", kind=ListingKind.OFFER).count() == LIMIT
    assert Listing.objects.live().filter(language="en", kind=ListingKind.NEED).count() == LIMIT
    nasa = Listing.objects.filter(external_ref__startswith="nasa-").first()
    assert nasa.organization.name == "National Aeronautics and Space Administration"
    assert "NASA does not endorse" in nasa.source


def test_vietnamese_listings_are_newest(seeded):
    newest = Listing.objects.live().order_by("-published_at", "-id")[:LIMIT]
    assert {listing.language for listing in newest} == {"vi"}


def test_some_listings_are_left_in_other_states(seeded):
    statuses = dict(
        Listing.objects.filter(external_ref__in=seed_demo.WORKFLOW_STATES).values_list("external_ref", "status")
    )
    assert statuses == seed_demo.WORKFLOW_STATES
    assert not Listing.objects.filter(external_ref__in=seed_demo.WORKFLOW_STATES, is_live=True).exists()
    sent_back = Listing.objects.get(status=ListingStatus.CHANGES_REQUESTED)
    assert sent_back.review_note == seed_demo.CHANGES_NOTE


def test_a_second_run_changes_nothing(seeded):
    before = _counts()
    again = _seed("--limit", str(LIMIT))
    assert "already loaded" in again
    assert seed_demo.DEMO_PASSWORD in again
    assert _counts() == before


def test_a_refresh_reimports_without_duplicates(seeded):
    before = _counts()
    output = _seed("--limit", str(LIMIT), "--refresh")
    assert f"{LIMIT} unchanged" in output
    after = _counts()
    assert {k: v for k, v in after.items() if k != "audit"} == {k: v for k, v in before.items() if k != "audit"}


def test_a_larger_limit_adds_the_missing_listings(seeded):
    _seed("--limit", str(LIMIT + 2))
    assert Listing.objects.live().filter(language="vi").count() == LIMIT + 2
    assert Organization.objects.filter(is_demo=True).count() == len(_organizations())


def test_a_changed_password_is_reset_to_the_published_one(seeded, client):
    staff = get_user_model().objects.get(email=seed_demo.STAFF_EMAIL)
    staff.set_password("something-else-2026")
    staff.save()
    _seed("--limit", str(LIMIT))
    staff.refresh_from_db()
    assert staff.check_password(seed_demo.DEMO_PASSWORD)


# --- the data files ------------------------------------------------------------------------------------------------


def test_every_demo_file_passes_the_importers_checks(seeded):
    """The guard for data/demo: a dry run of every line, as seed_demo imports it, finds no problem."""
    staff = get_user_model().objects.get(email=seed_demo.STAFF_EMAIL)
    files = {name: True for name in seed_demo.LISTING_FILES} | {seed_demo.WORKFLOW_FILE: False}
    assert set(files) == {path.name for path in DEMO_DIR.glob("*.jsonl")}
    for name, publish in files.items():
        result = import_listings_file(path=DEMO_DIR / name, user=staff, publish=publish, dry_run=True)
        assert result.errors == [], (name, [str(error) for error in result.errors[:10]])
        assert result.rows == len(_rows(name)) > 0


def test_vietnamese_listings_cover_the_delta():
    rows = _rows("listings_vi.jsonl")
    offers = [row for row in rows if row["kind"] == "offer"]
    needs = [row for row in rows if row["kind"] == "need"]
    assert 55 <= len(rows) <= 70 and abs(len(offers) - len(needs)) <= 6
    assert [row["external_ref"] for row in rows] == [f"demo-vi-{n:03d}" for n in range(1, len(rows) + 1)]
    assert {row["province_code"] for row in rows} >= {"92", "91", "82", "86", "96", "80"}
    assert sum(1 for row in rows if row.get("is_anonymous")) >= 2
    assert {row["ip_status"] for row in offers} == {"none", "applied", "granted"}
    text = " ".join(row["title"] + " " + row["summary"] for row in rows).casefold()
    for theme in ("sấy lúa", "tôm", "xoài", "sầu riêng", "bưởi", "mặn", "nước thải", "biogas", "điện mặt trời",
                  "truy xuất", "dừa", "sen", "tràm", "nước mắm", "rơm", "trấu", "kho lạnh"):  # fmt: skip
        assert theme in text, theme
    tax_codes = {item["tax_code"] for item in _organizations() if item.get("tax_code")}
    for row in rows:
        assert row["language"] == "vi" and row["organization_tax_code"] in tax_codes
        assert 400 <= len(row["description"]) <= 1500, row["external_ref"]
        assert VIETNAMESE.search(row["title"]) and row["title"] == unicodedata.normalize("NFC", row["title"])
        if row["kind"] == "offer":
            assert 3 <= row["trl"] <= 9 and row["advantages"] and row["applications"] and row["comparison"]
        else:
            assert row["problem"] and row["technical_requirements"] and row["current_conditions"]
            assert row.get("deadline", "2027").startswith("2027")


def test_organisations_have_valid_tax_codes_and_communes():
    wards = {}
    with open(settings.BASE_DIR / "data/reference/admin/vn_wards_2025.csv", encoding="utf-8") as handle:
        for ward in csv.DictReader(handle):
            wards[ward["code"]] = ward["province_code"]
    vietnamese = [item for item in _organizations() if item.get("country") == "VN"]
    assert {item["type"] for item in vietnamese} == {
        "university", "institute", "enterprise", "cooperative", "individual", "intermediary", "public_body"
    }  # fmt: skip
    for item in vietnamese:
        validate_tax_code(item["tax_code"])
        assert wards[item["ward_code"]] == item["province_code"], item["name"]
        assert item["description"] and item["is_demo"] is True


def test_open_data_files_stay_small_and_attributed():
    for name in ("nasa_offers.jsonl", "sbir_needs.jsonl"):
        assert (DEMO_DIR / name).stat().st_size < 3 * 1024 * 1024, name
    agencies = {row["organization_name"] for row in _rows("sbir_needs.jsonl")}
    names = {item["name"] for item in _organizations()}
    assert agencies <= names
    for row in _rows("nasa_offers.jsonl"):
        assert row["language"] == "en" and row["external_ref"].startswith("nasa-")
        assert row["transfer_forms"] == ["non_exclusive_licence"]
        assert row["ip_type"] in ("patent", "copyright") and row.get("ip_status") in (None, "applied", "granted")
    assert Path(DEMO_DIR / "PROVENANCE.md").is_file()
