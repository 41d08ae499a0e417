"""From what a person typed to what the index is asked: words, their variants, typo corrections, statistics.

Each query word becomes a group of alternative index terms: its folded form and its English stem (the query's
language is unknown), and, when neither is in the index and the word has four letters or more, the index terms one
edit away (a wrong, missing or extra letter, or two letters swapped) — ``cong nhge`` finds ``công nghệ``. Function
words (Vietnamese as typed, English) are not required and do not score while other words remain.
"""

import math
import string
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Q

from .analysis import (
    EXACT_MARK,
    accent_key,
    exact_parts,
    exact_term,
    exact_word,
    is_stopword,
    is_vietnamese,
    mark_set,
    stem,
    words,
)
from .models import SearchCorpus, SearchTerm

MAX_WORDS = 32
TYPO_MIN_LENGTH = 4
TYPO_WEIGHT = 0.8  # a corrected word counts a little less than one typed right
MAX_CORRECTIONS = 3  # index terms kept per misspelt word, the most frequent first
_ALPHABET = string.ascii_lowercase + string.digits


@dataclass
class QueryWord:
    surface: str  # as typed
    term: str  # folded
    stop: bool
    accent: str  # accent key when typed with diacritics, else ""
    exact: str = ""  # the exact term (analysis.exact_term) when typed with diacritics and in the index, else ""
    variants: dict[str, float] = field(default_factory=dict)  # index term -> weight
    correction: str = ""  # the folded word used instead, when the typed one is not in the index
    display: str = ""  # how to show the word in a corrected query: with its usual diacritics when it has some


@dataclass
class ParsedQuery:
    words: list[QueryWord]
    df: dict[str, int]
    documents: int
    average_lengths: dict[str, float]

    @property
    def groups(self) -> list[QueryWord]:
        """The words that must match and score: the content words, or every word if there is nothing else."""
        content = [w for w in self.words if not w.stop] or self.words
        seen: set[tuple[str, ...]] = set()
        result = []
        for word in content:
            key = tuple(sorted(word.variants))
            if word.variants and key not in seen:
                seen.add(key)
                result.append(word)
        return result

    @property
    def scored(self) -> list[QueryWord]:
        """The words that score, in order: the groups and the Vietnamese function words typed with diacritics that
        the index has. Such a word is not required, but where it is it counts (little: it is frequent) and keeps
        its neighbours one phrase: "cơ" of "phân hữu cơ vi sinh" and "người" of "máy bay không người lái" are on
        Vietnamese's list. English ones do not (Cranfield's nDCG@10 fell from 0.386 to 0.375 when they did)."""
        required = {id(word) for word in self.groups}
        seen: set[tuple[str, ...]] = set()
        result = []
        for word in self.words:
            key = tuple(sorted(word.variants))
            known = not word.surface.isascii() and any(self.df.get(term) for term in word.variants)
            if word.variants and key not in seen and (id(word) in required or known):
                seen.add(key)
                result.append(word)
        return result

    def idf(self, term: str) -> float:
        df = self.df.get(term, 0)
        return math.log(1 + (self.documents - df + 0.5) / (df + 0.5))

    def match_terms(self) -> set[str]:
        return {term for word in self.groups for term in word.variants}

    @property
    def corrected(self) -> str:
        """The query with each corrected word replaced, or "" when nothing was corrected (or a correction is
        known only by its English stem, which is not a word to show)."""
        if not any(w.correction for w in self.words):
            return ""
        return " ".join(w.display or w.correction or w.surface for w in self.words)


