"""The demo services of `make run`: seven categories (the six of the issue and brokerage), providers across the
Delta, a request in every state, each in its department's queue; created once."""

import io

import pytest
from django.core.management import call_command

from techex.departments.models import Department
from techex.services.choices import ProviderStatus, RequestState
from techex.services.demo import PROVIDERS, REQUESTS
from techex.services.models import ServiceCategory, ServiceProvider, ServiceRequest, ValuationRecord

pytestmark = pytest.mark.django_db


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", "--force", "--limit", "5", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_demo_services(reference_data):
    output = _seed()
    # The requests of REQUESTS and the demo valuation (services/demo_valuation.py), with its record on the listing.
    assert f"services: 7 categories, {len(PROVIDERS)} providers, {len(REQUESTS) + 1} requests created" in output
    assert ValuationRecord.objects.filter(listing__external_ref="demo-vi-001", request__state="delivered").exists()
    assert ServiceCategory.objects.count() == 7
    verified = ServiceProvider.objects.filter(status=ProviderStatus.VERIFIED)
    assert verified.count() >= 8
    assert verified.values("organization__province").distinct().count() >= 4
    assert set(ServiceRequest.objects.values_list("state", flat=True)) == set(RequestState.values)
    # Routed: a Đồng Tháp client's request waits in Đồng Tháp's queue.
    dong_thap = Department.objects.get(province_id="82")
    assert ServiceRequest.objects.filter(state=RequestState.SUBMITTED, department=dong_thap).exists()
    closed = ServiceRequest.objects.filter(state=RequestState.CLOSED, testimonial_consent=True)
    assert closed.count() == 2 and all(r.rating for r in closed)
    # Run again: nothing is created twice.
    assert "services: 0 categories, 0 providers, 0 requests created" in _seed()
    assert ServiceRequest.objects.count() == len(REQUESTS) + 1
