"""Departments and their staff for tests."""

from techex.accounts.tests.factories import StaffFactory
from techex.departments.choices import StaffRole
from techex.departments.models import Department
from techex.departments.services import department_staff_set

PROVINCE_CODES = {"an-giang": "91", "dong-thap": "82", "vinh-long": "86", "ca-mau": "96"}


def make_partner(code: str = "an-giang", *, is_active: bool = True) -> Department:
    department, _created = Department.objects.update_or_create(
        province_id=PROVINCE_CODES[code],
        defaults={"code": code, "name": f"Sở KH&CN {code}", "is_active": is_active},
    )
    return department


def make_staff(department: Department, *, role: str = StaffRole.STAFF, **kwargs):
    user = StaffFactory(**kwargs)
    department_staff_set(user=user, department=department, role=role)
    return user
