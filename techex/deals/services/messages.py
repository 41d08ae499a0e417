"""The deal's private thread: messages with files, checked as listing files are."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from techex.core.text import clean_text
from techex.core.uploads import validate_document

from .. import permissions
from ..choices import DealAction, DealAuditAction
from ..models import TEXT_MAX, Deal, DealAttachment, DealMessage
from ._common import audit, everyone_but, locked, notify_sides, required_text

if TYPE_CHECKING:
    from techex.accounts.models import User

MAX_FILES_PER_MESSAGE = 5


@transaction.atomic
def deal_message_post(*, user: User, deal: Deal, body: str, files: Sequence = ()) -> DealMessage:
    """Post a message, with up to five documents or images, to the deal's thread.

    A message is never edited; the audit trail keeps a digest of its text and files, so a change in the database
    would show.
    """
    deal = locked(deal)
    side = permissions.require(DealAction.MESSAGE, user=user, deal=deal)
    body = required_text(body, field="body", message=_("Write a message."), max_length=TEXT_MAX)
    files = list(files or ())
    if len(files) > MAX_FILES_PER_MESSAGE:
        raise ValidationError(
            {"files": [_("Attach at most %(count)s files to a message.") % {"count": MAX_FILES_PER_MESSAGE}]}
        )
    checked = []
    for file in files:
        try:
            checked.append((file, validate_document(file)))
        except ValidationError as error:
            name = clean_text(getattr(file, "name", "") or "")[:80]
            raise ValidationError(
                {"files": [f"{name}: {text}" if name else text for text in error.messages]}
            ) from error
    message = DealMessage(deal=deal, author=user, side=side, body=body)
    message.full_clean()
    message.save()
    digests = []
    for file, sniffed in checked:
        attachment = DealAttachment(
            deal=deal,
            message=message,
            token=secrets.token_hex(16),
            extension=sniffed.extension,
            original_name=clean_text(getattr(file, "name", "") or "file")[:255] or "file",
            content_type=sniffed.content_type,
            size=file.size,
        )
        file.seek(0)
        digest = hashlib.sha256(file.read()).hexdigest()
        file.seek(0)
        attachment.file.save(f"upload.{sniffed.extension}", file, save=False)
        attachment.full_clean()
        attachment.save()
        digests.append({"token": attachment.token, "sha256": digest})
    audit(
        deal,
        user=user,
        action=DealAuditAction.MESSAGE,
        side=side,
        message=message.pk,
        sha256=hashlib.sha256(body.encode()).hexdigest(),
        files=digests,
    )
    notify_sides(deal, kind="deal.message", sides=everyone_but(side), actor=user, side=side)
    return message
