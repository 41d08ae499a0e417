"""How the feed of changes follows the listings (subscribed in ``ExchangeConfig.ready``, inside the publisher's
transaction: a change is numbered when, and in the order, it commits)."""

from techex.deals.events import DealStageChanged
from techex.listings.events import ListingChanged, ListingsPublished
from techex.listings.models import Listing
from techex.organizations.events import OrganizationChanged

from .services import changes_record, webhooks_send

# Listing steps a partner is told about, by the step's action (techex.listings.states).
LISTING_EVENTS = {
    "publish": "listing.published",
    "renew": "listing.published",
    "withdraw": "listing.withdrawn",
    "archive": "listing.withdrawn",
    "expire": "listing.expired",
}


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


# --- webhooks (after commit: they talk to the outside world) -----------------------------------------------------


def listing_webhooks(event: ListingChanged) -> None:
    if not (event.was_live or event.is_live):
        return
    name = LISTING_EVENTS.get(event.action)
    if name == "listing.published" and event.was_live and event.action == "publish":
        name = "listing.changed"  # an approved edit of a live listing
    if name is not None:
        webhooks_send(event=name, listing_ids=[event.listing_id])


def listings_published_webhooks(event: ListingsPublished) -> None:
    webhooks_send(event="listing.published", listing_ids=list(event.listing_ids))


def deal_webhooks(event: DealStageChanged) -> None:
    webhooks_send(
        event="deal.stage_changed",
        data={"deal_id": event.deal_id, "action": event.action, "from": event.from_stage, "to": event.to_stage},
    )
