"""Reads of saved searches: a person's own, one by its token, and what a saved search finds.

What a saved search finds is stricter than the browse page (docs/alerts.md): every word must be in the listing
(all but one from four words up), where the browse page falls back to "any word" and ranks long descriptions. An
alert costs the reader's attention, so it must be a listing the words really describe.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404

from techex.listings.filtersets import ListingFilterSet
from techex.listings.models import Listing
from techex.listings.selectors import listing_list_public
from techex.search.backends import backend
from techex.search.query import parse
from techex.search.selectors import MAX_QUERY_LENGTH

from .models import SavedSearch, SavedSearchHit

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from techex.accounts.models import User

# The filters a saved search keeps: those of the browse page (techex.listings.forms.BrowseForm.FILTERS).
FILTER_NAMES = ("kind", "field", "province", "trl", "ip_type", "transfer_form", "organization_type")
ALL_WORDS_UP_TO = 3
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
ALERT_PAGE_SIZE = 20


def listing_filters(*, saved_search: SavedSearch) -> ListingFilterSet:
    """The search as the listing selectors take it; keys a later version no longer knows are ignored."""
    stored = saved_search.filters if isinstance(saved_search.filters, dict) else {}
    values = {name: stored[name] for name in FILTER_NAMES if stored.get(name) not in (None, "")}
    return ListingFilterSet({"q": saved_search.q, **values})


def browse_params(*, saved_search: SavedSearch) -> dict[str, str]:
    """The browse page's query parameters for the search, in the page's own order (words first)."""
    params = {"q": saved_search.q} if saved_search.q else {}
    values = listing_filters(saved_search=saved_search).values()
    params.update({name: str(values[name]) for name in FILTER_NAMES if name in values})
    return params


def _words_restriction(q: str) -> Q | None:
    """The listings having the words (see the module docstring); None when there are no words to look for."""
    parsed = parse((q or "")[:MAX_QUERY_LENGTH])
    groups = [sorted(word.variants) for word in parsed.groups]
    if not groups:
        return None
    mode = "all" if len(groups) <= ALL_WORDS_UP_TO else "most"
    sql, params = backend().match_sql(groups, mode)
    return Q(id__in=RawSQL(sql, params))  # noqa: S611 (built by the search backend; terms are parameters)


def saved_search_listings(*, saved_search: SavedSearch) -> QuerySet[Listing]:
    """The live listings the saved search finds, newest first (its feed, and the alerts' test)."""
    filters = listing_filters(saved_search=saved_search)
    qs = filters.apply(listing_list_public(), without=("q",))
    restriction = _words_restriction(filters.words)
    return qs.filter(restriction) if restriction is not None else qs


def saved_search_finds(*, saved_search: SavedSearch, listing: Listing) -> bool:
    """Whether the saved search finds this (live) listing."""
    if saved_search.filters.get("kind") not in (None, "", listing.kind):
        return False
    return saved_search_listings(saved_search=saved_search).filter(pk=listing.pk).exists()


def saved_search_list_for_user(*, user: User | AnonymousUser) -> QuerySet[SavedSearch]:
    """The user's saved searches, newest first."""
    if not user.is_authenticated:
        return SavedSearch.objects.none()
    return SavedSearch.objects.filter(user=user).order_by("-created_at", "-id")


def saved_search_get_for_user(*, user: User | AnonymousUser, pk: int | str) -> SavedSearch:
    """One of the user's saved searches; somebody else's is a 404, as one that does not exist."""
    found = saved_search_list_for_user(user=user).filter(pk=pk).first() if _is_id(pk) else None
    if found is None:
        raise Http404
    return found


def _is_id(value: object) -> bool:
    text = str(value)
    return text.isascii() and text.isdigit() and len(text) <= 18


def saved_search_get_by_token(*, token: str) -> SavedSearch | None:
    """The saved search a token opens (feed, alert page, unsubscribe), or None; its owner must be active."""
    if not isinstance(token, str) or not TOKEN_PATTERN.match(token):
        return None
    return SavedSearch.objects.select_related("user").filter(token=token, user__is_active=True).first()


def saved_search_alerted_listings(*, saved_search: SavedSearch, limit: int = ALERT_PAGE_SIZE) -> list[Listing]:
    """The listings alerted to the search that are still live, most recently alerted first."""
    hits = (
        SavedSearchHit.objects.filter(saved_search=saved_search, listing__is_live=True)
        .order_by("-created_at", "-id")
        .values_list("listing_id", flat=True)[:limit]
    )
    ids = list(hits)
    by_id = {listing.pk: listing for listing in listing_list_public().filter(pk__in=ids)}
    return [by_id[pk] for pk in ids if pk in by_id]


@dataclass(frozen=True)
class FilterLabel:
    heading: str  # "Kind"
    label: str  # "Technology need"


def saved_search_labels(*, saved_searches: Iterable[SavedSearch]) -> dict[int, list[FilterLabel]]:
    """Each search's filters as people read them, in the browse page's words; two queries for any number."""
    from techex.listings.forms import BrowseForm
    from techex.reference.models import Province, STField

    searches = list(saved_searches)
    wanted: dict[str, set[str]] = {"field": set(), "province": set()}
    for saved in searches:
        for name, codes in wanted.items():
            if saved.filters.get(name):
                codes.add(str(saved.filters[name]))
    # ``label`` picks the Vietnamese or English name by the active language.
    names = {
        name: {row.code: row.label for row in model.objects.filter(code__in=codes)} if codes else {}
        for name, model, codes in (("field", STField, wanted["field"]), ("province", Province, wanted["province"]))
    }
    fields = BrowseForm.base_fields
    result = {}
    for saved in searches:
        values = listing_filters(saved_search=saved).values()
        labels = []
        for name in FILTER_NAMES:
            value = values.get(name)
            if not value:
                continue
            choices = names.get(name) or dict(getattr(fields[name], "choices", []))
            labels.append(FilterLabel(str(fields[name].label), str(choices.get(value, value))))
        result[saved.pk] = labels
    return result
