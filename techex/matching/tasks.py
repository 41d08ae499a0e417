"""Background work of matching: recompute a listing's matches after its lifecycle changes."""

from django_tasks import task


@task()
def listing_matches_changed(listing_id: int) -> None:
    """Recompute the matches of a listing that was published, changed, renewed, withdrawn, archived or expired
    (queued after commit by ``subscribers.rematch_listing`` when the listing publishes ``ListingChanged``)."""
    from techex.listings.models import Listing

    from .services import match_listing

    match_listing(listing=Listing(pk=listing_id))


@task()
def listings_matches_changed(listing_ids: list[int]) -> None:
    """The same for a batch of listings published at once (an import)."""
    from techex.listings.models import Listing

    from .services import match_listing

    for listing_id in listing_ids:
        match_listing(listing=Listing(pk=listing_id))
