"""The Atom feed of a saved search: the live listings it finds, newest first, opened by the search's token.

Each listing is written as in every feed of listings (techex.listings.feeds: only what the public page shows);
``saved_search_listings`` reads live listings only.
"""

from django.http import Http404
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from techex.listings.feeds import FEED_SIZE, ListingFeed

from .models import SavedSearch
from .selectors import saved_search_get_by_token, saved_search_labels, saved_search_listings


class SavedSearchFeed(ListingFeed):
    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        # The token in the address is the key: shared caches and search engines keep out.
        patch_cache_control(response, private=True, max_age=300)
        response["X-Robots-Tag"] = "noindex"
        return response

    def get_object(self, request, token: str) -> SavedSearch:
        saved = saved_search_get_by_token(token=token)
        if saved is None:
            raise Http404
        return saved

    def title(self, obj: SavedSearch) -> str:
        return _("New listings for “%(name)s”") % {"name": obj.name}

    def subtitle(self, obj: SavedSearch) -> str:
        labels = saved_search_labels(saved_searches=[obj])[obj.pk]
        parts = [_("Words: %(q)s") % {"q": obj.q}] if obj.q else []
        parts += [f"{item.heading}: {item.label}" for item in labels]
        return " · ".join(parts) or _("Every new listing")

    def link(self, obj: SavedSearch) -> str:
        return obj.get_absolute_url()

    def feed_url(self, obj: SavedSearch) -> str:
        return reverse("alerts:saved_feed", kwargs={"token": obj.token})

    def feed_guid(self, obj: SavedSearch) -> str:
        return f"tag:techex,2026:saved-search:{obj.token}"

    def items(self, obj: SavedSearch):
        return saved_search_listings(saved_search=obj)[:FEED_SIZE]
