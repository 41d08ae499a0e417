"""The service pages: who sees what (client, provider, other provider, lead and partner staff, anonymous), routing
to the right department's queue, query budgets, Vietnamese text."""

import pytest
from django.test import override_settings
from django.urls import reverse

from techex.accounts.tests.factories import StaffFactory, UserFactory
from techex.departments.tests.factories import make_partner, make_staff
from techex.services.choices import RequestState as S
from techex.services.models import ServiceProvider, ServiceRequest
from techex.services.samples import SAMPLES

from .factories import make_category, make_provider, make_request, request_parties

pytestmark = pytest.mark.django_db

AN_GIANG, DONG_THAP = "91", "82"


@pytest.fixture
def world(reference_data):
    an_giang, dong_thap = make_partner("an-giang"), make_partner("dong-thap")
    lead = StaffFactory()
    parties = request_parties(province=AN_GIANG, staff=lead)
    other_category = make_category("dao-tao", name="Đào tạo", name_en="Training")
    other_provider, other_provider_user = make_provider(category=other_category, staff=lead)
    request = make_request(parties, state=S.QUOTED)
    users = {
        "client": parties.client,
        "provider": parties.provider_user,
        "other_provider": other_provider_user,
        "lead": lead,
        "partner_right": make_staff(an_giang),
        "partner_other": make_staff(dong_thap),
        "member": UserFactory(),
        "anonymous": None,
    }
    return {"parties": parties, "request": request, "users": users, "an_giang": an_giang, "dong_thap": dong_thap}


def _get(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url)


# The request page and its file: who may read them.
READERS = {"client", "provider", "lead", "partner_right"}


@pytest.mark.parametrize(
    "role", ["client", "provider", "other_provider", "lead", "partner_right", "partner_other", "member", "anonymous"]
)
def test_request_page_permissions(client, world, role):
    url = world["request"].get_absolute_url()
    response = _get(client, world["users"][role], url)
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif role in READERS:
        assert response.status_code == 200
        assert world["request"].reference_code in response.content.decode()
    else:
        assert response.status_code == 404


@pytest.mark.parametrize(
    "role", ["client", "provider", "other_provider", "lead", "partner_right", "partner_other", "member", "anonymous"]
)
def test_staff_pages_permissions(client, world, role):
    for name in ("services:staff_requests", "services:staff_providers"):
        response = _get(client, world["users"][role], reverse(name))
        assert response.status_code == (200 if role in ("lead", "partner_right", "partner_other") else 404)


@pytest.mark.parametrize(
    "role", ["client", "provider", "other_provider", "lead", "partner_right", "partner_other", "member", "anonymous"]
)
def test_public_pages_answer_everyone(client, world, role):
    parties = world["parties"]
    for url in (
        reverse("services:catalogue"),
        parties.category.get_absolute_url(),
        parties.provider.get_absolute_url(),
    ):
        response = _get(client, world["users"][role], url)
        assert response.status_code == 200, url


def test_only_the_client_can_accept_and_others_change_nothing(client, world):
    request = world["request"]
    url = reverse("services:request_act", args=[request.reference_code, "accept"])
    for role in ("provider", "lead", "partner_right"):
        client.force_login(world["users"][role])
        response = client.post(url)
        assert response.status_code == 400
        assert ServiceRequest.objects.get(pk=request.pk).state == S.QUOTED
    for role in ("other_provider", "partner_other", "member"):
        client.force_login(world["users"][role])
        assert client.post(url).status_code == 404
    client.force_login(world["users"]["client"])
    response = client.post(url)
    assert response.status_code == 302
    assert ServiceRequest.objects.get(pk=request.pk).state == S.ACCEPTED


def test_a_refused_transition_shows_its_message(client, world):
    request = world["request"]
    client.force_login(world["users"]["provider"])
    response = client.post(reverse("services:request_act", args=[request.reference_code, "deliver"]), follow=True)
    assert response.status_code == 400
    assert "cannot go from" in response.content.decode() or "không thể chuyển" in response.content.decode()
    assert ServiceRequest.objects.get(pk=request.pk).state == S.QUOTED


