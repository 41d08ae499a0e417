"""Writes of saved searches: keep, rename, switch alerts, delete, unsubscribe by token, and alert new listings.

Alerts (docs/alerts.md): when a listing becomes live, ``tasks.saved_searches_alert`` runs
``saved_search_alert_for_listing``, which tells the owner of every active saved search that finds the listing, once
per search and listing, through ``notify(kind="saved_search.match")``: shown in the app at once, by e-mail in the
daily digest at most. The alert carries only the listing's approved public title and the search's own name.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from techex.core.api import is_lookup_safe
from techex.core.services import audit_record
from techex.core.text import clean_text
from techex.listings.choices import IPType, ListingKind, TransferForm
from techex.listings.models import Listing
from techex.notifications.services import notify
from techex.organizations.choices import OrganizationType
from techex.organizations.models import Membership
from techex.reference.models import Province, STField

from .models import SavedSearch, SavedSearchHit
from .selectors import FILTER_NAMES, saved_search_finds, saved_search_get_by_token, saved_search_labels

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from techex.accounts.models import User

logger = logging.getLogger(__name__)

MAX_SAVED_SEARCHES = 50
# Both are CharFields, whose max_length is set.
NAME_MAX_LENGTH = cast(int, SavedSearch._meta.get_field("name").max_length)
Q_MAX_LENGTH = cast(int, SavedSearch._meta.get_field("q").max_length)

# --- checking what is kept ---------------------------------------------------------------------------------------


# A check takes a filter's value as posted (any JSON value) and returns it, or raises ValidationError.
_Check = Callable[[Any], Any]


def _choice(enum: type[models.Choices], message: str) -> _Check:
    def check(value: Any) -> Any:
        if value not in enum.values:
            raise ValidationError(message)
        return value

    return check


def _code(model: type[STField] | type[Province], message: str) -> _Check:
    def check(value: Any) -> Any:
        if not isinstance(value, str) or not is_lookup_safe(value, 8) or not model.objects.filter(code=value).exists():
            raise ValidationError(message)
        return value

    return check


def _trl(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 9:
        raise ValidationError(_("Give a TRL from 1 to 9."))
    return value


_CHECKS: dict[str, _Check] = {
    "kind": _choice(ListingKind, _("Choose an offer or a need.")),
    "field": _code(STField, _("Unknown S&T field.")),
    "province": _code(Province, _("Unknown province.")),
    "trl": _trl,
    "ip_type": _choice(IPType, _("Unknown IP type.")),
    "transfer_form": _choice(TransferForm, _("Unknown transfer form.")),
    "organization_type": _choice(OrganizationType, _("Unknown organisation type.")),
}


def clean_filters(*, filters: dict) -> dict:
    """The non-empty filters, checked as the browse page would read them; ValidationError names each bad one."""
    if not isinstance(filters, dict):
        raise ValidationError({"filters": _("Give the filters as an object.")})
    unknown = sorted(str(name) for name in filters if name not in FILTER_NAMES)
    errors: dict[str, list[str]] = {name: [_("This filter does not exist.")] for name in unknown}
    clean = {}
    for name in FILTER_NAMES:
        value = filters.get(name)
        if value in (None, ""):
            continue
        try:
            clean[name] = _CHECKS[name](value)
        except ValidationError as exc:
            errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)
    return clean


def _clean_name(name: str) -> str:
    name = clean_text(name or "")
    if len(name) > NAME_MAX_LENGTH:
        message = _("Keep the name under %(max)d characters (it has %(count)d).")
        raise ValidationError({"name": message % {"max": NAME_MAX_LENGTH, "count": len(name)}})
    return name


def _default_name(q: str, filters: dict) -> str:
    """A name from the words and the filters' labels: "máy sấy lúa · Technology offer · Cần Thơ"."""
    probe = SavedSearch(pk=0, q=q, filters=filters)
    parts = [q] if q else []
    parts += [item.label for item in saved_search_labels(saved_searches=[probe])[0]]
    name = " · ".join(parts) or _("All new listings")
    return name if len(name) <= NAME_MAX_LENGTH - 6 else name[: NAME_MAX_LENGTH - 7] + "…"


def _free_name(user: User, name: str, exclude_pk: int | None = None) -> str:
    """The name, or the name with " (2)", " (3)"… when the user already has a search called so."""
    others = SavedSearch.objects.filter(user=user)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    taken = set(others.values_list("name", flat=True))
    candidate, number = name, 2
    while candidate in taken:
        candidate = f"{name} ({number})"
        number += 1
    return candidate


# --- the owner's changes -----------------------------------------------------------------------------------------


@transaction.atomic
def saved_search_create(
    *, user: User | AnonymousUser, q: str = "", filters: dict | None = None, name: str = ""
) -> SavedSearch:
    """Keep a search (words and browse filters) for the user, with alerts on."""
    if not user.is_authenticated:
        raise ValidationError(_("Sign in to save a search."))
    q = clean_text(q or "")
    if len(q) > Q_MAX_LENGTH:
        raise ValidationError({"q": _("Keep the words under %(max)d characters.") % {"max": Q_MAX_LENGTH}})
    clean = clean_filters(filters=filters or {})
    name = _clean_name(name)
    # Locks the user's row so that two quick clicks cannot both pass the checks below.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    mine = SavedSearch.objects.filter(user=user)
    same = next((s for s in mine.filter(q=q) if s.filters == clean), None)
    if same is not None:
        raise ValidationError(
            _("You have already saved this search, as “%(name)s”.") % {"name": same.name}, code="duplicate"
        )
    if mine.count() >= MAX_SAVED_SEARCHES:
        raise ValidationError(
            _("You can keep at most %(max)d saved searches: delete one you no longer need first.")
            % {"max": MAX_SAVED_SEARCHES},
            code="limit",
        )
    if name and mine.filter(name=name).exists():
        raise ValidationError({"name": _("You already have a saved search with this name.")})
    saved = SavedSearch(user=user, q=q, filters=clean, name=name or _free_name(user, _default_name(q, clean)))
    saved.full_clean()
    saved.save()
    return saved


