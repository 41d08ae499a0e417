"""Text normalisation shared by search, matching and validation.

Search and matching read the same folded text, written by the listing services, so what can be found and what gets
matched never drift apart.
"""

import re
import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

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


def strip_invisible(value: str) -> str:
    """Strip spaces and invisible format characters (zero-width space, BOM…) from both ends.

    A value of nothing but such characters is empty, so required text cannot be blank in disguise.
    """
    start, end = 0, len(value)
    while start < end and (value[start].isspace() or unicodedata.category(value[start]) == "Cf"):
        start += 1
    while end > start and (value[end - 1].isspace() or unicodedata.category(value[end - 1]) == "Cf"):
        end -= 1
    return value[start:end]


def too_long_message(*, limit: int, count: int) -> str:
    """The one message for text over its length limit, on forms, in the API and in the import alike."""
    message = _("Keep this under %(limit)s characters (it has %(count)s).")
    return message % {"limit": f"{limit:,}", "count": f"{count:,}"}


def limited_text(value: Any, *, field: str, max_length: int | None, required_message: str = "") -> str:
    """Clean user text (NFC, trimmed) and refuse it too long, or empty when ``required_message`` says so.

    The limit counts the normalised text: NFD input is longer in code points than the same text in NFC. Errors
    name ``field``, so a form or the API shows them next to the input.
    """
    text = clean_text(value) if isinstance(value, str) else ""
    if required_message and not text:
        raise ValidationError({field: [required_message]})
    if max_length is not None and len(text) > max_length:
        raise ValidationError({field: [too_long_message(limit=max_length, count=len(text))]})
    return text


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
