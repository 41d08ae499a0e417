"""GET /api/v1/listings/{reference_code}/matches/: who sees what, reasons in the request's language, bad input."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from techex.listings.models import Listing
from techex.matching.models import Match
from techex.organizations.tests.factories import OrganizationFactory

from .factories import DESALINATION_OFFER, SALINITY_NEED, member, publish

pytestmark = pytest.mark.django_db
QUERY_BUDGET = 8  # the listing (with its fields and images), its matches, names of provinces and fields, the user


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


@pytest.fixture
def need_owner(reference_data):
    return member(OrganizationFactory(name="Hợp tác xã Tôm Sạch"))


@pytest.fixture
def need(staff, need_owner, on_commit):
    organization = need_owner.memberships.first().organization
    return on_commit(
        publish, staff, kind="need", text=SALINITY_NEED, organization=organization, owner=need_owner, min_trl=5
    )


@pytest.fixture
def offers(staff, need, on_commit):
    hidden = OrganizationFactory(name="Viện Giấu Tên")
    return [
        on_commit(publish, staff, kind="offer", text=DESALINATION_OFFER, trl=7, province_id="92"),
        on_commit(
            publish,
            staff,
            kind="offer",
            text=DESALINATION_OFFER,
            title="Trạm khử mặn RO cho ao tôm",
            organization=hidden,
            is_anonymous=True,
        ),
    ]


def _url(listing: Listing, **params) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"/api/v1/listings/{listing.reference_code}/matches/" + (f"?{query}" if query else "")


def _client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_anyone_reads_the_matches_of_a_live_need_best_first_with_reasons(need, offers):
    response = _client().get(_url(need), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    data = response.json()
    assert [item["listing"]["reference_code"] for item in data] == [
        m.offer.reference_code for m in Match.objects.filter(need=need).order_by("-score", "-id")
    ]
    assert {item["listing"]["reference_code"] for item in data} == {offer.reference_code for offer in offers}
    first = next(item for item in data if item["listing"]["reference_code"] == offers[0].reference_code)
    assert first["listing"]["kind"] == "offer" and 0 < first["score"] <= 100
    texts = {reason["code"]: reason["text"] for reason in first["reasons"]}
    assert texts["trl_ok"] == "TRL 7 meets the required 5"
    assert texts["field"].startswith("Same S&T field: 20701")
    assert all(isinstance(reason["points"], int) for reason in first["reasons"])
    assert first["listing"]["url"].endswith(f"/listings/{first['listing']['reference_code']}/")


def test_an_anonymous_offers_organisation_is_not_named(need, offers):
    data = _client().get(_url(need)).json()
    anonymous = next(item for item in data if item["listing"]["reference_code"] == offers[1].reference_code)
    named = next(item for item in data if item["listing"]["reference_code"] == offers[0].reference_code)
    assert anonymous["listing"]["organization"] is None and anonymous["listing"]["is_anonymous"] is True
    assert named["listing"]["organization"]["name"] == offers[0].organization.name
    assert "Giấu Tên" not in str(data)


def test_an_offer_lists_the_needs_it_could_serve(need, offers):
    data = _client().get(_url(offers[0])).json()
    assert [item["listing"]["reference_code"] for item in data] == [need.reference_code]
    assert data[0]["listing"]["kind"] == "need" and data[0]["listing"]["min_trl"] == 5


def test_a_listing_nobody_else_may_see_is_a_404_as_a_missing_one(need_owner, staff):
    from techex.listings.tests.factories import make_listing

    draft = make_listing(user=need_owner, organization=need_owner.memberships.first().organization, kind="need")
    assert _client().get(_url(draft)).status_code == 404
    assert _client(member()).get(_url(draft)).status_code == 404
    assert _client().get("/api/v1/listings/CT-TN-2099-99999/matches/").json() == {"detail": "Not found."}
    assert _client(need_owner).get(_url(draft)).json() == []
    assert _client(staff).get(_url(draft)).json() == []


def test_a_bad_limit_is_a_400_naming_it(need):
    for bad in ("0", "51", "many", "1.5"):
        response = _client().get(_url(need, limit=bad))
        assert response.status_code == 400
        assert list(response.json()) == ["limit"]
    assert len(_client().get(_url(need, limit=1)).json()) <= 1


@pytest.mark.parametrize("who", ["anonymous", "owner", "staff"])
def test_the_number_of_queries_does_not_grow_with_the_matches(
    who, need, need_owner, staff, offers, on_commit, django_assert_max_num_queries
):
    user = {"anonymous": None, "owner": need_owner, "staff": staff}[who]
    client = _client(user)
    with django_assert_max_num_queries(QUERY_BUDGET):
        assert len(client.get(_url(need)).json()) == 2
    for n in range(3):
        on_commit(publish, staff, kind="offer", text=DESALINATION_OFFER, title=f"Trạm khử mặn số {n}", trl=6)
    with django_assert_max_num_queries(QUERY_BUDGET):
        assert len(client.get(_url(need)).json()) == 5
