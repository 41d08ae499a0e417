"""The expert directory's reads: who may see which expert, searching experts, and suggesting experts for a need.

Search goes through the search domain's analysis, parser and ranking (docs/services.md, "Searching experts"):
an expert's texts are analysed by ``techex.search.analysis`` into the same terms a listing's are (folded, exact
terms of the words with diacritics) and kept on the row (``Expert.search_document``); a query is parsed by
``techex.search.query.parse`` against the directory's own vocabulary (``MemoryVocabulary``: the document
frequencies of the listed experts' terms), so a word typed without diacritics, in NFD or with one typo is found
and corrected the way it is for listings, and the experts are ranked by ``techex.search.ranking.score`` (BM25F,
phrases, exact accents) over the expert's fields. The directory is small (hundreds of people, not 100,000
listings): its documents are read from one column and scored in memory, and no second full-text index exists.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, overload

from django.core.cache import cache
from django.db.models import Count, Max, Prefetch, QuerySet
from django.http import Http404
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from techex.core.api import is_lookup_safe
from techex.core.permissions import is_staff
from techex.listings.selectors import user_can_manage
from techex.matching.reasons import RenderedReason, reason_labels, render_reasons
from techex.matching.scoring import POINTS, SECTOR_POINTS
from techex.reference.models import Province, STField
from techex.search.analysis import exact_terms, is_vietnamese, terms
from techex.search.highlight import highlight, snippet
from techex.search.query import MemoryVocabulary, ParsedQuery, parse
from techex.search.ranking import score
from techex.search.types import Facet, FacetValue

from .expert_models import Expert
from .models import ServiceCategory

if TYPE_CHECKING:
    from techex.listings.models import Listing

# An expert's fields for ranking, weighted like a listing's (title > keywords > organisation > body).
WEIGHTS = {"name": 3.0, "speciality": 2.0, "topic": 1.5, "org": 1.0, "body": 1.0}
ALL_WORDS_UP_TO = 3  # as for listings (techex.search.engine): up to three words must all match
SECTOR_LENGTH = 3  # the facet counts S&T sectors (the first three digits of a field code)
SUGGESTIONS = 5
# A need is compared with what an expert does, not with their name or place (the province is a reason of its own).
SUGGEST_WEIGHTS = {"speciality": 2.0, "topic": 1.5, "body": 0.5}
MIN_TEXT_SHARE = 0.35  # of the best expert's text score: below it, a few common words are no reason
MAX_SHOWN_TERMS = 5
TEXT_POINTS = POINTS["text"]


# --- the analysed document -----------------------------------------------------------------------------------------


def _terms(text: str) -> str:
    # Vietnamese text is not stemmed (a stemmer would turn "thuy" into "thui"); English text is, as for listings.
    return " ".join(terms(text, english=bool(text) and not is_vietnamese(text)))


def build_document(expert: Expert) -> dict[str, str]:
    """The analysed fields of an expert (to store in ``Expert.search_document``); its fields and categories must
    be saved. Contact details are never indexed."""
    topics = [f.name for f in expert.fields.all()] + [c.name for c in expert.categories.all()]
    place = expert.province.name if expert.province_id and expert.province else ""
    org = f"{expert.organization_label} {place}".strip()
    texts = {
        "name": f"{expert.title} {expert.full_name}",
        "speciality": " ; ".join(expert.speciality_list()),
        "topic": " ; ".join(topics),
        "org": org,
        "body": f"{expert.cv}\n{expert.publications}",
    }
    document = {name: _terms(text) for name, text in texts.items()}
    document["exact"] = exact_terms(list(texts.values()))
    return document


@dataclass
class _Doc:
    """An expert's stored document as ``ranking.score`` reads it (one attribute per field, and ``exact``)."""

    pk: int
    name: str = ""
    speciality: str = ""
    topic: str = ""
    org: str = ""
    body: str = ""
    exact: str = ""

    terms: frozenset[str] = frozenset()

    @classmethod
    def of(cls, pk: int, stored: dict) -> _Doc:
        texts = {name: str(stored.get(name, "")) for name in (*WEIGHTS, "exact")}
        document = cls(
            pk, texts["name"], texts["speciality"], texts["topic"], texts["org"], texts["body"], texts["exact"]
        )
        found = {t for name in WEIGHTS for t in getattr(document, name).split()}
        document.terms = frozenset(found | (set(document.exact.split()) - {"|"}))
        return document


