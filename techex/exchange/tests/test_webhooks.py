"""Webhooks: signed messages to a real HTTP receiver, retries with back-off, a delivery log, disabling an endpoint
that keeps failing, deal events only for staff systems."""

import base64
import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.utils import timezone

from techex.exchange import services, webhooks
from techex.exchange.choices import DeliveryStatus
from techex.exchange.models import WebhookDelivery
from techex.listings import services as listing_services
from techex.listings.tests.factories import make_published

pytestmark = pytest.mark.django_db


class Receiver:
    """A partner's HTTP endpoint: it records what it receives and answers the status codes it is given."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.answers: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (the standard library's name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = {name.lower(): value for name, value in self.headers.items()}
                receiver.received.append({"headers": headers, "body": body})
                self.send_response(receiver.answers.pop(0) if receiver.answers else 204)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    partner = Receiver()
    yield partner
    partner.close()


def verify(secret: str, received: dict) -> bool:
    """The check a receiver makes (the Standard Webhooks convention), written independently of our signer."""
    headers = received["headers"]
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + received["body"]
    key = base64.b64decode(secret.split("_", 1)[1])
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(part == f"v1,{expected}" for part in headers["webhook-signature"].split())


def test_a_publication_and_a_withdrawal_reach_the_partner_signed(
    receiver, owner, org, staff, django_capture_on_commit_callbacks
):
    endpoint = services.webhook_endpoint_create(
        user=staff, name="Sàn An Giang", url=receiver.url, events=["listing.published", "listing.withdrawn"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        listing = make_published(user=owner, organization=org, staff=staff)
    with django_capture_on_commit_callbacks(execute=True):
        listing_services.listing_withdraw(listing=listing, user=owner)
    assert len(receiver.received) == 2
    published, withdrawn = (json.loads(r["body"]) for r in receiver.received)
    assert published["type"] == "listing.published"
    assert published["data"]["listing"]["id"] == f"CT:{listing.reference_code}"
    assert withdrawn == {
        "type": "listing.withdrawn",
        "timestamp": withdrawn["timestamp"],
        "data": {"id": f"CT:{listing.reference_code}", "listing": None},
    }
    assert all(verify(endpoint.secret, r) for r in receiver.received)
    assert not verify("whsec_" + base64.b64encode(b"another secret here!!!!!").decode(), receiver.received[0])
    log = list(endpoint.deliveries.order_by("pk"))
    assert [(d.event, d.status, d.attempts, d.last_status_code) for d in log] == [
        ("listing.published", "delivered", 1, 204),
        ("listing.withdrawn", "delivered", 1, 204),
    ]


def test_an_endpoint_gets_only_the_events_it_asked_for_and_deal_events_only_for_staff_systems(
    receiver, owner, org, staff, django_capture_on_commit_callbacks
):
    services.webhook_endpoint_create(user=staff, name="Chỉ rút tin", url=receiver.url, events=["listing.withdrawn"])
    with django_capture_on_commit_callbacks(execute=True):
        make_published(user=owner, organization=org, staff=staff)
    assert receiver.received == []
    with pytest.raises(ValueError):
        services.webhook_endpoint_create(user=staff, name="Đối tác", url=receiver.url, events=["deal.stage_changed"])
    staff_system = services.webhook_endpoint_create(
        user=staff, name="Hệ thống của sở", url=receiver.url, events=["deal.stage_changed"], is_staff_system=True
    )
    services.webhooks_send(event="deal.stage_changed", data={"deal_id": 7, "action": "accept", "from": "a", "to": "b"})
    assert [json.loads(r["body"])["data"]["deal_id"] for r in receiver.received] == [7]
    assert staff_system.deliveries.get().status == DeliveryStatus.DELIVERED


def test_a_failing_delivery_is_retried_with_back_off_then_given_up(
    receiver, owner, org, staff, django_capture_on_commit_callbacks
):
    endpoint = services.webhook_endpoint_create(
        user=staff, name="Hay lỗi", url=receiver.url, events=["listing.published"]
    )
    receiver.answers = [500, 503]
    start = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        make_published(user=owner, organization=org, staff=staff)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
    assert delivery.next_attempt_at - start >= webhooks.BACKOFF[0]
    # The cron safety net tries what is due: not yet, then after the back-off.
    assert list(webhooks.due(now=start)) == []
    webhooks.attempt(delivery, now=delivery.next_attempt_at)
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("pending", 2, "HTTP 503")
    call_command("send_webhooks")  # not due yet: the second back-off is a minute
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    delivery = webhooks.attempt(delivery, now=delivery.next_attempt_at)
    assert delivery.status == "delivered" and delivery.attempts == 3
    # The same message id on every try: the receiver drops repeats.
    assert len({r["headers"]["webhook-id"] for r in receiver.received}) == 1
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0


def test_an_endpoint_that_keeps_failing_is_disabled_and_can_be_enabled_again(
    owner, org, staff, django_capture_on_commit_callbacks
):
    endpoint = services.webhook_endpoint_create(
        user=staff, name="Đã tắt máy", url="http://127.0.0.1:9/hook", events=["listing.published"]
    )
    now = timezone.now()
    for n in range(webhooks.DISABLE_AFTER):
        with django_capture_on_commit_callbacks(execute=True):
            make_published(user=owner, organization=org, staff=staff, title=f"Công nghệ {n}")
        delivery = WebhookDelivery.objects.order_by("-pk").first()
        while delivery.status == DeliveryStatus.PENDING:
            now += timedelta(hours=9)
            delivery = webhooks.attempt(delivery, now=now)
        assert delivery.status == "failed" and delivery.attempts == len(webhooks.BACKOFF) + 1
    endpoint.refresh_from_db()
    assert not endpoint.is_active and endpoint.disabled_at is not None
    assert endpoint.consecutive_failures == webhooks.DISABLE_AFTER
    with django_capture_on_commit_callbacks(execute=True):
        make_published(user=owner, organization=org, staff=staff, title="Sau khi tắt")
    assert WebhookDelivery.objects.count() == webhooks.DISABLE_AFTER  # no more messages to a disabled endpoint
    services.webhook_endpoint_enable(user=staff, endpoint=endpoint)
    endpoint.refresh_from_db()
    assert endpoint.is_active and endpoint.consecutive_failures == 0
