"""Query variants for the Vietnamese robustness benchmark: how people really type a search.

Each function takes the query as written (NFC, with diacritics) and returns the query as someone might type it:

- ``no_diacritics``: without accents and with đ→d (a phone keyboard without Telex/VNI), via ``techex.core.text.fold``;
- ``nfd``: decomposed Unicode (macOS and some Vietnamese keyboards send base letter + combining marks);
- ``upper``: CAPS LOCK;
- ``typo``: one slip of a finger — one letter substituted, deleted or inserted in one word of at least
  ``TYPO_MIN_LETTERS`` letters, chosen deterministically from a seed and the query.

No Django settings are needed: ``techex.core.text`` is plain Python.
"""

import random
import re
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from techex.core.text import fold  # noqa: E402

TYPO_MIN_LETTERS = 5
TYPO_OPERATIONS = ("substitute", "delete", "insert")
# Letters a slip inserts or substitutes: those of a Vietnamese keyboard without accents (no f, j, w, z in words,
# but they are on the keyboard, so a slip can produce them).
TYPO_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
_WORD = re.compile(r"\w+", re.UNICODE)


def exact(query: str) -> str:
    """The query as written, in NFC."""
    return unicodedata.normalize("NFC", query)


def no_diacritics(query: str) -> str:
    """Lower-case, accents stripped, đ→d: ``Máy sấy lúa Đồng Tháp`` → ``may say lua dong thap``."""
    return fold(query)


def nfd(query: str) -> str:
    """The same text in Unicode NFD: other code points, equal to the query after NFC."""
    return unicodedata.normalize("NFD", query)


def upper(query: str) -> str:
    """Upper case (NFC)."""
    return unicodedata.normalize("NFC", query.upper())


def letters(word: str) -> int:
    """How many letters (not digits, not combining marks) a word has."""
    return sum(1 for ch in unicodedata.normalize("NFC", word) if ch.isalpha())


def typo_candidates(query: str) -> list[re.Match]:
    """The words of the query a typo may fall in: at least TYPO_MIN_LETTERS letters."""
    return [match for match in _WORD.finditer(query) if letters(match.group()) >= TYPO_MIN_LETTERS]


def typo(query: str, seed: int = 0, operation: str | None = None) -> str | None:
    """The query with one letter substituted, deleted or inserted in one of its words of ≥ 5 letters.

    Deterministic: the same query, seed and operation always give the same typo (the random generator is seeded with
    a string, which Python hashes with SHA-512, independent of PYTHONHASHSEED). The operation is drawn from the
    seed unless given. Returns None when no word is long enough. Works on NFC text; the result is NFC.
    """
    query = unicodedata.normalize("NFC", query)
    candidates = typo_candidates(query)
    if not candidates:
        return None
    rng = random.Random(f"{seed}\x00{operation or ''}\x00{query}")
    operation = operation or rng.choice(TYPO_OPERATIONS)
    if operation not in TYPO_OPERATIONS:
        raise ValueError(f"unknown typo operation {operation!r}")
    match = rng.choice(candidates)
    word = match.group()
    positions = [index for index, ch in enumerate(word) if ch.isalpha()]
    if operation == "insert":
        # Before any letter or after the last one.
        at = rng.choice([*positions, positions[-1] + 1])
        neighbour = word[min(at, len(word) - 1)]
        new = word[:at] + _same_case(rng.choice(TYPO_ALPHABET), neighbour) + word[at:]
    else:
        at = rng.choice(positions)
        if operation == "delete":
            new = word[:at] + word[at + 1 :]
        else:
            base = fold(word[at]) or word[at]
            replacement = rng.choice([ch for ch in TYPO_ALPHABET if ch != base])
            new = word[:at] + _same_case(replacement, word[at]) + word[at + 1 :]
    return query[: match.start()] + new + query[match.end() :]


def _same_case(letter: str, like: str) -> str:
    return letter.upper() if like.isupper() else letter


def typo_no_diacritics(query: str, seed: int = 0) -> str | None:
    """A typo in the query typed without diacritics: the commonest phone case."""
    return typo(no_diacritics(query), seed)


# The variants the benchmark reports, in table order. Each returns None when it does not apply to a query.
VARIANTS: dict[str, Callable[[str, int], str | None]] = {
    "exact": lambda query, seed: exact(query),
    "no diacritics": lambda query, seed: no_diacritics(query),
    "NFD": lambda query, seed: nfd(query),
    "UPPER": lambda query, seed: upper(query),
    "typo": lambda query, seed: typo(query, seed),
    "typo, no diacritics": lambda query, seed: typo_no_diacritics(query, seed),
}
