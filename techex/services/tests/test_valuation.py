"""Valuation records: the provider delivers a valuation request with its value range, checked (nothing half-saved),
audited; the listing's page and the API show it only to those who may see the listing's confidential part."""

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from techex.accounts.tests.factories import UserFactory
from techex.core.models import AuditEntry
from techex.deals.tests.factories import DealParties, deal_parties, make_deal, make_nda_in_force
from techex.departments.tests.factories import make_partner, make_staff
from techex.listings.templatetags.listing_tags import vnd
from techex.services import services, valuations
from techex.services.catalogue import VALUATION
from techex.services.choices import RequestState as S
from techex.services.models import ServiceProvider, ServiceRequest, ValuationRecord, ValuationReport
from techex.services.states import RequestError

from .factories import make_category, make_provider, pdf_file

pytestmark = pytest.mark.django_db

LOW, HIGH = 1_200_000_000, 1_800_000_000


@dataclass
class World:
    deal: DealParties
    provider: ServiceProvider
    provider_user: Any
    request: ServiceRequest


def _in_progress(parties: DealParties, provider: ServiceProvider, provider_user: Any, **fields: Any) -> ServiceRequest:
    """The listing owner's valuation request about its listing, quoted, accepted and started."""
    request = services.request_submit(
        user=parties.owner,
        organization=parties.owner_org,
        category=provider.categories.get(),
        description="Cần định giá công nghệ máy sấy lúa trước khi đàm phán chuyển giao.",
        provider=provider,
        **{"listing": parties.listing, **fields},
    )
    services.request_quote(user=provider_user, request=request, amount_vnd=30_000_000, duration_days=30)
    services.request_accept(user=parties.owner, request=request)
    services.request_start(user=provider_user, request=request)
    return ServiceRequest.objects.get(pk=request.pk)


@pytest.fixture
def world(reference_data) -> World:
    parties = deal_parties()
    category = make_category(VALUATION)
    provider, provider_user = make_provider(category=category, staff=parties.staff)
    return World(parties, provider, provider_user, _in_progress(parties, provider, provider_user))


def _values(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "method": "income",
        "value_low_vnd": LOW,
        "value_high_vnd": HIGH,
        "valued_on": timezone.localdate() - datetime.timedelta(days=3),
        "note": "Dòng tiền chiết khấu 5 năm, tỷ lệ chiết khấu 12 %.",
    }
    values.update(overrides)
    return values


def _record(world: World, **overrides: Any) -> ValuationRecord:
    return valuations.request_deliver_valuation(user=world.provider_user, request=world.request, **_values(**overrides))


# --- the service -----------------------------------------------------------------------------------------------------


def test_the_provider_delivers_with_the_valuation_audited(world):
    record = _record(world, report=pdf_file("bao-cao-dinh-gia.pdf"))
    request = ServiceRequest.objects.get(pk=world.request.pk)
    assert request.state == S.DELIVERED and request.delivered_at is not None
    assert (record.listing, record.provider, record.method) == (world.deal.listing, world.provider, "income")
    assert (record.value_low_vnd, record.value_high_vnd, record.currency) == (LOW, HIGH, "VND")
    assert record.report.original_name == "bao-cao-dinh-gia.pdf" and record.report.extension == "pdf"
    entry = AuditEntry.objects.get(action="services.request.valuation", target_id=str(request.pk))
    assert entry.data["low_vnd"] == LOW and entry.data["high_vnd"] == HIGH and entry.data["report_sha256"]
    assert AuditEntry.objects.filter(action="services.request.deliver", target_id=str(request.pk)).exists()


INVALID = [
    ({"value_low_vnd": HIGH, "value_high_vnd": LOW}, "value_high_vnd", "cannot be below the lowest value"),
    ({"value_low_vnd": 0}, "value_low_vnd", "above zero"),
    ({"value_high_vnd": -5}, "value_high_vnd", "above zero"),
    ({"value_low_vnd": "12"}, "value_low_vnd", "above zero"),
    ({"value_low_vnd": True}, "value_low_vnd", "above zero"),
    ({"valued_on": timezone.localdate() + datetime.timedelta(days=1)}, "valued_on", "cannot be in the future"),
    ({"valued_on": "2026-01-01"}, "valued_on", "Give the date"),
    ({"method": "guess"}, "method", "market, cost or income"),
]


@pytest.mark.parametrize(
    ("change", "field", "message"), INVALID, ids=[f"{row[1]}-{i}" for i, row in enumerate(INVALID)]
)
def test_bad_values_are_refused_with_their_message_and_nothing_is_saved(world, change, field, message):
    with pytest.raises(ValidationError) as excinfo:
        _record(world, report=pdf_file(), **change)
    assert message in " ".join(excinfo.value.message_dict[field])
    assert ServiceRequest.objects.get(pk=world.request.pk).state == S.IN_PROGRESS
    assert not ValuationRecord.objects.exists() and not ValuationReport.objects.exists()
    assert not AuditEntry.objects.filter(action="services.request.valuation").exists()