def test_the_full_journey_through_the_pages(client, world):
    """A member asks a provider for a valuation, the provider quotes, the member accepts and rates."""
    parties = world["parties"]
    client.force_login(parties.client)
    response = client.post(
        reverse("services:request_new", args=[parties.category.code]),
        {
            "organization": parties.client_org.pk,
            "provider": parties.provider.pk,
            "description": "Cần định giá công nghệ sấy lạnh để góp vốn.",
        },
    )
    assert response.status_code == 302
    request = ServiceRequest.objects.exclude(pk=world["request"].pk).get()
    assert request.state == S.ASSIGNED and request.department == world["an_giang"]
    act = lambda action: reverse("services:request_act", args=[request.reference_code, action])  # noqa: E731
    client.force_login(parties.provider_user)
    bad = client.post(act("quote"), {"quote-amount_vnd": "0", "quote-duration_days": "10"})
    assert bad.status_code == 400
    ok = client.post(act("quote"), {"quote-amount_vnd": "30000000", "quote-duration_days": "20", "quote-note": ""})
    assert ok.status_code == 302
    client.force_login(parties.client)
    assert client.post(act("accept")).status_code == 302
    client.force_login(parties.provider_user)
    assert client.post(act("start")).status_code == 302
    assert client.post(act("deliver")).status_code == 302
    client.force_login(parties.client)
    page = client.get(request.get_absolute_url())
    assert "30.000.000" in page.content.decode() or "30,000,000" in page.content.decode()
    response = client.post(
        act("close"), {"close-rating": "5", "close-comment": "Rất tốt.", "close-testimonial_consent": "on"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.state, request.rating, request.testimonial_consent) == (S.CLOSED, 5, True)
    # The testimonial now shows on the category page.
    assert "Rất tốt." in client.get(parties.category.get_absolute_url()).content.decode()


def test_routing_to_the_right_department_queue_and_reassignment(client, world):
    parties = world["parties"]
    fresh = make_request(parties)  # submitted, An Giang's client
    assert fresh.department == world["an_giang"]
    users = world["users"]
    client.force_login(users["partner_right"])
    assert fresh.reference_code in client.get(reverse("services:staff_requests")).content.decode()
    client.force_login(users["partner_other"])
    assert fresh.reference_code not in client.get(reverse("services:staff_requests")).content.decode()
    assert client.get(fresh.get_absolute_url()).status_code == 404
    # The lead sees every queue with its count.
    client.force_login(users["lead"])
    page = client.get(reverse("services:staff_requests") + "?department=all").content.decode()
    assert fresh.reference_code in page and "(1)" in page
    # The partner hands it over to Đồng Tháp, with a reason; then only Đồng Tháp sees it.
    client.force_login(users["partner_right"])
    response = client.post(
        reverse("services:request_reassign", args=[fresh.reference_code]),
        {"reassign-department": "dong-thap", "reassign-reason": "Khách hàng có xưởng ở Đồng Tháp."},
    )
    assert response.status_code == 302
    fresh.refresh_from_db()
    assert fresh.department == world["dong_thap"]
    client.force_login(users["partner_other"])
    assert fresh.reference_code in client.get(reverse("services:staff_requests")).content.decode()


def test_partner_staff_assign_only_in_their_province(client, world):
    parties = world["parties"]
    fresh = make_request(parties)
    url = reverse("services:request_act", args=[fresh.reference_code, "assign"])
    client.force_login(world["users"]["partner_other"])
    assert client.post(url, {"provider": parties.provider.pk}).status_code == 404
    client.force_login(world["users"]["partner_right"])
    assert client.post(url, {"provider": parties.provider.pk}).status_code == 302
    fresh.refresh_from_db()
    assert fresh.state == S.ASSIGNED and fresh.provider == parties.provider


def test_provider_verification_queue_is_scoped(client, world):
    category = world["parties"].category
    pending, _admin = make_provider(category=category, province=AN_GIANG, verified=False)
    client.force_login(world["users"]["partner_other"])
    assert client.get(reverse("services:staff_provider_decide", args=[pending.pk])).status_code == 404
    assert pending.organization.name not in client.get(reverse("services:staff_providers")).content.decode()
    client.force_login(world["users"]["partner_right"])
    assert pending.organization.name in client.get(reverse("services:staff_providers")).content.decode()
    response = client.post(
        reverse("services:staff_provider_decide", args=[pending.pk]), {"decision": "refuse", "note": ""}
    )
    assert response.status_code == 400
    response = client.post(
        reverse("services:staff_provider_decide", args=[pending.pk]), {"decision": "verify", "note": ""}
    )
    assert response.status_code == 302
    assert ServiceProvider.objects.get(pk=pending.pk).is_verified
    # An unverified provider's page is 404 to the public.
    other, _a = make_provider(category=category, verified=False)
    client.logout()
    assert client.get(other.get_absolute_url()).status_code == 404


def test_my_requests_lists_own_requests_for_client_and_provider(client, world):
    request = world["request"]
    for role, expected in (("client", True), ("provider", True), ("other_provider", False), ("member", False)):
        client.force_login(world["users"][role])
        page = client.get(reverse("services:mine")).content.decode()
        assert (request.reference_code in page) is expected, role


@override_settings(LANGUAGE_CODE="vi")
def test_pages_speak_vietnamese(client, world):
    client.force_login(world["users"]["client"])
    catalogue = client.get(reverse("services:catalogue"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Dịch vụ thị trường công nghệ" in catalogue
    page = client.get(world["request"].get_absolute_url(), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Chấp nhận báo giá" in page and "Đã báo giá" in page


def test_dich_vu_redirects_and_samples_resolve(client, world):
    response = client.get("/dich-vu/")
    assert response.status_code == 302 and response["Location"] == reverse("services:catalogue")
    for key in SAMPLES:
        assert client.get(reverse("services:sample", args=[key])).status_code == 302
    assert client.get(reverse("services:sample", args=["nope"])).status_code == 404


def test_list_pages_keep_their_query_budget(client, world, count_queries):
    parties = world["parties"]
    for _ in range(4):
        make_request(parties, state=S.ASSIGNED)
    for _ in range(3):
        make_provider(category=parties.category, staff=world["users"]["lead"])
    budgets = [
        (None, reverse("services:catalogue"), 6),
        (None, parties.category.get_absolute_url(), 10),
        ("client", reverse("services:mine"), 12),
        ("lead", reverse("services:staff_requests") + "?department=all", 14),
        ("lead", reverse("services:staff_providers"), 14),
        ("client", world["request"].get_absolute_url(), 16),
        ("lead", world["request"].get_absolute_url(), 20),
    ]
    for role, url, budget in budgets:
        client.logout()
        if role:
            client.force_login(world["users"][role])
        client.get(url)  # warm caches (sessions, the lead department)
        with count_queries() as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert len(queries) <= budget, (url, len(queries))


def test_bad_codes_answer_404_not_500(client, world):
    client.force_login(world["users"]["client"])
    for url in (
        "/services/requests/CT%00DV/",
        "/services/files/%00abc/",
        "/services/credentials/%00abc/",
        "/services/providers/a%00b/",
        "/services/x%00y/",
    ):
        assert client.get(url).status_code == 404, url
    category = world["parties"].category
    ask = reverse("services:request_new", args=[category.code])
    assert client.get(ask + "?listing=a%00b&deal=%00&provider=%00").status_code == 200
    assert client.get("/api/v1/service-providers/?category=a%00b").status_code == 400


def test_staff_follow_requests_in_any_state_of_their_scope(client, world):
    code = world["request"].reference_code  # quoted, An Giang
    url = reverse("services:staff_requests")
    client.force_login(world["users"]["partner_right"])
    assert code not in client.get(url).content.decode()  # not waiting for routing
    assert code in client.get(url + "?state=quoted").content.decode()
    assert code not in client.get(url + "?state=bogus").content.decode()  # falls back to the routing queue
    client.force_login(world["users"]["partner_other"])
    assert code not in client.get(url + "?state=quoted").content.decode()
    client.force_login(world["users"]["lead"])
    assert code in client.get(url + "?department=all&state=quoted").content.decode()
