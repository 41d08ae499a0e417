"""Reads of listings: the only place that knows who may see what."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from django.db.models import Field, Prefetch, QuerySet
from django.http import Http404

from techex.core.permissions import is_staff as _is_staff
from techex.departments.models import Department
from techex.departments.scope import can_act, in_scope, staff_scope
from techex.departments.selectors import in_queue
from techex.organizations.selectors import user_organization_ids

from . import engine, file_access
from .filtersets import ListingFilterSet
from .models import Listing, ListingAttachment

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django_stubs_ext import StrOrPromise  # a development requirement: types only

    from techex.accounts.models import User

    from .models import ImportJob


def _with_relations(qs: QuerySet[Listing]) -> QuerySet[Listing]:
    return qs.select_related("organization", "province", "broker").prefetch_related(
        "fields",
        Prefetch(
            "attachments",
            queryset=ListingAttachment.objects.filter(kind="image", is_confidential=False, is_approved=True),
            to_attr="public_images",
        ),
    )


def listing_list_public(*, filters: ListingFilterSet | None = None) -> QuerySet[Listing]:
    """Live listings, newest first, with what a list page shows; words are looked up in the search index."""
    qs: QuerySet[Listing] = Listing.objects.live()
    if filters:
        qs = filters.apply(qs, without=("q",))
        if filters.words:
            qs = engine.filter_by_words(qs=qs, q=filters.words)
    return _with_relations(qs).order_by("-published_at", "-id")


def listing_list_for_owner(*, user: User | AnonymousUser, filters: ListingFilterSet | None = None) -> QuerySet[Listing]:
    """Every listing of the user's organisations, filtered, most recently changed first."""
    qs: QuerySet[Listing] = Listing.objects.filter(organization_id__in=user_organization_ids(user=user))
    if filters:
        qs = filters.apply(qs)
    return _with_relations(qs).order_by("-updated_at")


def listing_list_review_queue(
    *,
    user: User | AnonymousUser | None = None,
    department: Department | None = None,
    filters: ListingFilterSet | None = None,
) -> QuerySet[Listing]:
    """Submitted listings and revisions, oldest first, filtered; with ``user``, those in the user's staff scope
    (docs/departments.md), and with ``department``, those in its queue."""
    qs: QuerySet[Listing] = Listing.objects.filter(status="submitted")
    if user is not None:
        qs = in_scope(qs, user)
    if department is not None:
        qs = in_queue(queryset=qs, department=department)
    if filters:
        qs = filters.apply(qs)
    return _with_relations(qs).select_related("department").order_by("submitted_at", "id")


def user_can_manage(*, user: User | AnonymousUser, listing: Listing) -> bool:
    return listing.organization_id in user_organization_ids(user=user)


def user_sees_identity(*, user: User | AnonymousUser, listing: Listing) -> bool:
    """Whether the user may see who is behind an anonymous listing (the rule: ``models.identity_rule``)."""
    return listing.is_identity_visible_to(user)


def listing_visible_to(*, user: User | AnonymousUser, listing: Listing) -> bool:
    """Whether the user may open a listing already loaded (the rule: ``models.open_rule``)."""
    return listing.is_visible_to(user)


def listing_get_for_user(*, user: User | AnonymousUser, reference_code: str) -> Listing:
    """Return a listing the user may see; missing and forbidden are the same 404."""
    listings = _with_relations(Listing.objects.visible_to(user).select_related("moderated_by_department"))
    listing = listings.filter(reference_code=reference_code).first()
    if listing is None:
        raise Http404
    return listing


def listing_get_for_owner(*, user: User | AnonymousUser, reference_code: str) -> Listing:
    """Return a listing the user may change; anything else is a 404."""
    listing = Listing.objects.select_related("organization").filter(reference_code=reference_code).first()
    if listing is None or not user_can_manage(user=user, listing=listing):
        raise Http404
    return listing


def listing_get_for_staff(*, user: User | AnonymousUser, reference_code: str) -> Listing:
    listings = _with_relations(Listing.objects.select_related("department", "moderated_by_department"))
    listing = listings.filter(reference_code=reference_code).first()
    if listing is None or not can_act(user, listing):  # staff of the listing's department only
        raise Http404
    return listing


def confidential_visible_to(*, user: User | AnonymousUser, listing: Listing) -> bool:
    """Whether the user may see the listing's confidential part: its owners, the staff of its department (every
    listing for lead staff; outside it a partner's staff are members), and those a rule registered from above
    grants it (``file_access``: an NDA in force on the inquirer's deal, even after the listing expires, so a
    negotiation keeps its documents, docs/deals.md). Confidential files and valuation records follow this rule."""
    return can_act(user, listing) or user_can_manage(user=user, listing=listing) or _nda_in_force(user, listing)


def attachments_visible(*, user: User | AnonymousUser, listing: Listing) -> QuerySet[ListingAttachment]:
    """The attachments of a listing the user may open."""
    qs = listing.attachments.all()
    if can_act(user, listing) or user_can_manage(user=user, listing=listing):
        return qs  # the listing's managers also see files not approved yet
    if confidential_visible_to(user=user, listing=listing):
        return qs.filter(is_approved=True)
    if not listing.is_live:
        return qs.none()
    return qs.filter(is_approved=True, is_confidential=False)


def _nda_in_force(user: User | AnonymousUser, listing: Listing) -> bool:
    return file_access.confidential_files_open_to(user, listing)  # deals registers the NDA rule


def attachment_get_for_user(*, user: User | AnonymousUser, token: str) -> ListingAttachment:
    attachment = ListingAttachment.objects.select_related("listing").filter(token=token).first()
    if (
        attachment is None
        or not attachments_visible(user=user, listing=attachment.listing).filter(pk=attachment.pk).exists()
    ):
        raise Http404
    return attachment


