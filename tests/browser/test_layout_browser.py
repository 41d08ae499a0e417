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


def test_the_staff_menu_keeps_the_header_on_one_line_with_its_pages_in_groups(wide_page, live_server, staff):
    from .test_phone_width import signed_in_cookies

    wide_page.context.add_cookies(signed_in_cookies(staff, live_server.url))
    wide_page.goto("/")
    header = wide_page.locator(".site-header").bounding_box()
    assert header is not None and header["height"] <= 64  # one row (it was three with 14 items in a row)
    review = wide_page.get_by_role("link", name="Review", exact=True)
    expect(review).to_be_hidden()
    wide_page.locator("details.menu-group summary", has_text="Administration").click()
    expect(review).to_be_visible()
    expect(wide_page.get_by_role("link", name="Import", exact=True)).to_be_visible()
    wide_page.keyboard.press("Escape")
    expect(review).to_be_hidden()
    wide_page.locator("details.menu-group summary", has_text="My account").click()
    expect(wide_page.get_by_role("link", name="My listings")).to_be_visible()
    wide_page.locator("h1").first.click()  # a click elsewhere closes the group
    expect(wide_page.get_by_role("link", name="My listings")).to_be_hidden()


def test_the_bell_is_an_svg_icon_not_an_emoji(wide_page, live_server, owner):
    from .test_phone_width import signed_in_cookies

    wide_page.context.add_cookies(signed_in_cookies(owner, live_server.url))
    wide_page.goto("/")
    bell = wide_page.get_by_role("link", name="Notifications")
    expect(bell.locator("svg")).to_have_count(1)
    assert "🔔" not in wide_page.locator("header").inner_html()
    box = bell.locator("svg").bounding_box()
    assert box is not None and box["width"] >= 16
