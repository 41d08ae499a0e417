"""A cache of search results, keyed by the query and the index's version.

Most of a search's cost is the same for everyone who types the same words with the same filters: parsing and typo
lookups, counting the matches, ranking the candidates in the database and re-ranking the best of them in Python
(bench/search_speed.py). That work is kept in Django's cache (local memory by default, Redis in production) under
a key made of what was asked and of the index's *version*, which every change to the index raises in the
transaction that makes it (``SearchCorpus.version``, techex.search.services). The version is read from the
database for every search, so a listing published, changed or withdrawn is reflected by the very next search in
every process, whichever cache backend is configured; nothing has to be deleted from the cache. ``TIMEOUT`` bounds
how long a result may reflect what the index does not hold (an organisation's type, which search filters on) and
how long an unused entry takes room.

What is cached are listing ids, scores and counts, never listing text: hits are read again, through the
live-listing selectors, for every answer, so a withdrawn listing never shows from the cache either.
"""

import hashlib
import json
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils.translation import get_language

from .models import SearchCorpus

T = TypeVar("T")
TIMEOUT = 300  # seconds
_MISSING = object()


def index_version() -> tuple[int, int]:
    """The index's version, with its document count in case a database restored from a backup counts again."""
    # Read for every search, cached or not: one primary-key lookup, without building an ORM query.
    table = SearchCorpus._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version, documents FROM {table} WHERE id = 1")  # noqa: S608 (the model's table)
        row = cursor.fetchone()
    return tuple(row) if row else (0, 0)


def _key(kind: str, version: tuple[int, int], parts: dict) -> str:
    asked = json.dumps([kind, parts], sort_keys=True, default=str, ensure_ascii=False)
    digest = hashlib.sha256(asked.encode()).hexdigest()[:40]
    return f"search:{version[0]}:{version[1]}:{digest}"


def cached(kind: str, version: tuple[int, int], compute: Callable[[], T], **parts) -> T:
    """The value ``compute`` returns for what ``parts`` describe (JSON-like values: a FilterSet's ``values()``),
    from the cache when this version of the index has it."""
    if not getattr(settings, "SEARCH_CACHE", True):
        return compute()
    key = _key(kind, version, parts)
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


def _answer_key(version: tuple[int, int], url: str) -> str:
    return _key("answer", version, {"url": url, "language": get_language()})


def kept_answer(version: tuple[int, int], url: str) -> bytes | None:
    """The rendered API answer kept for this address, language and version of the index, if any."""
    if not getattr(settings, "SEARCH_CACHE", True):
        return None
    return cache.get(_answer_key(version, url))


def keep_answer(version: tuple[int, int], url: str, body: bytes) -> None:
    """Keep a rendered API answer that depends only on its address, its language and the index (what anonymous
    callers get)."""
    if getattr(settings, "SEARCH_CACHE", True):
        cache.set(_answer_key(version, url), body, TIMEOUT)
