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
    ["cây", "ngọt", "thanh", "cao", "nhà", "lớn", "số", "năm", "tấn", "ngày", "tháng", "con", "cần", "muốn", "thế"]
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


# Diacritics as ASCII letters, so that an exact form is a token both full-text indexes keep whole: the tone (Telex's
# f s r x j) belongs to the syllable, wherever it is written (thủy, thuỷ); the vowel marks (circumflex, breve, horn)
# and đ belong to a letter, so they keep its position.
_TONES = {"\u0300": "f", "\u0301": "s", "\u0309": "r", "\u0303": "x", "\u0323": "j"}
_LETTER_MARKS = {"\u0302": "a", "\u0306": "w", "\u031b": "o"}
EXACT_MARK = "0"  # between the folded word and its marks
_EXACT = re.compile(r"^([a-z]+)0((?:\d[adwo])*)([fsrxj]?)$")
_VOWELS = "aeiouy"


@lru_cache(maxsize=200_000)
def exact_term(word: str) -> str:
    """The index term of a word *with its diacritics*, beside its folded form: "thức" → "thuc02os" (a horn on
    letter 2, the acute tone), "thực" → "thuc02oj", "lúa" → "lua0s", "lửa" → "lua01or"; "" for a word without
    diacritics or with marks that are not Vietnamese's. Tone placement does not matter: "thủy" and "thuỷ" are
    "thuy0r"."""
    letters: list[str] = []
    codes: list[str] = []
    tone = ""
    for ch in unicodedata.normalize("NFD", unicodedata.normalize("NFC", word).casefold()):
        if unicodedata.category(ch) != "Mn":
            if ch == "đ":
                codes.append(f"{len(letters)}d")
            letters.append("d" if ch == "đ" else ch)
        elif ch in _TONES and not tone:
            tone = _TONES[ch]
        elif ch in _LETTER_MARKS and letters and len(letters) <= 10:
            codes.append(f"{len(letters) - 1}{_LETTER_MARKS[ch]}")
        else:
            return ""
    base = "".join(letters)
    if not (codes or tone) or not base.isascii() or not base.isalpha() or len(base) > 10:
        return ""
    return f"{base}{EXACT_MARK}{''.join(codes)}{tone}"


_LETTER_MARK_OF = {code: mark for mark, code in _LETTER_MARKS.items()}
_TONE_OF = {code: mark for mark, code in _TONES.items()}


def exact_parts(term: str) -> tuple[str, str] | None:
    """(folded word, its marks) of an exact term, or None when ``term`` is not one."""
    found = _EXACT.match(term)
    return (found.group(1), found.group(2) + found.group(3)) if found else None


def mark_set(marks: str) -> frozenset[str]:
    """The diacritics of an exact term's marks without their positions (what a typo may have moved)."""
    found = _EXACT.match(f"x0{marks}")
    if not found:
        return frozenset()
    return frozenset(found.group(2)[i + 1] for i in range(0, len(found.group(2)), 2)) | (
        {found.group(3)} if found.group(3) else set()
    )


def _tone_position(letters: list[str], marked: set[int]) -> int:
    """Where the tone is written, as most write it: on the vowel with a mark of its own (ơ of ươ), else on the last
    vowel before a final consonant (hoàn), else on the first of two vowels (mía, hòa, thủy)."""
    vowels = [i for i, ch in enumerate(letters) if ch in _VOWELS]
    word = "".join(letters)
    if (word.startswith("qu") or word.startswith("gi")) and len(vowels) > 1 and vowels[0] == 1:
        vowels = vowels[1:]
    if not vowels:
        return -1
    with_marks = [i for i in vowels if i in marked]
    if with_marks:
        return with_marks[-1]
    cluster = [i for i in vowels if i <= vowels[0] + 2 and i - vowels[0] == vowels.index(i)]
    ends_in_consonant = cluster[-1] < len(letters) - 1
    if ends_in_consonant or len(cluster) == 1:
        return cluster[-1] if len(cluster) < 3 else cluster[1]
    return cluster[1] if len(cluster) == 3 else cluster[0]


def exact_word(term: str) -> str:
    """The written word of an exact term ("cong01a" → "công", "nghe02aj" → "nghệ"), or "" when it is not one."""
    found = _EXACT.match(term)
    if not found:
        return ""
    letters = list(found.group(1))
    codes = found.group(2)
    marked: set[int] = set()
    for i in range(0, len(codes), 2):
        position, code = int(codes[i]), codes[i + 1]
        if position >= len(letters):
            return ""
        if code == "d":
            letters[position] = "đ"
        else:
            letters[position] += _LETTER_MARK_OF[code]
            marked.add(position)
    if found.group(3):
        position = _tone_position([ch[0] for ch in letters], marked)
        if position < 0:
            return ""
        letters[position] += _TONE_OF[found.group(3)]
    return unicodedata.normalize("NFC", "".join(letters))


def exact_terms(texts: list[str]) -> str:
    """The exact forms of the words with diacritics of the texts, in order, for exact-accent matching. A word
    without diacritics, and the end of each text, leave a "|" (no term to a full-text index) so that two words
    are next to each other here only where they are in the text."""
    out: list[str] = []
    for text in texts:
        for match in _WORD.finditer(unicodedata.normalize("NFC", text or "")):
            term = exact_term(match.group()) if not match.group().isascii() else ""
            if term:
                out.append(term)
            elif out and out[-1] != "|":
                out.append("|")
        if out and out[-1] != "|":
            out.append("|")
    while out and out[-1] == "|":
        out.pop()
    return " ".join(out)


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


def is_vietnamese(text: str) -> bool:
    """Whether text is written with Vietnamese (or any) diacritics, read before folding."""
    return any(not ch.isascii() and ch.isalpha() for ch in unicodedata.normalize("NFC", text or ""))


def is_stopword(term: str, surface: str, *, vietnamese: bool = False, all_upper: bool = False) -> bool:
    """Whether a query word is a function word, decided per language on the word as typed, never on its folded
    form: "ăn", "mỹ", "bé", "sở" fold to the English "an", "my", "be", "so" but are content words. An English
    function word is written without diacritics and in a query that is not Vietnamese (``vietnamese``: some word
    of the query has diacritics); a Vietnamese one is looked up with its diacritics. A word in capitals is an
    acronym ("WHO", "IT"), not a function word, unless the whole query is in capitals (``all_upper``)."""
    typed = unicodedata.normalize("NFC", surface)
    if len(typed) > 1 and typed.isupper() and not all_upper:
        return False
    if typed.casefold() in VI_STOPWORDS:
        return True
    return typed.isascii() and not vietnamese and term in EN_STOPWORDS
