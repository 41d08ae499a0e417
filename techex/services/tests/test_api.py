"""The services API: the pages' permission rules, the shared FilterSet, the schema, query budgets."""

import pytest
from rest_framework.test import APIClient

from techex.accounts.tests.factories import UserFactory
from techex.departments.tests.factories import make_partner, make_staff
from techex.services.choices import RequestState as S

from .factories import make_category, make_provider, make_request, request_parties

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(reference_data):
    an_giang, dong_thap = make_partner("an-giang"), make_partner("dong-thap")
    parties = request_parties(province="91")
    other, other_user = make_provider(category=parties.category)
    request = make_request(parties, state=S.QUOTED)
    users = {
        "client": parties.client,
        "provider": parties.provider_user,
        "other_provider": other_user,
        "lead": parties.staff,
        "partner_right": make_staff(an_giang),
        "partner_other": make_staff(dong_thap),
        "member": UserFactory(),
        "anonymous": None,
    }
    return {"parties": parties, "request": request, "users": users}


def _client(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


ROLES = ["client", "provider", "other_provider", "lead", "partner_right", "partner_other", "member", "anonymous"]


@pytest.mark.parametrize("role", ROLES)
def test_request_endpoints_follow_the_page_rules(world, role):
    client = _client(world["users"][role])
    code = world["request"].reference_code
    detail = client.get(f"/api/v1/service-requests/{code}/")
    listing = client.get("/api/v1/service-requests/")
    if role == "anonymous":
        assert detail.status_code == 401 and listing.status_code == 401
        return
    readable = role in ("client", "provider", "lead", "partner_right")
    assert detail.status_code == (200 if readable else 404)
    if readable:
        assert detail.json()["state"] == "quoted" and detail.json()["quote"]["amount_vnd"] == 15_000_000
    # The list holds one's own requests only (staff read others' by address).
    codes = [item["reference_code"] for item in listing.json()["results"]]
    assert (code in codes) is (role in ("client", "provider"))


@pytest.mark.parametrize("role", ROLES)
def test_catalogue_endpoints_are_public(world, role):
    client = _client(world["users"][role])
    categories = client.get("/api/v1/service-categories/")
    assert categories.status_code == 200
    assert [c["code"] for c in categories.json()["results"]] == ["dinh-gia"]
    providers = client.get("/api/v1/service-providers/?category=dinh-gia")
    assert providers.status_code == 200 and len(providers.json()["results"]) == 2
    slug = world["parties"].provider.organization.slug
    assert client.get(f"/api/v1/service-providers/{slug}/").status_code == 200


def test_unverified_providers_and_unknown_categories(world):
    client = _client(None)
    pending, _admin = make_provider(category=world["parties"].category, verified=False)
    assert client.get(f"/api/v1/service-providers/{pending.organization.slug}/").status_code == 404
    response = client.get("/api/v1/service-providers/?category=nope")
    assert response.status_code == 400 and "category" in response.json()


def test_the_filterset_is_shared_by_page_and_api(world):
    parties = world["parties"]
    make_request(parties, state=S.CANCELLED)
    make_category("dao-tao")
    client = _client(parties.client)
    assert [r["state"] for r in client.get("/api/v1/service-requests/?state=cancelled").json()["results"]] == [
        "cancelled"
    ]
    bad = client.get("/api/v1/service-requests/?state=nope&role=boss")
    assert bad.status_code == 400 and set(bad.json()) >= {"state", "role"}
    provider = _client(parties.provider_user)
    assert provider.get("/api/v1/service-requests/?role=client").json()["count"] == 0
    assert provider.get("/api/v1/service-requests/?role=provider").json()["count"] == 1


def test_categories_speak_the_requested_language(world):
    client = _client(None)
    english = client.get("/api/v1/service-categories/dinh-gia/", HTTP_ACCEPT_LANGUAGE="en").json()
    vietnamese = client.get("/api/v1/service-categories/dinh-gia/", HTTP_ACCEPT_LANGUAGE="vi").json()
    assert english["name"] == "Technology assessment and valuation"
    assert vietnamese["name"] == "Thẩm định và định giá công nghệ"


def test_schema_lists_the_endpoints(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in ("/api/v1/service-categories/", "/api/v1/service-providers/", "/api/v1/service-requests/"):
        assert path in schema


def test_list_endpoints_keep_their_query_budget(world, count_queries):
    parties = world["parties"]
    for _ in range(5):
        make_request(parties, state=S.QUOTED)
    for _ in range(3):
        make_provider(category=parties.category)
    budgets = [
        (parties.client, "/api/v1/service-requests/", 6),
        (None, "/api/v1/service-providers/", 5),
        (None, "/api/v1/service-categories/", 3),
    ]
    for user, url, budget in budgets:
        client = _client(user)
        with count_queries() as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert len(queries) <= budget, (url, len(queries), [q["sql"] for q in queries.captured_queries])
