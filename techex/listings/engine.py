"""The search engine the listing pages and API use, provided from above.

Listings owns the browse page, the list endpoint and the exports, but finding listings by words is the search
domain's work, and search stands above listings (it indexes them). So listings names here what it needs, and the
search domain plugs its engine in at start-up (``SearchConfig.ready``): listings never imports search
(docs/architecture.md). The functions below have the engine's signatures and hand each call on.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Engine:
    filter_by_words: Callable[..., Any]  # (*, qs, q) -> the listings of qs that a search for q finds, unordered
    search: Callable[..., Any]  # (*, filters, sort) -> every hit, ranked, for the API
    search_listings: Callable[..., Any]  # (*, filters, sort, page, page_size, correct) -> a page with facets
    index_version: Callable[[], Any]  # the index's version: kept answers are valid for one version
    kept_answer: Callable[..., bytes | None]  # (version, url) -> a rendered answer kept for this version
    keep_answer: Callable[..., None]  # (version, url, body)


_engine: Engine | None = None


def register(engine: Engine) -> None:
    global _engine  # set once at start-up, like a registry
    _engine = engine


def _current() -> Engine:
    if _engine is None:
        raise ImproperlyConfigured("No search engine is registered for listings: add techex.search to INSTALLED_APPS.")
    return _engine


def filter_by_words(qs, q: str):
    return _current().filter_by_words(qs=qs, q=q)


def search(**kwargs):
    return _current().search(**kwargs)


def search_listings(**kwargs):
    return _current().search_listings(**kwargs)


def index_version():
    return _current().index_version()


def kept_answer(version, url: str) -> bytes | None:
    return _current().kept_answer(version, url)


def keep_answer(version, url: str, body: bytes) -> None:
    _current().keep_answer(version, url, body)
