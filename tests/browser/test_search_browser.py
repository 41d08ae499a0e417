"""Searching on a 360 px phone in Chromium: titles suggested as one types without diacritics, highlighted results,
filters folded above them."""

import re

import pytest
from playwright.sync_api import expect

from techex.listings.tests.factories import make_published
from techex.organizations.tests.factories import MembershipFactory, OrganizationFactory
from techex.reference.models import Province

from .test_journeys import assert_fits_phone

DRYER = "Máy sấy lúa tầng sôi dùng trấu"


@pytest.fixture
def listings(reference_data, staff):
    """A dryer offer and a shrimp farm's need, published (and so indexed) through the services."""
    organization = OrganizationFactory(name="Hợp tác xã Thới Lai")
    owner = MembershipFactory(organization=organization).user
    make_published(
        user=owner, organization=organization, staff=staff, title=DRYER, province=Province.objects.get(code="92")
    )
    make_published(user=owner, organization=organization, staff=staff, kind="need")


def test_suggestions_as_one_types_then_highlighted_results(phone_page, listings):
    page = phone_page
    page.goto("/listings/")
    box = page.get_by_role("searchbox", name="Search offers and needs")
    box.press_sequentially("may say lua", delay=120)

    # The titles matching what has been typed so far appear under the box, the words found marked.
    suggestions = page.locator("#suggestions")
    suggestion = suggestions.get_by_role("link", name=re.compile(DRYER))
    expect(suggestion).to_be_visible()
    expect(suggestion.locator("mark")).to_have_text(["Máy", "sấy", "lúa"])
    assert_fits_phone(page)
    # The arrow key reaches the suggestions, Escape closes them and goes back to the box.
    box.press("ArrowDown")
    expect(suggestion).to_be_focused()
    page.keyboard.press("Escape")
    expect(box).to_be_focused()
    expect(suggestions).to_be_empty()
    expect(box).to_have_value("may say lua")

    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/listings/\?q=may(\+|%20)say(\+|%20)lua$"))
    expect(page.get_by_role("status")).to_have_text("1 listing")
    card = page.locator("#results article")
    expect(card.get_by_role("heading")).to_have_text(DRYER)
    expect(card.get_by_role("heading").locator("mark")).to_have_text(["Máy", "sấy", "lúa"])
    expect(suggestions).to_be_empty()
    assert_fits_phone(page)


def test_filters_fold_above_the_results_on_a_phone(phone_page, listings):
    page = phone_page
    page.goto("/listings/?q=ao+tom")
    panel = page.locator("details#facet-panel")
    expect(panel.locator("summary")).to_have_text("Filters")
    expect(panel).not_to_have_attribute("open", re.compile(".*"))
    expect(panel.get_by_role("heading", name="Kind")).to_be_hidden()
    # Above the results: the panel comes first in the page.
    assert panel.evaluate("(el) => !!(el.compareDocumentPosition(document.querySelector('#results article')) & 4)")
    assert_fits_phone(page)

    panel.locator("summary").click()
    expect(panel.get_by_role("heading", name="Kind")).to_be_visible()
    assert_fits_phone(page)
    panel.get_by_role("link", name=re.compile(r"^Technology need 1$")).click()
    expect(page).to_have_url(re.compile(r"\?q=ao(\+|%20)tom&kind=need$"))
    expect(page.get_by_role("status")).to_have_text("1 listing")
    # The filter in use is shown with a control that removes it.
    remove = page.get_by_role("link", name=re.compile("Kind: Technology need"))
    expect(remove).to_be_visible()
    assert_fits_phone(page)
    remove.click()
    expect(page).to_have_url(re.compile(r"\?q=ao(\+|%20)tom$"))

    # On a wider screen the filters stand open beside the results.
    page.set_viewport_size({"width": 1200, "height": 800})
    expect(panel).to_have_attribute("open", "")
