"""Matching on a 360 px phone in Chromium: save a search from the browse page, find it in one's saved searches, open
its feed; the Matches panel of a listing, loaded with htmx, with scores and reasons."""

import re

import pytest
from playwright.sync_api import Page, expect

from techex.accounts.tests.factories import UserFactory
from techex.alerts.models import SavedSearch
from techex.listings.tests.factories import make_published
from techex.matching.services import match_listing
from techex.organizations.tests.factories import MembershipFactory, OrganizationFactory
from techex.reference.models import Province

from .test_journeys import assert_fits_phone

PASSWORD = "Mat-khau-2026!"  # the factories' password
DRYER = "Máy sấy lúa tầng sôi dùng trấu"
NEED = "Cần máy sấy lúa cho hợp tác xã"


def sign_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My account", exact=True)).to_be_visible()


@pytest.fixture
def listings(reference_data, staff):
    """A dryer offer and a cooperative's need for one, published (so indexed) and matched through the services."""
    can_tho = Province.objects.get(code="92")
    institute = OrganizationFactory(name="Viện Lúa Đồng bằng sông Cửu Long")
    author = MembershipFactory(organization=institute).user
    offer = make_published(user=author, organization=institute, staff=staff, title=DRYER, province=can_tho, trl=7)
    cooperative = OrganizationFactory(name="Hợp tác xã Thới Lai")
    member = MembershipFactory(organization=cooperative).user
    need = make_published(
        user=member,
        organization=cooperative,
        staff=staff,
        kind="need",
        title=NEED,
        summary="Hợp tác xã cần máy sấy lúa tầng sôi, đốt trấu, 10 tấn mỗi mẻ.",
        description="Thay sân phơi lúa; sấy lúa sau thu hoạch.",
        keywords=["sấy lúa", "trấu"],
        min_trl=5,
        province=can_tho,
    )
    match_listing(listing=need, notify_owners=False)
    return offer, need


def test_save_a_search_then_find_it_and_its_feed(phone_page, listings):
    offer, _need = listings
    reader = UserFactory()
    page = phone_page
    sign_in(page, reader.email)
    page.goto("/listings/?q=may+say+lua&kind=offer")
    expect(page.locator("#results article").get_by_role("heading")).to_have_text(DRYER)
    assert_fits_phone(page)

    page.evaluate("window.notReloaded = true")
    page.get_by_role("button", name="Save this search").click()
    expect(page.get_by_role("status").filter(has_text="Saved as")).to_contain_text(
        "Saved as “may say lua · Technology offer”"
    )
    assert page.evaluate("window.notReloaded") is True  # saved in place, with htmx
    saved = SavedSearch.objects.get(user=reader)
    assert (saved.q, saved.filters) == ("may say lua", {"kind": "offer"})

    page.locator("summary[aria-label=Menu]").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Saved searches").click()
    expect(page.get_by_role("heading", name="may say lua · Technology offer")).to_be_visible()
    expect(page.get_by_text("Kind: Technology offer")).to_be_visible()
    assert_fits_phone(page)

    feed = page.get_by_role("link", name="Feed (Atom)")
    href = feed.get_attribute("href")
    assert re.fullmatch(r"/matching/saved/[A-Za-z0-9_-]{32}/feed/", href)
    response = page.request.get(href)
    assert response.ok and response.headers["content-type"].startswith("application/atom+xml")
    assert DRYER in response.text() and offer.get_absolute_url() in response.text()

    page.get_by_role("button", name="Turn alerts off").click()
    expect(page.get_by_text("Alerts for “may say lua · Technology offer” are off.")).to_be_visible()


def test_the_matches_panel_on_a_phone(phone_page, listings):
    offer, need = listings
    page = phone_page
    page.goto(need.get_absolute_url())
    panel = page.locator("#matches")
    expect(panel.get_by_role("heading", name="Offers that could meet this need")).to_be_visible()
    match = panel.get_by_role("listitem").filter(has=page.get_by_role("link", name=DRYER))
    expect(match).to_be_visible()
    expect(match.locator(".score-value")).to_have_text(re.compile(r"^\d{1,3}/100$"))
    expect(match.get_by_role("list", name="Why it matches")).to_contain_text("TRL 7 meets the required 5")
    expect(match).to_contain_text("Same province: Can Tho")
    assert_fits_phone(page)

    match.get_by_role("link", name=DRYER).click()
    expect(page).to_have_url(re.compile(re.escape(offer.get_absolute_url()) + "$"))
    expect(page.locator("#matches").get_by_role("link", name=NEED)).to_be_visible()
    assert_fits_phone(page)
