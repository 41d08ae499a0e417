"""The query variants of the Vietnamese robustness benchmark (bench/variants.py): no database, fast."""

import re
import unicodedata

import pytest

from bench import variants
from bench.variants import TYPO_MIN_LETTERS, nfd, no_diacritics, typo, upper

QUERIES = [
    "Máy sấy lúa tầng sôi",
    "Cấp đông nhanh sầu riêng",
    "khử mặn nước giếng Đồng Tháp",
    "Thu hồi chitin chitosan",
    "truy xuất nguồn gốc",
    "Trạm lọc nước lợ",
    "Solar powered irrigation pump",
]
# Vietnamese syllables are short: "Máy sấy lúa tầng sôi" has no word of 5 letters, so no typo applies to it.
TYPO_QUERIES = [query for query in QUERIES if variants.typo_candidates(query)]


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def test_no_diacritics_folds_accents_case_and_d():
    assert no_diacritics("Máy sấy lúa Đồng Tháp") == "may say lua dong thap"
    assert no_diacritics("ĐƯỜNG mật hoa dừa") == "duong mat hoa dua"
    assert no_diacritics("khử mặn") == no_diacritics(nfd("khử mặn"))


@pytest.mark.parametrize("query", QUERIES)
def test_nfd_differs_in_bytes_but_is_the_same_text_after_nfc(query):
    decomposed = nfd(query)
    assert unicodedata.normalize("NFC", decomposed) == unicodedata.normalize("NFC", query)
    if query.isascii():
        assert decomposed == query
    else:
        assert decomposed.encode() != query.encode()
        assert len(decomposed) > len(query)


def test_upper():
    assert upper("Máy sấy lúa đồng tháp") == "MÁY SẤY LÚA ĐỒNG THÁP"
    assert unicodedata.is_normalized("NFC", upper(nfd("sầu riêng")))


def test_most_sample_queries_can_take_a_typo():
    assert len(TYPO_QUERIES) == 5


@pytest.mark.parametrize("query", TYPO_QUERIES)
@pytest.mark.parametrize("seed", range(25))
def test_typo_changes_one_letter_in_one_long_word(query, seed):
    result = typo(query, seed)
    before, after = words(query), words(result)
    assert len(before) == len(after)
    changed = [(old, new) for old, new in zip(before, after, strict=True) if old != new]
    assert len(changed) == 1
    old, new = changed[0]
    assert variants.letters(old) >= TYPO_MIN_LETTERS
    assert edit_distance(old, new) == 1
    assert abs(len(new) - len(old)) <= 1
    # Only the changed word differs: the rest of the query, spaces included, is untouched.
    assert edit_distance(query, result) == 1


@pytest.mark.parametrize("operation", variants.TYPO_OPERATIONS)
def test_each_operation(operation):
    query = "nhiệt phân trấu liên tục"  # words of 5+ letters: "nhiệt"
    result = typo(query, seed=3, operation=operation)
    delta = {"substitute": 0, "delete": -1, "insert": 1}[operation]
    assert len(result) == len(query) + delta
    assert edit_distance(query, result) == 1


def test_typo_is_deterministic_with_a_seed():
    query = "Quy trình sản xuất đường mật hoa dừa"
    assert typo(query, 7) == typo(query, 7)
    assert len({typo(query, seed) for seed in range(30)}) > 5


def test_typo_none_without_a_long_enough_word():
    assert typo("máy sấy lúa", 1) is None
    assert typo("", 1) is None


def test_typo_keeps_upper_case():
    result = typo("NƯỚC GIẾNG NHIỄM MẶN", 2, operation="insert")
    assert result == result.upper()


def test_typo_rejects_unknown_operation():
    with pytest.raises(ValueError, match="unknown typo operation"):
        typo("chuyển giao", 1, operation="swap")


def test_variants_table_applies_every_variant():
    query = "Thu hồi chitin chitosan"
    produced = {name: make(query, 1) for name, make in variants.VARIANTS.items()}
    assert produced["exact"] == query
    assert produced["no diacritics"] == "thu hoi chitin chitosan"
    assert produced["typo, no diacritics"].isascii()
    assert all(produced.values())
