"""Atom feeds of live listings: the new offers and needs, filtered as the browse page filters them (by kind, field,
province …), and the base every listing feed shares (a saved search's feed in techex.alerts is one).

Only what the public listing page shows goes in: the approved title and summary, the kind, the province and the
organisation's name unless the listing is anonymous. Drafts, revisions awaiting review, confidential documents and
listings that are no longer live never appear (the public selector reads live listings only).
"""

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from techex.core.operator import operator

from .choices import ListingKind
from .forms import BrowseForm
from .models import Listing
from .selectors import listing_list_public

FEED_SIZE = 30


class ListingFeed(Feed):
    """What every feed of listings says about each listing."""

    feed_type = Atom1Feed

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


class NewListingsFeed(ListingFeed):
    """The newest live listings, filtered as the browse page is: ``?kind=offer&field=1`` are the new offers of the
    natural sciences. Words (``q``) are left to saved searches, whose feeds keep them."""

    def get_object(self, request: HttpRequest) -> BrowseForm:
        form = BrowseForm({name: request.GET[name] for name in BrowseForm.FILTERS if name in request.GET})
        # A feed reader shows no page to correct a typo in its address: a filter it cannot apply is no such feed.
        if set(request.GET) - set(BrowseForm.FILTERS) or not form.is_valid():
            raise Http404(_("This feed takes only valid filters of the list of listings."))
        return form

    def title(self, obj: BrowseForm) -> str:
        what: dict[str, str] = {
            ListingKind.OFFER: _("New technology offers"),
            ListingKind.NEED: _("New technology needs"),
        }
        kind = str(obj.values().get("kind", ""))
        return f"{what.get(kind, _('New listings'))} · {operator()['display_name']}"

    def subtitle(self, obj: BrowseForm) -> str:
        parts = [f"{item.heading}: {item.label}" for item in obj.active_filters() if item.name != "kind"]
        return " · ".join(parts) or _("Every new listing")

    def link(self, obj: BrowseForm) -> str:
        return _with_query(reverse("listings:browse"), obj)

    def feed_url(self, obj: BrowseForm) -> str:
        return _with_query(reverse("listings:feed"), obj)

    def feed_guid(self, obj: BrowseForm) -> str:
        return f"tag:techex,2026:listings:{urlencode(obj.params())}"

    def items(self, obj: BrowseForm):
        return listing_list_public(filters=obj.filters())[:FEED_SIZE]


def _with_query(url: str, form: BrowseForm) -> str:
    params = form.params()
    return f"{url}?{urlencode(params)}" if params else url
