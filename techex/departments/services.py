"""Writes of departments: the lead, routing items to a department's queue, reassignment, the demo partners."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import Http404
from django.utils.text import slugify
from django.utils.translation import gettext as _

from techex.core.operator import operator
from techex.core.services import audit_record
from techex.core.text import clean_text
from techex.reference.models import Province

from .choices import StaffRole
from .models import Department, DepartmentStaff, Routed
from .scope import can_act, forget_staff_scope
from .selectors import department_routing_table

REASON_MAX = 500


@transaction.atomic
def ensure_lead_department() -> Department | None:
    """Make sure the operator's department exists as the lead (idempotent; None while provinces are not loaded).

    Called after every ``load_reference_data`` (techex/departments/apps.py) and lazily by ``lead_department()``.
    """
    lead = Department.objects.filter(is_lead=True).first()
    if lead is not None:
        return lead
    config = operator()
    province = Province.objects.filter(pk=config["home_province_code"]).first()
    if province is None:
        return None
    lead = Department.objects.filter(province=province).first() or Department(
        province=province, code=_unique_code(province)
    )
    lead.is_lead = lead.is_active = True
    lead.name = lead.name or config["department"]
    lead.name_en = lead.name_en or config["department_en"]
    lead.email = lead.email or config["email"]
    lead.phone = lead.phone or config["phone"]
    lead.address = lead.address or config["address"]
    lead.logo = lead.logo or config["logo"]
    lead.full_clean()
    lead.save()
    audit_record(actor=None, action="department.lead_ensure", target=lead)
    return lead


def _unique_code(province: Province) -> str:
    base = slugify(province.name_en or province.code) or province.code
    code, n = base, 1
    while Department.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


def route(*, obj: Routed) -> Department | None:
    """Set the item's department from its province (see Routed); saved at once if the item is already stored.

    The creating services call this (organisations, listings, deals): routing is explicit, not a save() signal.
    """
    obj.department = obj.route_to_department()
    if obj.pk is not None and not obj._state.adding:
        type(obj)._default_manager.filter(pk=obj.pk).update(department=obj.department)
    return obj.department


def route_many(*, objects: Sequence[Routed]) -> None:
    """Route unsaved items (a bulk import) with one query for the departments."""
    by_province, lead = department_routing_table()
    for obj in objects:
        code = obj.routing_province_id()
        obj.department = by_province.get(code, lead) if code else lead


@transaction.atomic
def department_reassign(*, user: Any, obj: Routed, department: Department, reason: str) -> Routed:
    """Hand an item over to another department's queue: lead staff, or the staff of its current department."""
    if not can_act(user, obj):
        raise Http404
    text = clean_text(reason or "") if isinstance(reason, str) else ""
    if not text:
        raise ValidationError({"reason": [_("Say why the item goes to another department.")]})
    if len(text) > REASON_MAX:
        raise ValidationError({"reason": [_("Keep the reason under %(limit)s characters.") % {"limit": REASON_MAX}]})
    if not department.is_active:
        raise ValidationError({"department": [_("This department is not active.")]})
    if department.pk == obj.department_id:
        raise ValidationError({"department": [_("The item is already in this department's queue.")]})
    previous = obj.department_id
    obj.department = department
    type(obj)._default_manager.filter(pk=obj.pk).update(department=department)
    audit_record(
        actor=user,
        action="department.reassign",
        target=obj,
        data={"from": previous, "to": department.pk, "reason": text},
    )
    return obj


@transaction.atomic
def department_staff_set(*, user: Any, department: Department, role: str = StaffRole.STAFF) -> DepartmentStaff:
    """Put a staff account in a department (made staff if it was not); one department per account."""
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    membership, _created = DepartmentStaff.objects.update_or_create(
        user=user, defaults={"department": department, "role": role}
    )
    forget_staff_scope(user)
    audit_record(actor=None, action="department.staff_set", target=membership, data={"department": department.pk})
    return membership


# --- demo data -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoPartner:
    province_code: str
    name: str
    name_en: str
    email: str
    phone: str
    address: str
    staff_email: str
    staff_name: str