def _require_owner(saved_search: SavedSearch, user: User | AnonymousUser | None) -> None:
    if saved_search.user_id != getattr(user, "pk", None):
        raise ValidationError(_("This saved search is not yours."))


@transaction.atomic
def saved_search_rename(*, saved_search: SavedSearch, user: User | AnonymousUser, name: str) -> SavedSearch:
    """Give one of the user's saved searches another name."""
    _require_owner(saved_search, user)
    name = _clean_name(name)
    if not name:
        raise ValidationError({"name": _("Give the search a name.")})
    # The search's owner is the user (checked above).
    if SavedSearch.objects.filter(user_id=saved_search.user_id, name=name).exclude(pk=saved_search.pk).exists():
        raise ValidationError({"name": _("You already have a saved search with this name.")})
    saved_search.name = name
    saved_search.full_clean()
    try:
        with transaction.atomic():
            saved_search.save(update_fields=["name", "updated_at"])
    except IntegrityError as exc:  # the same name given at the same moment in another tab
        raise ValidationError({"name": _("You already have a saved search with this name.")}) from exc
    return saved_search


@transaction.atomic
def saved_search_set_alerts(
    *, saved_search: SavedSearch, user: User | AnonymousUser | None, active: bool, via: str = "settings"
) -> SavedSearch:
    """Turn a saved search's alerts on or off (its feed keeps working either way)."""
    if via == "settings":
        _require_owner(saved_search, user)
    locked = SavedSearch.objects.select_for_update().get(pk=saved_search.pk)
    if locked.is_active != active:
        locked.is_active = active
        locked.save(update_fields=["is_active", "updated_at"])
        audit_record(
            actor=user if via == "settings" else None,
            # The action keeps the name it had when saved searches lived in matching: the audit trail is append-only
            # and a search for this action must find the entries written before the move too.
            action="matching.saved_search_alerts",
            target=locked,
            data={"active": active, "via": via},
        )
    saved_search.is_active = locked.is_active
    return saved_search


@transaction.atomic
def saved_search_delete(*, saved_search: SavedSearch, user: User | AnonymousUser) -> None:
    """Delete one of the user's saved searches, with its alert history."""
    _require_owner(saved_search, user)
    saved_search.delete()


def unsubscribe_error() -> ValidationError:
    return ValidationError(
        _(
            "This link is not valid: it may have been cut or changed, or the saved search was deleted. Copy the "
            "whole link from the e-mail, or sign in and manage your saved searches."
        ),
        code="bad_token",
    )


def saved_search_for_token(*, token: str) -> SavedSearch:
    """The saved search a token opens; ValidationError (a clear message) when there is none."""
    saved = saved_search_get_by_token(token=token)
    if saved is None:
        raise unsubscribe_error()
    return saved


@transaction.atomic
def saved_search_unsubscribe(*, token: str) -> SavedSearch:
    """Stop a saved search's alerts from the link in an e-mail or on its alert page, without signing in."""
    saved = saved_search_for_token(token=token)
    return saved_search_set_alerts(saved_search=saved, user=None, active=False, via="unsubscribe")


# --- alerts ------------------------------------------------------------------------------------------------------


def _record_hit(saved: SavedSearch, listing: Listing) -> bool:
    """Remember that the listing was alerted to the search; False when it already was (another worker won)."""
    try:
        with transaction.atomic():
            SavedSearchHit.objects.create(saved_search=saved, listing=listing)
    except IntegrityError:
        return False
    return True


def _alert(saved: SavedSearch, listing: Listing) -> bool:
    with transaction.atomic():
        if not _record_hit(saved, listing):
            return False
        now = timezone.now()
        SavedSearch.objects.filter(pk=saved.pk).update(last_alerted_at=now)
        notify(
            recipients=[saved.user],
            kind="saved_search.match",
            url=saved.get_absolute_url(),
            # The approved public title of a live listing and the reader's own name for the search: nothing else.
            params={"listing": listing.title, "search": saved.name},
        )
    return True


def saved_search_alert_for_listing(*, listing: Listing) -> int:
    """Alert the saved searches that find a listing that has just become live; return how many were alerted.

    Each search is alerted once per listing, ever; the searches of the listing's own organisation's members are
    left out (nobody needs an alert about their own listing). Searches with the same words and filters are tested
    once.
    """
    live = Listing.objects.live().filter(pk=listing.pk).first()
    if live is None:
        return 0
    listing = live
    owners = Membership.objects.filter(organization_id=listing.organization_id).values("user_id")
    candidates = (
        SavedSearch.objects.filter(is_active=True, user__is_active=True)
        .exclude(user_id__in=owners)
        .exclude(hits__listing=listing)
        .select_related("user")
        .order_by("pk")
    )
    finds: dict[tuple[str, str], bool] = {}
    alerted = 0
    # A list, not an iterator: SQLite gives no isolation between a cursor being read and writes to its table.
    for saved in list(candidates):
        key = (saved.q, json.dumps(saved.filters, sort_keys=True))
        if key not in finds:
            finds[key] = saved_search_finds(saved_search=saved, listing=listing)
        if finds[key] and _alert(saved, listing):
            alerted += 1
    return alerted
