"""The Atom feed of a saved search: the live listings it finds, newest first, opened by the search's token.

Only what the public listing page shows goes in: the approved title and summary, the kind, the province and the
organisation's name unless the listing is anonymous. Drafts, revisions awaiting review, confidential documents and
listings that are no longer live never appear (``saved_search_listings`` reads live listings only).
"""

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from techex.listings.models import Listing

from .models import SavedSearch
from .selectors import FEED_SIZE, saved_search_get_by_token, saved_search_labels, saved_search_listings


class SavedSearchFeed(Feed):
    feed_type = Atom1Feed

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

    def item_title(self, item: Listing) -> str:
        return item.title

    def item_description(self, item: Listing) -> str:
        # Atom's summary is read as HTML: the plain text is escaped.
        return escape(item.summary)

    def item_link(self, item: Listing) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Listing) -> str:
        return f"tag:techex,2026:listing:{item.reference_code}"

    def item_guid_is_permalink(self, item: Listing) -> bool:
        return False

    def item_pubdate(self, item: Listing):
        return item.published_at

    def item_updateddate(self, item: Listing):
        return item.renewed_at or item.published_at

    def item_author_name(self, item: Listing) -> str | None:
        # A feed is public: the owner is named where a visitor may know it (the listings' one identity rule).
        return item.organization.name if item.is_identity_visible_to(AnonymousUser()) else None

    def item_categories(self, item: Listing) -> list[str]:
        categories = [str(item.get_kind_display())]
        if item.province is not None:  # no query when there is no province
            categories.append(item.province.label)
        return categories
