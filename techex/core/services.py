"""Writes that every domain shares: the audit trail."""

from typing import Any

from django.db import connection, models, transaction

from .models import AuditEntry

# Any constant: the key of the PostgreSQL advisory lock that serialises appends to the chain.
_CHAIN_LOCK = 0x7EC4A0D1


def _latest_hash() -> str:
    """Lock the end of the chain for this transaction and return its hash.

    Locking the newest row is not enough on PostgreSQL: a second writer waiting for that lock is then handed the
    same row, already superseded, and would fork the chain. A transaction-scoped advisory lock is taken first, so
    the newest row is read only after the previous writer has committed. SQLite serialises writers itself
    (transactions start IMMEDIATE, config/settings/base.py).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
    return AuditEntry.objects.order_by("-id").values_list("entry_hash", flat=True).first() or ""


@transaction.atomic
def audit_record(*, actor: Any, action: str, target: models.Model, data: dict | None = None) -> AuditEntry:
    """Append an entry to the audit trail, chained to the previous one."""
    previous = _latest_hash()
    entry = AuditEntry(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        data=data or {},
        previous_hash=previous,
    )
    entry.entry_hash = entry.compute_hash()
    entry.save()
    return entry


@transaction.atomic
def audit_record_many(*, actor: Any, entries: list[tuple[str, models.Model, dict]]) -> int:
    """Append many ``(action, target, data)`` entries in one insert, chained exactly as ``audit_record`` does."""
    previous = _latest_hash()
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
