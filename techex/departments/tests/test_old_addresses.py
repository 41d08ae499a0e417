"""Pre-2025 addresses mapped to the units in force, on real merged communes of data/reference/admin."""

import pytest

from techex.reference.loader import load_ward_successions
from techex.reference.models import WardSuccession
from techex.reference.selectors import map_old_address, provinces_for_old_codes, wards_for_old_codes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("old_ward", "old_name", "new_ward", "new_name"),
    [
        ("31318", "Phường I (Hậu Giang)", "31321", "Vị Thanh"),
        ("31324", "Phường IV (Hậu Giang)", "31333", "Vị Tân"),
        ("31498", "Phường 5 (Sóc Trăng)", "31507", "Sóc Trăng"),
        ("31117", "Phường Cái Khế (Cần Thơ)", "31120", "Cái Khế"),
    ],
)
def test_merged_communes_of_soc_trang_hau_giang_and_can_tho_map_into_can_tho(
    reference_data, old_ward, old_name, new_ward, new_name
):
    mapping = map_old_address(old_ward_code=old_ward)
    assert (mapping.ward.pk, mapping.ward.full_name, mapping.province.pk) == (new_ward, f"Phường {new_name}", "92")
    assert not mapping.is_partial and mapping.candidates == ()


def test_a_split_commune_is_partial_with_every_candidate(reference_data):
    mapping = map_old_address(old_ward_code="31178")  # Phường Bùi Hữu Nghĩa, split between Cái Khế and Bình Thủy
    assert mapping.is_partial
    assert [w.pk for w in mapping.candidates] == ["31120", "31168"]
    assert mapping.ward.pk == "31120" and mapping.province.pk == "92"


def test_a_split_commune_prefers_the_new_commune_of_the_same_name(reference_data):
    mapping = map_old_address(old_ward_code="31183")  # Phường Long Tuyền → An Bình and Long Tuyền
    assert mapping.is_partial and mapping.ward.full_name == "Phường Long Tuyền"


def test_old_provinces_map_to_the_province_that_took_their_communes(reference_data):
    assert map_old_address(old_province_code="94").province.pk == "92"  # Sóc Trăng
    assert map_old_address(old_province_code="93").province.pk == "92"  # Hậu Giang
    split = map_old_address(old_province_code="89")  # old An Giang: communes went to An Giang and Đồng Tháp
    assert split.province.pk == "91" and split.is_partial
    unknown = map_old_address(old_ward_code="99999", old_province_code="00")
    assert (unknown.province, unknown.ward, unknown.is_partial) == (None, None, False)


def test_importers_get_only_unambiguous_old_codes(reference_data):
    found = wards_for_old_codes(codes={"31318", "31178", "99999"})
    assert {code: ward.pk for code, ward in found.items()} == {"31318": "31321"}
    provinces = provinces_for_old_codes()
    assert provinces["94"].pk == "92" and provinces["87"].pk == "82" and "89" not in provinces


def test_the_links_load_completely_and_again_without_duplicates(reference_data):
    total = WardSuccession.objects.count()
    assert total == 10599
    assert WardSuccession.objects.filter(is_partial=True).values("old_ward_code").distinct().count() == 460
    assert load_ward_successions() == total and WardSuccession.objects.count() == total


def test_an_imported_listing_with_an_old_commune_code_is_placed_in_the_new_one(reference_data, staff):
    from techex.listings.import_rows import Lookups

    lookups = Lookups.load([{"ward_code": "31498"}, {"ward_code": "31120"}])
    assert lookups.wards["31498"].pk == "31507" and lookups.wards["31120"].pk == "31120"
    assert lookups.provinces["94"].pk == "92"


def test_an_import_flags_split_old_communes_and_provinces_for_staff_with_their_candidates(
    tmp_path, reference_data, staff, settings
):
    """A ``partial`` link is not guessed: the import reports the row, says which old unit it was and between which
    units in force it was divided, for staff to choose; an unknown code is still reported as unknown."""
    from techex.listings.importer import RowError, import_listings_file
    from techex.listings.models import Listing
    from techex.listings.tests.test_import import TAX_CODE, offer_row, write_jsonl
    from techex.organizations.tests.factories import OrganizationFactory

    OrganizationFactory(tax_code=TAX_CODE)
    rows = [
        offer_row(external_ref="split-ward", province_code="", ward_code="31178"),  # Bùi Hữu Nghĩa, Cần Thơ
        offer_row(external_ref="split-province", province_code="89"),  # old An Giang
        offer_row(external_ref="unknown-ward", province_code="", ward_code="99999"),
        offer_row(external_ref="merged-ward", province_code="", ward_code="31498"),  # Phường 5, Sóc Trăng: one unit
    ]
    for row in rows:
        if not row["province_code"]:
            del row["province_code"]  # the commune alone places the listing
    result = import_listings_file(path=write_jsonl(tmp_path / "old.jsonl", rows), user=staff)

    assert not Listing.objects.exists()
    assert result.errors == [
        RowError(
            1,
            "ward_code: “31178” is Phường Bùi Hữu Nghĩa as it was before 1 July 2025, since divided between "
            "Phường Cái Khế (31120), Phường Bình Thuỷ (31168); give the code of the one where it lies now.",
        ),
        RowError(
            2,
            "province_code: “89” is Tỉnh An Giang as it was before 1 July 2025, since divided between "
            "Tỉnh Đồng Tháp (82), Tỉnh An Giang (91); give the code of the one where it lies now.",
        ),
        RowError(3, "ward_code: Unknown code “99999”."),
    ]
