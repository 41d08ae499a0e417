"""Reads of departments: routing lookups and the public pages' data."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Case, Count, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404

from techex.core.text import fold
from techex.reference.models import Province

from .models import Department, DepartmentStaff

if TYPE_CHECKING:
    from techex.accounts.models import User


def lead_department() -> Department | None:
    """The operator's department, made sure of when it is missing (None only before the reference data is loaded)."""
    lead = Department.objects.filter(is_lead=True).first()
    if lead is None:
        from .services import ensure_lead_department

        lead = ensure_lead_department()
    return lead


def department_for_province(*, province_code: str | None) -> Department | None:
    """The active partner department of a province, else the lead (one query)."""
    if province_code:
        # The partner (is_lead False) sorts before the lead, so the first row is the answer.
        found = list(
            Department.objects.filter(Q(province_id=province_code, is_active=True) | Q(is_lead=True)).order_by(
                "is_lead"
            )[:1]
        )
        if found:
            return found[0]
    return lead_department()


def department_routing_table() -> tuple[dict[str, Department], Department | None]:
    """Every active department by province code and the lead, in one query (for routing many items at once)."""
    by_province: dict[str, Department] = {}
    lead = None
    for department in Department.objects.filter(is_active=True):
        by_province[department.province_id] = department
        if department.is_lead:
            lead = department
    return by_province, lead or lead_department()


def department_staff_of(*, user: User) -> DepartmentStaff | None:
    """The user's department membership with its department (one query), or None."""
    return DepartmentStaff.objects.select_related("department").filter(user=user).first()


def department_list_public() -> QuerySet[Department]:
    """Active departments with their provinces, the lead first."""
    return Department.objects.filter(is_active=True).select_related("province").order_by("-is_lead", "name")


def department_get_public(*, code: str) -> Department:
    """An active department by code; 404 alike for an unknown and an inactive one."""
    department = department_list_public().filter(code=code).first()
    if department is None:
        raise Http404
    return department


def region_provinces() -> list[tuple[Province, Department | None]]:
    """The region's provinces (flagged Mekong in the reference data), each with the department that serves it.

    One query: each province comes with its own department (the lead's province, Cần Thơ, is in the region), so
    the lead is looked up apart only when the region holds no lead (a database before the lead was created).
    """
    provinces = list(Province.objects.filter(is_mekong=True).select_related("department"))
    # In the order of the Vietnamese alphabet, near enough (Đ after D): the database's byte order puts Đồng Tháp last.
    provinces.sort(key=lambda p: fold(p.label))
    own = {p.pk: getattr(p, "department", None) for p in provinces}  # reverse one-to-one: missing raises
    lead = next((d for d in own.values() if d is not None and d.is_lead), None) or lead_department()
    return [(p, d if d is not None and d.is_active else lead) for p in provinces for d in [own[p.pk]]]


# --- staff queues ----------------------------------------------------------------------------------------------------


def in_queue(*, queryset: QuerySet, department: Department) -> QuerySet:
    """The items of ``queryset`` in a department's queue; the lead's queue also holds items not routed yet."""
    if department.is_lead:
        return queryset.filter(Q(department=department) | Q(department__isnull=True))
    return queryset.filter(department=department)


def queue_counts(
    *, queryset: QuerySet, departments: QuerySet[Department] | None = None
) -> list[tuple[Department, int]]:
    """How many items of ``queryset`` each active department's queue holds, the lead first (one query)."""
    items = queryset.order_by().values("department")
    mine = items.filter(department=OuterRef("pk")).annotate(n=Count("id")).values("n")[:1]
    # Items not routed yet are the lead's (in_queue).
    unrouted = items.filter(department__isnull=True).annotate(n=Count("id")).values("n")[:1]
    zero = Value(0)
    departments = (departments if departments is not None else department_list_public()).annotate(
        queue_count=Coalesce(Subquery(mine), zero)
        + Case(When(is_lead=True, then=Coalesce(Subquery(unrouted), zero)), default=zero)
    )
    return [(department, department.queue_count) for department in departments]
