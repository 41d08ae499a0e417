"""Text analysis shared by indexing and querying: one normalisation, one tokeniser, one stemmer.

Everything is folded by ``techex.core.text.fold`` (NFC, case folding, diacritics removed with đ→d, punctuation and
spacing collapsed), so ``Đồng Tháp``, ``dong thap``, ``ĐỒNG THÁP`` and the NFD form are the same terms. English
listings are also stemmed (Snowball English), so ``heated`` finds ``heat``; Vietnamese syllables are not stemmed
(a stemmer would turn ``thuy`` into ``thui``). A query does not know its language, so each query word looks for its
folded form and its stem.

Accents are kept aside as an *accent key* (the base letters, with đ, and the sorted marks), so that a query typed
with diacritics can rank the exact word first (``lúa`` before ``lửa``) whatever the tone-mark placement
(``thủy`` and ``thuỷ`` have the same key).
"""

import re
import threading
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import snowballstemmer
from django.conf import settings

from techex.core.text import fold

MAX_TERM_LENGTH = 40  # longer "words" are identifiers, hashes or URLs; they are not indexed
_WORD = re.compile(r"\w+")
_NLP = Path(settings.BASE_DIR) / "data" / "reference" / "nlp"

# Single syllables of the stopword list that are content words in the Delta's listings: "cây" (plants, trees),
# "ngọt" (fresh water, sweet), "thanh" (thanh long), "cao" (high), "nhà" (house, greenhouse), "lớn", "số", "năm",
# "tấn" (tonnes), "ngày", "tháng", "con" (giống: breeds), "cần" (needs).
_VI_KEEP = frozenset(
    ["cây", "ngọt", "thanh", "cao", "nhà", "lớn", "số", "năm", "tấn", "ngày", "tháng", "con", "cần", "muốn"]
)


def _read_words(name: str) -> list[str]:
    return [line.strip() for line in (_NLP / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def _vietnamese_stopwords() -> frozenset[str]:
    words = (unicodedata.normalize("NFC", w).casefold() for w in _read_words("stopwords-iso-vi.txt"))
    return frozenset(w for w in words if " " not in w and w not in _VI_KEEP)


VI_STOPWORDS = _vietnamese_stopwords()
EN_STOPWORDS = frozenset(_read_words("english-stopwords.txt"))
_local = threading.local()  # a Snowball stemmer keeps state between calls: one per thread


def normalize(text: str) -> str:
    """The folded form of any text: what search and matching compare."""
    return fold(text or "")


@lru_cache(maxsize=200_000)
def stem(term: str) -> str:
    """The English stem of a folded term (numbers and very short words unchanged)."""
    if len(term) < 3 or not term.isalpha():
        return term
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("english")
    return stemmer.stemWord(term)


@lru_cache(maxsize=200_000)
def accent_key(word: str) -> str:
    """The word lower-cased with its marks sorted (tone placement does not matter); "" when it has no marks."""
    decomposed = unicodedata.normalize("NFD", word.casefold())
    marks = sorted(ch for ch in decomposed if unicodedata.category(ch) == "Mn")
    if not marks and "đ" not in decomposed:
        return ""
    base = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return base + "".join(marks)


def words(text: str) -> Iterator[tuple[str, str]]:
    """Yield (folded term, surface word) for every word of the text, in order."""
    for match in _WORD.finditer(unicodedata.normalize("NFC", text or "")):
        surface = match.group()
        for term in fold(surface).split():
            if len(term) <= MAX_TERM_LENGTH:
                yield term, surface


def terms(text: str, *, english: bool) -> list[str]:
    """The index terms of a text: folded words, stemmed when the text is English (the same terms as ``words``)."""
    folded = [term for term in fold(text or "").split() if len(term) <= MAX_TERM_LENGTH]
    return [stem(t) for t in folded] if english else folded


def accent_keys(text: str) -> set[str]:
    """The accent keys of the words of a text that have diacritics."""
    found = {w for w in _WORD.findall(unicodedata.normalize("NFC", text or "").casefold()) if not w.isascii()}
    return {key for w in found if (key := accent_key(w))}


def is_stopword(term: str, surface: str) -> bool:
    """Whether a query word is a function word (Vietnamese as typed, or English)."""
    return term in EN_STOPWORDS or unicodedata.normalize("NFC", surface).casefold() in VI_STOPWORDS
