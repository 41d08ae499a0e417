"""Writes that every domain shares: the audit trail."""

from typing import Any

from django.db import models, transaction

from .models import AuditEntry


@transaction.atomic
def audit_record(*, actor: Any, action: str, target: models.Model, data: dict | None = None) -> AuditEntry:
    """Append an entry to the audit trail, chained to the previous one."""
    previous = AuditEntry.objects.select_for_update().order_by("-id").values_list("entry_hash", flat=True).first()
    entry = AuditEntry(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        data=data or {},
        previous_hash=previous or "",
    )
    entry.entry_hash = entry.compute_hash()
    entry.save()
    return entry


@transaction.atomic
def audit_record_many(*, actor: Any, entries: list[tuple[str, models.Model, dict]]) -> int:
    """Append many ``(action, target, data)`` entries in one insert, chained exactly as ``audit_record`` does."""
    previous = AuditEntry.objects.select_for_update().order_by("-id").values_list("entry_hash", flat=True).first()
    previous = previous or ""
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    rows: list[AuditEntry] = []
    for action, target, data in entries:
        entry = AuditEntry(
            actor_id=actor_id,
            action=action,
            target_type=target._meta.label_lower,
            target_id=str(target.pk),
            data=data or {},
            previous_hash=previous,
        )
        entry.entry_hash = previous = entry.compute_hash()
        rows.append(entry)
    AuditEntry.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def audit_verify_chain() -> list[int]:
    """Return the ids of entries whose hash does not match their content or their predecessor."""
    broken: list[int] = []
    previous = ""
    for entry in AuditEntry.objects.order_by("id").iterator():
        if entry.previous_hash != previous or entry.entry_hash != entry.compute_hash():
            broken.append(entry.pk)
        previous = entry.entry_hash
    return broken
