"""Writes to the search index. ``subscribers.py`` calls ``sync_listings`` in the transaction that changes whether
a listing is live or what its public text is (the listing services publish an event there); ``rebuild_index``
rebuilds everything (``manage.py rebuild_search_index``).

A document holds only the approved public text of a live listing: title, keywords, summary, the other prose fields
(description without the summary it often repeats, advantages, applications …), its province's name and, unless
the listing is anonymous, its organisation's name. Drafts, submitted, rejected, withdrawn and expired listings have
no document, revisions awaiting review are not read, and attachments (confidential or not) never are.
"""

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date

from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from techex.core.text import clean_text
from techex.listings.models import PROSE_FIELDS, Listing

from .analysis import accent_keys, exact_terms, terms
from .models import FIELDS, SearchCorpus, SearchDocument, SearchQueryDay, SearchTerm

# The prose after the title and summary, which have search fields of their own.
_BODY_FIELDS = tuple(name for name in PROSE_FIELDS if name not in {"title", "summary"})
_BATCH = 500


def build_document(*, listing: Listing) -> SearchDocument:
    """The search document of a listing's current columns (the caller decides whether it should be indexed)."""
    english = listing.language == "en"
    summary = terms(listing.summary, english=english)
    description = terms(listing.description, english=english)
    if summary and description[: len(summary)] == summary:
        description = description[len(summary) :]  # imports often start the description with the summary
    body = description + [t for name in _BODY_FIELDS[1:] for t in terms(getattr(listing, name), english=english)]
    place = listing.province.name if listing.province is not None else ""
    org = terms(place if listing.is_anonymous else f"{listing.organization.name} {place}", english=english)
    public_text = " ".join([listing.title, " ".join(listing.keywords or []), listing.summary, listing.description])
    return SearchDocument(
        listing_id=listing.pk,
        title=" ".join(terms(listing.title, english=english)),
        keywords=" ".join(terms(" ; ".join(listing.keywords or []), english=english)),
        summary=" ".join(summary),
        body=" ".join(body),
        org=" ".join(org),
        accents=" ".join(sorted(accent_keys(public_text))),
        exact=exact_terms(
            [listing.title, " ; ".join(listing.keywords or [])]
            + [getattr(listing, name) or "" for name in ("summary", *_BODY_FIELDS)]
        ),
    )


def _lengths(document: SearchDocument) -> dict[str, int]:
    return {name: len(getattr(document, name).split()) for name in FIELDS}


def _apply_statistics(old: list[SearchDocument], new: list[SearchDocument]) -> None:
    delta: Counter = Counter()
    for document in new:
        delta.update(document.term_set())
    for document in old:
        delta.subtract(document.term_set())
    changes = sorted((term, n) for term, n in delta.items() if n)  # sorted: concurrent writers lock in one order
    table = SearchTerm._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(changes), _BATCH):
            chunk = changes[start : start + _BATCH]
            values = ", ".join(["(%s, %s)"] * len(chunk))
            upsert = f"INSERT INTO {table} (term, df) VALUES {values} ON CONFLICT (term) DO UPDATE SET df = {table}.df + excluded.df"  # noqa: E501, S608 (table name and placeholders only)
            cursor.execute(upsert, [value for pair in chunk for value in pair])
        removed = [term for term, n in changes if n < 0]
        for start in range(0, len(removed), _BATCH):
            SearchTerm.objects.filter(term__in=removed[start : start + _BATCH], df__lte=0).delete()
    totals = {f"{name}_length": 0 for name in FIELDS}
    for sign, documents in ((1, new), (-1, old)):
        for document in documents:
            for name, length in _lengths(document).items():
                totals[f"{name}_length"] += sign * length
    SearchCorpus.objects.get_or_create(pk=1)
    SearchCorpus.objects.filter(pk=1).update(
        documents=F("documents") + len(new) - len(old),
        version=F("version") + 1,
        **{name: F(name) + value for name, value in totals.items()},
    )


