"""The lock-out behind a proxy: per (account, client address), never for everyone; a slow-down per account."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from techex.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Mat-khau-2026!"
PROXY = "10.0.0.1"
EMAIL = "chu.tai.khoan@example.vn"


@pytest.fixture(autouse=True)
def _behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


WRONG = "sai-mat-khau"


def sign_in(address: str, password: str = WRONG, email: str = EMAIL):
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    return response, client


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_owner_elsewhere_signs_in_after_an_attacker_is_locked_out():
    UserFactory(email=EMAIL)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in("203.0.113.66")
    # The attacker's address is locked out, even with the right password.
    locked, client = sign_in("203.0.113.66", PASSWORD)
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()
    assert not signed_in(client)
    # The owner, through the same proxy from another address, is not.
    response, client = sign_in("198.51.100.7", PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.66"}


def test_a_forged_forwarded_entry_does_not_dodge_the_lock_out():
    UserFactory(email=EMAIL)
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(f"1.2.3.{n}, 203.0.113.66")
    response, _ = sign_in("9.9.9.9, 203.0.113.66", PASSWORD)
    assert response.status_code == 429


def test_failures_from_many_addresses_slow_the_account_down():
    UserFactory(email=EMAIL)
    for n in range(settings.SIGNIN_SLOWDOWN_AFTER):
        response, _ = sign_in(f"203.0.113.{n}")
        assert response.status_code == 200  # a wrong password, no address locked yet
    # The next attempt for the account, from anywhere and even with the right password, waits a few seconds.
    response, client = sign_in("198.51.100.7", PASSWORD)
    assert response.status_code == 429
    content = response.content.decode()
    assert "Too many sign-in attempts for this account" in content
    assert f"Wait {settings.SIGNIN_SLOWDOWN_SECONDS} seconds and try again." in content
    assert 0 < int(response["Retry-After"]) <= settings.SIGNIN_SLOWDOWN_SECONDS
    assert not signed_in(client)
    # A refused attempt is not another failure: it prolongs nothing.
    assert sum(AccessAttempt.objects.values_list("failures_since_start", flat=True)) == settings.SIGNIN_SLOWDOWN_AFTER
    # Other accounts are not slowed down.
    UserFactory(email="khac@example.vn")
    assert sign_in("198.51.100.7", PASSWORD, email="khac@example.vn")[0].status_code == 302
    # Once the few seconds have passed since the last failure, the owner signs in.
    last = AccessAttempt.objects.order_by("-attempt_time").first().attempt_time
    AccessAttempt.objects.update(attempt_time=last - timedelta(seconds=settings.SIGNIN_SLOWDOWN_SECONDS))
    response, client = sign_in("198.51.100.7", PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)


def test_the_slow_down_in_vietnamese():
    UserFactory(email=EMAIL)
    for n in range(settings.SIGNIN_SLOWDOWN_AFTER):
        sign_in(f"203.0.113.{n}")
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    response = client.post(reverse("account_login"), {"login": EMAIL, "password": PASSWORD})
    assert response.status_code == 429
    assert "Quá nhiều lần đăng nhập vào tài khoản này" in response.content.decode()


def test_the_api_token_answers_the_slow_down_in_json():
    UserFactory(email=EMAIL)
    for n in range(settings.SIGNIN_SLOWDOWN_AFTER):
        sign_in(f"203.0.113.{n}")
    client = APIClient(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    response = client.post("/api/v1/auth/token/", {"email": EMAIL, "password": PASSWORD}, format="json")
    assert response.status_code == 429
    assert response.json() == {
        "detail": "Too many sign-in attempts for this account. Wait a few seconds and try again."
    }
    assert 0 < int(response["Retry-After"]) <= settings.SIGNIN_SLOWDOWN_SECONDS
