"""Search reads, the entry points of the pages and the API: ranked, faceted, highlighted results, suggestions, word
filters. They give the engine (``engine``) the listings the public may see, and only those: live listings, through
``listing_list_public``."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.safestring import SafeString

from techex.listings.filtersets import ListingFilterSet
from techex.listings.models import Listing
from techex.listings.selectors import listing_list_public

from . import engine
from .backends import backend
from .engine import MAX_QUERY_LENGTH, Search
from .highlight import highlight
from .query import parse
from .services import search_query_record
from .types import SearchResults

__all__ = ["MAX_QUERY_LENGTH", "filter_by_words", "search", "search_listings", "search_suggestions"]


def filter_by_words(*, qs: QuerySet[Listing], q: str) -> QuerySet[Listing]:
    """The listings of ``qs`` that a search for ``q`` finds (unordered), for lists and exports."""
    plan = engine.plan_words(q, qs)
    return qs.filter(plan.restriction()) if plan else qs


def search(*, filters: ListingFilterSet, sort: str = "relevance", correct: bool = True) -> Search:
    """The live listings matching the filters and words, best first (techex.search.engine); ``correct=False``
    searches the words exactly as typed (no typo correction). Repeated searches come from the cache while the index
    is unchanged (techex.search.cache)."""
    base = filters.apply(listing_list_public(), without=("q",))
    return engine.run(base=base, filters=filters, sort=sort, correct=correct)


def search_listings(
    *,
    filters: ListingFilterSet,
    sort: str = "relevance",
    page: int | str = 1,
    page_size: int = 20,
    facets: bool = True,
    correct: bool = True,
) -> SearchResults:
    """One page of a search, with facets, for the pages."""
    found = search(filters=filters, sort=sort, correct=correct)
    paged = Paginator(found.hits, page_size).get_page(page)
    if paged.number == 1 and filters.words.strip():
        # The search demand the statistics read: one count per search typed, not per page turned.
        search_query_record(q=filters.words, found=found.total)
    return SearchResults(
        page=paged,
        total=found.total,
        total_exact=found.total_exact,
        facets=found.facets() if facets else [],
        mode=found.mode,
        corrected=found.corrected,
        suggestion=found.suggestion(),
    )


@dataclass
class Suggestion:
    title: str
    title_html: SafeString
    reference_code: str
    kind: str


def search_suggestions(*, q: str, limit: int = 6) -> list[Suggestion]:
    """Titles of live listings for what has been typed so far: the last word counts as a prefix (of two letters or
    more) unless the text ends with a space; function words before it are not required."""
    q = (q or "")[:MAX_QUERY_LENGTH]
    words = parse(q, correct=False).words
    last = words.pop() if words and not q[-1:].isspace() else None
    if last is not None and len(last.term) < 2:
        last = None
    groups = [sorted(w.variants) for w in words if not w.stop] + ([[last.term]] if last else [])
    if not groups:
        return []
    ids = backend().ranked_ids(
        groups, "all", idf=[1.0] * len(groups), restrict=None, limit=limit, prefix_last=last is not None
    )
    listings = Listing.objects.live().filter(pk__in=ids).only("title", "reference_code", "kind")
    by_id = {listing.pk: listing for listing in listings}
    terms = {t for group in groups for t in group}
    prefix = last.term if last else None
    return [
        Suggestion(x.title, highlight(x.title, terms, prefix=prefix), x.reference_code, x.kind)
        for pk in ids
        if (x := by_id.get(pk)) is not None
    ]
