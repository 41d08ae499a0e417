"""What scoring reads from the database: candidates, search documents, term statistics, listing attributes.

Only live listings are ever read, and of them only what search indexes (the approved public text) and the public
fields of the structured features; pending revisions and attachments never are.

**Candidates** for a listing come from the search index: its most distinctive terms (by weight in its vector), and
the other language's terms of its glossary concepts, as one OR query against live listings of the other kind,
ranked by the database (FTS5 ``bm25`` or ``ts_rank``). The query's terms are chosen within a budget of documents
to rank (``query_terms``): common terms would make the database rank most of the corpus. When the text finds fewer
than ``FEW`` candidates, listings of the other kind sharing an S&T field are added.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db import connection
from django.db.models import Q

from techex.listings.models import Listing
from techex.search.backends import backend
from techex.search.models import SearchCorpus, SearchDocument, SearchTerm

from .glossary import glossary
from .models import Match
from .scoring import TEXT_FIELDS, Document, Profile, Vector, Vectorizer, document

CANDIDATES = 80
QUERY_TERMS = 16
QUERY_CONCEPTS = 6
PHRASES_PER_CONCEPT = 2  # per language: the glossary's first (most common) terms
POSTINGS_BUDGET = 6_000
FEW = 20
FIELD_CANDIDATES = 50
_BATCH = 500


def _chunks(items: list, size: int = _BATCH) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def other_kind(kind: str) -> str:
    return "offer" if kind == "need" else "need"


# --- statistics ----------------------------------------------------------------------------------------------------


def corpus_documents() -> int:
    return SearchCorpus.objects.filter(pk=1).values_list("documents", flat=True).first() or 0


def document_frequencies(terms: Iterable[str], into: dict[str, int] | None = None) -> dict[str, int]:
    """The document frequency of each term (terms not in the index are left out), added to ``into``."""
    found = into if into is not None else {}
    wanted = sorted(set(terms) - found.keys())
    table = SearchTerm._meta.db_table
    with connection.cursor() as cursor:
        # Raw SQL: the ORM prepares each of thousands of parameters in Python, which cost more than the query.
        for chunk in _chunks(wanted, 2000):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"SELECT term, df FROM {table} WHERE term IN ({marks})", chunk)  # noqa: S608
            found.update(cursor.fetchall())
    return found


def all_document_frequencies() -> dict[str, int]:
    """Every term's document frequency (for a full recompute, read once)."""
    return dict(SearchTerm.objects.values_list("term", "df").iterator(chunk_size=20_000))


# --- documents and profiles ----------------------------------------------------------------------------------------

_PROFILE_COLUMNS = (
    "id",
    "kind",
    "language",
    "trl",
    "min_trl",
    "province_id",
    "province__is_mekong",
    "transfer_forms",
    "price_type",
    "price_min",
    "price_max",
    "published_at",
    "renewed_at",
)


def _fresh_at(published: datetime | None, renewed: datetime | None) -> datetime | None:
    dates = [d for d in (published, renewed) if d is not None]
    return max(dates) if dates else None


def load_profiles(ids: Iterable[int]) -> dict[int, Profile]:
    """The structured attributes of the live listings among ``ids`` (three queries per 500)."""
    profiles: dict[int, Profile] = {}
    for chunk in _chunks(sorted(set(ids))):
        rows = Listing.objects.filter(pk__in=chunk, is_live=True).order_by().values_list(*_PROFILE_COLUMNS)
        fields: dict[int, list[str]] = {}
        through = Listing.fields.through
        for listing_id, code in through.objects.filter(listing_id__in=chunk).values_list("listing_id", "stfield_id"):
            fields.setdefault(listing_id, []).append(code)
        partners: dict[int, set[str]] = {}
        partner_rows = Listing.partner_provinces.through.objects.filter(listing_id__in=chunk)
        for listing_id, code in partner_rows.values_list("listing_id", "province_id"):
            partners.setdefault(listing_id, set()).add(code)
        for pk, kind, language, trl, min_trl, province, mekong, forms, price_type, low, high, pub, ren in rows:
            profiles[pk] = Profile(
                listing_id=pk,
                kind=kind,
                language=language,
                trl=trl,
                min_trl=min_trl,
                province=province,
                is_mekong=bool(mekong),
                partner_provinces=frozenset(partners.get(pk, ())),
                fields=tuple(sorted(fields.get(pk, ()))),
                transfer_forms=frozenset(forms or ()),
                price_type=price_type,
                price_min=low,
                price_max=high,
                fresh_at=_fresh_at(pub, ren),
            )
    return profiles