@transaction.atomic
def sync_listings(*, listings: Iterable[Listing]) -> None:
    """Bring the index in line with these listings: index the live ones (again), drop the others."""
    listings = list(listings)
    if not listings:
        return
    ids = [listing.pk for listing in listings]
    old = list(SearchDocument.objects.filter(pk__in=ids))
    live = [listing for listing in listings if listing.is_live]
    new = [build_document(listing=listing) for listing in live]
    if old:
        SearchDocument.objects.filter(pk__in=[d.pk for d in old]).delete()
    SearchDocument.objects.bulk_create(new, batch_size=_BATCH)
    _apply_statistics(old, new)


def sync_listing(*, listing: Listing) -> None:
    sync_listings(listings=[listing])


def results_changed() -> None:
    """Raise the index's version although no document changed, because something search answers show did (an
    attachment of a live listing, an organisation's profile): cached answers are then not served again."""
    SearchCorpus.objects.filter(pk=1).update(version=F("version") + 1)


def reindex_organization(*, organization_id: int) -> None:
    """Re-index an organisation's live listings (its name is part of their documents)."""
    for batch in _batches(Listing.objects.live().filter(organization_id=organization_id)):
        sync_listings(listings=batch)


def _batches(queryset: QuerySet[Listing], size: int = _BATCH) -> Iterator[list[Listing]]:
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), size):
        batch = Listing.objects.filter(pk__in=ids[start : start + size]).select_related("organization", "province")
        yield list(batch)


@transaction.atomic
def rebuild_index() -> int:
    """Empty the index and index every live listing again; returns the number of documents."""
    # The version goes on counting, so results cached before the rebuild are not taken for results after it.
    version = SearchCorpus.objects.filter(pk=1).values_list("version", flat=True).first() or 0
    if connection.vendor == "postgresql":
        # TRUNCATE is transactional and leaves no dead rows behind (a DELETE of every row would double the table).
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # deferred checks of earlier writes would block it
            cursor.execute("TRUNCATE search_searchdocument, search_searchterm, search_searchcorpus")
    else:
        SearchDocument.objects.all().delete()
        SearchTerm.objects.all().delete()
        SearchCorpus.objects.all().delete()
    SearchCorpus.objects.create(pk=1, version=version + 1)
    count = 0
    for batch in _batches(Listing.objects.live()):
        new = [build_document(listing=listing) for listing in batch]
        SearchDocument.objects.bulk_create(new, batch_size=_BATCH)
        _apply_statistics([], new)
        count += len(new)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # merge the FTS5 segments the deletes and inserts left
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
    return count


def verify_index() -> list[str]:
    """What disagrees between the index and the live listings (nothing, unless something bypassed the services)."""
    live = set(Listing.objects.live().values_list("pk", flat=True))
    indexed = set(SearchDocument.objects.values_list("pk", flat=True))
    problems = [f"live listing {pk} is not indexed" for pk in sorted(live - indexed)]
    problems += [f"listing {pk} is indexed but not live" for pk in sorted(indexed - live)]
    corpus = SearchCorpus.objects.filter(pk=1).first()
    if (corpus.documents if corpus else 0) != len(indexed):
        problems.append(f"corpus statistics count {corpus.documents if corpus else 0} documents, not {len(indexed)}")
    return problems


# --- the search-demand log (statistics) ------------------------------------------------------------------------------

QUERY_LOG_MAX = 200
# A query with an e-mail address or a run of digits as long as a phone or tax number may name a person: not kept.
_PERSONAL = re.compile(r"@|\d[\d .-]{6,}\d")


def _normalise_query(q: str) -> str:
    """The form a query is counted under: trimmed, lower case, single spaces (diacritics kept: they are read)."""
    return " ".join(clean_text(q).lower().split())[:QUERY_LOG_MAX]


def search_query_record(*, q: str, found: int, day: date | None = None) -> bool:
    """Count one search for ``q`` today (and whether it found nothing), in one statement; False when not kept."""
    query = _normalise_query(q)
    if not query or _PERSONAL.search(query):
        return False
    day = day or timezone.localdate()
    table = SearchQueryDay._meta.db_table
    empty = 0 if found else 1
    # One upsert (SQLite ≥ 3.24 and PostgreSQL alike): concurrent searches for the same query never collide.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day, query, searches, empty) VALUES (%s, %s, 1, %s) "  # noqa: S608 (a model's table)
            f"ON CONFLICT (day, query) DO UPDATE SET searches = {table}.searches + 1, "
            f"empty = {table}.empty + excluded.empty",
            [day, query, empty],
        )
    return True
