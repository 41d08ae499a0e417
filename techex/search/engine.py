"""The search engine: plans a query, counts and ranks its results, reads a page of them.

How a query runs (docs/search.md tells it for users and operators):

1. ``query.parse`` folds the words, finds their variants (stem, typo corrections) and the statistics.
2. Up to three content words must all match (``all``); if no listing has them all, any may (``any``), and if
   fewer than ``FEW_RESULTS`` have all three, listings lacking one of them are ranked too (``most``). Four words or
   more describe rather than filter: listings with any of them, best first (``ranked``).
3. The backend (FTS5 or PostgreSQL) returns the ``RERANK_WINDOW`` best candidates by its own ranking, restricted
   to the listings it is given (the caller's: ``techex.search.selectors`` gives the live listings that pass the
   filters); ``ranking`` re-ranks them in Python alike on both databases. Pages beyond the window follow the
   backend's order.
4. Hits are read from the listings it is given, so only those are ever returned, and snippets come from their
   approved public text.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import overload

from django.db.models import F, IntegerField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils.html import escape
from django.utils.translation import get_language

from techex.listings.filtersets import MAX_WORDS_LENGTH, ListingFilterSet
from techex.listings.models import Listing

from .backends import backend
from .cache import cached, index_version
from .facets import compute_facets
from .highlight import highlight, snippet
from .models import SearchDocument
from .query import ParsedQuery, did_you_mean, parse
from .ranking import rank, score
from .types import SORTS, SearchHit

RERANK_WINDOW = 200
# Results are counted exactly up to here, and "more than" beyond: counting every one of 60,000 listings with any of
# four common words costs PostgreSQL ~180 ms at 100,000 listings (each match is rechecked in its document), and
# nobody pages that far (Elasticsearch stops counting at the same number by default).
COUNT_LIMIT = 10_000
# Above this many results the database ranks candidates the cheaper way (one ts_rank on PostgreSQL, without the
# words' idf): the window of 200 it fills is then a small part of the results, re-ranked in Python all the same.
BROAD = 5_000
ALL_WORDS_UP_TO = 3
# When fewer listings than this have every one of three words, listings lacking one of them are ranked too.
FEW_RESULTS = 10
MAX_QUERY_LENGTH = MAX_WORDS_LENGTH  # techex.listings.filtersets: the API, the pages and the engine alike


@dataclass
class Plan:
    parsed: ParsedQuery
    groups: list[list[str]]
    mode: str  # all, most, any, ranked

    @property
    def idf(self) -> list[float]:
        return [max(self.parsed.idf(t) for t in group) for group in self.groups]

    @property
    def mode_for_backend(self) -> str:
        return self.mode if self.mode in ("all", "most") else "any"

    def match_sql(self) -> tuple[str, list]:
        return backend().match_sql(self.groups, self.mode_for_backend)

    def restriction(self) -> Q:
        sql, params = self.match_sql()
        return Q(id__in=RawSQL(sql, params))  # noqa: S611 (built by the backend; terms are parameters)


def plan_words(q: str, qs: QuerySet[Listing], *, correct: bool = True) -> Plan | None:
    """Parse the words and choose the mode; None when there are no words."""
    parsed = parse(q[:MAX_QUERY_LENGTH], correct=correct)
    words = parsed.groups
    if not words:
        return None
    # A word typed with diacritics also asks for its exact term: the same listings match (an exact term is only
    # ever beside its folded form), but the database's first ranking already puts those with the very word first.
    groups = [sorted(word.variants) + ([word.exact] if word.exact else []) for word in words]
    if len(groups) > ALL_WORDS_UP_TO:
        return Plan(parsed, groups, "ranked")
    plan = Plan(parsed, groups, "all")
    if len(groups) > 1:
        found = qs.filter(plan.restriction()).order_by()[:FEW_RESULTS].count()
        if not found:
            return Plan(parsed, groups, "any")
        if found < FEW_RESULTS and len(groups) > 2:
            # Requiring every one of three words cuts recall to a handful ("material properties of photoelastic
            # materials" found one abstract of the collection): listings lacking one of them are ranked too,
            # after those with every word as a rule. Two words stay both required: one of two is no longer the
            # query.
            return Plan(parsed, groups, "most")
    return plan


class _Hits(Sequence[SearchHit]):
    """A lazy sequence of hits for Django's Paginator: the count is known, a page is read when sliced."""

    def __init__(self, total: int, read: Callable[[int, int], list[SearchHit]]):
        self.total, self.read = total, read

    def __len__(self) -> int:
        return self.total

    @overload
    def __getitem__(self, item: int) -> SearchHit: ...
    @overload
    def __getitem__(self, item: slice) -> list[SearchHit]: ...
    def __getitem__(self, item: int | slice) -> SearchHit | list[SearchHit]:
        if isinstance(item, slice):
            return self.read(item.start or 0, min(item.stop, self.total) if item.stop is not None else self.total)
        return self.read(item, item + 1)[0]


