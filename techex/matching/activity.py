"""What the parties did with their matches: who opened the other side's listing, and whether a deal followed.

Staff read it per listing (``match_activity_for_staff``) so that a broker can step in where a good match sits idle.
A view is recorded on the match (``Match.need_viewed_at`` / ``offer_viewed_at``, the first time only, by the
engine's ``match_mark_viewed``) when a member of one side opens the other side's listing from the Matches panel:
``ListingView`` counts sessions, not people, so it cannot say which organisation looked.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.http import Http404

from techex.deals.models import Deal
from techex.departments.scope import can_act
from techex.listings.models import Listing
from techex.organizations.selectors import user_organization_ids

from .models import DEFAULT_THRESHOLD, Match
from .services import match_mark_viewed

# A match at least this good that nobody has acted on is worth a broker's call.
IDLE_SCORE = DEFAULT_THRESHOLD


def _pair(listing: Listing, counterpart: Listing) -> tuple[Listing, Listing] | None:
    """(need, offer) of two listings of different kinds, else None."""
    if listing.kind == counterpart.kind:
        return None
    return (listing, counterpart) if listing.kind == "need" else (counterpart, listing)


def match_between(listing: Listing, counterpart: Listing) -> Match | None:
    pair = _pair(listing, counterpart)
    return Match.objects.filter(need=pair[0], offer=pair[1]).first() if pair else None


def match_record_view(*, user, listing: Listing, counterpart: Listing) -> bool:
    """Record that a member of ``listing``'s organisation opened ``counterpart`` from the listing's matches.

    Only members of the listing's organisation count (visitors, staff and third parties record nothing); the
    engine's ``match_mark_viewed`` keeps the first time of each side. Returns whether it was recorded.
    """
    if listing.organization_id not in user_organization_ids(user=user):
        return False
    match = match_between(listing, counterpart)
    if match is None:
        return False
    match_mark_viewed(match=match, user=user)
    return True


@dataclass(frozen=True)
class MatchActivity:
    match: Match
    counterpart: Listing
    owner_viewed: datetime | None  # the listing's organisation opened the counterpart
    counterpart_viewed: datetime | None  # the counterpart's organisation opened the listing
    deal: Deal | None  # the newest deal between the two sides about either listing

    @property
    def idle(self) -> bool:
        """A good match nobody has acted on."""
        acted = self.owner_viewed or self.counterpart_viewed or self.deal
        return self.match.score >= IDLE_SCORE and not acted


def _deals_between(listing: Listing, counterparts: list[Listing]) -> dict[int, Deal]:
    """The newest deal between the listing's side and each counterpart's: an inquiry by one organisation on the
    other's listing of the pair."""
    if not counterparts:
        return {}
    org_of = {c.pk: c.organization_id for c in counterparts}
    condition = Q(listing=listing, inquirer_organization_id__in=set(org_of.values())) | Q(
        listing_id__in=list(org_of), inquirer_organization_id=listing.organization_id
    )
    found: dict[int, Deal] = {}
    for deal in Deal.objects.filter(condition).order_by("-created_at", "-id"):
        if deal.listing_id == listing.pk:
            keys = [pk for pk, org in org_of.items() if org == deal.inquirer_organization_id]
        else:
            keys = [deal.listing_id]
        for key in keys:
            found.setdefault(key, deal)
    return found


def match_activity_for_staff(*, user, listing: Listing, limit: int = 100) -> list[MatchActivity]:
    """Each match of the listing, best first, with what the parties did: staff only (404 for anyone else)."""
    if not can_act(user, listing):  # staff of the listing's department only (docs/departments.md)
        raise Http404
    side = "need" if listing.kind == "need" else "offer"
    other = "offer" if side == "need" else "need"
    matches = list(
        Match.objects.filter(**{side: listing})
        .select_related(f"{other}__organization", f"{other}__province")
        .order_by("-score", "-id")[:limit]
    )
    counterparts = [getattr(match, other) for match in matches]
    deals = _deals_between(listing, counterparts)
    return [
        MatchActivity(
            match=match,
            counterpart=counterpart,
            owner_viewed=getattr(match, f"{side}_viewed_at"),
            counterpart_viewed=getattr(match, f"{other}_viewed_at"),
            deal=deals.get(counterpart.pk),
        )
        for match, counterpart in zip(matches, counterparts, strict=True)
    ]
