"""Writes of listings: creation, edits, every lifecycle transition, attachments, views.

Services are the only writers. Each checks who may act, validates, records an audit entry and queues side effects
after the commit.
"""

import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from techex.core.operator import operator
from techex.core.services import audit_record, audit_record_many
from techex.core.text import clean_text, fold
from techex.core.uploads import validate_document, validate_image
from techex.organizations.models import Organization
from techex.organizations.selectors import user_is_member

from . import tasks
from .choices import KIND_CODES, AttachmentKind, ListingStatus
from .models import Listing, ListingAttachment, ListingView, ReferenceSequence
from .states import EDITABLE_STATES, target_state
from .validation import CONTENT_FIELDS, M2M_FIELDS, SCALAR_FIELDS, normalize_data, submission_errors, validate_data

# --- permissions -------------------------------------------------------------------------------------------------


def _require_owner(user, listing: Listing) -> None:
    if not user_is_member(user, listing.organization):
        raise PermissionDenied(_("Only members of the listing's organisation may do this."))


def _require_staff(user) -> None:
    if not getattr(user, "is_staff", False):
        raise PermissionDenied(_("Only the exchange's staff may do this."))


# --- reference codes and search text -----------------------------------------------------------------------------


def _next_reference_code(kind: str, year: int) -> str:
    prefix = f"{operator()['code']}-{KIND_CODES[kind]}-{year}"
    ReferenceSequence.objects.get_or_create(prefix=prefix)
    ReferenceSequence.objects.filter(prefix=prefix).update(last=F("last") + 1)
    number = ReferenceSequence.objects.values_list("last", flat=True).get(prefix=prefix)
    return f"{prefix}-{number:05d}"


def build_search_text(listing: Listing) -> str:
    """Fold the public text of a listing for search and matching (confidential documents are never included)."""
    parts = [" ".join(listing.keywords or []), *(getattr(listing, name) for name in CONTENT_FIELDS)]
    if not listing.is_anonymous:
        parts.append(listing.organization.name)
    return fold(" ".join(p for p in parts if p))


# --- pending changes (revisions of live listings) ----------------------------------------------------------------


def _to_json(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple) and value and isinstance(value[0], models.Model):
        return [item.pk for item in value]
    return value


def _from_json(name: str, value: Any) -> Any:
    field = Listing._meta.get_field(name)
    if value is None:
        return None
    if isinstance(field, models.ManyToManyField):
        return list(field.related_model.objects.filter(pk__in=value))
    if isinstance(field, models.ForeignKey):
        return field.related_model.objects.filter(pk=value).first()
    if isinstance(field, models.DateField):
        return date.fromisoformat(value)
    return value


def listing_pending_data(listing: Listing) -> dict[str, Any]:
    """Return the revision awaiting review as model values (instances for relations)."""
    return {name: _from_json(name, value) for name, value in (listing.pending_changes or {}).items()}


def _apply(listing: Listing, data: dict[str, Any]) -> None:
    """Write data to the listing's columns and relations, validating the whole."""
    for name in SCALAR_FIELDS:
        if name in data:
            setattr(listing, name, data[name])
    listing.search_text = build_search_text(listing)
    listing.full_clean()
    listing.save()
    for name in M2M_FIELDS:
        if name in data and data[name] is not None:
            getattr(listing, name).set(data[name])


def _current_data(listing: Listing) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(listing, name) for name in SCALAR_FIELDS}
    if listing.pk:
        for name in M2M_FIELDS:
            data[name] = list(getattr(listing, name).all())
    return data


# --- creation and edits ------------------------------------------------------------------------------------------


@transaction.atomic
def listing_create(
    *,
    user,
    organization: Organization,
    kind: str,
    data: dict[str, Any],
    external_ref: str | None = None,
    source: str = "",
    is_demo: bool = False,
    check_membership: bool = True,
) -> Listing:
    """Create a draft listing for an organisation the user belongs to."""
    if check_membership:
        _require_owner(user, Listing(organization=organization))
    data = normalize_data(data)
    validate_data(kind, data)
    listing = Listing(
        kind=kind,
        organization=organization,
        created_by=user if getattr(user, "is_authenticated", False) else None,
        external_ref=external_ref or None,
        source=source,
        is_demo=is_demo,
    )
    listing.reference_code = _next_reference_code(kind, timezone.localdate().year)
    _apply(listing, data)
    audit_record(actor=user, action="listing.create", target=listing, data={"kind": kind})
    return listing


