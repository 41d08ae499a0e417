"""How the search index follows the domains below it (subscribed in ``SearchConfig.ready``).

Every one of these runs inside the publisher's transaction (``Phase.IN_TRANSACTION``): the index commits with the
listing it describes, so a crash never leaves a live listing unfindable or a withdrawn one findable (docs/search.md).
"""

from techex.listings.events import ListingChanged, ListingsPublished, LiveListingFilesChanged
from techex.listings.models import Listing
from techex.organizations.events import OrganizationChanged

from .services import reindex_organization, results_changed, sync_listings

_BATCH = 500


def _with_document_relations():
    return Listing.objects.select_related("organization", "province")


def index_listing(event: ListingChanged) -> None:
    """A listing is findable exactly while it is live, with its approved text."""
    sync_listings(listings=_with_document_relations().filter(pk=event.listing_id))


def index_listings(event: ListingsPublished) -> None:
    ids = event.listing_ids
    for start in range(0, len(ids), _BATCH):
        sync_listings(listings=_with_document_relations().filter(pk__in=ids[start : start + _BATCH]))


def listing_files_changed(event: LiveListingFilesChanged) -> None:
    results_changed()  # answers list a live listing's public images


def organization_changed(event: OrganizationChanged) -> None:
    if event.renamed:
        reindex_organization(organization_id=event.organization_id)  # the name is part of its listings' documents
    else:
        results_changed()  # answers show its type and slug
