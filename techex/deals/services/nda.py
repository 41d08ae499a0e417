"""Non-disclosure agreements: the standard text accepted in the app by both parties, or a signed document."""

from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from techex.core.models import max_length_of
from techex.core.permissions import STAFF_ONLY, require_staff
from techex.core.services import audit_record
from techex.core.text import clean_text
from techex.core.uploads import validate_document
from techex.departments.scope import staff_scope

from .. import permissions
from ..choices import DealAction, DealAuditAction, NDAMethod, NDAStatus, Side
from ..models import NDA, Deal, NDATemplate
from ..selectors import current_nda
from ..states import DealError
from ._common import audit, everyone_but, locked, notify_sides, required_text

if TYPE_CHECKING:
    from datetime import datetime

    from django.core.files import File

    from techex.accounts.models import User

EVERYONE = (Side.OWNER, Side.INQUIRER, Side.BROKER)


def _fresh(nda: NDA) -> tuple[Deal, NDA]:
    deal = locked(nda.deal)
    return deal, NDA.objects.select_related("template").get(pk=nda.pk)


def _accept_for(nda: NDA, *, side: str, user: User, now: datetime) -> None:
    if side == Side.OWNER:
        nda.owner_accepted_by, nda.owner_accepted_at = user, now
    else:
        nda.inquirer_accepted_by, nda.inquirer_accepted_at = user, now


@transaction.atomic
def nda_request(*, user: User, deal: Deal, method: str) -> NDA:
    """Ask for an NDA. With the standard text, asking counts as the asking side's acceptance of it."""
    deal = locked(deal)
    side = permissions.require(DealAction.NDA_REQUEST, user=user, deal=deal, nda=current_nda(deal=deal))
    if method not in NDAMethod.values:
        raise ValidationError({"method": [_("Choose how the NDA is made: in the app or as a signed document.")]})
    template = NDATemplate.objects.order_by("-version").first()
    if method == NDAMethod.IN_APP and template is None:
        raise DealError(_("The exchange has not published its standard NDA text yet."), code="no_template")
    nda = NDA(deal=deal, template=template, method=method, requested_side=side, requested_by=user)
    if method == NDAMethod.IN_APP:
        _accept_for(nda, side=side, user=user, now=timezone.now())
    nda.full_clean(validate_constraints=False)
    nda.save()
    audit(
        deal,
        user=user,
        action=DealAuditAction.NDA_REQUEST,
        side=side,
        nda=nda.pk,
        method=method,
        template=template.version if template else None,
    )
    notify_sides(deal, kind="deal.nda_requested", sides=everyone_but(side), actor=user, side=side)
    return nda


def _put_in_force(deal: Deal, nda: NDA, *, user: User, side: str, now: datetime) -> None:
    nda.status = NDAStatus.IN_FORCE
    nda.in_force_at = now
    audit(deal, user=user, action=DealAuditAction.NDA_IN_FORCE, side=side, nda=nda.pk)
    notify_sides(deal, kind="deal.nda_in_force", sides=EVERYONE, actor=user, side=side)


@transaction.atomic
def nda_accept(*, user: User, nda: NDA) -> NDA:
    """Accept the standard NDA in the app for one's side; with both sides' acceptance it is in force."""
    deal, nda = _fresh(nda)
    side = permissions.require(DealAction.NDA_ACCEPT, user=user, deal=deal, nda=nda)
    now = timezone.now()
    _accept_for(nda, side=side, user=user, now=now)
    audit(deal, user=user, action=DealAuditAction.NDA_ACCEPT, side=side, nda=nda.pk)
    if nda.accepted_by_side(Side.OWNER) and nda.accepted_by_side(Side.INQUIRER):
        _put_in_force(deal, nda, user=user, side=side, now=now)
    nda.save()
    return nda


