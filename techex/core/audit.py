"""The audit trail's lanes, key and verification (docs/audit.md); the writers are in ``core.services``.

Entries are appended to one of ``LANES`` hash chains. A writer takes a free lane with a transaction-scoped
``pg_try_advisory_xact_lock``, which never waits: two writers at the same moment take two lanes, so audited writes
no longer queue behind one global lock, and the audit trail takes no part in a deadlock with the rows a service
locks. Signed checkpoints (``AuditCheckpoint``) record the head of every lane, so that truncating a lane or
rewriting and re-hashing it is found by ``audit_verify``.
"""

import hashlib
import hmac
import json
import logging
import os
import threading
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.utils.dateparse import parse_datetime

from .models import AuditCheckpoint, AuditEntry, canonical_json, utc_text

logger = logging.getLogger("techex.audit")

# More lanes than connections that write at once, so a free one is always found without waiting.
LANES = 64
# Any constant: the first key of the lanes' advisory locks on PostgreSQL (the lane is the second).
_LANE_LOCK = 0x7EC4A0D1


def claim_lane() -> int:
    """Take a lane of the audit trail for the current transaction and return it.

    The lock is released when the transaction ends, and the next writer of that lane reads its head only once it
    holds the lock, so it sees the entry committed before it. A connection tries its own lane first (taken again
    at once if its transaction already holds it), then the next ones; only when every lane is busy does it wait.
    SQLite serialises writers itself (transactions start IMMEDIATE, config/settings/base.py): one lane.
    """
    if connection.vendor != "postgresql":
        return 0
    preferred = zlib.crc32(f"{os.getpid()}:{threading.get_ident()}".encode()) % LANES
    with connection.cursor() as cursor:
        for step in range(LANES):
            lane = (preferred + step) % LANES
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [_LANE_LOCK, lane])
            if cursor.fetchone()[0]:
                return lane
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LANE_LOCK, preferred])
    return preferred


def lane_head(lane: int) -> tuple[int, str]:
    """The position and hash of the newest entry of a lane; ``(0, "")`` for an empty one."""
    head = AuditEntry.objects.filter(lane=lane).order_by("-position").values_list("position", "entry_hash").first()
    return head or (0, "")


def audit_key() -> bytes:
    """The key of the checkpoints' signatures: ``DJANGO_AUDIT_KEY``, or one derived from ``SECRET_KEY``.

    Production settings require ``DJANGO_AUDIT_KEY``; the derivation only serves development and tests.
    """
    if settings.AUDIT_KEY:
        return settings.AUDIT_KEY.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"techex.core.audit.checkpoint", hashlib.sha256).digest()


def sign(checkpoint: AuditCheckpoint) -> str:
    return hmac.new(audit_key(), checkpoint.payload(), hashlib.sha256).hexdigest()


def checkpoint_record(checkpoint: AuditCheckpoint) -> dict:
    """A checkpoint as the operator's log keeps it, and as ``audit_verify --published`` reads it back."""
    return {
        "sequence": checkpoint.sequence,
        "created_at": utc_text(checkpoint.created_at),
        "entries": checkpoint.entries,
        "heads": checkpoint.heads,
        "previous_signature": checkpoint.previous_signature,
        "signature": checkpoint.signature,
    }


LOG_PREFIX = "audit checkpoint "


def checkpoint_log_line(checkpoint: AuditCheckpoint) -> str:
    return LOG_PREFIX + canonical_json(checkpoint_record(checkpoint)).decode()


def read_published(lines: Iterable[str]) -> Iterator[AuditCheckpoint]:
    """The checkpoints in lines of the operator's log (plain or JSON log lines); other lines are skipped."""
    for line in lines:
        text = line.strip()
        if text.startswith("{"):
            try:  # a JSON log line: the checkpoint is in its message
                text = str(json.loads(text).get("message", ""))
            except (ValueError, AttributeError):
                continue
        start = text.find(LOG_PREFIX)
        if start < 0:
            continue
        try:
            record = json.loads(text[start + len(LOG_PREFIX) :])
            created_at = parse_datetime(record["created_at"])
            if created_at is None:
                continue
            yield AuditCheckpoint(
                sequence=int(record["sequence"]),
                created_at=created_at,
                entries=int(record["entries"]),
                heads=dict(record["heads"]),
                previous_signature=str(record["previous_signature"]),
                signature=str(record["signature"]),
            )
        except (ValueError, KeyError, TypeError):
            continue


@dataclass(frozen=True)
class AuditProblem:
    """One thing wrong with the audit trail, with the entry or checkpoint it was found at."""

    message: str
    entry_id: int | None = None
    checkpoint: int | None = None

    def __str__(self) -> str:
        return self.message