# --- listing pages: the version shown, its files, a revision's changes ----------------------------------------


def listing_for_display(*, listing: Listing, pending: bool = False) -> Listing:
    """Return the listing as a page shows it, with its relations as lists.

    With ``pending`` and a revision awaiting review, the result is an unsaved copy carrying the revision, so a
    preview can show it while the stored (approved) version stays what the public sees. The result has
    ``field_list``, ``partner_province_list`` and ``trl_info`` (the reference TRL row, or None).
    """
    import copy

    from techex.reference.models import TRL

    from .services import listing_pending_data

    shown = listing
    fields = list(listing.fields.all())
    partner_provinces = list(listing.partner_provinces.all())
    if pending and listing.pending_changes:
        shown = copy.copy(listing)
        for name, value in listing_pending_data(listing=listing).items():
            if name == "fields":
                fields = value or []
            elif name == "partner_provinces":
                partner_provinces = value or []
            else:
                setattr(shown, name, value)
    shown.field_list = fields
    shown.partner_province_list = partner_provinces
    level = shown.trl or shown.min_trl
    shown.trl_info = TRL.objects.filter(level=level).first() if level else None
    return shown


def listing_attachments_for_page(
    *, user: User | AnonymousUser, listing: Listing, as_public: bool = False
) -> dict[str, list]:
    """Split a listing's files into images to show and documents to list, each with ``can_open``.

    Visitors see the approved files of a live listing; a confidential one is listed (it is what an NDA unlocks)
    without a link. The owners and staff see and open everything, unapproved files included. ``as_public`` shows an
    owner's preview as the public will see it once the files are approved.
    """
    manager = not as_public and (_is_staff(user) or user_can_manage(user=user, listing=listing))
    if manager or as_public:
        rows = list(listing.attachments.all())
    elif listing.is_live:
        rows = list(listing.attachments.filter(is_approved=True))
    else:
        rows = []
    under_nda = (
        not manager and not as_public and any(row.is_confidential for row in rows) and _nda_in_force(user, listing)
    )
    images, documents = [], []
    for row in rows:
        row.can_open = manager or under_nda or not row.is_confidential
        if row.kind == "image" and row.can_open:
            images.append(row)
        else:
            documents.append(row)
    return {"images": images, "documents": documents}


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: StrOrPromise
    current: object
    proposed: object


def _comparable(value: object) -> object:
    from django.db import models

    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return sorted(str(item.pk if isinstance(item, models.Model) else item) for item in value) or None
    if value == "":
        return None
    return value


def listing_revision_changes(*, listing: Listing) -> list[FieldChange]:
    """The fields a revision awaiting review changes, with the approved and the proposed value."""
    from django.utils.text import capfirst

    from .services import listing_pending_data
    from .validation import EDITABLE_FIELDS, M2M_FIELDS

    if not listing.pending_changes:
        return []
    proposed = listing_pending_data(listing=listing)
    changes: list[FieldChange] = []
    for name in EDITABLE_FIELDS:
        if name not in proposed:
            continue
        current = list(getattr(listing, name).all()) if name in M2M_FIELDS else getattr(listing, name)
        if _comparable(current) != _comparable(proposed[name]):
            label = capfirst(cast(Field, Listing._meta.get_field(name)).verbose_name)  # an editable field
            changes.append(FieldChange(name=name, label=label, current=current, proposed=proposed[name]))
    return changes


# Who may take which lifecycle action; the services check the same rules when the action is taken.
OWNER_ACTIONS = ("submit", "withdraw", "archive", "reopen", "renew")
STAFF_ACTIONS = ("publish", "request_changes", "reject", "archive")


def listing_actions_for_user(*, user: User | AnonymousUser, listing: Listing) -> list[str]:
    """The lifecycle actions (``states.TRANSITIONS`` names) the user may take on the listing now, plus ``update``."""
    from .states import EDITABLE_STATES, allowed_actions

    possible = set(allowed_actions(listing.status))
    # On a live listing "reject" refuses only the revision, which its own transition allows.
    if listing.is_live:
        possible.discard("reject")
        if "reject_revision" in possible:
            possible.add("reject")
    actions: list[str] = []
    if user_can_manage(user=user, listing=listing):
        if listing.status in EDITABLE_STATES:
            actions.append("update")
        actions += [name for name in OWNER_ACTIONS if name in possible]
    if can_act(user, listing):  # staff, in the listing's department's scope
        actions += [name for name in STAFF_ACTIONS if name in possible and name not in actions]
    return actions


# --- imports (staff) ---------------------------------------------------------------------------------------------


def import_job_list_recent(*, user: User | AnonymousUser, limit: int = 20) -> QuerySet[ImportJob]:
    """The latest listing imports, for staff."""
    from .models import ImportJob

    if not _is_staff(user):
        return ImportJob.objects.none()
    jobs = ImportJob.objects.select_related("created_by")
    if not staff_scope(user).is_lead:  # a partner department's staff see their own imports
        jobs = jobs.filter(created_by_id=user.pk)
    return jobs.order_by("-created_at", "-id")[:limit]


def import_job_get_for_staff(*, user: User | AnonymousUser, pk: int) -> ImportJob:
    """Return an import for staff; anyone else gets the same 404 as for a missing one."""
    from .models import ImportJob

    job = ImportJob.objects.select_related("created_by").filter(pk=pk).first()
    if job is None or not _is_staff(user) or not (staff_scope(user).is_lead or job.created_by_id == user.pk):
        raise Http404
    return job
