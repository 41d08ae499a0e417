"""The deal's own stages: inquiry, forwarding, answer, negotiation, completion, closing; and its broker."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from techex.core import events
from techex.departments.services import route
from techex.listings.models import Listing
from techex.organizations.choices import OrganizationType
from techex.organizations.models import Organization
from techex.organizations.selectors import user_is_member

from .. import permissions
from ..choices import DealAction, DealAuditAction, Side
from ..events import DealBrokerChanged
from ..models import NOTE_MAX, TEXT_MAX, Deal
from ..states import OPEN_STAGES, listing_accepts_inquiries
from ._common import audit, everyone_but, locked, next_reference_code, notify_sides, required_text, transition

if TYPE_CHECKING:
    from techex.accounts.models import User


@transaction.atomic
def deal_inquire(
    *,
    user: User,
    listing: Listing,
    organization: Organization,
    message: str,
    who_we_are: str,
    intended_use: str,
    timeline_budget: str,
) -> Deal:
    """Send an expression of interest in a listing on behalf of one of the user's organisations.

    An anonymous listing with a broker sends it to the broker first, who forwards it to the owner.
    """
    if not user_is_member(user=user, organization=organization):
        raise PermissionDenied(_("You may only send an inquiry for an organisation you belong to."))
    # The listing's row is locked so that two inquiries of one organisation cannot both pass the check below.
    listing = Listing.objects.select_for_update().select_related("organization").get(pk=listing.pk)
    if organization.pk == listing.organization_id or user_is_member(user=user, organization=listing.organization):
        raise ValidationError(
            _("You cannot send an inquiry about your own organisation's listing."), code="own_listing"
        )
    if listing.broker_id is not None and listing.broker_id == organization.pk:
        raise ValidationError(_("Your organisation brokers this listing."), code="own_broker")
    if not listing_accepts_inquiries(listing):
        raise ValidationError(_("The listing is no longer open for inquiries."), code="listing_closed")
    existing = Deal.objects.filter(listing=listing, inquirer_organization=organization, stage__in=OPEN_STAGES).first()
    if existing is not None:
        raise ValidationError(
            _("Your organisation already has an open deal on this listing: %(deal)s.")
            % {"deal": existing.reference_code},
            code="duplicate",
        )
    texts = {
        "message": required_text(
            message, field="message", message=_("Write a message to the listing's owner."), max_length=TEXT_MAX
        ),
        "who_we_are": required_text(who_we_are, field="who_we_are", message=_("Say who you are."), max_length=NOTE_MAX),
        "intended_use": required_text(
            intended_use, field="intended_use", message=_("Say what you want to do with it."), max_length=NOTE_MAX
        ),
        "timeline_budget": required_text(
            timeline_budget, field="timeline_budget", message=_("Give your timeline and budget."), max_length=NOTE_MAX
        ),
    }
    brokered = listing.is_anonymous and listing.broker_id is not None
    now = timezone.now()
    deal = Deal(
        reference_code=next_reference_code(timezone.localdate().year),
        listing=listing,
        owner_organization=listing.organization,
        inquirer_organization=organization,
        inquirer=user,
        broker_id=listing.broker_id if brokered else None,
        forwarded_at=None if brokered else now,
        **texts,
    )
    route(obj=deal)  # to its listing's department
    deal.full_clean()
    deal.save()
    Listing.objects.filter(pk=listing.pk).update(inquiry_count=F("inquiry_count") + 1)
    audit(deal, user=user, action=DealAuditAction.INQUIRE, side=Side.INQUIRER, listing=listing.reference_code)
    notify_sides(deal, kind="deal.inquiry", sides=(Side.OWNER, Side.BROKER), actor=user, side=Side.INQUIRER)
    return deal


@transaction.atomic
def deal_forward(*, user: User, deal: Deal) -> Deal:
    """Pass an anonymous listing's inquiry from its broker to the listing's owner."""
    deal = locked(deal)
    side = permissions.require(DealAction.FORWARD, user=user, deal=deal)
    deal.forwarded_at = timezone.now()
    deal.save(update_fields=["forwarded_at", "updated_at"])
    audit(deal, user=user, action=DealAuditAction.FORWARD, side=side)
    notify_sides(deal, kind="deal.forwarded", sides=(Side.OWNER,), actor=user, side=side)
    return deal


@transaction.atomic
def deal_accept(*, user: User, deal: Deal) -> Deal:
    """Accept an inquiry: from now on both sides see each other's contacts."""
    deal = locked(deal)
    side = permissions.require(DealAction.ACCEPT, user=user, deal=deal)
    now = timezone.now()
    deal = transition(
        deal,
        action=DealAction.ACCEPT,
        user=user,
        side=side,
        at=now,
        accepted_at=now,
        accepted_by=user,
        forwarded_at=deal.forwarded_at or now,
    )
    notify_sides(deal, kind="deal.accepted", sides=everyone_but(side), actor=user, side=side)
    return deal


