"""How matching follows the listings (subscribed in ``MatchingConfig.ready``): after commit, it queues tasks
taking ids, and the worker recomputes the matches (docs/matching.md)."""

from techex.listings.events import ListingChanged, ListingsPublished

from . import tasks

BATCH = 100  # listings matched per task after an import


def rematch_listing(event: ListingChanged) -> None:
    if event.is_live or event.was_live:  # matches follow what is live
        tasks.listing_matches_changed.enqueue(event.listing_id)


def rematch_listings(event: ListingsPublished) -> None:
    ids = list(event.listing_ids)
    for start in range(0, len(ids), BATCH):
        tasks.listings_matches_changed.enqueue(ids[start : start + BATCH])
