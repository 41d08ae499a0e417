"""Every lifecycle transition of a listing: one service per row of ``states.TRANSITIONS``."""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techex.core import events
from techex.core.services import audit_record
from techex.core.text import clean_text
from techex.departments.scope import acting_department, can_act

from .. import tasks
from ..events import ListingChanged, ListingPublished
from ..models import Listing
from ..states import target_state
from ..validation import submission_errors
from ._common import _apply, _require_owner, _require_staff_for, listing_pending_data

if TYPE_CHECKING:
    from datetime import datetime

    from techex.accounts.models import User

# --- lifecycle ---------------------------------------------------------------------------------------------------


def _transition(
    listing: Listing, *, action: str, user: User | None, data: dict | None = None, **changes: Any
) -> Listing:
    old, was_live = listing.status, listing.is_live
    listing.status = target_state(old, action)
    for name, value in changes.items():
        setattr(listing, name, value)
    listing.save()
    # The search index follows in this transaction, matching after commit (docs/architecture.md).
    events.publish(ListingChanged(listing_id=listing.pk, action=action, was_live=was_live, is_live=listing.is_live))
    audit_record(
        actor=user, action=f"listing.{action}", target=listing, data={"from": old, "to": listing.status, **(data or {})}
    )
    transaction.on_commit(lambda: tasks.listing_status_changed.enqueue(listing.pk, action))
    if listing.is_live and action in {"publish", "renew"}:
        events.publish(ListingPublished(listing_id=listing.pk, action=action))
    return listing


def _locked(listing: Listing) -> Listing:
    return Listing.objects.select_for_update().select_related("organization").get(pk=listing.pk)


@transaction.atomic
def listing_submit(*, listing: Listing, user: User, check_membership: bool = True) -> Listing:
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
def listing_publish(*, listing: Listing, user: User) -> Listing:
    """Approve a submitted listing or revision: it (or its new version) becomes public."""
    _require_staff_for(user, listing)
    listing = _locked(listing)
    target_state(listing.status, "publish")
    now = timezone.now()
    if listing.pending_changes:
        _apply(listing, listing_pending_data(listing=listing))
    changes: dict[str, Any] = {
        "is_live": True,
        "pending_changes": None,
        "review_note": "",
        # Its public page names the department that acted (a revision's publisher takes over: docs/departments.md).
        "moderated_by_department": acting_department(user),
    }
    if listing.published_at is None:
        changes["published_at"] = now
    if listing.valid_until is None or listing.valid_until <= now:
        changes["valid_until"] = now + timedelta(days=settings.LISTING_VALIDITY_DAYS)
        changes["reminder_sent_at"] = None
    listing = _transition(listing, action="publish", user=user, **changes)
    listing.attachments.filter(is_approved=False).update(is_approved=True)
    return listing


@transaction.atomic
def listing_request_changes(*, listing: Listing, user: User, note: str) -> Listing:
    """Send a submitted listing back to its owner with a note saying what to change."""
    _require_staff_for(user, listing)
    note = _required_reason(note, _("Say what the owner should change."), field="note")
    listing = _locked(listing)
    return _transition(listing, action="request_changes", user=user, data={"note": note}, review_note=note)


@transaction.atomic
def listing_reject(*, listing: Listing, user: User, reason: str) -> Listing:
    """Refuse a submitted listing; for a live listing only the revision is refused."""
    _require_staff_for(user, listing)
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
def listing_withdraw(*, listing: Listing, user: User) -> Listing:
    """Take a listing off the exchange at the owner's wish."""
    listing = _locked(listing)
    _require_owner(user, listing)
    return _transition(listing, action="withdraw", user=user, is_live=False, pending_changes=None)


@transaction.atomic
def listing_archive(*, listing: Listing, user: User) -> Listing:
    """Put a finished listing away (owner or staff)."""
    listing = _locked(listing)
    if not can_act(user, listing):  # staff of the listing's department, else its owners
        _require_owner(user, listing)
    return _transition(listing, action="archive", user=user, is_live=False)


@transaction.atomic
def listing_reopen(*, listing: Listing, user: User) -> Listing:
    """Turn a withdrawn or rejected listing back into a draft the owner can change and submit again."""
    listing = _locked(listing)
    _require_owner(user, listing)
    return _transition(listing, action="reopen", user=user, review_note="")


@transaction.atomic
def listing_renew(*, listing: Listing, user: User) -> Listing:
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
def listing_revise(*, listing: Listing, user: User) -> Listing:
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


def listings_expire_due(*, now: datetime | None = None) -> int:
    """Expire every live listing past its validity; return how many."""
    now = now or timezone.now()
    ids = list(Listing.objects.live().filter(valid_until__lte=now).values_list("pk", flat=True))
    for pk in ids:
        listing_expire(listing=Listing(pk=pk))
    return len(ids)


def listings_send_expiry_reminders(*, now: datetime | None = None) -> int:
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
                transaction.on_commit(partial(tasks.listing_expiry_reminder.enqueue, pk))
                count += 1
    return count


def _required_reason(value: str, message: str, *, field: str = "reason") -> str:
    value = clean_text(value or "")
    if not value:
        raise ValidationError({field: [message]})
    if len(value) > 2000:
        raise ValidationError({field: [_("Keep it under 2,000 characters.")]})
    return value