def test_a_report_that_is_not_a_document_is_refused_and_nothing_is_saved(world):
    fake = SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as excinfo:
        _record(world, report=fake)
    assert "bao-cao.pdf" in excinfo.value.message_dict["report"][0]
    assert not ValuationRecord.objects.exists()
    assert ServiceRequest.objects.get(pk=world.request.pk).state == S.IN_PROGRESS


def test_only_the_provider_records_and_only_while_in_progress(world):
    with pytest.raises(PermissionDenied, match="Mark as delivered"):
        valuations.request_deliver_valuation(user=world.deal.owner, request=world.request, **_values())
    _record(world)
    with pytest.raises(RequestError, match="cannot go from"):
        _record(world)
    assert ValuationRecord.objects.count() == 1


def test_a_valuation_is_recorded_only_on_the_clients_own_listing_of_a_valuation_request(world):
    # The inquirer asks for a valuation of someone else's listing: the result is its own, not the listing's.
    parties = world.deal
    other = ServiceRequest.objects.create(
        reference_code="CT-DV-2026-99999",
        category=world.request.category,
        client_organization=parties.inquirer_org,
        client_user=parties.inquirer,
        listing=parties.listing,
        provider=world.provider,
        description="Định giá tham khảo.",
        state=S.IN_PROGRESS,
    )
    with pytest.raises(ValidationError, match="only when the listing's owner asked for it"):
        valuations.request_deliver_valuation(user=world.provider_user, request=other, **_values())
    no_listing = _in_progress(parties, world.provider, world.provider_user, listing=None)
    with pytest.raises(ValidationError, match="not about a listing"):
        valuations.request_deliver_valuation(user=world.provider_user, request=no_listing, **_values())
    assert not ValuationRecord.objects.exists()


# --- who sees it: pages and API ---------------------------------------------------------------------------------------

ROLES = ["owner", "inquirer_nda", "inquirer", "provider", "member", "anonymous", "lead", "partner_other"]
SEES = {"owner", "inquirer_nda", "lead"}


@pytest.fixture
def recorded(world):
    """Two inquirers: one with an NDA in force, one without; the valuation recorded with its report."""
    parties = world.deal
    nda_deal = make_deal(parties, stage="accepted")
    make_nda_in_force(parties, nda_deal)
    plain = deal_parties()  # another listing's parties; its inquirer inquires about ours
    from techex.deals import services as deal_services
    from techex.deals.tests.factories import inquiry_data

    deal_services.deal_inquire(
        user=plain.inquirer, listing=parties.listing, organization=plain.inquirer_org, **inquiry_data()
    )
    record = _record(world, report=pdf_file("bao-cao-dinh-gia.pdf"))
    users = {
        "owner": parties.owner,
        "inquirer_nda": parties.inquirer,
        "inquirer": plain.inquirer,
        "provider": world.provider_user,
        "member": UserFactory(),
        "anonymous": None,
        "lead": parties.staff,
        "partner_other": make_staff(make_partner("dong-thap")),
    }
    return {"record": record, "users": users, "listing": parties.listing}


