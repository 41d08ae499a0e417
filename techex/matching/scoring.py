"""How well an offer could meet a need: a score from 0 to 100 made of features, each of which is also a reason.

Pure computation, no database: ``services`` loads what is needed (search documents, term statistics, listing
attributes) and stores the results.

- **Text** (up to ``POINTS["text"]``): the cosine of the two listings' term vectors, built from their search
  documents (the same folded, English-stemmed text search reads). A term weighs its idf times the log of its
  frequency, counted per field (title 3, keywords 2, summary 1, the rest 0.5, as search ranks them); function words,
  numbers and terms in more than a quarter of all listings carry nothing. Terms of a glossary concept (``lúa``,
  ``rice``, ``paddy``) are replaced by the concept, so an English offer and a Vietnamese need share it.
- **Structured features**: same S&T field or sector, TRL fit, region, transfer forms, price against budget,
  freshness. They tell apart offers that are about the same thing, so their points are scaled by how related the
  texts are (``GATE_SIMILARITY``): two listings in one field and one province with nothing in common are no match.
  Penalties (TRL below the minimum, price above the budget) are not scaled.
- An offer whose TRL is ``TRL_EXCLUDE_GAP`` or more levels below the need's minimum is no match at all; nor is a
  pair whose texts share (almost) nothing (``MIN_SIMILARITY``).
"""

import math
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache, cached_property

from techex.search.analysis import EN_STOPWORDS, VI_STOPWORDS, stem, words

from .glossary import Glossary, folded_key, glossary

FIELD_WEIGHTS = {"title": 3.0, "keywords": 2.0, "summary": 1.0, "body": 0.5}
TEXT_FIELDS = tuple(FIELD_WEIGHTS)
POINTS = {"text": 60, "field": 12, "trl": 8, "region": 8, "forms": 4, "price": 4, "freshness": 4}
SECTOR_POINTS = 8  # same sector (the first three digits of the field code), not the same field
MEKONG_POINTS = 5  # both in the Mekong Delta, not the same province
FULL_SIMILARITY = 0.30  # the cosine at which text earns all its points
GATE_SIMILARITY = 0.10  # the cosine at which the structured features earn all theirs
MIN_SIMILARITY = 0.03
CONCEPT_BOOST = 1.2  # a shared domain concept weighs a little more than a shared word of the same rarity
PAIR_WEIGHT = 0.5  # two consecutive terms, beside the terms themselves
MAX_DF_SHARE = 0.25
MIN_DOCUMENTS_FOR_DF_CUT = 1000  # in a small corpus every word is "frequent"
TRL_PENALTY_PER_LEVEL = 12
TRL_EXCLUDE_GAP = 3
PRICE_ABOVE_PENALTY = 10
FRESH_DAYS = 365
MAX_SHOWN_TERMS = 5
MAX_SHOWN_CONCEPTS = 5


# --- documents and vectors --------------------------------------------------------------------------------------


@dataclass
class Document:
    """A listing's analysed text, as its search document holds it (the organisation's name is left out)."""

    listing_id: int
    language: str
    padded: dict[str, str]  # field -> " term term … "
    counts: dict[str, float]  # term -> field-weighted frequency
    accents: frozenset[str]


def document(listing_id: int, language: str, fields: Mapping[str, str], accents: str = "") -> Document:
    counts: defaultdict[str, float] = defaultdict(float)  # field-weighted: not whole counts
    padded = {}
    for name, weight in FIELD_WEIGHTS.items():
        text = fields.get(name) or ""
        if not text:
            continue
        padded[name] = f" {text} "
        for term, n in Counter(text.split()).items():
            counts[term] += weight * n
    return Document(listing_id, language, padded, dict(counts), frozenset(accents.split()) if accents else frozenset())


# The boilerplate of patents, calls for proposals and technology offers: frequent everywhere in them and saying
# nothing about the subject. In a corpus of thousands their idf is already low; in a small one it is not.
GENERIC_EN = """
able achieve advanced allow allows also applicable application applications apparatus approach approaches art
available based benefit benefits capabilities capability center commercial commercialization comprising comprises
concept current currently demonstrate demonstrated design designed develop developed developing development device
devices disclosed disclosure effective embodiment embodiments enable enabled enables enhance enhanced example
existing feasibility feature features federal first government high improve improved improvement improvements
improving include included includes including increase increased innovation innovations innovative invention
inventions key large laboratory low make makes making may method methods nasa need needed needs new novel offer
offers one operation order particular per performance phase plurality potential present process processes program
programs proposal proposals propose proposed provide provided provides providing range reduce reduced related
require required requirement requirements research result results sbir second several significant significantly
small solution solutions state sttr subtopic system systems technical technique techniques technologies technology
three topic two type types use used useful uses using various via well within without
"""


