"""One address formatter: the ward and the province are named once, whatever the street line already says."""

from types import SimpleNamespace

import pytest

from techex.reference.addresses import full_address

HUNG_PHU = SimpleNamespace(name="Hưng Phú", full_name="Phường Hưng Phú")
CAN_THO = SimpleNamespace(name="Cần Thơ", full_name="Thành phố Cần Thơ")


@pytest.mark.parametrize(
    ("street", "expected"),
    [
        # The case seen on a contract summary: the street line already names both.
        (
            "Số 5 đường 3 Tháng 2, phường Hưng Phú, thành phố Cần Thơ",
            "Số 5 đường 3 Tháng 2, phường Hưng Phú, thành phố Cần Thơ",
        ),
        ("12 Nguyễn Trãi, P. Hưng Phú, TP. Cần Thơ", "12 Nguyễn Trãi, P. Hưng Phú, TP. Cần Thơ"),
        ("12 Nguyen Trai, phuong Hung Phu, Can Tho", "12 Nguyen Trai, phuong Hung Phu, Can Tho"),
        ("Số 1 Lý Tự Trọng", "Số 1 Lý Tự Trọng, Phường Hưng Phú, Thành phố Cần Thơ"),
        ("Số 1 Lý Tự Trọng, Cần Thơ", "Số 1 Lý Tự Trọng, Phường Hưng Phú, Cần Thơ"),
        ("Số 1 Lý Tự Trọng, phường Hưng Phú", "Số 1 Lý Tự Trọng, phường Hưng Phú, Thành phố Cần Thơ"),
        ("", "Phường Hưng Phú, Thành phố Cần Thơ"),
        # A street named like the ward is not the ward.
        ("Số 3 đường Hưng Phú Mới", "Số 3 đường Hưng Phú Mới, Phường Hưng Phú, Thành phố Cần Thơ"),
    ],
)
def test_the_ward_and_the_province_are_named_once(street, expected):
    assert full_address(street=street, ward=HUNG_PHU, province=CAN_THO) == expected


def test_missing_units_are_left_out():
    assert full_address(street="Ấp 3, xã Tân Lộc", ward=None, province=None) == "Ấp 3, xã Tân Lộc"
    assert full_address(street="", ward=None, province=CAN_THO) == "Thành phố Cần Thơ"
