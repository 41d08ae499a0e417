"""A listing's files and its view count."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import F

from techex.core import events
from techex.core.services import audit_record
from techex.core.text import clean_text
from techex.core.uploads import validate_document, validate_image

from ..choices import AttachmentKind
from ..events import LiveListingFilesChanged
from ..models import Listing, ListingAttachment, ListingView
from ._common import _require_owner

if TYPE_CHECKING:
    from django.core.files import File

    from techex.accounts.models import User

# --- attachments -------------------------------------------------------------------------------------------------


@transaction.atomic
def attachment_add(
    *,
    listing: Listing,
    user: User,
    file: File,
    kind: str,
    is_confidential: bool = False,
    caption: str = "",
    check_membership: bool = True,
) -> ListingAttachment:
    """Attach an image or document after checking its content; on a live listing it waits for review."""
    if check_membership:
        _require_owner(user, listing)
    sniffed = validate_image(file) if kind == AttachmentKind.IMAGE else validate_document(file)
    original = clean_text(getattr(file, "name", "") or "file")[:255]
    attachment = ListingAttachment(
        listing=listing,
        kind=kind,
        token=secrets.token_hex(16),
        extension=sniffed.extension,
        original_name=original,
        content_type=sniffed.content_type,
        size=file.size,
        caption=clean_text(caption)[:255],
        is_confidential=is_confidential,
        is_approved=not listing.is_live,
        position=listing.attachments.count(),
    )
    attachment.file.save(f"upload.{sniffed.extension}", file, save=False)
    attachment.full_clean()
    attachment.save()
    audit_record(actor=user, action="listing.attachment_add", target=listing, data={"token": attachment.token})
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: ListingAttachment, user: User) -> None:
    _require_owner(user, attachment.listing)
    listing, token = attachment.listing, attachment.token
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    if listing.is_live:
        events.publish(LiveListingFilesChanged(listing_id=listing.pk))
    if name:
        transaction.on_commit(lambda: storage.delete(name))
    audit_record(actor=user, action="listing.attachment_delete", target=listing, data={"token": token})


# --- numbers -----------------------------------------------------------------------------------------------------


def listing_record_view(*, listing: Listing, session_key: str | None) -> None:
    """Count one view per session."""
    if not session_key:
        return
    try:
        with transaction.atomic():
            ListingView.objects.create(listing=listing, session_key=session_key)
    except IntegrityError:
        return
    Listing.objects.filter(pk=listing.pk).update(view_count=F("view_count") + 1)