@dataclass
class _Corpus:
    documents: dict[int, _Doc]
    vocabulary: MemoryVocabulary
    # Per listed expert, by name: (pk, its facet keys: field sectors, province, active service categories).
    rows: list[tuple[int, dict[str, set[str]]]]


def _version() -> tuple[int, str]:
    row = Expert.objects.listed().aggregate(n=Count("id"), last=Max("updated_at"))
    return row["n"], row["last"].isoformat() if row["last"] else ""


def _facet_rows(listed: QuerySet[Expert]) -> list[tuple[int, dict[str, set[str]]]]:
    keys: dict[int, dict[str, set[str]]] = {}
    for pk, province in listed.order_by("full_name", "id").values_list("pk", "province_id"):
        keys[pk] = {"field": set(), "province": {province} if province else set(), "category": set()}
    fields = Expert.fields.through.objects.filter(expert__in=listed).values_list("expert_id", "stfield_id")
    for pk, code in fields:
        keys[pk]["field"].add(code[:SECTOR_LENGTH])
    categories = Expert.categories.through.objects.filter(expert__in=listed, servicecategory__is_active=True)
    for pk, code in categories.values_list("expert_id", "servicecategory__code"):
        keys[pk]["category"].add(code)
    return list(keys.items())


def _corpus() -> _Corpus:
    """The listed experts' documents, their vocabulary and facet keys, kept in the cache under the directory's
    version (every change to an expert saves it, so its ``updated_at`` moves)."""
    count, last = _version()
    key = f"experts:corpus:{count}:{last}"
    found = cache.get(key)
    if found is not None:
        return found
    listed = Expert.objects.listed()
    documents = {pk: _Doc.of(pk, stored) for pk, stored in listed.values_list("pk", "search_document")}
    df: Counter[str] = Counter()
    lengths: Counter[str] = Counter()
    for document in documents.values():
        df.update(document.terms)
        for name in WEIGHTS:
            lengths[name] += len(getattr(document, name).split())
    n = max(len(documents), 1)
    vocabulary = MemoryVocabulary(df, len(documents), {name: max(lengths[name] / n, 1.0) for name in WEIGHTS})
    corpus = _Corpus(documents, vocabulary, _facet_rows(listed))
    cache.set(key, corpus, 300)
    return corpus


def _matched(parsed: ParsedQuery, document: _Doc, *, every: bool) -> bool:
    hits = [not document.terms.isdisjoint(word.variants) for word in parsed.groups]
    return all(hits) if every else any(hits)


# --- who sees which expert -----------------------------------------------------------------------------------------


def _with_relations(queryset: QuerySet[Expert]) -> QuerySet[Expert]:
    return queryset.select_related("province", "organization").prefetch_related(
        "fields", Prefetch("categories", queryset=ServiceCategory.objects.active())
    )


def expert_list_public() -> QuerySet[Expert]:
    """The listed experts (consent given, not hidden), everyone's to read."""
    return _with_relations(Expert.objects.listed())


def can_manage_expert(user: Any, expert: Expert) -> bool:
    """The expert themself, or staff of the expert's department's scope."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    if expert.user_id is not None and expert.user_id == user.pk:
        return True
    return is_staff(user) and Expert.objects.in_scope(user).filter(pk=expert.pk).exists()


def sees_contact(user: Any, expert: Expert) -> bool:
    """Who may read an expert's e-mail and phone: never an anonymous visitor; the expert and in-scope staff."""
    return can_manage_expert(user, expert)


def expert_get(*, slug: Any, user: Any) -> Expert:
    """An expert's page: listed experts for everyone; a hidden (or not yet consented) profile only for the expert
    and in-scope staff. Missing and forbidden are the same 404."""
    if not isinstance(slug, str) or not is_lookup_safe(slug, 80):
        raise Http404
    expert = _with_relations(Expert.objects.filter(slug=slug)).first()
    if expert is None or not (expert.is_listed or can_manage_expert(user, expert)):
        raise Http404
    return expert


def expert_list_for_staff(*, user: Any) -> QuerySet[Expert]:
    """Every expert of the staff member's scope (listed or not), for the staff list."""
    if not is_staff(user):
        raise Http404
    return _with_relations(Expert.objects.in_scope(user)).order_by("full_name")


def experts_of_category(*, category: ServiceCategory, limit: int = 12) -> list[Expert]:
    return list(expert_list_public().filter(categories=category).order_by("full_name")[:limit])