def _plain_hit(listing: Listing) -> SearchHit:
    return SearchHit(listing, None, escape(listing.title), snippet([listing.summary], set()))


def _sorted(qs: QuerySet[Listing], sort: str) -> QuerySet[Listing]:
    if sort == "trl":
        level = Coalesce("trl", "min_trl", output_field=IntegerField())
        return qs.annotate(sort_level=level).order_by(F("sort_level").desc(nulls_last=True), "-published_at", "-id")
    return qs.order_by("-published_at", "-id")


@dataclass
class Search:
    """A search before pagination: ``hits`` is a lazy sequence of SearchHit (sliced by a paginator)."""

    hits: _Hits
    total: int
    mode: str
    filters: ListingFilterSet
    restriction: Q | None = None
    parsed: ParsedQuery | None = None
    version: tuple[int, int] | None = None
    total_exact: bool = True  # False: there are more than ``total`` (COUNT_LIMIT) results

    @property
    def corrected(self) -> str:
        return self.parsed.corrected if self.parsed else ""

    def suggestion(self) -> str:
        """A "did you mean" query when nothing, or not every word, was found."""
        return did_you_mean(self.parsed) if self.parsed and (not self.total or self.mode == "any") else ""

    def facets(self) -> list:
        if self.version is None:
            return compute_facets(self.filters, self.restriction)
        compute = partial(compute_facets, self.filters, self.restriction)
        return cached("facets", self.version, compute, filters=self.filters.values(), language=get_language())


@dataclass
class _Evaluated:
    """What a search costs to work out, and what the cache keeps: the plan, the count and the re-ranked window."""

    plan: Plan | None
    total: int = 0
    window: list[tuple[int, float]] | None = None
    total_exact: bool = True


def _evaluate(base: QuerySet[Listing], filters: ListingFilterSet, sort: str, correct: bool) -> _Evaluated:
    plan = plan_words(filters.words, base, correct=correct)
    if plan is None:
        return _Evaluated(None)
    restrict = _restrict_sql(base, filters)
    # Without filters every indexed document is a result: the full-text index counts them alone.
    if restrict:
        total = base.filter(plan.restriction()).order_by()[: COUNT_LIMIT + 1].count()
    elif (known := _matches_at_least(plan)) > COUNT_LIMIT:
        total = known  # more than the count would say: no need to ask the database
    else:
        total = backend().count(plan.groups, plan.mode_for_backend, limit=COUNT_LIMIT + 1)
    window = _RankedReader(plan, restrict, broad=total > BROAD).window() if sort == "relevance" else None
    return _Evaluated(plan, min(total, COUNT_LIMIT), window, total <= COUNT_LIMIT)


def _matches_at_least(plan: Plan) -> int:
    """How many documents match at least, from the terms' document frequencies: any document with a term matches
    a query where any word may (and a one-word query); when every one of several words is needed, nothing is
    known without asking the index."""
    if plan.mode in ("all", "most") and len(plan.groups) > 1:
        return 0
    return max((plan.parsed.df.get(term, 0) for group in plan.groups for term in group), default=0)


