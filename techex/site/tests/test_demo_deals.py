"""The demo deals of `make run`: one at every stage, built through the services, created once."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from techex.core.models import AuditEntry
from techex.deals.choices import DealStage, RegistrationStatus
from techex.deals.demo import DEALS
from techex.deals.models import Deal
from techex.site.management.commands import seed_demo

pytestmark = pytest.mark.django_db

LIMIT = 5


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", "--force", "--limit", str(LIMIT), stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def seeded(reference_data):
    return _seed()


def test_a_deal_at_every_stage_of_the_funnel(seeded):
    assert f"deals: {len(DEALS)} demo deals created" in seeded
    stages = set(Deal.objects.values_list("stage", flat=True))
    assert stages >= {
        DealStage.INQUIRY,
        DealStage.ACCEPTED,
        DealStage.NEGOTIATING,
        DealStage.AGREED,
        DealStage.SIGNED,
        DealStage.COMPLETED,
        DealStage.DECLINED,
    }
    signed = Deal.objects.get(stage=DealStage.SIGNED)
    assert signed.contract.registration_compulsory
    assert signed.contract.registration_status == RegistrationStatus.SUBMITTED
    completed = Deal.objects.get(stage=DealStage.COMPLETED)
    assert completed.value_vnd == 1_200_000_000 and completed.contract.in_force
    assert Deal.objects.filter(broker__isnull=False).count() == 2


def test_the_deals_have_a_real_audit_trail(seeded):
    for deal in Deal.objects.all():
        actions = set(
            AuditEntry.objects.filter(target_type="deals.deal", target_id=str(deal.pk)).values_list("action", flat=True)
        )
        assert "deal.inquire" in actions
        if deal.reached_signed_at:
            assert {"deal.accept", "deal.proposal", "deal.proposal.accept", "deal.contract.record"} <= actions


def test_a_second_run_creates_no_deal(seeded):
    before = (Deal.objects.count(), AuditEntry.objects.count())
    again = _seed()
    assert "deals:" not in again
    assert (Deal.objects.count(), AuditEntry.objects.count()) == before


def test_my_deals_and_the_funnel_show_them(seeded, client):
    inquiry = Deal.objects.get(stage=DealStage.INQUIRY)
    owner = get_user_model().objects.get(email="ns-phongdien@demo.techex.vn")  # the listing owner's admin
    client.force_login(owner)
    page = client.get(reverse("deals:mine")).content.decode()
    assert "1 deal awaits you" in page and inquiry.reference_code in page

    client.force_login(get_user_model().objects.get(email=seed_demo.STAFF_EMAIL))
    # The demo's deals sit in several departments' queues: the lead reads them all with ?department=all.
    page = client.get(reverse("deals:staff_list"), {"department": "all"}).content.decode()
    for deal in Deal.objects.all():
        assert deal.reference_code in page
    assert '<tr data-stage="completed">' in page and "1,200,000,000 ₫" in page
