"""The site's header menu in Chromium: folded behind a button on a phone, always shown on a wide screen."""

import pytest
from playwright.sync_api import expect

WIDE = {"width": 1280, "height": 800}


@pytest.fixture
def wide_page(browser, live_server):
    context = browser.new_context(viewport=WIDE, base_url=live_server.url)
    yield context.new_page()
    context.close()


def test_the_menu_is_shown_on_a_wide_screen(wide_page, reference_data):
    wide_page.goto("/")
    link = wide_page.locator("header .menu nav").get_by_role("link", name="Offers", exact=True)
    expect(link).to_be_visible()
    box = link.bounding_box()
    assert box is not None and box["width"] > 0


def test_the_menu_opens_from_its_button_on_a_phone(phone_page, reference_data):
    phone_page.goto("/")
    link = phone_page.locator("header .menu nav").get_by_role("link", name="Offers", exact=True)
    expect(link).to_be_hidden()
    phone_page.locator("header .menu summary").click()
    expect(link).to_be_visible()