def _close(deal: Deal, *, action: DealAction, user: User, reason: str, kind: str) -> Deal:
    deal = locked(deal)
    side = permissions.require(action, user=user, deal=deal)
    reason = required_text(reason, field="reason", message=_("Give the reason."), max_length=NOTE_MAX)
    deal = transition(deal, action=action, user=user, side=side, data={"reason": reason}, close_reason=reason)
    notify_sides(deal, kind=kind, sides=everyone_but(side), actor=user, side=side)
    return deal


@transaction.atomic
def deal_decline(*, user: User, deal: Deal, reason: str) -> Deal:
    """Decline a deal on the owner's side, saying why."""
    return _close(deal, action=DealAction.DECLINE, user=user, reason=reason, kind="deal.declined")


@transaction.atomic
def deal_withdraw(*, user: User, deal: Deal, reason: str) -> Deal:
    """Withdraw from a deal on the inquirer's side, saying why."""
    return _close(deal, action=DealAction.WITHDRAW, user=user, reason=reason, kind="deal.withdrawn")


@transaction.atomic
def deal_drop(*, user: User, deal: Deal, reason: str) -> Deal:
    """Close a deal that has stalled (staff or the broker), saying why."""
    return _close(deal, action=DealAction.DROP, user=user, reason=reason, kind="deal.dropped")


@transaction.atomic
def deal_start_negotiation(*, user: User, deal: Deal) -> Deal:
    """Open the negotiation of an accepted deal (the first proposal does it too)."""
    deal = locked(deal)
    side = permissions.require(DealAction.START_NEGOTIATION, user=user, deal=deal)
    deal = transition(deal, action=DealAction.START_NEGOTIATION, user=user, side=side)
    notify_sides(deal, kind="deal.negotiation_started", sides=everyone_but(side), actor=user, side=side)
    return deal


@transaction.atomic
def deal_complete(*, user: User, deal: Deal) -> Deal:
    """Mark a deal whose contract is in force as completed."""
    deal = locked(deal)
    side = permissions.require(DealAction.COMPLETE, user=user, deal=deal)
    deal = transition(deal, action=DealAction.COMPLETE, user=user, side=side)
    notify_sides(deal, kind="deal.completed", sides=everyone_but(side), actor=user, side=side)
    return deal


@transaction.atomic
def deal_assign_broker(*, user: User, deal: Deal, broker: Organization | None) -> Deal:
    """Give an open deal a broker (an intermediary organisation), replace it, or take it away (``None``).

    Without a broker an inquiry that was waiting for one goes straight to the listing's owner.
    """
    deal = locked(deal)
    side = permissions.require(DealAction.ASSIGN_BROKER, user=user, deal=deal)
    if broker is not None:
        if broker.type != OrganizationType.INTERMEDIARY:
            raise ValidationError(
                {"broker": [_("Choose an intermediary organisation as the broker.")]}, code="not_intermediary"
            )
        if broker.pk in (deal.owner_organization_id, deal.inquirer_organization_id):
            raise ValidationError({"broker": [_("A party to the deal cannot be its broker.")]}, code="party")
    previous = deal.broker_id
    if previous == (broker.pk if broker else None):
        raise ValidationError({"broker": [_("This is already the deal's broker.")]}, code="unchanged")
    deal.broker = broker
    if broker is None and deal.forwarded_at is None:
        deal.forwarded_at = timezone.now()
    deal.save(update_fields=["broker", "forwarded_at", "updated_at"])
    audit(deal, user=user, action=DealAuditAction.ASSIGN_BROKER, side=side, previous=previous, broker=deal.broker_id)
    # Brokerage is a service: services keeps the broker's brokerage request in step (docs/services.md).
    events.publish(
        DealBrokerChanged(deal_id=deal.pk, previous_broker_id=previous, broker_id=deal.broker_id, actor_id=user.pk)
    )
    if broker is not None:
        notify_sides(
            deal,
            kind="deal.broker_assigned",
            sides=(Side.OWNER, Side.INQUIRER, Side.BROKER),
            actor=user,
            side=Side.BROKER,
        )
    return deal
