from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "techex.services"
    label = "services"
    verbose_name = "Services"

    def ready(self) -> None:
        from techex.core.events import subscribe
        from techex.deals.events import DealBrokerChanged
        from techex.listings.events import ListingBrokerChanged

        from . import subscribers
        from .events import ServiceRequestStepTaken

        subscribe(ServiceRequestStepTaken, subscribers.notify_parties)
        # Brokerage is a service: a deal's broker has a brokerage request (services/brokerage.py).
        subscribe(DealBrokerChanged, subscribers.sync_deal_brokerage)
        subscribe(ListingBrokerChanged, subscribers.sync_listing_brokerage)
