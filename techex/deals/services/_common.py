"""What the deal services share: locking, reference codes, transitions, texts, telling the parties (events)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import F
from django.utils import timezone

from techex.core import events
from techex.core.operator import operator
from techex.core.services import audit_record
from techex.core.text import limited_text
from techex.listings.models import ReferenceSequence

from ..choices import DEAL_CODE, DealAction, DealAuditAction, Side
from ..events import DealStageChanged, DealStepTaken
from ..models import Deal
from ..states import CLOSED_STAGES, REACHED_FIELD, target_stage

if TYPE_CHECKING:
    from collections.abc import Collection
    from datetime import datetime

    from techex.accounts.models import User


def locked(deal: Deal) -> Deal:
    """Lock the deal's row for the rest of the transaction and return it fresh, with what the rules read.

    Every service that writes to a deal takes this lock first, so two people acting on the same deal at the same
    moment are served one after the other, and the second sees what the first did.
    """
    Deal.objects.select_for_update().filter(pk=deal.pk).values_list("pk", flat=True).get()
    return Deal.objects.select_related(
        "listing", "owner_organization", "inquirer_organization", "broker", "contract"
    ).get(pk=deal.pk)


def next_reference_code(year: int) -> str:
    prefix = f"{operator()['code']}-{DEAL_CODE}-{year}"
    ReferenceSequence.objects.get_or_create(prefix=prefix)
    ReferenceSequence.objects.filter(prefix=prefix).update(last=F("last") + 1)
    number = ReferenceSequence.objects.values_list("last", flat=True).get(prefix=prefix)
    return f"{prefix}-{number:05d}"


def required_text(value: Any, *, field: str, message: str, max_length: int) -> str:
    """Clean a required text (NFC, trimmed); refuse it empty or too long, naming the field."""
    return limited_text(value, field=field, max_length=max_length, required_message=message)


def optional_text(value: Any, *, field: str, max_length: int) -> str:
    return limited_text(value, field=field, max_length=max_length)


def audit(deal: Deal, *, user: User, action: DealAuditAction, side: str = "", **data: Any) -> None:
    """Record a step of the deal in the audit trail; the deal's timeline is read from these entries."""
    audit_record(actor=user, action=action.value, target=deal, data={"side": side, **data})
    # Lists of deals show the latest activity first; a message or a proposal is activity too.
    Deal.objects.filter(pk=deal.pk).update(updated_at=timezone.now())


def transition(
    deal: Deal,
    *,
    action: DealAction,
    user: User,
    side: str,
    data: dict | None = None,
    at: datetime | None = None,
    **changes: Any,
) -> Deal:
    """Move the deal along one row of ``states.TRANSITIONS``, stamping the stage reached and closing if it ends."""
    old = deal.stage
    deal.stage = target_stage(old, action)
    now = at or timezone.now()
    reached = REACHED_FIELD.get(deal.stage)
    if reached and reached != "created_at" and getattr(deal, reached) is None:
        setattr(deal, reached, now)
    if deal.stage in CLOSED_STAGES:
        deal.closed_at = now
    for name, value in changes.items():
        setattr(deal, name, value)
    deal.full_clean(exclude=["listing", "owner_organization", "inquirer_organization", "inquirer", "broker"])
    deal.save()
    step = DealAuditAction(f"deal.{action}")  # every transition has its entry (tests/test_one_place.py)
    audit(deal, user=user, action=step, side=side, **{"from": old, "to": deal.stage, **(data or {})})
    actor_id = user.pk if getattr(user, "is_authenticated", False) else None
    events.publish(
        DealStageChanged(deal_id=deal.pk, action=action, from_stage=old, to_stage=deal.stage, actor_id=actor_id)
    )
    return deal


# --- notifications -----------------------------------------------------------------------------------------------


def side_organization_ids(deal: Deal, sides: Collection[str]) -> list[int]:
    ids = []
    if Side.OWNER in sides and deal.forwarded_at is not None:
        ids.append(deal.owner_organization_id)
    if Side.INQUIRER in sides:
        ids.append(deal.inquirer_organization_id)
    if Side.BROKER in sides and deal.broker_id:
        ids.append(deal.broker_id)
    return ids


def organization_label(deal: Deal, side: str) -> str:
    """The name of the acting side as every recipient may see it.

    The owner of an anonymous listing stays unnamed to the inquirer until the inquiry is accepted.
    """
    if side == Side.OWNER:
        if deal.listing.is_anonymous and deal.accepted_at is None:
            return deal.listing.reference_code
        return deal.owner_organization.name
    if side == Side.INQUIRER:
        return deal.inquirer_organization.name
    if side == Side.BROKER and deal.broker is not None:
        return deal.broker.name
    return operator()["name"]


def notify_sides(deal: Deal, *, kind: str, sides: Collection[str], actor: User | None, side: str = "") -> None:
    """Tell the members of the given sides what happened, by a task queued once the transaction commits."""
    org_ids = side_organization_ids(deal, sides)
    if not org_ids:
        return
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    events.publish(
        DealStepTaken(deal_id=deal.pk, kind=kind, side=side, actor_id=actor_id, organization_ids=tuple(org_ids))
    )


def other_side(side: str) -> str:
    return Side.INQUIRER if side == Side.OWNER else Side.OWNER


def everyone_but(side: str) -> tuple[str, ...]:
    """The sides told about a step taken by ``side``: the other party and the broker (and the owner if staff act)."""
    return tuple(s for s in (Side.OWNER, Side.INQUIRER, Side.BROKER) if s != side)
