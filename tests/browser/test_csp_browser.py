"""The pages work under the Content-Security-Policy: Chromium reports no violation on the key pages and their htmx.

Every refusal under the policy fires a ``securitypolicyviolation`` event in the page and logs a console error;
the test records both, from before the page's own scripts run, and expects none.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from techex.accounts.tests.factories import UserFactory

from .test_journeys import ORGANIZATION, htmx_swap
from .test_matching_browser import DRYER, listings, sign_in

__all__ = ["listings"]  # the fixture: a dryer offer and a matched need

RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(event.violatedDirective + " " + event.blockedURI + " " + (event.sample || ""));
});
"""


@pytest.fixture
def watched_page(phone_page: Page):
    """A phone page that records every policy violation and console error; the test ends by asserting none."""
    page = phone_page
    errors: list[str] = []
    page.context.add_init_script(RECORD_VIOLATIONS)
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert errors == []


def assert_no_violation(page: Page) -> None:
    page.wait_for_load_state("load")
    assert page.evaluate("window.cspViolations") == [], page.url


def test_pages_and_their_htmx_run_under_the_policy(watched_page, listings):
    page = watched_page
    _offer, need = listings
    response = page.goto("/")
    policy = response.headers["content-security-policy"]
    # No inline script on the site's own pages: not even a nonce is needed (django-csp adds one only when used).
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "camera=()" in response.headers["permissions-policy"]
    assert_no_violation(page)

    # The search box's suggestions come from htmx as one types.
    page.goto("/listings/")
    page.get_by_role("searchbox", name="Search offers and needs").press_sequentially("may say", delay=80)
    expect(page.locator("#suggestions").get_by_role("link", name=re.compile(DRYER))).to_be_visible()
    assert_no_violation(page)

    # A listing's page loads its matches through htmx; their score bars are drawn without a style attribute.
    page.goto(need.get_absolute_url())
    expect(page.locator("#matches .score-bar").first).to_be_visible()
    assert page.locator("#matches .score-bar rect").first.bounding_box()["width"] > 0
    assert_no_violation(page)

    # Signing in (a form), then a form sent by htmx: saving a search on the browse page.
    sign_in(page, UserFactory().email)
    assert_no_violation(page)
    page.goto("/listings/?q=may+say")
    with htmx_swap(page):
        page.get_by_role("button", name="Save this search").click()
    expect(page.get_by_role("status").filter(has_text="Saved as")).to_be_visible()
    assert_no_violation(page)

    # The organisation form's communes come from htmx when the province is chosen (inline styles: none either).
    page.goto("/organizations/new/")
    page.get_by_label("Province or city").select_option(label=ORGANIZATION["province"])
    expect(page.get_by_label("Commune or ward").locator("option", has_text=ORGANIZATION["ward"])).to_have_count(1)
    assert_no_violation(page)


def test_api_docs_run_under_the_policy(watched_page, reference_data):
    page = watched_page
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .title").first).to_be_visible()
    assert_no_violation(page)
    response = page.request.get("/api/v1/listings/")
    assert response.ok
    assert "default-src 'self'" in response.headers["content-security-policy"]