@transaction.atomic
def listing_update(*, listing: Listing, user, data: dict[str, Any], check_membership: bool = True) -> Listing:
    """Change a listing's content; on a live listing the change waits for review as a revision."""
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    if check_membership:
        _require_owner(user, listing)
    if listing.status not in EDITABLE_STATES:
        raise ValidationError(
            _("A listing that is “%(state)s” cannot be edited.") % {"state": listing.get_status_display()},
            code="not_editable",
        )
    data = normalize_data(data)
    if listing.is_live:
        merged = {**_current_data(listing), **listing_pending_data(listing), **data}
        validate_data(listing.kind, merged)
        _validate_revision(listing, merged)
        listing.pending_changes = {name: _to_json(value) for name, value in merged.items()}
        if listing.status != ListingStatus.SUBMITTED:
            listing.status = target_state(listing.status, "revise")
        listing.submitted_at = timezone.now()
        listing.save(update_fields=["pending_changes", "status", "submitted_at", "updated_at"])
        audit_record(actor=user, action="listing.revise", target=listing, data={"fields": sorted(data)})
        return listing
    validate_data(listing.kind, {**_current_data(listing), **data})
    _apply(listing, data)
    audit_record(actor=user, action="listing.update", target=listing, data={"fields": sorted(data)})
    return listing


def _validate_revision(listing: Listing, merged: dict[str, Any]) -> None:
    """Run the model's own field checks on the revision without writing it."""
    probe = Listing(
        pk=listing.pk, kind=listing.kind, organization=listing.organization, reference_code=listing.reference_code
    )
    for name in SCALAR_FIELDS:
        if name in merged:
            setattr(probe, name, merged[name])
    probe.full_clean(exclude=["reference_code", "external_ref"], validate_unique=False)


# --- many at once (imports) ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewListing:
    """One listing for ``listings_bulk_create``: what ``listing_create`` takes for each."""

    organization: Organization
    kind: str
    data: dict[str, Any]
    external_ref: str | None = None
    source: str = ""


# Relations the caller resolved from the database; checking each again would cost a query per listing.
_BULK_CLEAN_EXCLUDE = ["organization", "created_by", "broker", "vsic", "province", "ward"]
_BULK_BATCH = 500


def _reserve_reference_codes(kind: str, year: int, count: int) -> list[str]:
    prefix = f"{operator()['code']}-{KIND_CODES[kind]}-{year}"
    ReferenceSequence.objects.get_or_create(prefix=prefix)
    ReferenceSequence.objects.filter(prefix=prefix).update(last=F("last") + count)
    last = ReferenceSequence.objects.values_list("last", flat=True).get(prefix=prefix)
    return [f"{prefix}-{number:05d}" for number in range(last - count + 1, last + 1)]


@transaction.atomic
def listings_bulk_create(
    *, user, items: list[NewListing], is_demo: bool = False, publish: bool = False, notify: bool = True
) -> list[Listing]:
    """Create many listings in a few queries, checked, folded and recorded as ``listing_create`` does.

    For imports, which act for staff: membership is not checked. With ``publish`` (staff only) each listing is then
    submitted and published at once, with the audit entries ``listing_submit`` and ``listing_publish`` write; with
    ``notify`` the owners get the usual "published" message. One by one through the services an import ran at ~65
    listings/s on SQLite when publishing; this runs at several hundred.
    """
    if publish:
        _require_staff(user)
    created_by = user if getattr(user, "is_authenticated", False) else None
    listings: list[Listing] = []
    relations: list[dict[str, list]] = []
    for item in items:
        data = normalize_data(item.data)
        validate_data(item.kind, data)
        listing = Listing(
            kind=item.kind,
            organization=item.organization,
            created_by=created_by,
            external_ref=item.external_ref or None,
            source=item.source,
            is_demo=is_demo,
        )
        for name in SCALAR_FIELDS:
            if name in data:
                setattr(listing, name, data[name])
        listing.search_text = build_search_text(listing)
        listings.append(listing)
        relations.append({name: list(dict.fromkeys(data.get(name) or [])) for name in M2M_FIELDS})
    year = timezone.localdate().year
    for kind in KIND_CODES:
        same_kind = [listing for listing in listings if listing.kind == kind]
        if same_kind:
            for listing, code in zip(same_kind, _reserve_reference_codes(kind, year, len(same_kind)), strict=True):
                listing.reference_code = code
    for listing in listings:
        # Uniqueness (external_ref) and the price constraint are enforced by the database and validate_data.
        listing.full_clean(exclude=_BULK_CLEAN_EXCLUDE, validate_unique=False, validate_constraints=False)
    Listing.objects.bulk_create(listings, batch_size=_BULK_BATCH)
    for name in M2M_FIELDS:
        field = Listing._meta.get_field(name)
        through = field.remote_field.through
        own, other = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
        rows = [
            through(**{own: listing.pk, other: related.pk})
            for listing, relation in zip(listings, relations, strict=True)
            for related in relation[name]
        ]
        through.objects.bulk_create(rows, batch_size=_BULK_BATCH)
    audit_record_many(actor=user, entries=[("listing.create", x, {"kind": x.kind}) for x in listings])
    if publish:
        _bulk_submit_and_publish(listings, user=user, notify=notify)
    return listings


