"""Notifications on a 360 px phone in Chromium: the bell's count, marking read in place with htmx, e-mail settings."""

import pytest
from playwright.sync_api import Page, expect

from techex.accounts.tests.factories import UserFactory
from techex.notifications.choices import EmailFrequency
from techex.notifications.models import NotificationPreference
from techex.notifications.services import notify

from .test_journeys import assert_fits_phone

PASSWORD = "Mat-khau-2026!"  # the factories' password
PARAMS = {"deal": "CT-GD-2026-00001", "organization": "Hợp tác xã Thới Lai"}


@pytest.fixture
def person(db):
    user = UserFactory()
    for title in ("Máy sấy lúa tầng sôi", "Hệ thống lọc nước nhiễm mặn"):
        notify(recipients=[user], kind="deal.inquiry", url="/listings/", params={**PARAMS, "listing": title})
    return user


def sign_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My account", exact=True)).to_be_visible()


def test_read_notifications_from_the_bell(phone_page, person):
    page = phone_page
    sign_in(page, person.email)
    page.locator("summary[aria-label=Menu]").click()
    bell = page.get_by_role("link", name="Notifications")
    expect(bell).to_contain_text("2 unread")
    bell.click()

    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    unread = page.locator("article.notification.unread")
    expect(unread).to_have_count(2)
    assert_fits_phone(page)

    # Marking one read swaps that item and the bell's count in place, without reloading the page.
    page.evaluate("window.notReloaded = true")
    unread.filter(has_text="Máy sấy lúa tầng sôi").get_by_role("button", name="Mark as read").click()
    expect(unread).to_have_count(1)
    expect(page.locator("#notification-bell-count")).to_have_text("1 unread")
    assert page.evaluate("window.notReloaded") is True

    page.get_by_role("button", name="Mark all as read").click()
    expect(unread).to_have_count(0)
    expect(page.locator("#notification-bell-count")).to_have_text("")

    page.get_by_role("link", name="E-mail settings").click()
    page.get_by_label("Once a day, in a morning digest").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your e-mail settings were saved.")).to_be_visible()
    assert NotificationPreference.objects.get(user=person).email_frequency == EmailFrequency.DAILY
