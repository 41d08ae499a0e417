from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "techex.exchange"
    label = "exchange"
    verbose_name = "Exchange-to-exchange sharing"

    def ready(self) -> None:
        from techex.core.events import Phase, subscribe
        from techex.deals.events import DealStageChanged
        from techex.listings.events import ListingChanged, ListingsPublished
        from techex.organizations.events import OrganizationChanged

        from . import subscribers

        # In the publisher's transaction, as the search index: a change is in the feed exactly when it commits, and
        # in the order of the commits (docs/exchange.md).
        subscribe(ListingChanged, subscribers.listing_changed, phase=Phase.IN_TRANSACTION)
        subscribe(ListingsPublished, subscribers.listings_published, phase=Phase.IN_TRANSACTION)
        subscribe(OrganizationChanged, subscribers.organization_changed, phase=Phase.IN_TRANSACTION)
        # Webhooks after the commit, as everything that talks to the outside world.
        subscribe(ListingChanged, subscribers.listing_webhooks)
        subscribe(ListingsPublished, subscribers.listings_published_webhooks)
        subscribe(DealStageChanged, subscribers.deal_webhooks)
