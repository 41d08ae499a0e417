from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "techex.matching"
    label = "matching"

    def ready(self) -> None:
        from techex.core.events import subscribe
        from techex.listings.events import ListingChanged, ListingsPublished

        from . import subscribers

        subscribe(ListingChanged, subscribers.rematch_listing)
        subscribe(ListingsPublished, subscribers.rematch_listings)
