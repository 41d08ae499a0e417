"""The origin of a foreign listing on its page: the exchange it came from, and a link back."""

from django import template

from ..models import ForeignListing

register = template.Library()


@register.inclusion_tag("exchange/partials/origin.html")
def listing_origin(listing) -> dict:
    origin = ForeignListing.objects.filter(listing=listing).select_related("source").first()
    return {"origin": origin}