@dataclass
class AuditReport:
    """What ``audit_verify`` found."""

    entries: int = 0
    lanes: int = 0
    checkpoints: int = 0
    latest_checkpoint: AuditCheckpoint | None = None
    unanchored: int = 0  # entries newer than the latest checkpoint: only the next one will anchor them
    problems: list[AuditProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _describe(entry: AuditEntry) -> str:
    return (
        f"entry #{entry.pk} (lane {entry.lane}, position {entry.position}, {entry.action} "
        f"{entry.target_type}#{entry.target_id} at {utc_text(entry.created_at)})"
    )


def _verify_checkpoints(checkpoints: list[AuditCheckpoint], report: AuditReport) -> None:
    """Each checkpoint is signed with the key, follows the one before it, and never moves a lane back."""
    previous: AuditCheckpoint | None = None
    for checkpoint in checkpoints:
        name = f"checkpoint {checkpoint.sequence} ({utc_text(checkpoint.created_at)})"
        if not hmac.compare_digest(checkpoint.signature, sign(checkpoint)):
            report.problems.append(
                AuditProblem(
                    f"{name}: its signature does not match its content with this key: the checkpoint was changed, "
                    "or forged without the key",
                    checkpoint=checkpoint.sequence,
                )
            )
        expected_sequence = previous.sequence + 1 if previous else 1
        if checkpoint.sequence != expected_sequence:
            report.problems.append(
                AuditProblem(
                    f"{name}: checkpoints {expected_sequence} to {checkpoint.sequence - 1} are missing",
                    checkpoint=checkpoint.sequence,
                )
            )
        elif checkpoint.previous_signature != (previous.signature if previous else ""):
            report.problems.append(
                AuditProblem(f"{name}: it is not chained to the checkpoint before it", checkpoint=checkpoint.sequence)
            )
        if previous is not None:
            for lane, (position, _hash) in previous.heads.items():
                if checkpoint.heads.get(lane, [0])[0] < position:
                    report.problems.append(
                        AuditProblem(
                            f"{name}: lane {lane} went back from position {position} in the checkpoint before it",
                            checkpoint=checkpoint.sequence,
                        )
                    )
        previous = checkpoint


def _verify_published(
    published: list[AuditCheckpoint], stored: dict[int, AuditCheckpoint], report: AuditReport
) -> list[AuditCheckpoint]:
    """Compare the copies kept outside the database with the stored checkpoints; return the genuine copies."""
    genuine = []
    for copy in published:
        name = f"checkpoint {copy.sequence} ({utc_text(copy.created_at)}) in the operator's log"
        if not hmac.compare_digest(copy.signature, sign(copy)):
            report.problems.append(
                AuditProblem(f"{name}: its signature does not match this key", checkpoint=copy.sequence)
            )
            continue
        genuine.append(copy)
        in_database = stored.get(copy.sequence)
        if in_database is None:
            report.problems.append(
                AuditProblem(f"{name}: missing from the database (deleted)", checkpoint=copy.sequence)
            )
        elif in_database.signature != copy.signature:
            report.problems.append(
                AuditProblem(f"{name}: the database holds another checkpoint {copy.sequence}", checkpoint=copy.sequence)
            )
    return genuine


def audit_verify(*, published: Iterable[AuditCheckpoint] = ()) -> AuditReport:
    """Check every entry's hash and link, every checkpoint's signature, and the lanes' heads they recorded.

    ``published``: checkpoints read back from the operator's log (``read_published``). The newest stored
    checkpoint and every published one are compared with the entries: older checkpoints are covered through the
    hash chain, which links each head to every entry before it.
    """
    report = AuditReport()
    checkpoints = list(AuditCheckpoint.objects.order_by("sequence"))
    report.checkpoints = len(checkpoints)
    _verify_checkpoints(checkpoints, report)
    anchors = _verify_published(list(published), {c.sequence: c for c in checkpoints}, report)
    if checkpoints:
        report.latest_checkpoint = checkpoints[-1]
        anchors.append(checkpoints[-1])
    wanted: dict[tuple[int, int], list[tuple[AuditCheckpoint, str]]] = {}
    for anchor in anchors:
        for lane, (position, entry_hash) in anchor.heads.items():
            wanted.setdefault((int(lane), int(position)), []).append((anchor, entry_hash))
    found: dict[tuple[int, int], str] = {}
    latest = checkpoints[-1].heads if checkpoints else {}
    latest_heads = {int(lane): position for lane, (position, _hash) in latest.items()}

    lane, expected, previous_hash = None, 1, ""
    for entry in AuditEntry.objects.order_by("lane", "position").iterator(chunk_size=2000):
        if entry.lane != lane:
            report.lanes += 1
            lane, expected, previous_hash = entry.lane, 1, ""
        report.entries += 1
        if entry.position > latest_heads.get(entry.lane, 0):
            report.unanchored += 1
        if entry.position != expected:
            report.problems.append(
                AuditProblem(
                    f"{_describe(entry)}: the entries at positions {expected} to {entry.position - 1} of its lane "
                    "are missing (deleted)",
                    entry_id=entry.pk,
                )
            )
        elif entry.previous_hash != previous_hash:
            report.problems.append(
                AuditProblem(f"{_describe(entry)}: it is not chained to the entry before it", entry_id=entry.pk)
            )
        if entry.entry_hash != entry.compute_hash():
            report.problems.append(
                AuditProblem(
                    f"{_describe(entry)}: its content does not match its hash: a field was changed "
                    "(time, actor, action, target, data or place in the chain)",
                    entry_id=entry.pk,
                )
            )
        if (entry.lane, entry.position) in wanted:
            found[(entry.lane, entry.position)] = entry.entry_hash
        lane, expected, previous_hash = entry.lane, entry.position + 1, entry.entry_hash

    for (lane_number, position), recorded in wanted.items():
        for anchor, entry_hash in recorded:
            name = f"checkpoint {anchor.sequence} ({utc_text(anchor.created_at)})"
            if (lane_number, position) not in found:
                report.problems.append(
                    AuditProblem(
                        f"{name} records lane {lane_number} up to position {position}, which is missing: "
                        "the newest entries of the lane were deleted",
                        checkpoint=anchor.sequence,
                    )
                )
            elif found[(lane_number, position)] != entry_hash:
                report.problems.append(
                    AuditProblem(
                        f"{name} records lane {lane_number} position {position} with another hash: the lane was "
                        "rewritten and re-hashed up to there",
                        checkpoint=anchor.sequence,
                    )
                )
    return report
