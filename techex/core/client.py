"""The client's address: the one place that reads ``REMOTE_ADDR`` and ``X-Forwarded-For``.

API throttles, the sign-in lock-out, allauth's rate limits (sign-up, password reset) and logs all ask
:func:`client_address`. ``X-Forwarded-For`` is written by whoever sends the request, so it is trusted only as far as
our own proxies wrote it: each of the ``TRUSTED_PROXY_COUNT`` proxies in front of the site appends the address it
received the request from, so the client is the entry that many places from the right. With no proxy (0, the
default) the header is ignored and the address is the connection's.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from rest_framework import throttling
from rest_framework.request import Request


def client_address(request: HttpRequest | Request) -> str:
    """Return the address of the client that sent ``request`` ("" when the server gave none)."""
    meta = request.META
    remote = str(meta.get("REMOTE_ADDR") or "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in str(meta.get("HTTP_X_FORWARDED_FOR") or "").split(",") if part.strip()]
    if not forwarded:
        return remote
    # Fewer entries than proxies: the request reached us through fewer proxies than configured, and the leftmost
    # entry is the furthest one a proxy of ours wrote.
    candidate = forwarded[-min(proxies, len(forwarded))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        # Not an address (a proxy writing "unknown", or a port appended): fall back to the connection's.
        return remote


class ClientAddressMixin:
    """DRF's throttles keyed on :func:`client_address` instead of their own reading of the headers."""

    def get_ident(self, request: Request) -> str:
        return client_address(request)


class AnonRateThrottle(ClientAddressMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(ClientAddressMixin, throttling.UserRateThrottle):
    pass
