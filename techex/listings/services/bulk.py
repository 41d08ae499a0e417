"""Many listings at once, for imports: the same validation and fields as one by one, in batches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from techex.core import events
from techex.core.operator import operator
from techex.core.services import audit_record_many
from techex.departments.scope import acting_department, can_act
from techex.departments.services import route_many
from techex.organizations.models import Organization

from .. import tasks
from ..choices import KIND_CODES, ListingStatus
from ..events import ListingsPublished
from ..models import Listing, ReferenceSequence
from ..states import target_state
from ..validation import M2M_FIELDS, SCALAR_FIELDS, normalize_data, submission_errors, validate_data
from ._common import _require_staff, build_search_text

if TYPE_CHECKING:
    from techex.accounts.models import User

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
    *, user: User, items: list[NewListing], is_demo: bool = False, publish: bool = False, notify: bool = True
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
        listing.search_text = build_search_text(listing=listing)
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
    route_many(objects=listings)  # each to the queue of its province's department
    if publish and not all(can_act(user, listing) for listing in listings):
        # A partner department publishes at once only what lands in its own queue (docs/departments.md).
        raise PermissionDenied(_("You may publish at once only listings that go to your department's queue."))
    Listing.objects.bulk_create(listings, batch_size=_BULK_BATCH)
    for name in M2M_FIELDS:
        field = cast(models.ManyToManyField, Listing._meta.get_field(name))  # M2M_FIELDS are many-to-many
        through = cast("type[models.Model]", field.remote_field.through)  # set once the model is ready
        own, other = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
        rows = [
            through(**{own: listing.pk, other: related.pk})
            for listing, relation in zip(listings, relations, strict=True)
            for related in relation[name]
        ]
        through._default_manager.bulk_create(rows, batch_size=_BULK_BATCH)
    audit_record_many(actor=user, entries=[("listing.create", x, {"kind": x.kind}) for x in listings])
    if publish:
        _bulk_submit_and_publish(listings, user=user, notify=notify)
    return listings


def _bulk_submit_and_publish(listings: list[Listing], *, user: User, notify: bool) -> None:
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
        "moderated_by_department": acting_department(user),
    }
    ids = [listing.pk for listing in listings]
    for start in range(0, len(ids), _BULK_BATCH):
        Listing.objects.filter(pk__in=ids[start : start + _BULK_BATCH]).update(**changes, updated_at=now)
    for listing in listings:
        for name, value in changes.items():
            setattr(listing, name, value)
    # The search index follows in this transaction; matching and saved searches after commit, in batches.
    events.publish(ListingsPublished(listing_ids=tuple(ids)))
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
