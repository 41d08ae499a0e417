"""The section of an organisation's public page that lists its published, named listings
(registered with techex.organizations.profile in ``ListingsConfig.ready``)."""

from django.core.paginator import Paginator
from django.http import HttpRequest

from techex.organizations.models import Organization
from techex.organizations.profile import Section

from .filtersets import ListingFilterSet
from .selectors import listing_list_public

PAGE_SIZE = 12


def organization_listings(request: HttpRequest, organization: Organization) -> Section:
    listings = listing_list_public(filters=ListingFilterSet({"organization": organization.pk}))
    page = Paginator(listings, PAGE_SIZE).get_page(request.GET.get("page"))
    return Section("listings/partials/organization_listings.html", {"listings": page})