def load_documents(profiles: dict[int, Profile]) -> dict[int, Document]:
    """The search documents of these (live) listings."""
    documents: dict[int, Document] = {}
    for chunk in _chunks(sorted(profiles)):
        rows = SearchDocument.objects.filter(pk__in=chunk).values_list("listing_id", *TEXT_FIELDS, "accents")
        for listing_id, *texts, accents in rows:
            fields = dict(zip(TEXT_FIELDS, texts, strict=True))
            documents[listing_id] = document(listing_id, profiles[listing_id].language, fields, accents)
    return documents


# --- candidates ------------------------------------------------------------------------------------------------------


def query_terms(vector: Vector, vectorizer: Vectorizer) -> list[str]:
    """The terms to look for: the vector's heaviest terms and the terms of its concepts in both languages, heaviest
    first, as long as the documents having them stay within ``POSTINGS_BUDGET``.

    The database ranks every document having any of the terms, so the query costs about as much as the sum of their
    document frequencies (~1 µs each on SQLite): at 100,000 listings a query of twenty common terms took 300 ms,
    one within the budget takes a tenth of that. Rare terms are also the ones that say most about a listing.
    """
    weighted = [(w, term) for term, w in vector.weights.items() if term[0] != "@"]
    concepts = sorted(vector.concepts.items(), key=lambda item: -item[1])[:QUERY_CONCEPTS]
    for key, weight in concepts:
        for language in ("vi", "en"):
            for phrase in glossary().phrases(key, language)[:PHRASES_PER_CONCEPT]:
                # A phrase is looked for by its rarest term; the scoring checks the phrase itself.
                known = [t for t in phrase.terms if vectorizer.df.get(t)]
                if known:
                    weighted.append((weight, min(known, key=lambda t: vectorizer.df[t])))
    chosen: list[str] = []
    postings = 0
    for _weight, term in sorted(weighted, key=lambda item: -item[0]):
        df = vectorizer.df.get(term, 0)
        if term in chosen or not df or postings + df > POSTINGS_BUDGET:
            continue
        chosen.append(term)
        postings += df
        if len(chosen) == QUERY_TERMS:
            break
    return chosen


def concept_terms(vector: Vector) -> set[str]:
    """Every term the candidate query may take from the vector's concepts (to read their statistics first)."""
    wanted: set[str] = set()
    for key in sorted(vector.concepts, key=lambda k: -vector.concepts[k])[:QUERY_CONCEPTS]:
        for language in ("vi", "en"):
            for phrase in glossary().phrases(key, language)[:PHRASES_PER_CONCEPT]:
                wanted.update(phrase.terms)
    return wanted


# The restriction is correlated with the full-text table's row: an uncorrelated ``id IN (SELECT …)`` makes SQLite
# evaluate the list again for every FTS5 match (270 ms for one query over 1,800 listings, 2 ms correlated).
_OUTER_ID = {"sqlite": "search_fts.rowid", "postgresql": "search_searchdocument.listing_id"}


def _kind_restriction(kind: str) -> tuple[str, list]:
    table = Listing._meta.db_table
    outer = _OUTER_ID[connection.vendor]
    sql = f"SELECT l.id FROM {table} l WHERE l.id = {outer} AND l.is_live = %s AND l.kind = %s"  # noqa: S608
    return sql, [True, kind]


def text_candidates(terms: list[str], kind: str, *, limit: int = CANDIDATES) -> list[int]:
    """The ids of the best live listings of ``kind`` having any of the terms, by the database's ranking."""
    if not terms:
        return []
    return backend().ranked_ids(
        [[term] for term in terms], "any", idf=None, restrict=_kind_restriction(kind), limit=limit
    )


def field_candidates(profile: Profile, kind: str, exclude: set[int]) -> list[int]:
    """Live listings of ``kind`` sharing an S&T field with the profile, newest first."""
    if not profile.fields:
        return []
    qs = (
        Listing.objects.live()
        .filter(kind=kind, fields__code__in=profile.fields)
        .exclude(pk__in=exclude)
        .order_by("-published_at", "-id")
        .values_list("pk", flat=True)
        .distinct()
    )
    return list(qs[:FIELD_CANDIDATES])


def existing_counterparts(listing_id: int) -> dict[int, Match]:
    """The listing's stored matches by the other listing's id."""
    rows = Match.objects.filter(Q(need_id=listing_id) | Q(offer_id=listing_id)).only(
        "id", "need_id", "offer_id", "score"
    )
    return {match.counterpart_id(listing_id): match for match in rows}
