"""Writes that every domain shares: the audit trail (docs/audit.md)."""

from typing import Any

from django.db import models, transaction
from django.utils import timezone

from .audit import LANES, audit_verify, checkpoint_log_line, claim_lane, lane_head, logger, sign
from .models import AuditCheckpoint, AuditEntry


def _entry(
    *, lane: int, position: int, previous: str, actor_id: Any, action: str, target: models.Model, data: dict | None
) -> AuditEntry:
    entry = AuditEntry(
        created_at=timezone.now(),
        actor_id=actor_id,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        data=data or {},
        lane=lane,
        position=position,
        previous_hash=previous,
    )
    entry.entry_hash = entry.compute_hash()
    return entry


def _actor_id(actor: Any) -> Any:
    return actor.pk if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def audit_record(*, actor: Any, action: str, target: models.Model, data: dict | None = None) -> AuditEntry:
    """Append an entry to the audit trail, chained to the newest entry of the lane this transaction holds."""
    lane = claim_lane()
    position, previous = lane_head(lane)
    entry = _entry(
        lane=lane,
        position=position + 1,
        previous=previous,
        actor_id=_actor_id(actor),
        action=action,
        target=target,
        data=data,
    )
    entry.save()
    return entry


@transaction.atomic
def audit_record_many(*, actor: Any, entries: list[tuple[str, models.Model, dict]]) -> int:
    """Append many ``(action, target, data)`` entries in one insert, chained exactly as ``audit_record`` does."""
    lane = claim_lane()
    position, previous = lane_head(lane)
    actor_id = _actor_id(actor)
    rows: list[AuditEntry] = []
    for action, target, data in entries:
        position += 1
        entry = _entry(
            lane=lane, position=position, previous=previous, actor_id=actor_id, action=action, target=target, data=data
        )
        previous = entry.entry_hash
        rows.append(entry)
    AuditEntry.objects.bulk_create(rows, batch_size=500)
    return len(rows)


@transaction.atomic
def audit_checkpoint() -> AuditCheckpoint:
    """Sign the head of every lane, store it and write it to the operator's log (``manage.py audit_checkpoint``).

    Writers are not stopped: each lane's head is read as committed, and what commits after is anchored by the next
    checkpoint. Two checkpoints written at once are serialised by the lock on the newest one.
    """
    last = AuditCheckpoint.objects.select_for_update().order_by("-sequence").first()
    lanes = set(range(LANES)) | {int(lane) for lane in (last.heads if last else {})}
    heads = {}
    for lane in sorted(lanes):
        position, entry_hash = lane_head(lane)
        if position:
            heads[str(lane)] = [position, entry_hash]
    checkpoint = AuditCheckpoint(
        sequence=last.sequence + 1 if last else 1,
        created_at=timezone.now(),
        entries=sum(position for position, _hash in heads.values()),
        heads=heads,
        previous_signature=last.signature if last else "",
    )
    checkpoint.signature = sign(checkpoint)
    checkpoint.save()
    transaction.on_commit(lambda: logger.info(checkpoint_log_line(checkpoint)))
    return checkpoint


def audit_verify_chain() -> list[int]:
    """Return the ids of entries whose hash does not match their content or their predecessor (``audit_verify``)."""
    return sorted({p.entry_id for p in audit_verify().problems if p.entry_id is not None})
