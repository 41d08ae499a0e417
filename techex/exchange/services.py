"""The exchange domain's writes: numbering changes for the feed, issuing and revoking API keys, configuring and
running harvest sources (the harvest itself is in ``harvest.py``)."""

import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from techex.core.services import audit_record
from techex.listings.exporter import export_queryset
from techex.listings.models import Listing
from techex.organizations import services as organization_services
from techex.organizations.choices import OrganizationType

from .choices import STAFF_EVENTS, ApiScope, WebhookEvent
from .models import ApiKey, ChangeSequence, HarvestSource, ListingChange, WebhookEndpoint

KEY_PREFIX_BYTES = 4  # 8 hex characters name a key
KEY_SECRET_BYTES = 32


def changes_record(*, listing_ids: Iterable[int]) -> None:
    """Give each listing's public view the next sequence numbers, in the caller's transaction (see ChangeSequence)."""
    ids = sorted(set(listing_ids))
    if not ids:
        return
    codes = dict(Listing.objects.filter(pk__in=ids).values_list("pk", "reference_code"))
    sequence, _created = ChangeSequence.objects.select_for_update().get_or_create(pk=1)
    first = sequence.value + 1
    sequence.value += len(codes)
    sequence.save(update_fields=["value"])
    ListingChange.objects.filter(reference_code__in=codes.values()).delete()
    ListingChange.objects.bulk_create(
        ListingChange(reference_code=code, listing_id=pk, seq=first + n) for n, (pk, code) in enumerate(codes.items())
    )


def _hash(secret: str) -> str:
    # The secret is 256 random bits: a plain SHA-256 cannot be reversed by guessing (no password stretching needed).
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_key_issue(*, user: Any, name: str, scopes: list[str], rate_per_minute: int = 600) -> tuple[ApiKey, str]:
    """Issue a key; return it and its full text, ``<prefix>.<secret>``, shown to staff once and never stored."""
    unknown = set(scopes) - set(ApiScope.values)
    if not scopes or unknown:
        raise ValueError(f"unknown scopes: {sorted(unknown)}")
    prefix = secrets.token_hex(KEY_PREFIX_BYTES)
    secret = secrets.token_urlsafe(KEY_SECRET_BYTES)
    key = ApiKey.objects.create(
        name=name,
        prefix=prefix,
        secret_hash=_hash(secret),
        scopes=sorted(set(scopes)),
        rate_per_minute=rate_per_minute,
        created_by=user,
    )
    audit_record(actor=user, action="exchange.api_key_issued", target=key, data={"name": name, "scopes": key.scopes})
    return key, f"{prefix}.{secret}"


@transaction.atomic
def api_key_revoke(*, user: Any, key: ApiKey) -> ApiKey:
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        audit_record(actor=user, action="exchange.api_key_revoked", target=key, data={"name": key.name})
    return key


def api_key_find(*, text: str) -> ApiKey | None:
    """The active key whose full text this is; None for anything else (unknown, revoked, malformed)."""
    prefix, dot, secret = text.strip().partition(".")
    if not dot or not prefix or not secret or len(text) > 200:
        return None
    key = ApiKey.objects.filter(prefix=prefix, revoked_at__isnull=True).first()
    if key is None or not secrets.compare_digest(key.secret_hash, _hash(secret)):
        return None
    return key


def api_key_used(*, key: ApiKey) -> None:
    """Count a request made with the key (one UPDATE, no read-modify-write race)."""
    ApiKey.objects.filter(pk=key.pk).update(use_count=F("use_count") + 1, last_used_at=timezone.now())


@transaction.atomic
def harvest_source_create(
    *, user: Any, name: str, base_url: str, api_key: str, kinds: list[str] | None = None
) -> HarvestSource:
    """Configure another exchange to harvest. Its listings are shown as owned by an organisation standing for it,
    of which the configuring staff member is the administrator (they answer inquiries the listings receive)."""
    organization = organization_services.organization_create(
        user=user,
        data={"name": name, "type": OrganizationType.INTERMEDIARY, "website": base_url, "province": None},
    )
    organization = organization_services.organization_verify(organization=organization, user=user)
    source = HarvestSource.objects.create(
        name=name,
        base_url=base_url.rstrip("/"),
        api_key=api_key,
        kinds=sorted(set(kinds or [])),
        organization=organization,
        created_by=user,
    )
    audit_record(actor=user, action="exchange.harvest_source_created", target=source, data={"url": source.base_url})
    return source


# --- webhooks ----------------------------------------------------------------------------------------------------


def webhooks_send(*, event: str, listing_ids: Iterable[int] = (), data: dict[str, Any] | None = None) -> int:
    """Queue the event's message to every endpoint that asked for it: per listing (its record in the exchange format
    while live, its identifier once it left the public view), or ``data`` as given; return how many deliveries."""
    from . import selectors, webhooks
    from .tasks import webhook_deliver

    if not WebhookEndpoint.objects.filter(is_active=True).exists():
        return 0
    bodies: list[dict[str, Any]] = []
    if data is not None:
        bodies.append(data)
    ids = list(listing_ids)
    if ids:
        live = {listing.pk: listing for listing in export_queryset(Listing.objects.live().filter(pk__in=ids))}
        codes = dict(Listing.objects.filter(pk__in=ids).values_list("pk", "reference_code"))
        for pk in ids:
            if pk in live:
                bodies.append({"listing": selectors.exchange_record(listing=live[pk])})
            elif pk in codes:
                bodies.append({"id": selectors.global_id(reference_code=codes[pk]), "listing": None})
    count = 0
    for body in bodies:
        for delivery in webhooks.messages_create(event=event, data=body):
            webhook_deliver.enqueue(delivery.pk)
            count += 1
    return count


@transaction.atomic
def webhook_endpoint_create(
    *, user: Any, name: str, url: str, events: list[str], is_staff_system: bool = False
) -> WebhookEndpoint:
    from .webhooks import new_secret

    unknown = set(events) - set(WebhookEvent.values)
    if not events or unknown:
        raise ValueError(f"unknown events: {sorted(unknown)}")
    if STAFF_EVENTS & set(events) and not is_staff_system:
        raise ValueError("deal events go to staff systems only")
    endpoint = WebhookEndpoint.objects.create(
        name=name,
        url=url,
        events=sorted(set(events)),
        is_staff_system=is_staff_system,
        secret=new_secret(),
        created_by=user,
    )
    audit_record(
        actor=user, action="exchange.webhook_created", target=endpoint, data={"url": url, "events": endpoint.events}
    )
    return endpoint


@transaction.atomic
def webhook_endpoint_enable(*, user: Any, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Turn an endpoint (disabled after failures, or by staff) back on, its failures forgotten."""
    endpoint.is_active, endpoint.disabled_at, endpoint.consecutive_failures = True, None, 0
    endpoint.save(update_fields=["is_active", "disabled_at", "consecutive_failures"])
    audit_record(actor=user, action="exchange.webhook_enabled", target=endpoint)
    return endpoint
