from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "techex.matching"
    label = "matching"

    def ready(self) -> None:
        from techex.core.events import subscribe
        from techex.listings.events import ListingChanged, ListingPublished, ListingsPublished

        from . import saved_subscribers, subscribers

        subscribe(ListingChanged, subscribers.rematch_listing)
        subscribe(ListingsPublished, subscribers.rematch_listings)
        subscribe(ListingPublished, saved_subscribers.alert_saved_searches)
        subscribe(ListingsPublished, saved_subscribers.alert_saved_searches_many)
