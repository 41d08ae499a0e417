"""Reads of matches: the only place that knows who may see which."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from techex.listings.models import Listing
from techex.listings.selectors import listing_visible_to, user_can_manage

from .models import Match, MatchPreference

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from techex.accounts.models import User

MAX_LIMIT = 50


def _matches_of(listing: Listing) -> tuple[QuerySet[Match], str]:
    """The listing's matches and the name of the other side ("offer" for a need)."""
    other = "offer" if listing.kind == "need" else "need"
    side = "need" if other == "offer" else "offer"
    return Match.objects.filter(**{f"{side}_id": listing.pk}), other


def matches_for_listing(*, user: User | AnonymousUser, listing: Listing, limit: int = 20) -> list[Match]:
    """The listing's matches, best first, with the other listing (``match.need`` / ``match.offer``) and its
    organisation and province read along.

    The listing itself must be one the user may see (else 404, as for a missing one). Its owners and staff see
    every match; anybody else only those whose other listing is live (stored matches are always between live
    listings: this guards the moment between a withdrawal and its recompute).
    """
    if not listing_visible_to(user=user, listing=listing):
        raise Http404
    limit = max(1, min(int(limit), MAX_LIMIT))
    qs, other = _matches_of(listing)
    if not (getattr(user, "is_staff", False) or user_can_manage(user=user, listing=listing)):
        qs = qs.filter(**{f"{other}__is_live": True})
    qs = qs.select_related(other, f"{other}__organization", f"{other}__province")
    matches = list(qs.order_by("-score", "-id")[:limit])
    own = "need" if other == "offer" else "offer"
    for match in matches:
        setattr(match, own, listing)  # the page's own listing: no second read
    return matches


def match_count_for_listing(*, user: User | AnonymousUser, listing: Listing) -> int:
    """How many matches ``matches_for_listing`` could show the user (before its limit)."""
    if not listing_visible_to(user=user, listing=listing):
        raise Http404
    qs, other = _matches_of(listing)
    if not (getattr(user, "is_staff", False) or user_can_manage(user=user, listing=listing)):
        qs = qs.filter(**{f"{other}__is_live": True})
    return qs.count()


def match_preference_for(*, user: User) -> MatchPreference:
    """The user's match-alert setting: the stored one, or an unsaved default (threshold 60, alerts on)."""
    preference = MatchPreference.objects.filter(user_id=user.pk).first()
    return preference or MatchPreference(user_id=user.pk)
