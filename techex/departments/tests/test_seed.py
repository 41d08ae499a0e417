"""The demo partners: four departments of the Delta, a staff account each, created once."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from techex.departments.models import Department, DepartmentStaff
from techex.departments.scope import staff_scope
from techex.departments.services import seed_departments

pytestmark = pytest.mark.django_db


def test_seeding_is_idempotent(reference_data):
    password = make_password("Demo-1")
    first = seed_departments(password_hash=password)
    second = seed_departments(password_hash=password)
    assert first == second
    assert sorted(d.province_id for d, _user in first) == ["82", "86", "91", "96"]
    assert Department.objects.count() == 5 and DepartmentStaff.objects.count() == 4
    for department, user in first:
        scope = staff_scope(user)
        assert not scope.is_lead and scope.province_codes == frozenset({department.province_id})
        assert user.check_password("Demo-1")
        assert EmailAddress.objects.get(user=user).verified
    assert [d.code for d, _user in first] == ["an-giang", "dong-thap", "vinh-long", "ca-mau"]


def test_make_runs_demo_seeding_prints_the_partner_accounts_and_routes_demo_items(reference_data):
    import io

    from django.core.management import call_command

    from techex.organizations.models import Organization
    from techex.site.management.commands.seed_demo import DEMO_PASSWORD

    for _run in range(2):
        out = io.StringIO()
        call_command("seed_demo", "--force", "--limit", "1", stdout=out)
    text = out.getvalue()
    assert "staff.ca-mau@demo.techex.vn" in text and "Sở Khoa học và Công nghệ tỉnh Cà Mau" in text
    assert DEMO_PASSWORD in text
    assert Department.objects.count() == 5 and DepartmentStaff.objects.count() == 4
    ca_mau = Department.objects.get(province_id="96")
    demo = Organization.objects.filter(is_demo=True, province_id="96")
    assert demo.exists() and set(demo.values_list("department", flat=True)) == {ca_mau.pk}