@cache
def _stopwords() -> dict[str, frozenset[str]]:
    generic = GENERIC_EN.split()
    english = frozenset(EN_STOPWORDS) | frozenset(stem(word) for word in [*EN_STOPWORDS, *generic])
    # Vietnamese stopwords are listed with diacritics and documents are folded: ``có`` and ``cỏ`` are both ``co``.
    # Folds of the glossary's content words (``cỏ``, ``thóc``) are kept, whatever stopword shares their fold.
    content = {
        term
        for concept in glossary().concepts.values()
        for text in concept.vi
        for term, surface in words(text)
        if unicodedata.normalize("NFC", surface).casefold() not in VI_STOPWORDS
    }
    folded_stops = {folded_key(word) for word in VI_STOPWORDS}
    return {"en": english, "vi": frozenset(folded_stops - content)}


@dataclass
class Vector:
    """A listing's weighted terms and concepts (concept keys start with ``@``), and their Euclidean norm."""

    listing_id: int
    language: str
    weights: dict[str, float]
    norm: float
    accents: frozenset[str]
    concepts: dict[str, float] = field(default_factory=dict)  # concept -> weight, for candidate queries

    @cached_property
    def accented(self) -> dict[str, frozenset[str]]:
        """Folded term -> the accent keys of its accented spellings in the listing (``lua`` -> {lúa})."""
        result: dict[str, set[str]] = {}
        for key in self.accents:
            result.setdefault(folded_key(key), set()).add(key)
        return {term: frozenset(keys) for term, keys in result.items()}


class Vectorizer:
    """Turns documents into vectors with the corpus statistics (document frequencies) and the glossary."""

    def __init__(self, df: Mapping[str, int], documents: int, terms: Glossary | None = None):
        self.df = df
        self.documents = max(documents, 1)
        self.glossary = terms or glossary()
        self.max_df = MAX_DF_SHARE * self.documents if self.documents >= MIN_DOCUMENTS_FOR_DF_CUT else math.inf
        # term -> idf, or 0.0 for a term that carries nothing; by language, whose stopwords differ. Terms recur
        # across documents, so each is judged once per run (statistics must be read before a term is first seen).
        self._idf: dict[str, dict[str, float]] = {"en": {}, "vi": {}}

    def idf(self, term: str) -> float:
        df = max(self.df.get(term, 1), 1)
        return math.log(1 + (self.documents - df + 0.5) / (df + 0.5))

    def usable(self, term: str, language: str) -> bool:
        return (
            len(term) > 1
            and not term.isdigit()
            and term not in _stopwords()["en" if language == "en" else "vi"]
            and self.df.get(term, 1) <= self.max_df
        )

    def vector(self, doc: Document) -> Vector:
        concepts = self.glossary.find(
            language=doc.language, counts=doc.counts, padded=doc.padded, weights=FIELD_WEIGHTS, accents=doc.accents
        )
        covered = set().union(*(terms for _tf, terms in concepts.values())) if concepts else set()
        language = "en" if doc.language == "en" else "vi"
        known = self._idf[language]
        weights = {}
        for term, tf in doc.counts.items():
            idf = known.get(term)
            if idf is None:
                idf = known[term] = self.idf(term) if self.usable(term, language) else 0.0
            if idf and term not in covered:
                weights[term] = idf * math.log1p(tf)
        weights.update(self._pairs(doc, weights, known))
        concept_weights = {}
        for key, (tf, terms) in concepts.items():
            idf = max(self.idf(term) for term in terms)
            concept_weights[key] = CONCEPT_BOOST * idf * math.log1p(tf)
            weights["@" + key] = concept_weights[key]
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return Vector(doc.listing_id, doc.language, weights, norm, doc.accents, concept_weights)

    @staticmethod
    def _pairs(doc: Document, weights: dict[str, float], idf: dict[str, float]) -> dict[str, float]:
        """Consecutive weighted terms of a field as one more feature (``máy sấy``, ``fuel cell``): a Vietnamese
        word is often two syllables, and a pair shared says more than its two terms apart. It weighs
        ``PAIR_WEIGHT`` of its terms' mean idf."""
        counts: defaultdict[str, float] = defaultdict(float)  # field-weighted: not whole counts
        for name, text in doc.padded.items():
            terms = text.split()
            pairs = [f"{a} {b}" for a, b in zip(terms, terms[1:], strict=False) if a in weights and b in weights]
            for pair, n in Counter(pairs).items():
                counts[pair] += FIELD_WEIGHTS[name] * n
        result = {}
        for pair, tf in counts.items():
            first, second = pair.split(" ")
            result[pair] = PAIR_WEIGHT * (idf[first] + idf[second]) / 2 * math.log1p(tf)
        return result


