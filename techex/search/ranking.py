"""The ranking every backend shares: BM25F over weighted fields, a phrase bonus, an exact-accent bonus.

- **BM25F** (Robertson, Zaragoza & Taylor 2004): each field's term frequency is length-normalised with its own
  average and weighted (title > keywords > organisation > summary = body) before one saturation, so a word in the
  title counts more than the same word in the description, without the double counting of summing per-field BM25.
- **Phrase**: consecutive query words found next to each other in a field (``nuôi tôm``, ``công nghệ``, ``solar
  dryer``) add a bonus of the same form, so multi-syllable Vietnamese words and English compounds rank first; it
  weighs more in Vietnamese text, where two syllables next to each other are one word.
- **Accents**: a word typed with diacritics also scores as its exact term (``SearchDocument.exact``: the listing
  has it with the same diacritics, ``lúa`` and not only ``lửa``), by that term's own, higher, idf; two such words
  next to each other add an exact phrase bonus (``thức ăn`` rather than ``thực`` … ``ăn``), and a listing that has
  the word only written otherwise (``thực`` for ``thức``) counts it at half. Typed without diacritics, all
  spellings are equal.
- Corrected (typo) words count ``TYPO_WEIGHT`` of a word typed right; function words are not required; Vietnamese
  ones typed with diacritics count where they are (little, being frequent), and for phrases (``ParsedQuery.scored``).
"""

from collections.abc import Mapping
from typing import Any

from .models import SearchDocument
from .query import ParsedQuery

K1 = 1.5
B = 0.75
FIELD_WEIGHTS = {"title": 3.0, "keywords": 2.0, "summary": 1.0, "body": 1.0, "org": 1.5}
# Two query words next to each other: in Vietnamese text (a document with words with diacritics) most words are two
# syllables, so adjacent syllables are one word found whole ("dây chuyền", not "chuyển … đây"); in English text they
# are a phrase, a weaker signal (bench/vi_robustness.py and bench/cranfield.py measured both).
PHRASE_WEIGHT = {True: 1.0, False: 0.3}
EXACT_WEIGHT = 1.0  # of a word's exact term, on top of its folded one
EXACT_PHRASE_WEIGHT = 0.5
OTHER_ACCENTS = 0.5  # of a word typed with diacritics, found only written otherwise


def _saturate(tf: float) -> float:
    return tf * (K1 + 1) / (tf + K1)


def score(document: Any, query: ParsedQuery, *, weights: Mapping[str, float] = FIELD_WEIGHTS) -> float:
    """The document's score for the query. ``document`` has one attribute of space-separated terms per field of
    ``weights`` and ``exact`` (a ``SearchDocument``, or another corpus' document analysed alike, such as an
    expert's: ``techex.services.experts``); the query's average lengths are of the same fields."""
    fields = {name: getattr(document, name) for name in weights}
    lengths = {name: text.count(" ") + 1 if text else 0 for name, text in fields.items()}
    norms = {
        name: weight / (1 - B + B * lengths[name] / query.average_lengths[name]) for name, weight in weights.items()
    }
    padded = {name: f" {text} " for name, text in fields.items() if text}
    exact = f" {document.exact} " if document.exact else ""
    groups = query.scored
    total = 0.0
    present: list[list[str]] = []
    best_idf: list[float] = []
    for word in groups:
        best, found, idf_found = 0.0, [], 0.0
        for term, weight in word.variants.items():
            needle = f" {term} "
            tf = sum(norms[name] * text.count(needle) for name, text in padded.items())
            if tf:
                found.append(term)
                idf = query.idf(term)
                idf_found = max(idf_found, idf)
                best = max(best, weight * idf * _saturate(tf))
        if best and word.exact:
            if exact_tf := exact.count(f" {word.exact} ") if exact else 0:
                best += EXACT_WEIGHT * query.idf(word.exact) * _saturate(exact_tf)
            else:
                best *= OTHER_ACCENTS  # "thực" where "thức" was typed: the same letters, another word
        total += best
        present.append(found)
        best_idf.append(idf_found)
    for i in range(len(groups) - 1):
        if not present[i] or not present[i + 1]:
            continue
        tf = 0.0
        for first in present[i]:
            for second in present[i + 1]:
                needle = f" {first} {second} "
                tf += sum(norms[name] * text.count(needle) for name, text in padded.items())
        if tf:
            total += PHRASE_WEIGHT[bool(exact)] * min(best_idf[i], best_idf[i + 1]) * _saturate(tf)
        first, second = groups[i].exact, groups[i + 1].exact
        if first and second and exact and (exact_tf := exact.count(f" {first} {second} ")):
            total += EXACT_PHRASE_WEIGHT * min(query.idf(first), query.idf(second)) * _saturate(exact_tf)
    return total


def rank(documents: list[SearchDocument], query: ParsedQuery) -> list[tuple[int, float]]:
    """(listing id, score) best first; ties keep the order the documents came in (the backend's)."""
    scored = [(document.pk, score(document, query)) for document in documents]
    order = {pk: i for i, (pk, _) in enumerate(scored)}
    return sorted(scored, key=lambda item: (-item[1], order[item[0]]))
