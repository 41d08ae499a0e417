"""Asking for a valuation on a 360 px phone: a member finds the service, reads the process, asks a provider for a
quote; the provider quotes; the member accepts; the provider delivers; the member rates it (issue 13's journey)."""

import re

from playwright.sync_api import Page, expect

from techex.services.models import ServiceRequest
from techex.services.tests.factories import request_parties

from .test_deals_journey import sign_in
from .test_journeys import assert_fits_phone


def assert_fits_with_forms_open(page: Page) -> None:
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    assert_fits_phone(page)
    page.evaluate("document.querySelectorAll('.action-form details').forEach(d => { d.open = false; })")


def test_asking_for_a_valuation_on_a_phone(new_phone_page, reference_data):
    parties = request_parties()
    client = new_phone_page()
    sign_in(client, parties.client.email)
    client.goto("/services/")
    assert_fits_phone(client)
    client.get_by_role("link", name="Technology assessment and valuation").click()
    expect(client.get_by_role("heading", name="Steps of the process")).to_be_visible()
    expect(client.get_by_text("Khảo sát công nghệ")).to_be_visible()
    assert_fits_phone(client)
    client.get_by_role("link", name="Ask this provider").first.click()
    assert_fits_phone(client)
    client.get_by_label("What do you need?").fill("Cần định giá công nghệ sấy lúa bằng bơm nhiệt để góp vốn.")
    client.get_by_role("button", name="Send the request").click()
    expect(client.get_by_text(re.compile(r"Your request .* was sent\."))).to_be_visible()
    expect(client.locator(".badge").first).to_have_text("Assigned to a provider")
    assert_fits_with_forms_open(client)
    request = ServiceRequest.objects.get()

    provider = new_phone_page()
    sign_in(provider, parties.provider_user.email)
    provider.goto(request.get_absolute_url())
    provider.locator("summary", has_text="Send a quote").click()
    provider.get_by_label("Amount (VND)").fill("45000000")
    provider.get_by_label("Duration (days)").fill("30")
    provider.get_by_label("What the price covers").fill("Báo cáo định giá theo phương pháp thu nhập.")
    provider.get_by_role("button", name="Send a quote").last.click()
    expect(provider.get_by_text("Your quote was sent.")).to_be_visible()
    assert_fits_phone(provider)

    client.reload()
    expect(client.get_by_text("45.000.000 ₫").or_(client.get_by_text("45,000,000 ₫"))).to_be_visible()
    client.get_by_role("button", name="Accept the quote").click()
    expect(client.get_by_text("You accepted the quote.")).to_be_visible()

    provider.reload()
    provider.get_by_role("button", name="Start the work").click()
    provider.get_by_role("button", name="Mark as delivered").click()
    expect(provider.get_by_text("The request is marked as delivered.")).to_be_visible()

    client.reload()
    client.locator("summary", has_text="Close and rate").click()
    client.get_by_label("★★★★★", exact=True).check()
    client.get_by_label("Comment", exact=True).fill("Báo cáo rõ ràng, đúng hẹn.")
    client.get_by_role("checkbox").check()
    client.get_by_role("button", name="Close and rate").last.click()
    expect(client.get_by_text("Thank you: the request is closed and rated.")).to_be_visible()
    assert_fits_phone(client)
    request.refresh_from_db()
    assert (request.state, request.rating) == ("closed", 5)