# --- search --------------------------------------------------------------------------------------------------------


@dataclass
class ExpertHit:
    expert: Expert
    score: float | None
    name_html: SafeString
    snippet_html: SafeString


class _Hits(Sequence[ExpertHit]):
    """The ranked experts, highlighted only when a page of them is read (a paginator slices it)."""

    def __init__(self, ranked: list[tuple[int, float | None]], terms: set[str]) -> None:
        self.ranked, self.terms = ranked, terms

    def __len__(self) -> int:
        return len(self.ranked)

    def _read(self, chosen: list[tuple[int, float | None]]) -> list[ExpertHit]:
        experts = expert_list_public().in_bulk([pk for pk, _ in chosen])
        hits = []
        for pk, value in chosen:
            if (expert := experts.get(pk)) is not None:
                texts = [expert.specialities, expert.cv, expert.publications]
                name = highlight(expert.full_name, self.terms)
                hits.append(ExpertHit(expert, value, name, snippet(texts, self.terms)))
        return hits

    @overload
    def __getitem__(self, item: int) -> ExpertHit: ...
    @overload
    def __getitem__(self, item: slice) -> list[ExpertHit]: ...
    def __getitem__(self, item: int | slice) -> ExpertHit | list[ExpertHit]:
        if isinstance(item, slice):
            return self._read(self.ranked[item])
        return self._read([self.ranked[item]])[0]


@dataclass
class ExpertSearch:
    hits: _Hits
    total: int
    facets: list[Facet] = field(default_factory=list)
    mode: str = "browse"  # as for listings: all, any, ranked, browse
    corrected: str = ""


def _passes(keys: dict[str, set[str]], filters: dict[str, str], *, skip: str = "") -> bool:
    for name, value in filters.items():
        if not value or name == skip:
            continue
        if name == "field":
            if not any(code.startswith(value[:SECTOR_LENGTH]) for code in keys["field"]):
                return False
        elif value not in keys[name]:
            return False
    return True


def _facets(rows: list[tuple[int, dict[str, set[str]]]], filters: dict[str, str]) -> list[Facet]:
    """Disjunctive counts, as for listings (techex.search.facets): each facet over the rows passing the others."""
    labels: dict[str, dict[str, str]] = {
        "field": {f.code: f.label for f in STField.objects.filter(level=2)},
        "province": {p.code: p.label for p in Province.objects.all()},
        "category": {c.code: c.text("name") for c in ServiceCategory.objects.active()},
    }
    titles = {"field": _("S&T field"), "province": _("Province"), "category": _("Service")}
    facets = []
    for name in ("field", "province", "category"):
        counts: Counter[str] = Counter()
        for _pk, keys in rows:
            if _passes(keys, filters, skip=name):
                counts.update(keys[name])
        selected = filters.get(name, "")
        values = [
            FacetValue(value, labels[name].get(value, value), count, value == selected)
            for value, count in counts.most_common()
        ]
        if selected and selected not in counts:
            values.append(FacetValue(selected, labels[name].get(selected, selected), 0, True))
        facets.append(Facet(name, titles[name], values))
    return facets


def expert_search(*, q: str = "", field: str = "", province: str = "", category: str = "") -> ExpertSearch:
    """The listed experts matching the words (folded, corrected, ranked by the search domain) and the filters,
    best first; without words, by name. Facets count fields (sectors), provinces and services."""
    filters = {"field": field or "", "province": province or "", "category": category or ""}
    corpus = _corpus()
    rows = corpus.rows
    words = (q or "").strip()
    if not words:
        hits = _Hits([(pk, None) for pk, keys in rows if _passes(keys, filters)], set())
        return ExpertSearch(hits, len(hits), _facets(rows, filters))
    parsed = parse(words, vocabulary=corpus.vocabulary)
    if not parsed.groups:
        return ExpertSearch(_Hits([], set()), 0, _facets([], filters))
    documents = corpus.documents
    mode = "ranked" if len(parsed.groups) > ALL_WORDS_UP_TO else "all"
    matching = [(pk, k) for pk, k in rows if _matched(parsed, documents[pk], every=mode == "all")]
    if not matching and mode == "all" and len(parsed.groups) > 1:
        mode = "any"
        matching = [(pk, k) for pk, k in rows if _matched(parsed, documents[pk], every=False)]
    order = {pk: i for i, (pk, _) in enumerate(rows)}  # by name, for equal scores
    scored = sorted(
        ((score(documents[pk], parsed, weights=WEIGHTS), pk) for pk, k in matching if _passes(k, filters)),
        key=lambda item: (-item[0], order[item[1]]),
    )
    hits = _Hits([(pk, round(value, 4)) for value, pk in scored], parsed.match_terms())
    return ExpertSearch(hits, len(hits), _facets(matching, filters), mode, parsed.corrected)