def similarity(a: Vector, b: Vector) -> tuple[float, list[tuple[str, float]]]:
    """The cosine of two vectors and the shared keys with their contributions, largest first.

    Between two Vietnamese listings a shared folded term whose accented spellings differ (``lúa`` and ``lửa``) is
    not shared.
    """
    small, large = (a, b) if len(a.weights) <= len(b.weights) else (b, a)
    check_accents = bool(a.language == b.language == "vi" and a.accents and b.accents)
    shared = []
    dot = 0.0
    for key, weight in small.weights.items():
        other = large.weights.get(key)
        if other is None:
            continue
        if check_accents and key[0] != "@" and not all(_same_word(a, b, term) for term in key.split(" ")):
            continue
        contribution = weight * other
        dot += contribution
        shared.append((key, contribution))
    shared.sort(key=lambda item: -item[1])
    return dot / (a.norm * b.norm), shared


def _same_word(a: Vector, b: Vector, term: str) -> bool:
    mine, theirs = a.accented.get(term), b.accented.get(term)
    return not (mine and theirs and not mine & theirs)


# --- structured attributes ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """What the structured features read of a listing (only public fields of a live listing)."""

    listing_id: int
    kind: str
    language: str = "vi"
    trl: int | None = None
    min_trl: int | None = None
    province: str | None = None
    is_mekong: bool = False
    partner_provinces: frozenset[str] = frozenset()
    fields: tuple[str, ...] = ()
    transfer_forms: frozenset[str] = frozenset()
    price_type: str = "negotiable"
    price_min: int | None = None
    price_max: int | None = None
    fresh_at: datetime | None = None  # published or last renewed


@dataclass
class Scored:
    """A match found: its score, reasons (codes with params and points) and the feature values behind them."""

    need_id: int
    offer_id: int
    score: int
    reasons: list[dict]
    features: dict


def _reason(code: str, points: float, **params) -> dict:
    return {"code": code, "points": round(points), "params": params}


def _field_feature(need: Profile, offer: Profile) -> tuple[float, dict | None]:
    best: tuple[float, dict | None] = (0.0, None)
    for a in need.fields:
        for b in offer.fields:
            if a == b or (min(len(a), len(b)) >= 3 and (a.startswith(b) or b.startswith(a))):
                return POINTS["field"], _reason("field", POINTS["field"], field=a if len(a) >= len(b) else b)
            if len(a) >= 3 and len(b) >= 3 and a[:3] == b[:3] and best[0] < SECTOR_POINTS:
                best = (SECTOR_POINTS, _reason("sector", SECTOR_POINTS, field=a[:3]))
    return best


def _trl_feature(need: Profile, offer: Profile) -> tuple[float, dict | None, bool]:
    """(points, reason, excluded)."""
    if need.min_trl is None:
        return 0.0, None, False
    if offer.trl is None:
        return 0.0, _reason("trl_unstated", 0, min_trl=need.min_trl), False
    gap = need.min_trl - offer.trl
    if gap <= 0:
        return POINTS["trl"], _reason("trl_ok", POINTS["trl"], trl=offer.trl, min_trl=need.min_trl), False
    if gap >= TRL_EXCLUDE_GAP:
        return 0.0, None, True
    points = -TRL_PENALTY_PER_LEVEL * gap
    return points, _reason("trl_below", points, trl=offer.trl, min_trl=need.min_trl), False


def _region_feature(need: Profile, offer: Profile) -> tuple[float, dict | None]:
    if need.province and need.province == offer.province:
        return POINTS["region"], _reason("same_province", POINTS["region"], province=need.province)
    if offer.province and offer.province in need.partner_provinces:
        return POINTS["region"], _reason("province_sought", POINTS["region"], province=offer.province)
    if need.province and need.province in offer.partner_provinces:
        return POINTS["region"], _reason("province_sought", POINTS["region"], province=need.province)
    if need.is_mekong and offer.is_mekong:
        return MEKONG_POINTS, _reason("mekong", MEKONG_POINTS)
    return 0.0, None


def _lowest_price(profile: Profile) -> int | None:
    if profile.price_type in ("fixed", "range"):
        return profile.price_min
    return None


def _budget(profile: Profile) -> int | None:
    if profile.price_type == "range":
        return profile.price_max if profile.price_max is not None else profile.price_min
    if profile.price_type == "fixed":
        return profile.price_min
    return None


