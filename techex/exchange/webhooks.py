"""Webhooks for partners: a message per change to every endpoint that asked for it, signed per the Standard Webhooks
convention (https://www.standardwebhooks.com), delivered by the background worker with retries and back-off.

- Headers: ``webhook-id`` (the message id, the same on every retry, so a receiver can drop a repeat),
  ``webhook-timestamp`` (seconds), ``webhook-signature`` (``v1,`` and the base64 HMAC-SHA256, keyed with the
  endpoint's secret, of ``"{id}.{timestamp}.{body}"``).
- A 2xx answer is a delivery. Anything else (an error status, a timeout, a refused connection) is tried again after
  ``BACKOFF`` (10 s, 1 min, 5 min, 30 min, 2 h, 8 h); after the last one the delivery has failed. An endpoint whose
  deliveries failed ``DISABLE_AFTER`` times in a row is disabled, and staff see why in its delivery log.
"""

import base64
import hashlib
import hmac
import json
import secrets
from datetime import datetime, timedelta
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from .choices import STAFF_EVENTS, DeliveryStatus
from .models import WebhookDelivery, WebhookEndpoint

BACKOFF = (
    timedelta(seconds=10),
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=8),
)
DISABLE_AFTER = 5  # deliveries failed in a row
TIMEOUT = 10  # seconds


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def signature(*, secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def messages_create(*, event: str, data: dict[str, Any]) -> list[WebhookDelivery]:
    """A delivery of the event to every active endpoint that asked for it (deal events: staff systems only)."""
    endpoints = WebhookEndpoint.objects.filter(is_active=True)
    if event in STAFF_EVENTS:
        endpoints = endpoints.filter(is_staff_system=True)
    now = timezone.now()
    created = []
    for endpoint in endpoints:
        if event not in endpoint.events:
            continue
        message_id = f"msg_{secrets.token_hex(12)}"
        payload = {"type": event, "timestamp": now, "data": data}
        created.append(
            WebhookDelivery.objects.create(
                endpoint=endpoint,
                message_id=message_id,
                event=event,
                payload=json.loads(json.dumps(payload, cls=DjangoJSONEncoder)),
                next_attempt_at=now,
            )
        )
    return created


def attempt(delivery: WebhookDelivery, *, now: datetime | None = None) -> WebhookDelivery:
    """Send the delivery once; record the outcome and, unless it is final, when to try again."""
    now = now or timezone.now()
    endpoint = delivery.endpoint
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = int(now.timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "techex-webhooks/1",
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(
            secret=endpoint.secret, message_id=delivery.message_id, timestamp=timestamp, body=body
        ),
    }
    code, problem = None, ""
    if not endpoint.url.startswith(("https://", "http://")):
        problem = "only http and https addresses are called"
    else:
        try:
            with urlopen(Request(endpoint.url, data=body, headers=headers, method="POST"), timeout=TIMEOUT) as answer:  # noqa: S310  # scheme checked above
                code = answer.status
        except HTTPError as error:
            code, problem = error.code, f"HTTP {error.code}"
        except (URLError, OSError) as error:
            problem = str(getattr(error, "reason", error))[:500]
    delivery.attempts += 1
    delivery.last_status_code = code
    delivery.last_error = problem
    with transaction.atomic():
        if code is not None and 200 <= code < 300:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = now
            delivery.next_attempt_at = None
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=0)
        elif delivery.attempts > len(BACKOFF):
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = None
            _failed(endpoint, now=now)
        else:
            delivery.next_attempt_at = now + BACKOFF[delivery.attempts - 1]
        delivery.save()
    return delivery


def _failed(endpoint: WebhookEndpoint, *, now: datetime) -> None:
    endpoint.refresh_from_db(fields=["consecutive_failures"])
    endpoint.consecutive_failures += 1
    fields = ["consecutive_failures"]
    if endpoint.consecutive_failures >= DISABLE_AFTER:
        endpoint.is_active = False
        endpoint.disabled_at = now
        fields += ["is_active", "disabled_at"]
    endpoint.save(update_fields=fields)


def due(*, now: datetime | None = None):
    """Pending deliveries whose time has come (for the cron safety net, ``manage.py send_webhooks``)."""
    now = now or timezone.now()
    return WebhookDelivery.objects.filter(
        status=DeliveryStatus.PENDING, next_attempt_at__lte=now, endpoint__is_active=True
    ).select_related("endpoint")
