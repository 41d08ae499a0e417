"""Writes of the expert directory: staff create and edit experts; the expert (or staff) records consent, hides,
shows or removes the profile. Every function is keyword-only, atomic and audited; each save re-analyses the
expert's text for search (``experts.build_document``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from techex.core.permissions import require_staff
from techex.core.services import audit_record
from techex.departments.scope import can_act
from techex.departments.services import route

from .expert_models import EXPERT_POLICY_VERSION, Expert
from .experts import build_document, can_manage_expert

if TYPE_CHECKING:
    from techex.accounts.models import User

# What staff may set on an expert (the form's fields and the services' keyword arguments).
EXPERT_FIELDS = (
    "full_name",
    "title",
    "specialities",
    "languages",
    "organization",
    "organization_name",
    "province",
    "cv",
    "publications",
    "accepts_requests",
    "email",
    "phone",
    "user",
)


def _unique_slug(name: str, pk: int | None = None) -> str:
    base = slugify(name, allow_unicode=False)[:70] or "expert"
    candidate, n = base, 1
    others = Expert.objects.exclude(pk=pk) if pk is not None else Expert.objects.all()
    while others.filter(slug=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _index(expert: Expert) -> None:
    expert.search_document = build_document(expert)
    expert.save(update_fields=["search_document", "updated_at"])


def _save(expert: Expert, *, fields: Iterable[Any], categories: Iterable[Any]) -> Expert:
    for name in ("full_name", "specialities", "cv"):
        setattr(expert, name, (getattr(expert, name) or "").strip())
    if not expert.slug:
        expert.slug = _unique_slug(expert.full_name)
    expert.full_clean(exclude=["slug"] if expert.pk is None else None)
    fields, categories = list(fields), list(categories)
    if not fields:
        raise ValidationError({"fields": [_("Choose at least one S&T field.")]})
    route(obj=expert)
    expert.save()
    expert.fields.set(fields)
    expert.categories.set(categories)
    _index(expert)
    return expert


@transaction.atomic
def expert_create(
    *, user: User, fields: Iterable[Any], categories: Iterable[Any] = (), consent: bool = False, **values: Any
) -> Expert:
    """Staff add an expert. ``consent``: the expert gave their consent to be listed (to staff, in writing), which
    is recorded with the current policy version; without it the profile is not shown until the expert consents."""
    require_staff(user)
    unknown = set(values) - set(EXPERT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown expert fields: {sorted(unknown)}")
    expert = Expert(**values)
    if consent:
        expert.consent_at, expert.consent_policy = timezone.now(), EXPERT_POLICY_VERSION
    _save(expert, fields=fields, categories=categories)
    if not can_act(user, expert):
        raise PermissionDenied(_("This expert belongs to another department's province."))
    audit_record(actor=user, action="services.expert.create", target=expert, data={"consent": consent})
    return expert


@transaction.atomic
def expert_update(
    *, user: User, expert: Expert, fields: Iterable[Any], categories: Iterable[Any] = (), **values: Any
) -> Expert:
    """Staff of the expert's department's scope edit an expert."""
    require_staff(user)
    if not can_act(user, expert):
        raise PermissionDenied(_("This expert belongs to another department's province."))
    unknown = set(values) - set(EXPERT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown expert fields: {sorted(unknown)}")
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    changed = sorted(name for name, value in values.items() if getattr(expert, name) != value)
    for name, value in values.items():
        setattr(expert, name, value)
    _save(expert, fields=fields, categories=categories)
    audit_record(actor=user, action="services.expert.update", target=expert, data={"changed": changed})
    return expert


def _require_manager(user: Any, expert: Expert) -> None:
    if not can_manage_expert(user, expert):
        raise PermissionDenied(_("Only the expert or the exchange's staff can change this profile."))


@transaction.atomic
def expert_consent(*, user: User, expert: Expert) -> Expert:
    """The expert (signed in) consents to be listed: the moment and the policy version are recorded."""
    if expert.user_id is None or expert.user_id != getattr(user, "pk", None):
        raise PermissionDenied(_("Only the expert can give their consent."))
    Expert.objects.filter(pk=expert.pk).update(
        consent_at=timezone.now(), consent_policy=EXPERT_POLICY_VERSION, updated_at=timezone.now()
    )
    expert.refresh_from_db()
    audit_record(actor=user, action="services.expert.consent", target=expert, data={"policy": EXPERT_POLICY_VERSION})
    return expert


@transaction.atomic
def expert_set_hidden(*, user: User, expert: Expert, hidden: bool) -> Expert:
    """The expert (or in-scope staff) hides the profile from the directory, or shows it again."""
    _require_manager(user, expert)
    Expert.objects.filter(pk=expert.pk).update(is_hidden=hidden, updated_at=timezone.now())
    expert.refresh_from_db()
    audit_record(actor=user, action="services.expert.hide" if hidden else "services.expert.show", target=expert)
    return expert


@transaction.atomic
def expert_remove(*, user: User, expert: Expert) -> None:
    """The expert (or in-scope staff) removes the profile: the row and its personal data are deleted; requests
    that named the expert keep their text and lose the link. The audit keeps only the profile's id."""
    _require_manager(user, expert)
    pk = expert.pk
    audit_record(actor=user, action="services.expert.remove", target=expert, data={"expert": pk})
    Expert.objects.filter(pk=pk).delete()