def _bulk_submit_and_publish(listings: list[Listing], *, user, notify: bool) -> None:
    errors: dict[str, list[str]] = {}
    for listing in listings:
        for field, messages in submission_errors(listing, require_trl=False).items():
            errors.setdefault(field, []).extend(
                f"{listing.external_ref or listing.reference_code}: {m}" for m in messages
            )
    if errors:
        raise ValidationError(errors)
    submitted = target_state(ListingStatus.DRAFT, "submit")
    published = target_state(submitted, "publish")
    now = timezone.now()
    changes = {
        "status": published,
        "is_live": True,
        "submitted_at": now,
        "published_at": now,
        "valid_until": now + timedelta(days=settings.LISTING_VALIDITY_DAYS),
        "pending_changes": None,
        "review_note": "",
        "reminder_sent_at": None,
    }
    ids = [listing.pk for listing in listings]
    for start in range(0, len(ids), _BULK_BATCH):
        Listing.objects.filter(pk__in=ids[start : start + _BULK_BATCH]).update(**changes, updated_at=now)
    for listing in listings:
        for name, value in changes.items():
            setattr(listing, name, value)
    audit_record_many(
        actor=user,
        entries=[
            entry
            for listing in listings
            for entry in (
                ("listing.submit", listing, {"from": ListingStatus.DRAFT, "to": submitted}),
                ("listing.publish", listing, {"from": submitted, "to": published}),
            )
        ],
    )
    if notify:
        transaction.on_commit(lambda: [tasks.listing_status_changed.enqueue(pk, "publish") for pk in ids])


# --- lifecycle ---------------------------------------------------------------------------------------------------


def _transition(listing: Listing, *, action: str, user, data: dict | None = None, **changes: Any) -> Listing:
    old = listing.status
    listing.status = target_state(old, action)
    for name, value in changes.items():
        setattr(listing, name, value)
    listing.save()
    audit_record(
        actor=user, action=f"listing.{action}", target=listing, data={"from": old, "to": listing.status, **(data or {})}
    )
    transaction.on_commit(lambda: tasks.listing_status_changed.enqueue(listing.pk, action))
    return listing


def _locked(listing: Listing) -> Listing:
    return Listing.objects.select_for_update().select_related("organization").get(pk=listing.pk)


@transaction.atomic
def listing_submit(*, listing: Listing, user, check_membership: bool = True) -> Listing:
    """Send a draft (or a listing sent back for changes) to staff review."""
    listing = _locked(listing)
    if check_membership:
        _require_owner(user, listing)
    target_state(listing.status, "submit")
    if not listing.is_live:
        errors = submission_errors(listing)
        if errors:
            raise ValidationError(errors)
    return _transition(listing, action="submit", user=user, submitted_at=timezone.now())


@transaction.atomic
def listing_publish(*, listing: Listing, user) -> Listing:
    """Approve a submitted listing or revision: it (or its new version) becomes public."""
    _require_staff(user)
    listing = _locked(listing)
    target_state(listing.status, "publish")
    now = timezone.now()
    if listing.pending_changes:
        _apply(listing, listing_pending_data(listing))
    changes: dict[str, Any] = {"is_live": True, "pending_changes": None, "review_note": ""}
    if listing.published_at is None:
        changes["published_at"] = now
    if listing.valid_until is None or listing.valid_until <= now:
        changes["valid_until"] = now + timedelta(days=settings.LISTING_VALIDITY_DAYS)
        changes["reminder_sent_at"] = None
    listing = _transition(listing, action="publish", user=user, **changes)
    listing.attachments.filter(is_approved=False).update(is_approved=True)
    return listing


@transaction.atomic
def listing_request_changes(*, listing: Listing, user, note: str) -> Listing:
    """Send a submitted listing back to its owner with a note saying what to change."""
    _require_staff(user)
    note = _required_reason(note, _("Say what the owner should change."), field="note")
    listing = _locked(listing)
    return _transition(listing, action="request_changes", user=user, data={"note": note}, review_note=note)


