"""How services follow their own events (subscribed in ``ServicesConfig.ready``): after commit, queue the tasks."""

from techex.deals.events import DealBrokerChanged
from techex.listings.events import ListingBrokerChanged

from .events import ServiceRequestStepTaken
from .tasks import brokerage_sync_deal_task, brokerage_sync_listing_task, request_step_notify


def notify_parties(event: ServiceRequestStepTaken) -> None:
    request_step_notify.enqueue(event.request_id, event.kind, event.actor_id, list(event.parties))


def sync_deal_brokerage(event: DealBrokerChanged) -> None:
    """Staff assigned, replaced or removed a deal's broker: its brokerage request follows (services/brokerage.py)."""
    brokerage_sync_deal_task.enqueue(event.deal_id, event.actor_id)


def sync_listing_brokerage(event: ListingBrokerChanged) -> None:
    """Staff assigned, replaced or removed an anonymous listing's broker: its brokerage request follows."""
    brokerage_sync_listing_task.enqueue(event.listing_id, event.actor_id)