# --- suggestions for a need or a deal ------------------------------------------------------------------------------


@dataclass
class ExpertSuggestion:
    expert: Expert
    points: int
    reasons: list[RenderedReason]


def _need_text(listing: Listing) -> str:
    return " ".join([listing.title, " ".join(listing.keywords or []), listing.summary])


def _shared_phrases(parsed: ParsedQuery, found: set[str]) -> list[str]:
    """The need's words found in the expert's specialities and fields, neighbours joined ("sấy lúa", "thu hoạch"),
    as the need writes them."""
    content = {id(word) for word in parsed.groups}
    phrases: list[list[str]] = []
    previous = False
    for word in parsed.words:
        hit = id(word) in content and bool(found & set(word.variants))
        if hit:
            if previous:
                phrases[-1].append(word.surface)
            else:
                phrases.append([word.surface])
        previous = hit
    shown = list(dict.fromkeys(" ".join(phrase).lower() for phrase in phrases))
    return shown[:MAX_SHOWN_TERMS]


def suggest_experts(*, listing: Listing, limit: int = SUGGESTIONS) -> list[ExpertSuggestion]:
    """Listed experts who accept requests, for a need: by the need's words found in their specialities and texts
    (ranked by the search domain's scoring) and by shared S&T fields, each with its reasons as matching gives them
    (``techex.matching.reasons``: shared terms, same field, same sector, same province)."""
    corpus = _corpus()
    parsed = parse(_need_text(listing), correct=False, vocabulary=corpus.vocabulary)
    need_fields = {f.code for f in listing.fields.all()}
    candidates = expert_list_public().filter(accepts_requests=True)
    best = max((score(d, parsed, weights=SUGGEST_WEIGHTS) for d in corpus.documents.values()), default=0.0) or 1.0
    found: list[tuple[int, Expert, list[dict]]] = []
    for expert in candidates:
        document = corpus.documents.get(expert.pk)
        if document is None:
            continue
        reasons: list[dict] = []
        text = score(document, parsed, weights=SUGGEST_WEIGHTS) if parsed.groups else 0.0
        if text:
            shared = _shared_phrases(parsed, set(document.speciality.split()) | set(document.topic.split()))
            points = round(TEXT_POINTS * min(1.0, text / best))
            if shared and text >= MIN_TEXT_SHARE * best:
                reasons.append({"code": "terms", "params": {"terms": shared}, "points": points})
        codes = {f.code for f in expert.fields.all()}
        if same := sorted(need_fields & codes):
            reasons.append({"code": "field", "params": {"field": same[0]}, "points": POINTS["field"]})
        elif same_sector := sorted({c[:SECTOR_LENGTH] for c in need_fields} & {c[:SECTOR_LENGTH] for c in codes}):
            sector = next(c for c in sorted(codes) if c.startswith(same_sector[0]))
            reasons.append({"code": "sector", "params": {"field": sector}, "points": SECTOR_POINTS})
        if not reasons:
            continue
        if listing.province_id and listing.province_id == expert.province_id:
            reasons.append(
                {"code": "same_province", "params": {"province": expert.province_id}, "points": POINTS["region"]}
            )
        found.append((sum(r["points"] for r in reasons), expert, reasons))
    found.sort(key=lambda item: (-item[0], item[1].full_name))
    chosen = found[:limit]
    labels = reason_labels(r for _, _, r in chosen)
    return [ExpertSuggestion(e, points, render_reasons(r, labels)) for points, e, r in chosen]


def may_see_suggestions(*, user: Any, listing: Listing) -> bool:
    """The need's owner (its organisation's members) and staff; nobody else, and only for needs."""
    if listing.is_offer or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff) or user_can_manage(user=user, listing=listing)


def suggest_experts_for_deal(*, deal: Any, limit: int = SUGGESTIONS) -> list[ExpertSuggestion]:
    """A deal in negotiation is about its listing: the experts suggested for that need (or offer)."""
    return suggest_experts(listing=deal.listing, limit=limit)
