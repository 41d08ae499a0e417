"""Brokerage is a service: the broker staff assign to a deal or to an anonymous listing has a brokerage request.

Deals and listings stand below services, so they only say what happened (``deals.events.DealBrokerChanged``);
services subscribes and, in a task, brings the request in step with the broker the deal or listing has *now*
(``brokerage_sync_deal`` / ``brokerage_sync_listing``). Reading the current broker rather than the event's values
makes a sync idempotent and safe to repeat, which the backfill command (``services_brokerage_backfill``) relies on.

The request's rows of ``states.TRANSITIONS``: ``broker_assign`` (submitted or in progress → in progress; a new
broker takes the same request over) and ``broker_remove`` (in progress → cancelled). From there the broker delivers
and the client closes and rates, as for any service. The client is the deal's inquirer (it always knows the deal,
so the request reveals nothing of an anonymous owner) or the anonymous listing's owner.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from techex.core.services import audit_record
from techex.deals.models import Deal
from techex.deals.states import OPEN_STAGES
from techex.departments.services import route
from techex.listings.models import Listing
from techex.organizations.models import Organization

from .catalogue import BROKERAGE, store_category
from .choices import Party, ProviderStatus, RequestAction, RequestState
from .models import ServiceCategory, ServiceProvider, ServiceRequest
from .services import _audit, _move, _next_reference_code, _tell


def brokerage_category() -> ServiceCategory:
    """The brokerage category, created from the catalogue's text if it is not stored yet."""
    return store_category(BROKERAGE)[0]


def _broker_provider(organization: Organization, *, category: ServiceCategory, actor: Any) -> ServiceProvider:
    """The broker's provider record, offering brokerage.

    An intermediary staff assign as a broker is one the exchange vouches for, so it becomes a verified provider of
    brokerage if it was no provider yet; an existing record keeps its status (staff decided it) and gains brokerage.
    """
    provider = ServiceProvider.objects.select_for_update().filter(organization=organization).first()
    if provider is None:
        provider = ServiceProvider(
            organization=organization,
            description=_("Technology transfer broker appointed by the exchange's staff."),
            status=ProviderStatus.VERIFIED,
            decided_at=timezone.now(),
            decided_by=actor,
            decision_note=_("Verified as a broker when the exchange's staff assigned it."),
        )
        route(obj=provider)
        provider.save()
        audit_record(actor=actor, action="services.provider.broker", target=provider, data={"category": BROKERAGE})
    if not provider.categories.filter(pk=category.pk).exists():
        provider.categories.add(category)
    return provider


def _sync(
    current: ServiceRequest | None, *, broker: Organization | None, actor: Any, new: dict[str, Any]
) -> ServiceRequest | None:
    """Bring the open brokerage request (``current``) in step with ``broker``; ``new`` makes one if there is none."""
    if broker is None:
        if current is not None:
            _move(
                current,
                action=RequestAction.BROKER_REMOVE,
                user=actor,
                close_reason=_("The exchange's staff removed the broker."),
            )
            _tell(current, kind="services.cancelled", user=actor, parties=[Party.PROVIDER])
        return current
    category = brokerage_category()
    provider = _broker_provider(broker, category=category, actor=actor)
    if current is not None and current.provider_id == provider.pk:
        return current  # already in step
    if current is None:
        current = ServiceRequest(reference_code=_next_reference_code(timezone.now().year), category=category, **new)
        route(obj=current)
        current.save()
        _audit(current, user=actor, action="submit", category=BROKERAGE, brokerage=True)
    previous = current.provider_id
    _move(current, action=RequestAction.BROKER_ASSIGN, user=actor, provider=provider)
    if current.assigned_at is None:
        current.assigned_at = current.started_at
        current.save(update_fields=["assigned_at"])
    audit_record(
        actor=actor,
        action="services.request.provider",
        target=current,
        data={"from": previous, "to": provider.pk, "automatic": True},
    )
    _tell(current, kind="services.assigned", user=actor, parties=[Party.PROVIDER])
    return current


def _open_request(**lookup: Any) -> ServiceRequest | None:
    return (
        ServiceRequest.objects.select_for_update(of=("self",))
        .filter(category__code=BROKERAGE, state=RequestState.IN_PROGRESS, **lookup)
        .select_related("provider")
        .first()
    )


def _actor(actor_id: int | None) -> Any:
    return get_user_model().objects.filter(pk=actor_id).first() if actor_id is not None else None


@transaction.atomic
def brokerage_sync_deal(*, deal_id: int, actor_id: int | None = None) -> ServiceRequest | None:
    """The deal's brokerage request in step with its broker (an open deal; a closed one keeps its history)."""
    deal = Deal.objects.select_for_update(of=("self",)).filter(pk=deal_id).select_related("broker", "listing").first()
    if deal is None:
        return None
    broker = deal.broker if deal.stage in OPEN_STAGES else None
    new = {
        "client_organization_id": deal.inquirer_organization_id,
        "client_user_id": deal.inquirer_id,
        "deal": deal,
        "description": _("Brokerage of the deal %(deal)s, assigned by the exchange's staff.")
        % {"deal": deal.reference_code},
    }
    current = _open_request(deal=deal)
    if broker is None and current is None:
        return None
    return _sync(current, broker=broker, actor=_actor(actor_id), new=new)


@transaction.atomic
def brokerage_sync_listing(*, listing_id: int, actor_id: int | None = None) -> ServiceRequest | None:
    """An anonymous listing's brokerage request in step with its broker (none once it is no longer anonymous)."""
    listing = Listing.objects.select_for_update(of=("self",)).filter(pk=listing_id).select_related("broker").first()
    if listing is None:
        return None
    broker = listing.broker if listing.is_anonymous else None
    new = {
        "client_organization_id": listing.organization_id,
        "client_user_id": listing.created_by_id,
        "listing": listing,
        "description": _("Brokerage of the anonymous listing %(listing)s, assigned by the exchange's staff.")
        % {"listing": listing.reference_code},
    }
    current = _open_request(listing=listing, deal__isnull=True)
    if broker is None and current is None:
        return None
    return _sync(current, broker=broker, actor=_actor(actor_id), new=new)


def brokerage_backfill() -> tuple[int, int]:
    """Sync every open deal and anonymous listing with a broker or an open brokerage request; return how many of
    each were looked at (idempotent: a second run changes nothing)."""
    open_requests = ServiceRequest.objects.filter(category__code=BROKERAGE, state=RequestState.IN_PROGRESS)
    # An anonymous listing's inquiry goes to the listing's broker (deals.services.deal_inquire): that broker's request
    # is the listing's, as on the live path, where only a staff assignment on the deal opens a deal's request.
    brokered = Deal.objects.filter(stage__in=OPEN_STAGES, broker__isnull=False).exclude(
        listing__is_anonymous=True, broker=F("listing__broker")
    )
    deal_ids = set(brokered.values_list("pk", flat=True)) | set(
        open_requests.filter(deal__stage__in=OPEN_STAGES).values_list("deal_id", flat=True)
    )
    listing_ids = set(
        Listing.objects.filter(broker__isnull=False, is_anonymous=True).values_list("pk", flat=True)
    ) | set(open_requests.filter(deal__isnull=True, listing__isnull=False).values_list("listing_id", flat=True))
    for pk in sorted(deal_ids):
        brokerage_sync_deal(deal_id=pk)
    for pk in sorted(listing_ids):
        brokerage_sync_listing(listing_id=pk)
    return len(deal_ids), len(listing_ids)