def _login(client, user):
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("role", ROLES)
def test_the_listing_page_shows_valuations_to_those_who_see_its_confidential_part(client, recorded, role):
    page = _login(client, recorded["users"][role]).get(recorded["listing"].get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    sees = role in SEES
    assert (vnd(LOW) in html) is sees
    assert (f"/services/valuations/{recorded['record'].report.token}/" in html) is sees
    ask = f"/services/{VALUATION}/ask/?listing={recorded['listing'].reference_code}"
    assert (ask in html) is (role == "owner")


@pytest.mark.parametrize("role", ROLES)
def test_the_report_file_opens_to_the_same_people_and_the_requests_parties(client, recorded, role):
    response = _login(client, recorded["users"][role]).get(f"/services/valuations/{recorded['record'].report.token}/")
    if role == "anonymous":
        assert response.status_code == 302  # sign in first
        return
    assert response.status_code == (200 if role in SEES | {"provider"} else 404)


@pytest.mark.parametrize("role", ROLES)
def test_the_api_follows_the_same_rule(recorded, role):
    api = APIClient()
    if recorded["users"][role] is not None:
        api.force_authenticate(recorded["users"][role])
    response = api.get(f"/api/v1/valuations/?listing={recorded['listing'].reference_code}")
    assert response.status_code == 200
    body = response.json()
    if role in SEES:
        assert [(row["value_low_vnd"], row["value_high_vnd"], row["method"]) for row in body] == [(LOW, HIGH, "income")]
        assert body[0]["report_url"] == f"/services/valuations/{recorded['record'].report.token}/"
    else:
        assert body == []


def test_the_api_answers_404_for_a_listing_one_may_not_open_and_400_without_one(recorded):
    api = APIClient()
    assert api.get("/api/v1/valuations/?listing=CT-CG-2026-99999").status_code == 404
    response = api.get("/api/v1/valuations/")
    assert response.status_code == 400 and "reference code" in response.json()["listing"][0]


def test_the_service_request_in_the_api_carries_its_valuation_for_its_parties(recorded, world):
    code = world.request.reference_code
    for user in (recorded["users"]["owner"], recorded["users"]["provider"]):
        api = APIClient()
        api.force_authenticate(user)
        detail = api.get(f"/api/v1/service-requests/{code}/").json()
        assert detail["valuation"]["value_high_vnd"] == HIGH and detail["valuation"]["listing"] == (
            recorded["listing"].reference_code
        )
        rows = api.get("/api/v1/service-requests/").json()["results"]
        assert [row["valuation"]["method"] for row in rows if row["reference_code"] == code] == ["income"]
    api = APIClient()
    api.force_authenticate(recorded["users"]["inquirer_nda"])
    assert api.get(f"/api/v1/service-requests/{code}/").status_code == 404


# --- the request page's form -------------------------------------------------------------------------------------


def _form(**overrides: Any) -> dict[str, Any]:
    values = _values(**overrides)
    data = {f"valuation-{key}": value for key, value in values.items()}
    data["valuation-valued_on"] = values["valued_on"].isoformat() if hasattr(values["valued_on"], "isoformat") else ""
    return data


def test_the_request_page_offers_the_form_to_the_provider_only(client, world):
    url = world.request.get_absolute_url()
    client.force_login(world.provider_user)
    assert 'name="valuation-value_low_vnd"' in client.get(url).content.decode()
    client.force_login(world.deal.owner)
    assert 'name="valuation-value_low_vnd"' not in client.get(url).content.decode()


def test_the_form_records_and_delivers(client, world):
    client.force_login(world.provider_user)
    url = reverse("services:request_valuation", kwargs={"reference_code": world.request.reference_code})
    response = client.post(url, {**_form(), "valuation-report": pdf_file("bao-cao.pdf")})
    assert response.status_code == 302
    record = ValuationRecord.objects.get()
    assert record.value_low_vnd == LOW and record.report.original_name == "bao-cao.pdf"
    page = client.get(world.request.get_absolute_url()).content.decode()
    assert vnd(LOW) in page and 'name="valuation-value_low_vnd"' not in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"value_low_vnd": HIGH, "value_high_vnd": LOW}, "Giá trị cao nhất không thể thấp hơn giá trị thấp nhất."),
        ({"valued_on": timezone.localdate() + datetime.timedelta(days=2)}, "Ngày định giá không thể ở tương lai."),
        ({"value_low_vnd": 0}, "Đảm bảo giá trị này lớn hơn hoặc bằng với 1"),
    ],
)
@override_settings(LANGUAGE_CODE="vi")
def test_a_refused_form_says_why_in_vietnamese_and_saves_nothing(client, world, change, message):
    client.force_login(world.provider_user)
    url = reverse("services:request_valuation", kwargs={"reference_code": world.request.reference_code})
    response = client.post(url, _form(**change), HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ValuationRecord.objects.exists()
    assert ServiceRequest.objects.get(pk=world.request.pk).state == S.IN_PROGRESS


def test_the_client_posting_the_form_is_refused(client, world):
    client.force_login(world.deal.owner)
    url = reverse("services:request_valuation", kwargs={"reference_code": world.request.reference_code})
    response = client.post(url, _form())
    assert response.status_code == 400 and "Mark as delivered" in response.content.decode()
    assert not ValuationRecord.objects.exists()


def test_ask_for_a_valuation_opens_the_form_with_the_listing_chosen(client, world):
    client.force_login(world.deal.owner)
    listing = world.deal.listing
    page = client.get(f"/services/{VALUATION}/ask/?listing={listing.reference_code}")
    assert page.status_code == 200 and listing.title in page.content.decode()


def test_the_admin_lists_records_read_only(client, recorded):
    from techex.accounts.tests.factories import StaffFactory

    client.force_login(StaffFactory(is_superuser=True))
    page = client.get("/admin/services/valuationrecord/")
    assert page.status_code == 200 and recorded["listing"].reference_code in page.content.decode()
    record = recorded["record"]
    assert client.post(f"/admin/services/valuationrecord/{record.pk}/delete/", {"post": "yes"}).status_code == 403
    assert ValuationRecord.objects.filter(pk=record.pk).exists()
