"""Departments: one lead, kept active, made sure of when the reference data is loaded."""

import pytest
from django.db import IntegrityError, transaction

from techex.core.models import AuditEntry
from techex.departments.models import Department
from techex.departments.selectors import lead_department
from techex.departments.services import ensure_lead_department
from techex.reference.loader import load_all

from .factories import make_partner

pytestmark = pytest.mark.django_db


def test_the_lead_is_the_operators_department_after_loading_reference_data(reference_data):
    lead = Department.objects.get(is_lead=True)
    assert (lead.province_id, lead.code, lead.name) == ("92", "can-tho", "Sở Khoa học và Công nghệ thành phố Cần Thơ")
    assert lead.logo == "img/logo.svg" and lead.is_active
    assert lead.get_absolute_url() == "/departments/can-tho/"


def test_ensuring_the_lead_again_changes_nothing(reference_data):
    first = ensure_lead_department()
    load_all()
    assert ensure_lead_department() == first
    assert Department.objects.filter(is_lead=True).count() == 1


def test_a_missing_lead_is_recreated_and_audited(reference_data):
    Department.objects.all().delete()
    assert lead_department().province_id == "92"
    assert AuditEntry.objects.filter(action="department.lead_ensure").exists()


def test_a_second_lead_is_refused_by_the_database(reference_data):
    partner = make_partner("ca-mau")
    partner.is_lead = True
    with pytest.raises(IntegrityError), transaction.atomic():
        partner.save()


def test_the_lead_cannot_be_switched_off(reference_data):
    lead = lead_department()
    lead.is_active = False
    with pytest.raises(IntegrityError), transaction.atomic():
        lead.save()


def test_one_department_per_province(reference_data):
    make_partner("ca-mau")
    with pytest.raises(IntegrityError), transaction.atomic():
        Department.objects.create(code="ca-mau-2", name="Bản sao", province_id="96")
