"""How the feed of changes follows the listings (subscribed in ``ExchangeConfig.ready``, inside the publisher's
transaction: a change is numbered when, and in the order, it commits)."""

from techex.listings.events import ListingChanged, ListingsPublished
from techex.listings.models import Listing
from techex.organizations.events import OrganizationChanged

from .services import changes_record


def listing_changed(event: ListingChanged) -> None:
    # Only what the public sees: a draft's steps never enter the feed; leaving the public view is a change (a
    # tombstone for the harvester).
    if event.was_live or event.is_live:
        changes_record(listing_ids=[event.listing_id])


def listings_published(event: ListingsPublished) -> None:
    changes_record(listing_ids=list(event.listing_ids))


def organization_changed(event: OrganizationChanged) -> None:
    if event.renamed:  # the name is in the records of its named live listings
        ids = Listing.objects.live().filter(organization_id=event.organization_id, is_anonymous=False)
        changes_record(listing_ids=list(ids.values_list("pk", flat=True)))
