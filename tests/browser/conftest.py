"""Browser tests: Debian's chromium driven by Playwright against Django's live server."""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run inside one unless told.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def _is_browser_test(item) -> bool:
    return "tests/browser/" in str(item.path)


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(items):
    """Mark the browser tests (before ``-m`` selects), and run them after every other test (after pytest reorders).

    They use the live server, so the database is flushed after each, the reference data loaded once per session
    included. pytest-django orders them after the ordinary database tests, but pytest then groups the tests that
    share a session-scoped parameter (the browser's name), which pulls them next to any test that has one.
    """
    for item in items:
        if _is_browser_test(item):
            item.add_marker(pytest.mark.browser)
    result = yield
    items.sort(key=_is_browser_test)
    return result


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed")
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS, "headless": True}


PHONE = {"width": 360, "height": 740}
CSP_REFUSAL = "Content Security Policy"


@pytest.fixture
def new_phone_page(browser, live_server):
    """Open a page in a fresh browser context (its own cookies: another person) the size of a 360 px phone.

    The language is the test settings' (English) unless the context is given the language cookie.
    """
    contexts = []
    refused: list[str] = []  # what the Content-Security-Policy blocked: Chromium logs each as a console error

    def open_page():
        context = browser.new_context(viewport=PHONE, base_url=live_server.url)
        context.on("console", lambda message: refused.append(message.text) if CSP_REFUSAL in message.text else None)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert refused == [], "the Content-Security-Policy blocked something on a page"


@pytest.fixture
def phone_page(new_phone_page):
    """A page the size of a 360 px phone."""
    return new_phone_page()