@transaction.atomic
def listing_reject(*, listing: Listing, user, reason: str) -> Listing:
    """Refuse a submitted listing; for a live listing only the revision is refused."""
    _require_staff(user)
    reason = _required_reason(reason, _("Give the reason for the rejection."))
    listing = _locked(listing)
    if listing.is_live:
        return _transition(
            listing,
            action="reject_revision",
            user=user,
            data={"reason": reason},
            review_note=reason,
            pending_changes=None,
        )
    return _transition(listing, action="reject", user=user, data={"reason": reason}, review_note=reason)


@transaction.atomic
def listing_withdraw(*, listing: Listing, user) -> Listing:
    """Take a listing off the exchange at the owner's wish."""
    listing = _locked(listing)
    _require_owner(user, listing)
    return _transition(listing, action="withdraw", user=user, is_live=False, pending_changes=None)


@transaction.atomic
def listing_archive(*, listing: Listing, user) -> Listing:
    """Put a finished listing away (owner or staff)."""
    listing = _locked(listing)
    if not getattr(user, "is_staff", False):
        _require_owner(user, listing)
    return _transition(listing, action="archive", user=user, is_live=False)


@transaction.atomic
def listing_reopen(*, listing: Listing, user) -> Listing:
    """Turn a withdrawn or rejected listing back into a draft the owner can change and submit again."""
    listing = _locked(listing)
    _require_owner(user, listing)
    return _transition(listing, action="reopen", user=user, review_note="")


@transaction.atomic
def listing_renew(*, listing: Listing, user) -> Listing:
    """Confirm a published or expired listing is still valid for another validity period."""
    listing = _locked(listing)
    _require_owner(user, listing)
    now = timezone.now()
    return _transition(
        listing,
        action="renew",
        user=user,
        is_live=True,
        renewed_at=now,
        reminder_sent_at=None,
        valid_until=now + timedelta(days=settings.LISTING_VALIDITY_DAYS),
    )


@transaction.atomic
def listing_revise(*, listing: Listing, user) -> Listing:
    """Send a live listing back to review so staff can approve files added since it was published.

    Files added to a live listing wait unapproved (``attachment_add``); without a text edit nothing would put them
    in front of staff, so the owner sends them explicitly.
    """
    listing = _locked(listing)
    _require_owner(user, listing)
    target_state(listing.status, "revise")
    if not listing.attachments.filter(is_approved=False).exists():
        raise ValidationError(_("There are no new files to review."), code="nothing_to_review")
    return _transition(listing, action="revise", user=user, submitted_at=timezone.now())


@transaction.atomic
def listing_expire(*, listing: Listing) -> Listing:
    """Take a listing whose validity has run out off the public pages."""
    listing = _locked(listing)
    if not listing.valid_until or listing.valid_until > timezone.now():
        raise ValidationError(_("This listing is still valid."), code="still_valid")
    return _transition(listing, action="expire", user=None, is_live=False)


def listings_expire_due(*, now=None) -> int:
    """Expire every live listing past its validity; return how many."""
    now = now or timezone.now()
    ids = list(Listing.objects.live().filter(valid_until__lte=now).values_list("pk", flat=True))
    for pk in ids:
        listing_expire(listing=Listing(pk=pk))
    return len(ids)


def listings_send_expiry_reminders(*, now=None) -> int:
    """Queue one reminder per listing whose validity ends within the reminder window; return how many."""
    now = now or timezone.now()
    due = Listing.objects.live().filter(
        valid_until__gt=now,
        valid_until__lte=now + timedelta(days=settings.LISTING_REMINDER_DAYS),
        reminder_sent_at__isnull=True,
    )
    count = 0
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            if Listing.objects.filter(pk=pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now):
                transaction.on_commit(lambda pk=pk: tasks.listing_expiry_reminder.enqueue(pk))
                count += 1
    return count


def _required_reason(value: str, message: str, *, field: str = "reason") -> str:
    value = clean_text(value or "")
    if not value:
        raise ValidationError({field: [message]})
    if len(value) > 2000:
        raise ValidationError({field: [_("Keep it under 2,000 characters.")]})
    return value


# --- attachments -------------------------------------------------------------------------------------------------


@transaction.atomic
def attachment_add(
    *,
    listing: Listing,
    user,
    file,
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
def attachment_delete(*, attachment: ListingAttachment, user) -> None:
    _require_owner(user, attachment.listing)
    listing, token = attachment.listing, attachment.token
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
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
