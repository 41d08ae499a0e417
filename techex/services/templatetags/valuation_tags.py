"""Valuation blocks: on a service request's page (the record, or the provider's form) and on a listing's page.

The listing's page stands in a lower domain: it includes ``{% listing_valuations listing %}`` as it includes the
deals' panel (``deal_tags.listing_deal_panel``) and the matches slot, so listings import nothing of services.
"""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from techex.listings.selectors import user_can_manage
from techex.listings.templatetags.listing_tags import vnd

from .. import selectors
from ..catalogue import VALUATION
from ..forms import ValuationForm
from ..models import ServiceCategory
from ..valuations import valuation_offered

register = template.Library()

register.filter("vnd", vnd)


@register.inclusion_tag("services/partials/request_valuation.html", takes_context=True)
def request_valuation(context, service_request) -> dict:
    """The request's valuation record; for its provider while in progress, the form that delivers it."""
    record = selectors.request_valuation(request=service_request)
    form = context.get("valuation_form")
    if form is None and record is None and valuation_offered(request=service_request, parties=context["parties"]):
        form = ValuationForm()
    return {
        "request": context["request"],
        "service_request": service_request,
        "record": record,
        "report": selectors.report_of(record=record) if record else None,
        "form": form,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("services/partials/listing_valuations.html", takes_context=True)
def listing_valuations(context, listing) -> dict:
    """On a listing's page: its valuation records for those who may see its confidential part, and for its owners
    the way to ask for a valuation (the valuation service's form, the listing already chosen)."""
    user = context["request"].user
    records = selectors.listing_valuations(user=user, listing=listing)
    ask_url = ""
    if user_can_manage(user=user, listing=listing) and ServiceCategory.objects.active().filter(code=VALUATION).exists():
        ask_url = "{}?{}".format(
            reverse("services:request_new", kwargs={"code": VALUATION}), urlencode({"listing": listing.reference_code})
        )
    return {
        "listing": listing,
        "records": [(record, selectors.report_of(record=record)) for record in records],
        "ask_url": ask_url,
    }
