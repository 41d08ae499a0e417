"""The broker of an anonymous listing: the intermediary through which inquiries reach its hidden owner."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from techex.core import events
from techex.core.services import audit_record
from techex.organizations.choices import OrganizationType

from ..events import ListingBrokerChanged
from ..models import Listing
from ._common import _require_staff_for

if TYPE_CHECKING:
    from techex.accounts.models import User
    from techex.organizations.models import Organization


@transaction.atomic
def listing_assign_broker(*, listing: Listing, user: User, broker: Organization | None) -> Listing:
    """Staff of the listing's department give an anonymous listing a broker, replace it, or take it away (None).

    Inquiries sent from then on go to the broker first (``deals.services.deal_inquire``); services keeps the
    broker's brokerage request in step (``ListingBrokerChanged``, docs/services.md).
    """
    _require_staff_for(user, listing)
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    if broker is not None:
        if not listing.is_anonymous:
            raise ValidationError({"broker": [_("Only an anonymous listing has a broker.")]}, code="not_anonymous")
        if broker.type != OrganizationType.INTERMEDIARY:
            raise ValidationError(
                {"broker": [_("Choose an intermediary organisation as the broker.")]}, code="not_intermediary"
            )
        if broker.pk == listing.organization_id:
            raise ValidationError({"broker": [_("The listing's owner cannot be its broker.")]}, code="owner")
    previous = listing.broker_id
    if previous == (broker.pk if broker else None):
        raise ValidationError({"broker": [_("This is already the listing's broker.")]}, code="unchanged")
    listing.broker = broker
    listing.save(update_fields=["broker", "updated_at"])
    audit_record(
        actor=user, action="listing.assign_broker", target=listing, data={"from": previous, "to": listing.broker_id}
    )
    events.publish(
        ListingBrokerChanged(
            listing_id=listing.pk, previous_broker_id=previous, broker_id=listing.broker_id, actor_id=user.pk
        )
    )
    return listing
