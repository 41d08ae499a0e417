"""From what a person typed to what the index is asked: words, their variants, typo corrections, statistics.

Each query word becomes a group of alternative index terms: its folded form and its English stem (the query's
language is unknown), and, when neither is in the index and the word has four letters or more, the index terms one
edit away (a wrong, missing or extra letter, or two letters swapped) — ``cong nhge`` finds ``công nghệ``. Function
words (Vietnamese as typed, English) are not required and do not score while other words remain.
"""

import math
import string
from dataclasses import dataclass, field

from .analysis import accent_key, is_stopword, stem, words
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
    variants: dict[str, float] = field(default_factory=dict)  # index term -> weight
    correction: str = ""  # the folded word used instead, when the typed one is not in the index


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
        return " ".join(w.correction or w.surface for w in self.words)


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


def _corrections(term: str) -> dict[str, str]:
    """Candidate corrections of a folded word: index term -> the word it stands for."""
    edits = sorted(edits1(term))
    candidates = {edit: edit for edit in edits}
    for edit in edits:
        candidates.setdefault(stem(edit), edit)
    return candidates


def parse(q: str, *, correct: bool = True) -> ParsedQuery:
    parsed = []
    for term, surface in list(words(q))[:MAX_WORDS]:
        key = accent_key(surface)
        parsed.append(QueryWord(surface=surface, term=term, stop=is_stopword(term, surface), accent=key))
    wanted = {t for w in parsed for t in (w.term, stem(w.term))}
    df = _frequencies(wanted)
    for word in parsed:
        word.variants = {t: 1.0 for t in (word.term, stem(word.term)) if df.get(t)}
    misspelt = [
        w for w in parsed if correct and not w.variants and len(w.term) >= TYPO_MIN_LENGTH and not w.term.isdigit()
    ]
    if misspelt:
        candidates = {w.term: _corrections(w.term) for w in misspelt}
        df.update(_frequencies({c for options in candidates.values() for c in options}))
        for word in misspelt:
            # A candidate that is itself an index term first (its spelling can be shown), then the most frequent.
            options = sorted(
                ((c == source, df[c], c, source) for c, source in candidates[word.term].items() if df.get(c)),
                reverse=True,
            )[:MAX_CORRECTIONS]
            if options:
                word.variants = {c: TYPO_WEIGHT for _, _, c, _ in options}
                word.correction = options[0][3] if options[0][0] else ""
    for word in parsed:
        if not word.variants:
            # Unknown and uncorrectable: it still has to match in "all" mode, and so finds nothing, honestly.
            word.variants = {word.term: 1.0}
    corpus = SearchCorpus.objects.filter(pk=1).first() or SearchCorpus()
    return ParsedQuery(words=parsed, df=df, documents=corpus.documents, average_lengths=corpus.average_lengths())


def did_you_mean(parsed: ParsedQuery) -> str:
    """A query to suggest when nothing was found: unknown words (of any length ≥ 2) replaced by a frequent
    neighbour, or "" when there is nothing better to offer."""
    unknown = [w for w in parsed.words if not parsed.df.get(w.term) and len(w.term) >= 2 and not w.term.isdigit()]
    if not unknown:
        return ""
    candidates = {w.term: _corrections(w.term) for w in unknown}
    df = _frequencies({c for options in candidates.values() for c in options})
    replaced = {}
    for word in unknown:
        options = sorted(((df[c], source) for c, source in candidates[word.term].items() if df.get(c)), reverse=True)
        if options:
            replaced[word.term] = options[0][1]
    if not replaced:
        return ""
    return " ".join(replaced.get(w.term, w.surface) for w in parsed.words)
