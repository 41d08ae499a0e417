"""Creating a listing and changing its content (a live listing's change waits for review)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techex.core.services import audit_record
from techex.departments.services import route
from techex.organizations.models import Organization

from ..choices import ListingStatus
from ..models import Listing
from ..states import EDITABLE_STATES, target_state
from ..validation import SCALAR_FIELDS, normalize_data, validate_data
from ._common import _apply, _current_data, _next_reference_code, _require_owner, _to_json, listing_pending_data

if TYPE_CHECKING:
    from techex.accounts.models import User

# --- creation and edits ------------------------------------------------------------------------------------------


@transaction.atomic
def listing_create(
    *,
    user: User,
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
    route(obj=listing)  # to the queue of its province's department
    audit_record(actor=user, action="listing.create", target=listing, data={"kind": kind})
    return listing


@transaction.atomic
def listing_update(*, listing: Listing, user: User, data: dict[str, Any], check_membership: bool = True) -> Listing:
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
        merged = {**_current_data(listing), **listing_pending_data(listing=listing), **data}
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