def edits1(word: str) -> set[str]:
    """Every string one deletion, insertion, substitution or transposition away (Damerau–Levenshtein 1)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    transposes = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _ALPHABET if c != b[0]}
    inserts = {a + c + b for a, b in splits for c in _ALPHABET}
    return (deletes | transposes | replaces | inserts) - {word}


def _frequencies(terms: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    ordered = sorted(terms)
    for start in range(0, len(ordered), 2000):
        found.update(SearchTerm.objects.filter(term__in=ordered[start : start + 2000]).values_list("term", "df"))
    return found


_KEYS = {
    ch: (row, col + row * 0.5)
    for row, keys in enumerate(("qwertyuiop", "asdfghjkl", "zxcvbnm"))
    for col, ch in enumerate(keys)
}  # noqa: E501
LEFT_OUT = 0.5  # "nuan" for "nhuan": the commonest slip
SWAPPED = 0.6
DOUBLED = 0.5  # "congg"
NEIGHBOUR = 0.7  # a key next to the right one
OTHER = 1.0
MARK = 0.25  # each diacritic (tone or vowel mark) typed but not in the word, or in the word but not typed


def _neighbours(a: str, b: str) -> bool:
    if a not in _KEYS or b not in _KEYS:
        return False
    (row_a, col_a), (row_b, col_b) = _KEYS[a], _KEYS[b]
    return abs(row_a - row_b) <= 1 and abs(col_a - col_b) <= 1


def edit_cost(typed: str, word: str) -> float:
    """How far a word one edit away is from what was typed, as people mistype: a letter left out is the closest,
    then two letters swapped or one doubled, then a neighbouring key, then any other letter."""
    if len(word) == len(typed) + 1:
        return LEFT_OUT
    if len(word) == len(typed) - 1:
        i = next((i for i, (a, b) in enumerate(zip(typed, word, strict=False)) if a != b), len(word))
        doubled = (i > 0 and typed[i] == typed[i - 1]) or (i + 1 < len(typed) and typed[i] == typed[i + 1])
        return DOUBLED if doubled else NEIGHBOUR if 0 < i < len(word) and _neighbours(typed[i], typed[i - 1]) else OTHER
    differ = [i for i, (a, b) in enumerate(zip(typed, word, strict=False)) if a != b]
    if len(differ) == 2 and typed[differ[0]] == word[differ[1]] and typed[differ[1]] == word[differ[0]]:
        return SWAPPED
    if len(differ) == 1 and _neighbours(typed[differ[0]], word[differ[0]]):
        return NEIGHBOUR
    return OTHER


def _exact_forms(terms: set[str]) -> dict[str, list[tuple[frozenset[str], str, int]]]:
    """The written forms of folded terms in the index: term -> [(its diacritics, exact term, document frequency)]."""
    if not terms:
        return {}
    ranges = Q()
    for term in terms:
        ranges |= Q(term__gt=f"{term}{EXACT_MARK}", term__lt=f"{term}{chr(ord(EXACT_MARK) + 1)}")
    forms: dict[str, list[tuple[frozenset[str], str, int]]] = {}
    for exact, df in SearchTerm.objects.filter(ranges).values_list("term", "df"):
        parts = exact_parts(exact)
        if parts and parts[0] in terms:
            forms.setdefault(parts[0], []).append((mark_set(parts[1]), exact, df))
    return forms


class Vocabulary:
    """Where a query's words are looked up: their document frequencies (which words exist, how rare they are, what
    a typo may be corrected to) and the corpus' size and field lengths. The default is the listings' index
    (``SearchTerm``, ``SearchCorpus``); ``MemoryVocabulary`` is a small corpus held in memory (the expert
    directory's, ``techex.services.experts``), so every corpus is parsed, corrected and ranked alike."""

    def frequencies(self, terms: set[str]) -> dict[str, int]:
        return _frequencies(terms)

    def exact_forms(self, terms: set[str]) -> dict[str, list[tuple[frozenset[str], str, int]]]:
        return _exact_forms(terms)

    def corpus(self) -> tuple[int, dict[str, float]]:
        corpus = SearchCorpus.objects.filter(pk=1).first() or SearchCorpus()
        return corpus.documents, corpus.average_lengths()


class MemoryVocabulary(Vocabulary):
    """The document frequencies of a corpus small enough to count in memory (folded and exact terms alike)."""

    def __init__(self, df: Mapping[str, int], documents: int, average_lengths: Mapping[str, float]) -> None:
        self.df = dict(df)
        self.documents = documents
        self.average_lengths = dict(average_lengths)
        self._forms: dict[str, list[tuple[frozenset[str], str, int]]] = {}
        for term, n in self.df.items():
            if (parts := exact_parts(term)) is not None:
                self._forms.setdefault(parts[0], []).append((mark_set(parts[1]), term, n))

    def frequencies(self, terms: set[str]) -> dict[str, int]:
        return {term: self.df[term] for term in terms if term in self.df}

    def exact_forms(self, terms: set[str]) -> dict[str, list[tuple[frozenset[str], str, int]]]:
        return {term: self._forms[term] for term in terms if term in self._forms}

    def corpus(self) -> tuple[int, dict[str, float]]:
        return self.documents, self.average_lengths


def _typed_marks(surface: str) -> frozenset[str] | None:
    """The diacritics typed on a word, or None when it was typed without any."""
    parts = exact_parts(exact_term(surface))
    return mark_set(parts[1]) if parts else None


def _closest_form(word: str, typed: frozenset[str] | None, forms: dict, df: dict[str, int]) -> tuple[float, str]:
    """(the diacritics' distance, how to write the word): the written form nearest the diacritics typed, else the
    usual one (when at least half the listings with the word write it so), else the word as it is."""
    written = forms.get(word, [])
    if typed is not None:
        if not written:
            return MARK * len(typed), word
        marks, exact, _ = min(written, key=lambda form: (len(form[0] ^ typed), -form[2]))
        return MARK * len(marks ^ typed), exact_word(exact) or word
    if written:
        _, exact, usual = max(written, key=lambda form: form[2])
        if usual * 2 >= df.get(word, 0):
            return 0.0, exact_word(exact) or word
    return 0.0, word


def _ranked_corrections(
    word: "QueryWord", candidates: dict[str, str], df: dict[str, int], forms: dict
) -> list[tuple[float, int, str, str, str]]:
    """(distance, -frequency, index term, word, written form) of the candidates in the index, closest first, then
    the most frequent; a candidate known only by its English stem is a little further."""
    typed = _typed_marks(word.surface)
    ranked = []
    for candidate, source in candidates.items():
        if df.get(candidate):
            marks, written = _closest_form(source, typed, forms, df)
            cost = edit_cost(word.term, source) + marks + (0.0 if candidate == source else 0.1)
            ranked.append((cost, -df[candidate], candidate, source, written))
    return sorted(ranked)


def _corrections(term: str) -> dict[str, str]:
    """Candidate corrections of a folded word: index term -> the word it stands for."""
    edits = sorted(edits1(term))
    candidates = {edit: edit for edit in edits}
    for edit in edits:
        candidates.setdefault(stem(edit), edit)
    return candidates


def parse(q: str, *, correct: bool = True, vocabulary: Vocabulary | None = None) -> ParsedQuery:
    vocabulary = vocabulary or Vocabulary()
    parsed = []
    typed = list(words(q))[:MAX_WORDS]
    # Stop words are decided on the words as typed (techex.search.analysis.is_stopword).
    vietnamese = any(is_vietnamese(surface) for _, surface in typed)
    letters = [ch for _, surface in typed for ch in surface if ch.isalpha()]
    all_upper = bool(letters) and all(ch.isupper() for ch in letters)
    for term, surface in typed:
        stop = is_stopword(term, surface, vietnamese=vietnamese, all_upper=all_upper)
        parsed.append(QueryWord(surface=surface, term=term, stop=stop, accent=accent_key(surface)))
    typed_exact = {id(w): exact_term(w.surface) for w in parsed if w.accent}
    wanted = {t for w in parsed for t in (w.term, stem(w.term))} | set(typed_exact.values())
    df = vocabulary.frequencies(wanted)
    for word in parsed:
        word.variants = {t: 1.0 for t in (word.term, stem(word.term)) if df.get(t)}
        exact = typed_exact.get(id(word), "")
        word.exact = exact if exact and df.get(exact) and word.term in word.variants else ""
    misspelt = [
        w for w in parsed if correct and not w.variants and len(w.term) >= TYPO_MIN_LENGTH and not w.term.isdigit()
    ]
    if misspelt:
        candidates = {w.term: _corrections(w.term) for w in misspelt}
        df.update(vocabulary.frequencies({c for options in candidates.values() for c in options}))
        known = {source for options in candidates.values() for c, source in options.items() if df.get(c)}
        forms = vocabulary.exact_forms(known | {w.term for w in parsed})
        for word in misspelt:
            options = _ranked_corrections(word, candidates[word.term], df, forms)[:MAX_CORRECTIONS]
            if options:
                word.variants = {c: TYPO_WEIGHT for _, _, c, _, _ in options}
                _, _, best, source, written = options[0]
                # Shown only when it is a word of the index, not only an English stem's.
                word.correction, word.display = (source, written) if best == source else ("", "")
        if any(w.correction for w in parsed):
            for word in parsed:
                if not word.correction and not word.accent:
                    word.display = _closest_form(word.term, None, forms, df)[1]
    for word in parsed:
        if not word.variants:
            # Unknown and uncorrectable: it still has to match in "all" mode, and so finds nothing, honestly.
            word.variants = {word.term: 1.0}
    documents, average_lengths = vocabulary.corpus()
    return ParsedQuery(words=parsed, df=df, documents=documents, average_lengths=average_lengths)


def did_you_mean(parsed: ParsedQuery) -> str:
    """A query to suggest when nothing was found: unknown words (of any length ≥ 2) replaced by a frequent
    neighbour, or "" when there is nothing better to offer."""
    unknown = [w for w in parsed.words if not parsed.df.get(w.term) and len(w.term) >= 2 and not w.term.isdigit()]
    if not unknown:
        return ""
    candidates = {w.term: _corrections(w.term) for w in unknown}
    df = _frequencies({c for options in candidates.values() for c in options})
    known = {source for options in candidates.values() for c, source in options.items() if df.get(c)}
    forms = _exact_forms(known | {w.term for w in parsed.words if parsed.df.get(w.term)})
    replaced = {}
    for word in unknown:
        options = _ranked_corrections(word, candidates[word.term], df, forms)
        if options:
            replaced[word.term] = options[0][4]
    if not replaced:
        return ""
    # The other words too as they are usually written, when they were typed without diacritics.
    shown = {**parsed.df, **df}
    return " ".join(
        replaced.get(w.term) or (w.surface if w.accent else _closest_form(w.term, None, forms, shown)[1])
        for w in parsed.words
    )
