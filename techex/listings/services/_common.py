"""What the listing services share: permissions, reference codes, search text, revisions."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import F
from django.utils.translation import gettext as _

from techex.core.operator import operator
from techex.core.permissions import require_staff as _require_staff  # noqa: F401 (the staff gate lifecycle and bulk use)
from techex.core.text import fold
from techex.departments.scope import require_can_act
from techex.organizations.selectors import user_is_member

from ..choices import KIND_CODES
from ..models import PROSE_FIELDS, Listing, ReferenceSequence
from ..validation import M2M_FIELDS, SCALAR_FIELDS

if TYPE_CHECKING:
    from techex.accounts.models import User

# --- permissions -------------------------------------------------------------------------------------------------


def _require_owner(user: User, listing: Listing) -> None:
    if not user_is_member(user=user, organization=listing.organization):
        raise PermissionDenied(_("Only members of the listing's organisation may do this."))


def _require_staff_for(user: User, listing: Listing) -> None:
    """Staff, and in the listing's department's scope (docs/departments.md): 404 otherwise, as the pages answer."""
    _require_staff(user)
    require_can_act(user, listing)


# --- reference codes and search text -----------------------------------------------------------------------------


def _next_reference_code(kind: str, year: int) -> str:
    prefix = f"{operator()['code']}-{KIND_CODES[kind]}-{year}"
    ReferenceSequence.objects.get_or_create(prefix=prefix)
    ReferenceSequence.objects.filter(prefix=prefix).update(last=F("last") + 1)
    number = ReferenceSequence.objects.values_list("last", flat=True).get(prefix=prefix)
    return f"{prefix}-{number:05d}"


def build_search_text(*, listing: Listing) -> str:
    """Fold the public text of a listing for search and matching (confidential documents are never included)."""
    parts = [" ".join(listing.keywords or []), *(getattr(listing, name) for name in PROSE_FIELDS)]
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
        return list(field.related_model._default_manager.filter(pk__in=value))
    if isinstance(field, models.ForeignKey):
        return field.related_model._default_manager.filter(pk=value).first()
    if isinstance(field, models.DateField):
        return date.fromisoformat(value)
    return value


def listing_pending_data(*, listing: Listing) -> dict[str, Any]:
    """Return the revision awaiting review as model values (instances for relations)."""
    return {name: _from_json(name, value) for name, value in (listing.pending_changes or {}).items()}


def _apply(listing: Listing, data: dict[str, Any]) -> None:
    """Write data to the listing's columns and relations, validating the whole."""
    for name in SCALAR_FIELDS:
        if name in data:
            setattr(listing, name, data[name])
    listing.search_text = build_search_text(listing=listing)
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
