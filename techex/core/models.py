"""Base models and the audit trail."""

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Listings and deals are addressed by a reference code (CT-TO-2026-00042): the model fields, the lookups and the
# API's path parameter (core.api.reference_code_parameter) read this one length.
REFERENCE_CODE_MAX_LENGTH = 24


def model_field(model: type[models.Model], name: str) -> models.Field:
    """The model's own field called ``name`` (not a reverse relation): its limits are read from here, once."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is a reverse relation, not a field")
    return field


def max_length_of(model: type[models.Model], name: str) -> int:
    """The model field's ``max_length``: the one limit forms, serializers and services read."""
    limit = model_field(model, name).max_length
    if limit is None:
        raise TypeError(f"{model.__name__}.{name} has no max_length")
    return limit


class TimeStampedModel(models.Model):
    """Abstract base with creation and modification times."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class StoredFile(models.Model):
    """Abstract base of a checked upload kept on the storage: the token its URL and path use, and what the upload
    checks (``core.uploads``) found. The concrete model declares ``file`` with its own ``upload_to``."""

    token = models.CharField(max_length=32, unique=True, editable=False)
    extension = models.CharField(max_length=8, editable=False)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100, editable=False)
    size = models.PositiveBigIntegerField(editable=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Audit entries cannot be changed.")

    def delete(self):
        raise PermissionError("Audit entries cannot be deleted.")


class AppendOnly(models.Model):
    """Abstract base of the audit trail's tables: rows are inserted, never changed or deleted through the ORM."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk:
            raise PermissionError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit entries cannot be deleted.")


def canonical_json(value: Any) -> bytes:
    """The one serialisation that audit hashes and signatures are computed over (sorted keys, UTF-8)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def utc_text(moment: datetime) -> str:
    """A time as it is hashed: UTC, ISO 8601, to the microsecond the database keeps."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


class AuditEntry(AppendOnly):
    """Record one state change; each entry is chained by hash to the one before it in its lane (docs/audit.md).

    Writers append to one of ``core.audit.LANES`` lanes, each its own hash chain, so concurrent writers never wait
    for each other; signed checkpoints (``AuditCheckpoint``) anchor the heads of every lane.
    """

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=64)
    target_type = models.CharField(_("target type"), max_length=64)
    target_id = models.CharField(_("target id"), max_length=64)
    data = models.JSONField(_("data"), default=dict, blank=True)
    lane = models.PositiveSmallIntegerField(default=0, editable=False)
    position = models.PositiveBigIntegerField(editable=False)
    previous_hash = models.CharField(max_length=64, blank=True)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        constraints = [
            # The lane's lock serialises its writers; this makes the database refuse a fork even if it did not.
            models.UniqueConstraint(fields=["lane", "position"], name="core_auditentry_one_entry_per_position"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"

    def compute_hash(self) -> str:
        """SHA-256 of every field but the database's id: time, actor, action, target, data, place in the chain."""
        payload = [
            self.lane,
            self.position,
            self.previous_hash,
            utc_text(self.created_at),
            self.actor_id,
            self.action,
            self.target_type,
            self.target_id,
            self.data,
        ]
        return hashlib.sha256(canonical_json(payload)).hexdigest()


class AuditCheckpoint(AppendOnly):
    """A signed record of the head of every lane of the audit trail at one moment (docs/audit.md).

    ``heads`` maps each lane to ``[position, entry_hash]`` of its newest entry; ``signature`` is an HMAC-SHA256,
    with the key from the environment, of everything else including the previous checkpoint's signature. Without
    the key nobody can rewrite the chain and sign new checkpoints to match; a copy of each checkpoint is written to
    the operator's log so that deleting the newest checkpoints can be found too.
    """

    sequence = models.PositiveBigIntegerField(_("number"), unique=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    entries = models.PositiveBigIntegerField(_("entries"))
    heads = models.JSONField(_("lane heads"), default=dict)
    previous_signature = models.CharField(_("previous signature"), max_length=64, blank=True)
    signature = models.CharField(_("signature"), max_length=64)

    class Meta:
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")
        ordering = ["-sequence"]

    def __str__(self) -> str:
        return f"checkpoint {self.sequence} {self.created_at:%Y-%m-%d %H:%M} ({self.entries} entries)"

    def payload(self) -> bytes:
        """What the signature covers."""
        return canonical_json(
            [self.sequence, utc_text(self.created_at), self.entries, self.heads, self.previous_signature]
        )