@transaction.atomic
def nda_upload_signed(*, user: User, nda: NDA, file: File | None) -> NDA:
    """Upload the NDA signed on paper (a PDF or scan); the other side, or staff, then confirms it."""
    deal, nda = _fresh(nda)
    side = permissions.require(DealAction.NDA_UPLOAD, user=user, deal=deal, nda=nda)
    if file is None:
        raise ValidationError({"file": [_("Choose the signed document to upload.")]})
    sniffed = validate_document(file)
    previous = (nda.signed_file.storage, nda.signed_file.name) if nda.signed_file.name else None
    file.seek(0)
    digest = hashlib.sha256(file.read()).hexdigest()
    file.seek(0)
    nda.signed_file_token = secrets.token_hex(16)
    nda.signed_file_extension = sniffed.extension
    nda.signed_file_type = sniffed.content_type
    nda.signed_file_size = file.size
    nda.signed_file_name = clean_text(getattr(file, "name", "") or "")[:255] or "nda"
    nda.signed_file.save(f"upload.{sniffed.extension}", file, save=False)
    nda.uploaded_by, nda.uploaded_side, nda.uploaded_at = user, side, timezone.now()
    nda.save()
    if previous:
        storage, name = previous
        transaction.on_commit(lambda: storage.delete(name))
    audit(
        deal,
        user=user,
        action=DealAuditAction.NDA_UPLOAD,
        side=side,
        nda=nda.pk,
        token=nda.signed_file_token,
        sha256=digest,
    )
    notify_sides(deal, kind="deal.nda_signed", sides=everyone_but(side), actor=user, side=side)
    return nda


@transaction.atomic
def nda_confirm_signed(*, user: User, nda: NDA) -> NDA:
    """Confirm the signed NDA the other side uploaded (staff may confirm too): it is in force."""
    deal, nda = _fresh(nda)
    side = permissions.require(DealAction.NDA_CONFIRM, user=user, deal=deal, nda=nda)
    now = timezone.now()
    nda.confirmed_by, nda.confirmed_at = user, now
    audit(deal, user=user, action=DealAuditAction.NDA_CONFIRM, side=side, nda=nda.pk)
    _put_in_force(deal, nda, user=user, side=side, now=now)
    nda.save()
    return nda


@transaction.atomic
def nda_cancel(*, user: User, nda: NDA) -> NDA:
    """Cancel an NDA request that is not in force yet (to ask again, another way)."""
    deal, nda = _fresh(nda)
    side = permissions.require(DealAction.NDA_CANCEL, user=user, deal=deal, nda=nda)
    nda.status = NDAStatus.CANCELLED
    nda.cancelled_at = timezone.now()
    nda.save(update_fields=["status", "cancelled_at"])
    audit(deal, user=user, action=DealAuditAction.NDA_CANCEL, side=side, nda=nda.pk)
    return nda


@transaction.atomic
def nda_template_update(*, user: User, title: str, body: str) -> NDATemplate:
    """Publish a new version of the standard NDA text; NDAs already made keep the version they were made with."""
    require_staff(user)
    # One text for the whole region: the lead department's staff keep it (docs/departments.md).
    if not staff_scope(user).is_lead:
        raise PermissionDenied(STAFF_ONLY)
    title = required_text(
        title,
        field="title",
        message=_("Give the NDA a title."),
        max_length=max_length_of(NDATemplate, "title"),
    )
    body = required_text(
        body,
        field="body",
        message=_("Write the text of the NDA."),
        max_length=max_length_of(NDATemplate, "body"),
    )
    version = (NDATemplate.objects.aggregate(last=Max("version"))["last"] or 0) + 1
    template = NDATemplate(version=version, title=title, body=body, created_by=user)
    template.full_clean(exclude=["version"])
    try:
        with transaction.atomic():
            template.save()
    except IntegrityError as error:
        raise ValidationError(
            _("Someone else changed the NDA text at the same moment; reload it and try again."), code="conflict"
        ) from error
    audit_record(actor=user, action=DealAuditAction.NDA_TEMPLATE, target=template, data={"version": version})
    return template
