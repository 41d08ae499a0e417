"""The schema.org description of a live listing's public page: an offer as a ``Product``, a need as a ``Demand``.

Only what the public page shows goes in (the approved text, fields, price or budget, province), and the owner's name
only where a visitor may know it (the listings' one identity rule).
"""

from typing import Any

from django.contrib.auth.models import AnonymousUser

from techex.core.structured_data import without_empty

from .choices import ListingKind
from .models import Listing


def listing_json_ld(listing: Listing, *, url: str, organization_url: str) -> dict[str, Any] | None:
    """The listing's schema.org data; None unless the listing is live (only the public view is described)."""
    if not listing.is_live:
        return None
    fields = [field.label for field in listing.fields.all()]
    price = without_empty(
        {
            "@type": "PriceSpecification",
            "priceCurrency": "VND",
            "minPrice": listing.price_min,
            "maxPrice": listing.price_max,
        }
    )
    place = listing.province.label if listing.province is not None else None
    common = {
        "name": listing.title,
        "description": listing.summary,
        "url": url,
        "identifier": listing.reference_code,
        "keywords": ", ".join(listing.keywords or []),
        "inLanguage": listing.language,
        "datePublished": listing.published_at,
    }
    owner = None
    if listing.is_identity_visible_to(AnonymousUser()):
        owner = {"@type": "Organization", "name": listing.organization.name, "url": organization_url}
    if listing.kind == ListingKind.OFFER:
        offer = without_empty(
            {
                "@type": "Offer",
                "url": url,
                "priceSpecification": price if len(price) > 2 else None,
                "availabilityEnds": listing.valid_until,
                "areaServed": place,
            }
        )
        return without_empty({"@type": "Product", **common, "category": fields, "brand": owner, "offers": offer})
    return without_empty(
        {
            "@type": "Demand",
            **common,
            "itemOffered": without_empty({"@type": "Product", "name": listing.title, "category": fields}),
            "priceSpecification": price if len(price) > 2 else None,
            "availabilityEnds": listing.valid_until,
            "areaServed": place,
        }
    )
