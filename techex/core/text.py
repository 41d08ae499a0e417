"""Text normalisation shared by search, matching and validation.

Search and matching read the same folded text, written by the listing services, so what can be found and what gets
matched never drift apart.
"""

import re
import unicodedata

# FTS5's remove_diacritics and PostgreSQL's unaccent treat đ/Đ inconsistently (it is a letter, not a base letter
# with a combining mark), so it is folded by hand.
_SPECIAL = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss"})
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str) -> str:
    """Return user text in NFC with control characters removed and line ends unified.

    Everything a user types goes through this before it is stored, so NFD input (macOS, some Vietnamese keyboards)
    and NFC input are the same string in the database.
    """
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    return _CONTROL.sub("", value).strip()


class _FoldTable(dict):
    """str.translate table: combining marks (category Mn) removed, the special letters above replaced; learnt
    one character at a time, so the scan stays in C after the first sight of each character."""

    def __missing__(self, codepoint: int):
        value = None if unicodedata.category(chr(codepoint)) == "Mn" else codepoint
        self[codepoint] = value
        return value


_FOLD = _FoldTable(_SPECIAL)


def fold(value: str) -> str:
    """Lower-case, strip diacritics (đ→d) and keep letters and digits separated by single spaces."""
    # NFKD also unfolds compatibility forms: CO₂ → co2, full-width letters, ligatures.
    value = unicodedata.normalize("NFKD", value.casefold()).translate(_FOLD)
    value = unicodedata.normalize("NFC", value)
    value = _NON_WORD.sub(" ", value).replace("_", " ")
    return _SPACES.sub(" ", value).strip()


def lower_nfc(value: str) -> str:
    """Lower-case NFC text with punctuation removed, keeping diacritics (for exact-accent ranking)."""
    value = unicodedata.normalize("NFC", value).casefold()
    value = _NON_WORD.sub(" ", value).replace("_", " ")
    return _SPACES.sub(" ", value).strip()
