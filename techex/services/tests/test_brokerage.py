"""Brokerage is a service: staff assigning, replacing or removing a deal's or an anonymous listing's broker creates,
moves or ends the broker's brokerage request (through the deals' and listings' events), and the backfill command
gives the brokers assigned before this their request."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from rest_framework.test import APIClient

from techex.core.models import AuditEntry
from techex.deals import services as deal_services
from techex.deals.models import Deal
from techex.deals.tests.factories import deal_parties, make_deal, make_intermediary, member_of
from techex.listings import services as listing_services
from techex.listings.models import Listing
from techex.notifications.models import Notification
from techex.services.catalogue import BROKERAGE
from techex.services.choices import ProviderStatus
from techex.services.choices import RequestState as S
from techex.services.models import ServiceProvider, ServiceRequest
from techex.services.states import TRANSITIONS, RequestError, allowed_actions, target_state

from .factories import make_category, make_provider

pytestmark = pytest.mark.django_db


def _brokerage(**lookup) -> list[ServiceRequest]:
    return list(ServiceRequest.objects.filter(category__code=BROKERAGE, **lookup).order_by("id"))


@pytest.fixture
def deal_world(reference_data):
    parties = deal_parties()
    deal = make_deal(parties)
    broker_org = make_intermediary()
    broker = member_of(broker_org, full_name="Phạm Môi Giới")
    return parties, deal, broker_org, broker


def test_assigning_a_deals_broker_opens_its_brokerage_request(deal_world, django_capture_on_commit_callbacks):
    parties, deal, broker_org, broker = deal_world
    with django_capture_on_commit_callbacks(execute=True):
        deal_services.deal_assign_broker(user=parties.staff, deal=deal, broker=broker_org)
    (request,) = _brokerage(deal=deal)
    assert request.state == S.IN_PROGRESS and request.assigned_at and request.started_at
    assert request.provider.organization == broker_org
    assert request.client_organization == parties.inquirer_org and request.listing is None
    assert deal.reference_code in request.description
    # The broker's organisation became a verified provider of brokerage, audited.
    provider = ServiceProvider.objects.get(organization=broker_org)
    assert provider.status == ProviderStatus.VERIFIED and provider.decided_by == parties.staff
    assert list(provider.categories.values_list("code", flat=True)) == [BROKERAGE]
    assert AuditEntry.objects.filter(action="services.provider.broker", target_id=str(provider.pk)).exists()
    for action in ("submit", "broker_assign", "provider"):
        assert AuditEntry.objects.filter(action=f"services.request.{action}", target_id=str(request.pk)).exists()
    assert Notification.objects.filter(recipient=broker, kind="services.assigned").exists()


def test_the_broker_finds_the_request_in_its_lists(client, deal_world, django_capture_on_commit_callbacks):
    parties, deal, broker_org, broker = deal_world
    with django_capture_on_commit_callbacks(execute=True):
        deal_services.deal_assign_broker(user=parties.staff, deal=deal, broker=broker_org)
    (request,) = _brokerage(deal=deal)
    client.force_login(broker)
    assert request.reference_code in client.get("/services/mine/?role=provider").content.decode()
    page = client.get(request.get_absolute_url())
    assert page.status_code == 200 and "Mark as delivered" in page.content.decode()
    api = APIClient()
    api.force_authenticate(broker)
    rows = api.get("/api/v1/service-requests/?role=provider").json()["results"]
    assert [(row["reference_code"], row["category"], row["state"]) for row in rows] == [
        (request.reference_code, BROKERAGE, "in_progress")
    ]
    # The inquirer is its client; the listing's owner is not told of it.
    api.force_authenticate(parties.inquirer)
    assert api.get(f"/api/v1/service-requests/{request.reference_code}/").status_code == 200
    api.force_authenticate(parties.owner)
    assert api.get(f"/api/v1/service-requests/{request.reference_code}/").status_code == 404


def test_replacing_and_removing_the_broker_update_the_same_request(deal_world, django_capture_on_commit_callbacks):
    parties, deal, broker_org, _broker = deal_world
    other_org = make_intermediary(name="Trung tâm Chuyển giao Công nghệ Mê Kông")
    # The second broker already provides another service: it keeps its record and status, and gains brokerage.
    valuation = make_category("tham-dinh-dinh-gia")
    make_provider(category=valuation, staff=parties.staff)
    with django_capture_on_commit_callbacks(execute=True):
        deal_services.deal_assign_broker(user=parties.staff, deal=deal, broker=broker_org)
    with django_capture_on_commit_callbacks(execute=True):
        deal_services.deal_assign_broker(user=parties.staff, deal=Deal.objects.get(pk=deal.pk), broker=other_org)
    (request,) = _brokerage(deal=deal)
    assert request.state == S.IN_PROGRESS and request.provider.organization == other_org
    moves = AuditEntry.objects.filter(action="services.request.provider", target_id=str(request.pk)).order_by("id")
    assert [entry.data["to"] for entry in moves] == [
        ServiceProvider.objects.get(organization=broker_org).pk,
        ServiceProvider.objects.get(organization=other_org).pk,
    ]
    with django_capture_on_commit_callbacks(execute=True):
        deal_services.deal_assign_broker(user=parties.staff, deal=Deal.objects.get(pk=deal.pk), broker=None)
    request.refresh_from_db()
    assert request.state == S.CANCELLED and request.close_reason == "The exchange's staff removed the broker."
    assert AuditEntry.objects.filter(action="services.request.broker_remove", target_id=str(request.pk)).exists()
    # A new broker later opens a new request; the cancelled one stays as history.
    with django_capture_on_commit_callbacks(execute=True):
        deal_services.deal_assign_broker(user=parties.staff, deal=Deal.objects.get(pk=deal.pk), broker=broker_org)
    assert [(r.state, r.provider.organization) for r in _brokerage(deal=deal)] == [
        (S.CANCELLED, other_org),
        (S.IN_PROGRESS, broker_org),
    ]


def test_a_refused_assignment_changes_no_request(deal_world, django_capture_on_commit_callbacks):
    parties, deal, _broker_org, _broker = deal_world
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        deal_services.deal_assign_broker(user=parties.staff, deal=deal, broker=parties.inquirer_org)
    assert _brokerage() == []


def test_the_broker_delivers_and_the_client_rates_like_any_service(deal_world, django_capture_on_commit_callbacks):
    from techex.services import services

    parties, deal, broker_org, broker = deal_world
    with django_capture_on_commit_callbacks(execute=True):
        deal_services.deal_assign_broker(user=parties.staff, deal=deal, broker=broker_org)
    (request,) = _brokerage(deal=deal)
    services.request_deliver(user=broker, request=request)
    services.request_close(user=parties.inquirer, request=request, rating=5, comment="Kết nối nhanh.")
    assert ServiceRequest.objects.get(pk=request.pk).state == S.CLOSED


def test_the_brokerage_rows_of_the_state_table_are_taken_by_no_party():
    assert target_state(S.SUBMITTED, "broker_assign") == S.IN_PROGRESS
    assert target_state(S.IN_PROGRESS, "broker_assign") == S.IN_PROGRESS
    assert TRANSITIONS["broker_remove"] == (frozenset({S.IN_PROGRESS}), S.CANCELLED)
    with pytest.raises(RequestError, match="cannot go from"):
        target_state(S.DELIVERED, "broker_remove")
    everyone = {"client", "provider", "staff"}
    assert not {"broker_assign", "broker_remove"} & set(allowed_actions(S.IN_PROGRESS, everyone))


# --- anonymous listings ------------------------------------------------------------------------------------------


def test_an_anonymous_listings_broker_has_a_request_for_the_owner(reference_data, django_capture_on_commit_callbacks):
    parties = deal_parties(anonymous=True)
    broker_org = make_intermediary()
    with django_capture_on_commit_callbacks(execute=True):
        listing_services.listing_assign_broker(listing=parties.listing, user=parties.staff, broker=broker_org)
    (request,) = _brokerage(listing=parties.listing)
    assert request.client_organization == parties.owner_org and request.provider.organization == broker_org
    assert request.state == S.IN_PROGRESS and request.deal is None
    assert AuditEntry.objects.filter(action="listing.assign_broker", target_id=str(parties.listing.pk)).exists()
    # Inquiries now go to the broker first (the deals' existing rule), and nothing diverges: one broker, one request.
    deal = make_deal(parties)
    assert deal.broker_id == broker_org.pk and deal.forwarded_at is None
    with django_capture_on_commit_callbacks(execute=True):
        listing_services.listing_assign_broker(
            listing=Listing.objects.get(pk=parties.listing.pk), user=parties.staff, broker=None
        )
    request.refresh_from_db()
    assert request.state == S.CANCELLED


def test_a_named_listing_gets_no_broker_and_only_staff_assign(reference_data):
    parties = deal_parties()
    broker_org = make_intermediary()
    with pytest.raises(ValidationError) as excinfo:
        listing_services.listing_assign_broker(listing=parties.listing, user=parties.staff, broker=broker_org)
    assert excinfo.value.message_dict["broker"] == ["Only an anonymous listing has a broker."]
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    with pytest.raises((PermissionDenied, Http404)):
        listing_services.listing_assign_broker(listing=parties.listing, user=parties.owner, broker=broker_org)


# --- backfill ------------------------------------------------------------------------------------------------------


def test_the_backfill_command_gives_earlier_brokers_their_request_once(reference_data, capsys):
    anonymous = deal_parties(anonymous=True, broker=True)  # the listing's broker set before brokerage was a service
    deal = make_deal(anonymous)  # its inquiry went to the listing's broker
    named = deal_parties()
    named_deal = make_deal(named)
    Deal.objects.filter(pk=named_deal.pk).update(broker=make_intermediary(name="Văn phòng Môi giới Cần Thơ"))
    call_command("services_brokerage_backfill")
    assert "1 deal(s) and 1 anonymous listing(s)" in capsys.readouterr().out
    # The anonymous listing's inquiry is brokered under the listing's request, as on the live path.
    assert len(_brokerage(listing=anonymous.listing, deal__isnull=True)) == 1 and _brokerage(deal=deal) == []
    assert len(_brokerage(deal=named_deal)) == 1
    assert {r.state for r in _brokerage()} == {S.IN_PROGRESS}
    call_command("services_brokerage_backfill")
    assert len(_brokerage()) == 2


def test_staff_assign_an_anonymous_listings_broker_through_the_api(reference_data, django_capture_on_commit_callbacks):
    parties = deal_parties(anonymous=True)
    broker_org = make_intermediary()
    url = f"/api/v1/listings/{parties.listing.reference_code}/assign-broker/"
    api = APIClient()
    api.force_authenticate(parties.owner)
    assert api.post(url, {"broker": broker_org.pk}, format="json").status_code == 403
    api.force_authenticate(parties.staff)
    unknown = api.post(url, {"broker": 10**9}, format="json")
    assert unknown.status_code == 400 and unknown.json()["broker"] == ["No organisation has this id."]
    refused = api.post(url, {"broker": parties.owner_org.pk}, format="json")
    assert refused.status_code == 400 and "intermediary" in str(refused.json())
    with django_capture_on_commit_callbacks(execute=True):
        assert api.post(url, {"broker": broker_org.pk}, format="json").status_code == 200
    assert [r.provider.organization for r in _brokerage(listing=parties.listing)] == [broker_org]