# The four partner provinces of the Delta since 1 July 2025 (codes from data/reference/admin/vn_provinces_2025.csv).
DEMO_PARTNERS = (
    DemoPartner(
        "91",
        "Sở Khoa học và Công nghệ tỉnh An Giang",
        "An Giang Department of Science and Technology",
        "sokhcn@angiang.example",
        "0296 3852 000",
        "Phường Long Xuyên, tỉnh An Giang",
        "staff.an-giang@demo.techex.vn",
        "Cán bộ Sở KH&CN An Giang (demo)",
    ),
    DemoPartner(
        "82",
        "Sở Khoa học và Công nghệ tỉnh Đồng Tháp",
        "Dong Thap Department of Science and Technology",
        "sokhcn@dongthap.example",
        "0273 3872 000",
        "Phường Mỹ Tho, tỉnh Đồng Tháp",
        "staff.dong-thap@demo.techex.vn",
        "Cán bộ Sở KH&CN Đồng Tháp (demo)",
    ),
    DemoPartner(
        "86",
        "Sở Khoa học và Công nghệ tỉnh Vĩnh Long",
        "Vinh Long Department of Science and Technology",
        "sokhcn@vinhlong.example",
        "0270 3822 000",
        "Phường Long Châu, tỉnh Vĩnh Long",
        "staff.vinh-long@demo.techex.vn",
        "Cán bộ Sở KH&CN Vĩnh Long (demo)",
    ),
    DemoPartner(
        "96",
        "Sở Khoa học và Công nghệ tỉnh Cà Mau",
        "Ca Mau Department of Science and Technology",
        "sokhcn@camau.example",
        "0290 3831 000",
        "Phường An Xuyên, tỉnh Cà Mau",
        "staff.ca-mau@demo.techex.vn",
        "Cán bộ Sở KH&CN Cà Mau (demo)",
    ),
)


@transaction.atomic
def seed_departments(*, password_hash: str) -> list[tuple[Department, Any]]:
    """Create the demo partner departments, each with one staff account (idempotent); return them in order.

    Called only by ``seed_demo``, which refuses to run with DEBUG off: the accounts share the published demo
    password, given here already hashed.
    """
    ensure_lead_department()
    user_model = get_user_model()
    result = []
    for partner in DEMO_PARTNERS:
        province = Province.objects.get(pk=partner.province_code)
        department = Department.objects.filter(province=province).first()
        if department is None:
            department = Department(
                province=province,
                code=_unique_code(province),
                name=partner.name,
                name_en=partner.name_en,
                email=partner.email,
                phone=partner.phone,
                address=partner.address,
            )
            department.full_clean()
            department.save()
            audit_record(actor=None, action="department.create", target=department)
        user = user_model.objects.filter(email__iexact=partner.staff_email).first()
        if user is None:
            user = user_model(
                email=partner.staff_email, full_name=partner.staff_name, password=password_hash, is_staff=True
            )
            user.save()
        elif user.password != password_hash:
            user.password = password_hash
            user.save(update_fields=["password"])
        # allauth lets an account sign in only with a verified address.
        EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
        if not DepartmentStaff.objects.filter(user=user, department=department).exists():
            department_staff_set(user=user, department=department, role=StaffRole.ADMIN)
        result.append((department, user))
    return result


def reroute_stored(*, querysets: list[models.QuerySet]) -> int:
    """Route again the stored items still in the lead's queue whose province now has an active partner.

    For when a partner joins after items of its province arrived; each queryset is of a Routed model.
    """
    by_province, lead = department_routing_table()
    moved = 0
    for queryset in querysets:
        model = queryset.model
        for code, department in by_province.items():
            if department.is_lead:
                continue
            paths = model.routing_province_fields
            for index, path in enumerate(paths):
                # A later path decides only where the earlier ones are empty (the listing's own place first).
                earlier_empty = {f"{p}__isnull": True for p in paths[:index]}
                moved += (
                    queryset.filter(**{f"{path}_id": code}, **earlier_empty)
                    .filter(models.Q(department__isnull=True) | models.Q(department=lead))
                    .update(department=department)
                )
    return moved
