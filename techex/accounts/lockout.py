"""Failed sign-ins: django-axes' lock-out per (account, client address), and a slow-down per account on top.

One mechanism, django-axes, counts every failure (its ``AccessAttempt`` rows, per account and client address):

- the lock-out refuses an (account, address) pair after ``AXES_FAILURE_LIMIT`` failures for ``AXES_COOLOFF_TIME``.
  The address is the client's (``techex.core.client.client_address``), never the proxy's, so failures from one
  place never lock the account's owner out elsewhere;
- the slow-down reads the same rows for the account across every address: after ``SIGNIN_SLOWDOWN_AFTER`` failures,
  an attempt for the account within ``SIGNIN_SLOWDOWN_SECONDS`` of the last failure is refused with a "wait a few
  seconds" message. An attacker spread over many addresses gets one guess every few seconds; nobody is locked out.
"""

import math
from datetime import timedelta

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.helpers import get_cool_off, get_credentials, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def axes_username(request, credentials: dict | None = None) -> str | None:
    """Return the lower-cased login of a sign-in attempt, whichever form sent it.

    allauth authenticates with ``email=...`` and the Django admin with ``username=...``, while axes only looks at
    one form field; without this every failure counted against an empty name, so one mistyped password locked
    out the whole IP address (a university behind one NAT) for every account. Lower-casing stops ``A@x.vn`` and
    ``a@x.vn`` from being counted apart.
    """
    value = None
    if credentials:
        value = credentials.get("email") or credentials.get("username") or credentials.get("login")
    if not value and request is not None:
        data = getattr(request, "data", None) or request.POST
        value = data.get(settings.AXES_USERNAME_FORM_FIELD) or data.get("username")
    if not value:
        return None
    return str(value).strip().lower()[:255]


def slowdown_seconds(username: str | None) -> int:
    """Seconds an attempt for this account must still wait (0: none), from its failures across every address."""
    if not username:
        return 0
    now = timezone.now()
    failures = AccessAttempt.objects.filter(username=username, attempt_time__gte=now - settings.AXES_COOLOFF_TIME)
    totals = failures.aggregate(count=Sum("failures_since_start"), last=Max("attempt_time"))
    if (totals["count"] or 0) < settings.SIGNIN_SLOWDOWN_AFTER or totals["last"] is None:
        return 0
    remaining = (totals["last"] + timedelta(seconds=settings.SIGNIN_SLOWDOWN_SECONDS) - now).total_seconds()
    return max(0, math.ceil(remaining))


class SignInGuardBackend(AxesStandaloneBackend):
    """axes' backend (refuses a locked-out account and address), also refusing an account being slowed down."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        super().authenticate(request, username=username, password=password, **kwargs)
        if request is None or not getattr(settings, "AXES_ENABLED", True):
            return None
        credentials = get_credentials(username=username, password=password, **kwargs)
        wait = slowdown_seconds(axes_username(request, credentials))
        if wait:
            # As axes does for a lock-out: the refused attempt is not recorded as a failure (it would prolong the
            # wait for the owner too), and the middleware answers with lockout_response below.
            request.axes_locked_out = True
            request.signin_wait_seconds = wait
            raise AxesBackendPermissionDenied("Sign-in attempts for this account are being slowed down")
        return None


def retry_after_seconds(request: HttpRequest) -> int:
    """How long the refused client should wait: the slow-down's few seconds, or the lock-out's cool-off."""
    wait = getattr(request, "signin_wait_seconds", 0)
    if wait:
        return wait
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def lockout_response(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """The page of a refused sign-in (``AXES_LOCKOUT_CALLABLE``): slowed down for seconds, or locked out here."""
    wait = getattr(request, "signin_wait_seconds", 0)
    if wait:
        response = render(request, "accounts/slowed_down.html", {"wait_seconds": wait}, status=429)
    else:
        context = {"failure_limit": get_failure_limit(request, credentials), "cooloff_timedelta": get_cool_off(request)}
        status = getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429)
        response = render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=status)
    response["Retry-After"] = str(retry_after_seconds(request))
    return response
