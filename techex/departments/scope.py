"""Staff scope: which items a staff account may act on. ONE mechanism for pages, API and services.

- ``staff_scope(user)`` computes a ``StaffScope`` once per user object (cached on it for the request).
- ``in_scope(queryset, user)`` / ``queryset.in_scope(user)`` keep the rows the user may act on; a model opts in by
  declaring ``scope_department_field`` (the field path to its routing department; ``Routed`` declares
  ``"department"``).
- ``can_act(user, obj)`` answers the same question for one object; ``require_can_act`` raises 404 otherwise, as
  the selectors answer for forbidden objects.
- ``InScopePermission`` (DRF) and ``ScopedQuerysetMixin`` / ``scoped_object`` (views) are built on the two above.

Who is in which scope: superusers and staff without a ``DepartmentStaff`` row act as lead staff (so existing staff
accounts keep their powers); staff of the lead department are lead; staff of an active partner act on their
department's items; staff of an inactive partner act on nothing; anyone else is not staff and acts on nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.db import models
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission

from techex.core.permissions import STAFF_ONLY

from .models import Department, DepartmentStaff

_CACHE_ATTR = "_techex_staff_scope"


@dataclass(frozen=True)
class StaffScope:
    """What a user may act on as staff."""

    is_staff: bool
    is_lead: bool
    department: Department | None
    # The province codes the user may act on: None for all (lead), empty for none.
    province_codes: frozenset[str] | None
    is_department_admin: bool = False

    @property
    def department_id(self) -> int | None:
        return self.department.pk if self.department is not None else None

    def covers_department(self, department_id: int | None) -> bool:
        """Whether an item routed to this department (None: not routed, hence the lead's) is in scope."""
        if not self.is_staff:
            return False
        if self.is_lead:
            return True
        return self.province_codes != frozenset() and department_id is not None and department_id == self.department_id


NO_SCOPE = StaffScope(is_staff=False, is_lead=False, department=None, province_codes=frozenset())


def _compute(user: Any) -> StaffScope:
    from .choices import StaffRole
    from .selectors import lead_department

    if not getattr(user, "is_authenticated", False) or not (user.is_staff or user.is_superuser):
        return NO_SCOPE
    # The user's department (with the role) and the lead in one query: every staff request pays it once.
    role = DepartmentStaff.objects.filter(user=user, department=OuterRef("pk")).values("role")[:1]
    rows = list(Department.objects.filter(Q(is_lead=True) | Q(staff__user=user)).annotate(member_role=Subquery(role)))
    membership = None if user.is_superuser else next((d for d in rows if d.member_role is not None), None)
    if membership is None or membership.is_lead:
        department = membership or next((d for d in rows if d.is_lead), None) or lead_department()
        return StaffScope(
            is_staff=True,
            is_lead=True,
            department=department,
            province_codes=None,
            is_department_admin=user.is_superuser
            or (membership is not None and membership.member_role == StaffRole.ADMIN),
        )
    return StaffScope(
        is_staff=True,
        is_lead=False,
        department=membership,
        province_codes=frozenset({membership.province_id}) if membership.is_active else frozenset(),
        is_department_admin=membership.member_role == StaffRole.ADMIN,
    )


def staff_scope(user: Any) -> StaffScope:
    """The user's scope, computed once per user object (at most one query)."""
    if user is None:
        return NO_SCOPE
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = _compute(user)
        setattr(user, _CACHE_ATTR, cached)
    return cached


def acting_department(user: Any) -> Department | None:
    """The department in whose name a staff member acts: their own, the lead's for lead staff (``Moderated``)."""
    return staff_scope(user).department


def forget_staff_scope(user: Any) -> None:
    """Drop the cached scope (after the user's department changed)."""
    if hasattr(user, "__dict__"):
        user.__dict__.pop(_CACHE_ATTR, None)


def _department_field(model: type[models.Model]) -> str:
    field = getattr(model, "scope_department_field", None)
    if not field:
        raise TypeError(f"{model._meta.label} does not declare scope_department_field: it cannot be scoped.")
    return field


def in_scope(queryset: QuerySet, user: Any) -> QuerySet:
    """The rows of ``queryset`` the user may act on as staff."""
    scope = staff_scope(user)
    field = _department_field(queryset.model)
    if not scope.is_staff:
        return queryset.none()
    if scope.is_lead:
        return queryset
    if not scope.province_codes:
        return queryset.none()
    return queryset.filter(**{field: scope.department})


class InScopeQuerySetMixin:
    """Give a QuerySet ``.in_scope(user)``; the model declares ``scope_department_field``."""

    def in_scope(self, user: Any) -> QuerySet:
        return in_scope(self, user)  # type: ignore[arg-type]


class ScopedQuerySet(InScopeQuerySetMixin, models.QuerySet):
    """A plain QuerySet with ``in_scope(user)``, for models without a QuerySet of their own."""


def _department_id_of(obj: models.Model) -> int | None:
    *hops, last = _department_field(type(obj)).split("__")
    value: Any = obj
    for hop in hops:
        value = getattr(value, hop, None)
        if value is None:
            return None
    return getattr(value, f"{last}_id", None)


def can_act(user: Any, obj: models.Model) -> bool:
    """Whether the user may act on the object as staff (moderate, verify, follow, reassign …)."""
    return staff_scope(user).covers_department(_department_id_of(obj))


def require_can_act(user: Any, obj: models.Model) -> None:
    """Raise 404, as for a missing object, unless the user may act on it."""
    if not can_act(user, obj):
        raise Http404


def object_in_scope_or_404(queryset: QuerySet, *, user: Any, **lookup: Any) -> models.Model:
    """One object of ``queryset`` the user may act on; 404 alike for missing and out of scope."""
    obj = in_scope(queryset, user).filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


class InScopePermission(BasePermission):
    """DRF: staff only, and objects out of the user's scope answer 404."""

    message = STAFF_ONLY

    def has_permission(self, request, view) -> bool:
        return staff_scope(request.user).is_staff

    def has_object_permission(self, request, view, obj) -> bool:
        if not can_act(request.user, obj):
            raise NotFound
        return True


class ScopedQuerysetMixin:
    """For class-based views (Django or DRF): ``get_queryset()`` keeps only the rows in the user's scope."""

    request: Any

    def get_queryset(self) -> QuerySet:
        return in_scope(super().get_queryset(), self.request.user)  # type: ignore[misc]


def scoped_object(queryset: Callable[[], QuerySet] | QuerySet, *, lookup: str, kwarg: str | None = None) -> Callable:
    """Decorate a function view: load ``queryset``'s object named by URL ``kwarg`` in the user's scope, else 404.

    The view receives it as ``obj`` in place of the URL argument: ``@scoped_object(Listing.objects.all(),
    lookup="reference_code")``.
    """
    kwarg = kwarg or lookup

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            base = queryset() if callable(queryset) else queryset.all()
            obj = object_in_scope_or_404(base, user=request.user, **{lookup: kwargs.pop(kwarg)})
            return view(request, *args, obj=obj, **kwargs)

        return wrapped

    return decorator
