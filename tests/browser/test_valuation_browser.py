"""A listing's owner asks for a valuation from the listing's page on a 360 px phone; the provider records the value
range as it delivers; the owner finds it on the listing (issue 13's valuation record)."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from techex.deals.tests.factories import deal_parties
from techex.services import services
from techex.services.catalogue import VALUATION
from techex.services.models import ServiceRequest
from techex.services.tests.factories import make_category, make_provider

from .test_deals_journey import sign_in
from .test_journeys import assert_fits_phone


def test_a_valuation_from_the_listings_page_back_to_it_on_a_phone(new_phone_page, reference_data):
    parties = deal_parties()
    category = make_category(VALUATION)
    provider, provider_user = make_provider(category=category, staff=parties.staff)
    listing = parties.listing

    owner = new_phone_page()
    sign_in(owner, parties.owner.email)
    owner.goto(listing.get_absolute_url())
    owner.get_by_role("link", name="Ask for a valuation").click()
    expect(owner.get_by_text(listing.title)).to_be_visible()
    owner.get_by_label("Provider").select_option(str(provider.pk))
    owner.get_by_label("What do you need?").fill("Cần định giá công nghệ trước khi đàm phán chuyển giao.")
    owner.get_by_role("button", name="Send the request").click()
    request = ServiceRequest.objects.get()
    assert request.listing == listing
    # Quote, acceptance and start are the journey of test_services_browser.py.
    services.request_quote(user=provider_user, request=request, amount_vnd=40_000_000, duration_days=30)
    services.request_accept(user=parties.owner, request=request)
    services.request_start(user=provider_user, request=request)

    valuer = new_phone_page()
    sign_in(valuer, provider_user.email)
    valuer.goto(request.get_absolute_url())
    assert_fits_phone(valuer)
    valuer.get_by_label("Method").select_option("income")
    valuer.get_by_label("Lowest value (VND)").fill("1200000000")
    valuer.get_by_label("Highest value (VND)").fill("900000000")
    valuer.get_by_label("Valuation date").fill((timezone.localdate() - datetime.timedelta(days=1)).isoformat())
    valuer.get_by_role("button", name="Record the valuation and deliver").click()
    expect(valuer.get_by_text("The highest value cannot be below the lowest value.")).to_be_visible()
    assert_fits_phone(valuer)
    valuer.get_by_label("Highest value (VND)").fill("1800000000")
    valuer.get_by_role("button", name="Record the valuation and deliver").click()
    expect(valuer.get_by_text("The valuation is recorded on the listing and the request is delivered.")).to_be_visible()

    owner.goto(listing.get_absolute_url())
    expect(owner.get_by_text("1,200,000,000 ₫ – 1,800,000,000 ₫")).to_be_visible()
    assert_fits_phone(owner)