def _price_feature(need: Profile, offer: Profile) -> tuple[float, dict | None]:
    price, budget = _lowest_price(offer), _budget(need)
    if price is None or budget is None:
        return 0.0, None
    if price <= budget:
        return POINTS["price"], _reason("price_within", POINTS["price"], price=price, budget=budget)
    return -PRICE_ABOVE_PENALTY, _reason("price_above", -PRICE_ABOVE_PENALTY, price=price, budget=budget)


def _forms_feature(need: Profile, offer: Profile) -> tuple[float, dict | None]:
    common = sorted(need.transfer_forms & offer.transfer_forms)
    if not common:
        return 0.0, None
    return POINTS["forms"], _reason("transfer_forms", POINTS["forms"], forms=common)


def _freshness_feature(need: Profile, offer: Profile, now: datetime) -> tuple[float, dict | None]:
    dates = [d for d in (need.fresh_at, offer.fresh_at) if d is not None]
    if len(dates) < 2:
        return 0.0, None
    days = max(0, (now - min(dates)).days)
    points = POINTS["freshness"] * max(0.0, 1 - days / FRESH_DAYS)
    # Only worth saying when it counts: both published or renewed in the last half year.
    return points, (_reason("fresh", points, days=days) if points >= POINTS["freshness"] / 2 else None)


def score_pair(
    need: Profile,
    need_vector: Vector,
    offer: Profile,
    offer_vector: Vector,
    *,
    now: datetime,
    display: Mapping[str, str] | None = None,
) -> Scored | None:
    """Score an offer against a need; None when it is no match. ``display`` gives the word to show for a term."""
    cosine, shared = similarity(need_vector, offer_vector)
    if cosine < MIN_SIMILARITY:
        return None
    trl_points, trl_reason, excluded = _trl_feature(need, offer)
    if excluded:
        return None
    text_points = POINTS["text"] * min(1.0, cosine / FULL_SIMILARITY)
    gate = min(1.0, cosine / GATE_SIMILARITY)
    reasons = _text_reasons(shared, text_points, display or {}, bilingual=need.language != offer.language)
    total = text_points
    features: dict = {"cosine": round(cosine, 4), "text": round(text_points, 2)}
    parts = {
        "field": _field_feature(need, offer),
        "trl": (trl_points, trl_reason),
        "region": _region_feature(need, offer),
        "forms": _forms_feature(need, offer),
        "price": _price_feature(need, offer),
        "freshness": _freshness_feature(need, offer, now),
    }
    for name, (points, reason) in parts.items():
        points = points * gate if points > 0 else points
        total += points
        features[name] = round(points, 2)
        if reason is not None:
            reason["points"] = round(points)
            reasons.append(reason)
    score = max(0, min(100, round(total)))
    return Scored(need.listing_id, offer.listing_id, score, reasons, features)


def _text_reasons(shared: list[tuple[str, float]], points: float, display: Mapping[str, str], *, bilingual: bool):
    """The shared terms and concepts, the points of text split between them by their contributions."""
    total = sum(c for _key, c in shared) or 1.0
    terms = [(key, c) for key, c in shared if key[0] != "@"]
    concepts = [(key[1:], c) for key, c in shared if key[0] == "@"]
    reasons = []
    if concepts:
        share = sum(c for _k, c in concepts) / total
        shown = [key for key, _c in concepts[:MAX_SHOWN_CONCEPTS]]
        reasons.append(_reason("glossary", points * share, concepts=shown, bilingual=bilingual))
    if terms:
        share = sum(c for _k, c in terms) / total
        shown = [display.get(key, key) for key in _shown_terms([key for key, _c in terms])]
        reasons.append(_reason("terms", points * share, terms=list(dict.fromkeys(shown))))
    reasons.sort(key=lambda reason: -reason["points"])
    return reasons


def _shown_terms(keys: list[str]) -> list[str]:
    """The first MAX_SHOWN_TERMS shared terms, largest contribution first, where a shared pair stands in for each
    of its terms: ``công nghệ`` is shown, not ``công`` and ``nghệ`` apart (a Vietnamese syllable alone often means
    nothing), even when the pair's own contribution comes later."""
    pair_of: dict[str, str] = {}
    for key in keys:
        if " " in key:
            for part in key.split(" "):
                pair_of.setdefault(part, key)
    chosen: list[str] = []
    for key in keys:
        shown = key if " " in key else pair_of.get(key, key)
        if shown not in chosen:
            chosen.append(shown)
        if len(chosen) == MAX_SHOWN_TERMS:
            break
    return chosen
