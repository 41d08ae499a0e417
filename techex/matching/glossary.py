"""The bilingual glossary of the Delta's domain terms: one concept for ``lúa`` and ``rice``, ``sấy`` and ``drying``.

Matching compares listings on the analysed text of search (``techex.search.analysis``: folded, English stemmed), in
which an English offer about *rice drying* and a Vietnamese need about *sấy lúa* share no term. The glossary
(``data/reference/glossary/delta_terms.csv``, written for the product; its PROVENANCE.md says how it is read) maps
the terms of both languages to one concept, found in each listing's search document, so the two share concepts.

A term is found as consecutive terms of a field. Vietnamese terms are checked against the listing's accent keys
(``SearchDocument.accents``), since folding merges words: ``lúa`` (rice) counts only where the listing has ``lúa``,
not ``lửa`` (fire); a single syllable written without diacritics (``rau``) does not count where an accented word of
the listing folds to it (``râu``). A listing typed entirely without diacritics has no accent keys and is taken as
written.
"""

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from django.conf import settings

from techex.core.text import fold
from techex.search.analysis import accent_key, stem, words

GLOSSARY_FILE = Path(settings.BASE_DIR) / "data" / "reference" / "glossary" / "delta_terms.csv"


@dataclass(frozen=True)
class Concept:
    """One domain concept with its Vietnamese and English terms (the first of each is its label)."""

    key: str
    vi: tuple[str, ...]
    en: tuple[str, ...]

    def label(self, language: str) -> str:
        return self.en[0] if language.startswith("en") else self.vi[0]


@dataclass(frozen=True)
class Phrase:
    """A glossary term as the index holds it: consecutive analysed terms, and how to check its accents."""

    concept: str
    terms: tuple[str, ...]
    accents: tuple[str, ...]  # accent keys its words must have in the listing (Vietnamese words with diacritics)
    bare: str  # a single syllable written without diacritics: it must not be the fold of an accented word

    @property
    def text(self) -> str:
        return " ".join(self.terms)


@lru_cache(maxsize=100_000)
def folded_key(key: str) -> str:
    """The folded word an accent key stands for (``lúa``'s key → ``lua``)."""
    return fold(key)


def _vietnamese(term: str, concept: str) -> Phrase:
    pairs = list(words(term))
    folded = tuple(t for t, _surface in pairs)
    keys = tuple(sorted({key for _t, surface in pairs if (key := accent_key(surface))}))
    bare = folded[0] if len(folded) == 1 and not keys else ""
    return Phrase(concept, folded, keys, bare)


def _english(term: str, concept: str) -> Phrase:
    return Phrase(concept, tuple(stem(t) for t, _surface in words(term)), (), "")


class Glossary:
    """The concepts, and an index of their phrases by first term for each language of listing."""

    def __init__(self, concepts: Iterable[Concept], excluded: Mapping[str, tuple[str, ...]] | None = None):
        self.concepts = {concept.key: concept for concept in concepts}
        self._index: dict[str, dict[str, list[Phrase]]] = {"vi": {}, "en": {}}
        self._excluded: dict[str, dict[str, list[str]]] = {"vi": {}, "en": {}}
        self._phrases: dict[str, dict[str, list[Phrase]]] = {"vi": {}, "en": {}}
        for concept in self.concepts.values():
            phrases = {"vi": [_vietnamese(t, concept.key) for t in concept.vi]}
            phrases["en"] = [_english(t, concept.key) for t in concept.en]
            for language, items in phrases.items():
                self._phrases[language][concept.key] = items
            for language, items in phrases.items():
                for phrase in items:
                    if phrase.terms and phrase not in self._index[language].get(phrase.terms[0], []):
                        self._index[language].setdefault(phrase.terms[0], []).append(phrase)
            for text in (excluded or {}).get(concept.key, ()):
                self._excluded["vi"].setdefault(concept.key, []).append(" ".join(_vietnamese(text, "").terms))
                self._excluded["en"].setdefault(concept.key, []).append(" ".join(_english(text, "").terms))
        # The excluded phrases that contain each phrase (``solar wind`` for ``solar``), found once.
        self._excluding: dict[str, dict[Phrase, list[str]]] = {"vi": {}, "en": {}}
        for language, index in self._index.items():
            for same_start in index.values():
                for phrase in same_start:
                    texts = self._excluded[language].get(phrase.concept, ())
                    containing = [t for t in texts if f" {phrase.text} " in f" {t} "]
                    if containing:
                        self._excluding[language][phrase] = containing

    def __len__(self) -> int:
        return len(self.concepts)

    def phrases(self, concept: str, language: str) -> list[Phrase]:
        """The phrases of a concept in one language, in the glossary's order (the label first)."""
        return self._phrases[language][concept]

    def find(
        self,
        *,
        language: str,
        counts: Mapping[str, float],
        padded: Mapping[str, str],
        weights: Mapping[str, float],
        accents: frozenset[str],
    ) -> dict[str, tuple[float, frozenset[str]]]:
        """The concepts in a document: concept → (weighted frequency, the terms its phrases cover).

        ``counts`` are the document's terms with their field-weighted frequency, ``padded`` its fields as
        " term term … " strings and ``weights`` the weight of each field.
        """
        language = "en" if language == "en" else "vi"
        index = self._index[language]
        accented = {folded_key(key) for key in accents} if accents else set()
        excluding = self._excluding[language]
        found: dict[str, tuple[float, set[str]]] = {}
        for term in counts.keys() & index.keys():
            for phrase in index[term]:
                if len(phrase.terms) > 1 and any(t not in counts for t in phrase.terms[1:]):
                    continue
                if accents and any(key not in accents for key in phrase.accents):
                    continue
                if phrase.bare and phrase.bare in accented:
                    continue
                tf = counts[term] if len(phrase.terms) == 1 else _frequency(f" {phrase.text} ", padded, weights)
                for text in excluding.get(phrase, ()):
                    tf -= _frequency(f" {text} ", padded, weights)
                if tf <= 0:
                    continue
                # Phrases of one concept overlap (``sấy`` in ``máy sấy``): the concept is as frequent as its most
                # frequent phrase, not their sum.
                best, covered = found.get(phrase.concept, (0.0, set()))
                found[phrase.concept] = (max(best, tf), covered | set(phrase.terms))
        return {concept: (tf, frozenset(covered)) for concept, (tf, covered) in found.items()}


def _frequency(needle: str, padded: Mapping[str, str], weights: Mapping[str, float]) -> float:
    return sum(weights[name] * text.count(needle) for name, text in padded.items())


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split("|") if part.strip())


def read_glossary(path: Path = GLOSSARY_FILE) -> Glossary:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    concepts = [Concept(row["concept"].strip(), _split(row["vi"]), _split(row["en"])) for row in rows]
    excluded = {row["concept"].strip(): _split(row.get("not") or "") for row in rows}
    return Glossary(concepts, excluded)


@cache
def glossary() -> Glossary:
    """The glossary of the file shipped with the product (read once per process)."""
    return read_glossary()
