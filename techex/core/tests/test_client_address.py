"""The client's address: X-Forwarded-For trusted only as far as our own proxies wrote it, for throttles too."""

import pytest
from django.test import RequestFactory
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from techex.core.client import ClientAddressMixin, client_address

LIST = "/api/v1/listings/"


def request(remote: str = "10.0.0.1", forwarded: str | None = None):
    made = RequestFactory().get("/")
    made.META["REMOTE_ADDR"] = remote
    if forwarded is not None:
        made.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return made


def test_without_a_proxy_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request(forwarded="203.0.113.9")) == "10.0.0.1"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "203.0.113.9", "203.0.113.9"),
        # The client wrote the first entry itself: one proxy of ours appended the only address it can vouch for.
        (1, "1.2.3.4, 203.0.113.9", "203.0.113.9"),
        (2, "1.2.3.4, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (2, "203.0.113.9", "203.0.113.9"),
        (1, "", "10.0.0.1"),
        (1, "unknown", "10.0.0.1"),
        (1, "2001:DB8::1", "2001:db8::1"),
    ],
)
def test_behind_proxies_the_entry_our_proxies_wrote(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_address(request(forwarded=forwarded)) == expected


def test_drf_reads_the_same_number_of_proxies(settings):
    from django.conf import settings as live

    assert live.REST_FRAMEWORK["NUM_PROXIES"] == live.TRUSTED_PROXY_COUNT
    # Every throttle knows the client by the one address rule (a key's throttle counts by its key).
    assert all(issubclass(throttle, ClientAddressMixin) for throttle in api_settings.DEFAULT_THROTTLE_CLASSES)


def test_a_forged_forwarded_header_does_not_escape_the_throttle(db, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "5/minute", "user": "5/minute"})
    client = APIClient()
    codes = [client.get(LIST, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(8)]
    assert codes == [200] * 5 + [429] * 3


def test_behind_a_proxy_each_client_has_its_own_allowance(db, settings, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    settings.TRUSTED_PROXY_COUNT = 1
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "2/minute", "user": "2/minute"})
    client = APIClient(REMOTE_ADDR="10.0.0.1")
    first = [client.get(LIST, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code for _ in range(3)]
    assert first == [200, 200, 429]
    # Another client behind the same proxy is not throttled for the first one's requests; a forged first entry
    # does not help the first one either.
    assert client.get(LIST, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 200
    assert client.get(LIST, HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.9").status_code == 429
