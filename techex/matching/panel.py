"""The rows of a listing's Matches panel: each match's other listing, score and reasons in the reader's language."""

from dataclasses import dataclass

from django.urls import reverse

from techex.listings.models import Listing
from techex.listings.selectors import user_sees_identity

from .models import Match
from .reasons import reason_labels, render_reasons
from .selectors import matches_for_listing

PANEL_SIZE = 20


@dataclass(frozen=True)
class PanelRow:
    match: Match
    counterpart: Listing
    score: int
    reasons: list  # RenderedReason: code, text in the active language, points (negative for a penalty)
    url: str  # through matching:open, which records that the owner side looked
    identity_visible: bool  # the counterpart's organisation may be named to this reader


def match_panel_rows(*, user, listing: Listing, limit: int = PANEL_SIZE) -> list[PanelRow]:
    """The listing's matches as its page shows them to ``user`` (the engine's selector decides which)."""
    is_staff = bool(getattr(user, "is_staff", False))
    matches = matches_for_listing(user=user, listing=listing, limit=limit)
    labels = reason_labels(match.reasons for match in matches)  # the provinces and fields named, for all at once
    rows = []
    for match in matches:
        counterpart = match.offer if match.need_id == listing.pk else match.need
        # Only staff ever see a listing that is not public: its title is not the owner's to read.
        if not counterpart.is_live and not is_staff:
            continue
        url = reverse(
            "matching:open",
            kwargs={"reference_code": listing.reference_code, "counterpart_code": counterpart.reference_code},
        )
        rows.append(
            PanelRow(
                match=match,
                counterpart=counterpart,
                score=match.score,
                reasons=render_reasons(match.reasons, labels),
                url=url,
                identity_visible=user_sees_identity(user=user, listing=counterpart),
            )
        )
    return rows
