"""Background work of saved searches: alert the searches that find a listing that has just become live."""

from django_tasks import task


@task()
def saved_searches_alert(listing_id: int) -> int:
    """Queued after commit by the listing lifecycle when a listing becomes live (docs/alerts.md)."""
    from techex.listings.models import Listing

    from .services import saved_search_alert_for_listing

    listing = Listing.objects.live().filter(pk=listing_id).first()
    return saved_search_alert_for_listing(listing=listing) if listing is not None else 0


@task()
def saved_searches_alert_many(listing_ids: list[int]) -> int:
    """The same for a batch of listings published at once (an import): one task per batch, not per listing."""
    from techex.listings.models import Listing

    from .services import saved_search_alert_for_listing

    return sum(
        saved_search_alert_for_listing(listing=listing)
        for listing in Listing.objects.live().filter(pk__in=listing_ids).order_by("pk")
    )
