from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "techex.search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from techex.core.events import Phase, subscribe
        from techex.listings import engine
        from techex.listings.events import ListingChanged, ListingsPublished, LiveListingFilesChanged
        from techex.organizations.events import OrganizationChanged

        from . import cache, selectors, subscribers

        # The listing pages, API and exports find listings by words with this engine (techex/listings/engine.py).
        engine.register(
            engine.Engine(
                filter_by_words=selectors.filter_by_words,
                search=selectors.search,
                search_listings=selectors.search_listings,
                index_version=cache.index_version,
                kept_answer=cache.kept_answer,
                keep_answer=cache.keep_answer,
            )
        )

        # In the publisher's transaction, on purpose: see subscribers.py.
        subscribe(ListingChanged, subscribers.index_listing, phase=Phase.IN_TRANSACTION)
        subscribe(ListingsPublished, subscribers.index_listings, phase=Phase.IN_TRANSACTION)
        subscribe(LiveListingFilesChanged, subscribers.listing_files_changed, phase=Phase.IN_TRANSACTION)
        subscribe(OrganizationChanged, subscribers.organization_changed, phase=Phase.IN_TRANSACTION)
