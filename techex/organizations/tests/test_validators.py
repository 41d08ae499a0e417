import pytest
from django.core.exceptions import ValidationError

from techex.organizations.validators import normalize_tax_code, tax_code_check_digit, validate_tax_code


@pytest.mark.parametrize(
    "value",
    [
        "0100109106",  # real enterprise codes with a correct check digit
        "0300588569",
        "0100112437",
        "0100109106-001",  # a branch
        "0100109106-999",
        " 0100 109 106 ",  # spaces and dots as people type them are removed first
        "0100.109.106",
    ],
)
def test_valid_tax_codes_pass(value):
    validate_tax_code(value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0100109107", "This tax code is not valid: its check digit does not match."),
        ("0300588560", "This tax code is not valid: its check digit does not match."),
        ("010010910", "A tax code has 10 digits, or 10 digits, a hyphen and 3 digits for a branch"),
        ("01001091066", "A tax code has 10 digits"),
        ("01001O9106", "A tax code has 10 digits"),
        ("abcdefghij", "A tax code has 10 digits"),
        ("0100109106-01", "A tax code has 10 digits"),
        ("0100109106-0001", "A tax code has 10 digits"),
        ("0100109106_001", "A tax code has 10 digits"),
        ("", "A tax code has 10 digits"),
        ("0100109106-000", "A branch suffix runs from 001 to 999."),
    ],
)
def test_invalid_tax_codes_are_refused_with_a_message(value, message):
    with pytest.raises(ValidationError) as excinfo:
        validate_tax_code(value)
    assert message in excinfo.value.messages[0]


def test_check_digit_follows_the_weights():
    # 0,1,0,0,1,0,9,1,0 weighted 31,29,23,19,17,13,7,5,3: 29 + 17 + 63 + 5 = 114; 114 mod 11 = 4; 10 - 4 = 6.
    assert tax_code_check_digit("010010910") == 6


def test_nine_digits_whose_remainder_is_zero_have_no_valid_check_digit():
    # 10 - 0 = 10 is not a digit: no ten-digit code can start with these nine digits.
    first_nine = next(f"{n:09d}" for n in range(1, 10**6) if tax_code_check_digit(f"{n:09d}") is None)
    for last in "0123456789":
        with pytest.raises(ValidationError):
            validate_tax_code(first_nine + last)


def test_normalize_keeps_the_branch_hyphen():
    assert normalize_tax_code(" 0100.109.106-001 ") == "0100109106-001"