def run(*, base: QuerySet[Listing], filters: ListingFilterSet, sort: str, correct: bool) -> Search:
    """Search ``base`` (the listings the caller may see, passing every filter but the words) for the filters'
    words, best first (see the module docstring); without words, list ``base`` in the order asked for."""
    sort = sort if sort in SORTS else "relevance"
    evaluated = _Evaluated(None)
    version = None
    if filters.words.strip():
        version = index_version()
        compute = partial(_evaluate, base, filters, sort, correct)
        evaluated = cached("search", version, compute, filters=filters.values(), sort=sort, correct=correct)
    plan = evaluated.plan
    if plan is None:
        qs = _sorted(base, "newest" if sort == "relevance" else sort)
        total = qs.count()
        return Search(_Hits(total, lambda a, b: [_plain_hit(x) for x in qs[a:b]]), total, "browse", filters)
    restriction = plan.restriction()
    terms = plan.parsed.match_terms()

    def hits_for(ids: list[int], scores: dict[int, float]) -> list[SearchHit]:
        listings = {x.pk: x for x in base.filter(pk__in=ids).order_by()}
        return [
            SearchHit(
                listing,
                round(scores[pk], 4) if pk in scores else None,
                highlight(listing.title, terms),
                snippet([listing.summary, listing.description], terms),
            )
            for pk in ids
            if (listing := listings.get(pk)) is not None
        ]

    if sort == "relevance":
        broad = evaluated.total > BROAD
        ranked = _RankedReader(plan, _restrict_sql(base, filters), window=evaluated.window, broad=broad)

        def read(a: int, b: int) -> list[SearchHit]:
            ids, scores = ranked.read(a, b)
            return hits_for(ids, scores)

    else:
        ordered = _sorted(base.filter(restriction), sort)

        def read(a: int, b: int) -> list[SearchHit]:
            ids = list(ordered.values_list("pk", flat=True)[a:b])
            documents = SearchDocument.objects.filter(pk__in=ids)
            return hits_for(ids, {d.pk: score(d, plan.parsed) for d in documents})

    total = evaluated.total
    return Search(
        _Hits(total, read), total, plan.mode, filters, restriction, plan.parsed, version, evaluated.total_exact
    )


def _restrict_sql(base: QuerySet[Listing], filters: ListingFilterSet) -> tuple[str, list] | None:
    """SQL for the ids of the listings of ``base`` (live, passing the filters), or None when no filter but the
    words is set (every indexed document is a live listing)."""
    if not set(filters.values()) - {"q"}:
        return None
    sql, params = base.order_by().values("id").query.sql_with_params()
    return sql, list(params)


class _RankedReader:
    """The re-ranked window of best candidates, then the backend's order beyond it."""

    def __init__(self, plan: Plan, restrict, window: list[tuple[int, float]] | None = None, broad: bool = False):
        self.plan, self.restrict, self.broad = plan, restrict, broad
        self._window = window

    def _ranked(self, mode: str, limit: int, offset: int = 0) -> list[int]:
        return backend().ranked_ids(
            self.plan.groups,
            mode,
            idf=None if self.broad else self.plan.idf,
            restrict=self.restrict,
            limit=limit,
            offset=offset,
        )

    def _candidates(self, limit: int, offset: int = 0) -> list[int]:
        if self.plan.mode == "all" or offset:
            return self._ranked(self.plan.mode_for_backend, limit, offset)
        # Listings with every word first, then those lacking one word, then those with any: the database need not
        # rank the (often far larger) set of listings with any word when enough have (nearly) all of them. At
        # 100,000 listings ranking "any" of four common words costs ~45 ms on SQLite, "all but one" ~17 ms.
        best: list[int] = []
        for tier in self._tiers():
            seen = set(best)
            best += [pk for pk in self._ranked(tier, limit) if pk not in seen][: limit - len(best)]
            if len(best) >= limit:
                break
        return best

    def _tiers(self) -> list[str]:
        count = len(self.plan.groups)
        tiers = ["all"] * (count > 1) + ["most"] * (count > 2) + ["any"]
        return tiers[: tiers.index("most") + 1] if self.plan.mode == "most" else tiers

    def window(self) -> list[tuple[int, float]]:
        if self._window is None:
            ids = self._candidates(RERANK_WINDOW)
            documents = {d.pk: d for d in SearchDocument.objects.filter(pk__in=ids)}
            self._window = rank([documents[i] for i in ids if i in documents], self.plan.parsed)
        return self._window

    def read(self, a: int, b: int) -> tuple[list[int], dict[int, float]]:
        window = self.window()
        chosen = window[a:b]
        ids = [pk for pk, _ in chosen]
        scores = dict(chosen)
        if b > RERANK_WINDOW and len(window) == RERANK_WINDOW:
            start = max(a, RERANK_WINDOW)
            in_window = {pk for pk, _ in window}
            more = [pk for pk in self._candidates(b - start, offset=start) if pk not in in_window]
            documents = SearchDocument.objects.filter(pk__in=more)
            scores.update({d.pk: score(d, self.plan.parsed) for d in documents})
            ids += more
        return ids, scores
