"""The feed of changes another exchange harvests, in order with tombstones, behind API keys with scopes and rates."""

import jsonschema
import pytest
from django.core.cache import cache
from django.urls import reverse

from techex.exchange import services
from techex.exchange.choices import FORMAT
from techex.exchange.models import ApiKey, ListingChange
from techex.listings import services as listing_services
from techex.listings.public_record import COLUMN_NAMES
from techex.listings.tests.factories import make_listing, make_published
from techex.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

CHANGES = reverse("api-exchange-changes")


@pytest.fixture
def harvest_key(staff):
    _key, text = services.api_key_issue(user=staff, name="Sàn An Giang", scopes=["harvest"], rate_per_minute=5)
    return text


def get(client, key: str | None, query: str = ""):
    headers = {"HTTP_AUTHORIZATION": f"Api-Key {key}"} if key else {}
    return client.get(f"{CHANGES}{query}", **headers)


def test_the_feed_gives_live_listings_in_the_order_they_changed_then_tombstones(client, owner, org, staff, harvest_key):
    first = make_published(user=owner, organization=org, staff=staff, title="Máy sấy lúa")
    second = make_published(user=owner, organization=org, staff=staff, kind="need")
    make_listing(user=owner, organization=org, title="Bản nháp không bao giờ vào feed")
    page = get(client, harvest_key).json()
    assert page["format"] == FORMAT and page["operator"]["code"] == "CT"
    assert [c["id"] for c in page["changes"]] == [f"CT:{first.reference_code}", f"CT:{second.reference_code}"]
    assert page["has_more"] is False
    record = page["changes"][0]["listing"]
    assert set(record) == {"id", *COLUMN_NAMES}
    assert record["title"] == "Máy sấy lúa" and record["organization_name"] == org.name

    # The cursor: nothing new after the last page; a withdrawal is a tombstone after it; a change moves a listing
    # to the end, once.
    cursor = page["next_cursor"]
    assert get(client, harvest_key, f"?cursor={cursor}").json()["changes"] == []
    listing_services.listing_withdraw(listing=first, user=owner)
    after = get(client, harvest_key, f"?cursor={cursor}").json()
    assert after["changes"] == [
        {"seq": after["changes"][0]["seq"], "id": f"CT:{first.reference_code}", "deleted": True, "listing": None}
    ]
    assert ListingChange.objects.count() == 2  # one row per listing, at its latest change


def test_pages_follow_each_other_without_gaps_or_repeats(client, owner, org, staff, harvest_key):
    made = [make_published(user=owner, organization=org, staff=staff, title=f"Công nghệ {n}") for n in range(5)]
    seen, cursor = [], "0"
    while True:
        page = get(client, harvest_key, f"?cursor={cursor}&limit=2").json()
        seen += [change["id"] for change in page["changes"]]
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    assert seen == [f"CT:{listing.reference_code}" for listing in made]


def test_an_anonymous_listing_is_in_the_feed_without_its_owner(client, reference_data, staff, harvest_key):
    hidden = OrganizationFactory(name="Viện Giấu Tên", tax_code="0312345678")
    listing = make_published(
        user=MembershipFactory(organization=hidden).user, organization=hidden, staff=staff, is_anonymous=True
    )
    body = get(client, harvest_key).content.decode()
    assert listing.reference_code in body
    assert "Giấu Tên" not in body and "0312345678" not in body


def test_the_feed_needs_a_key_with_the_harvest_scope(client, staff, reference_data):
    assert get(client, None).status_code == 401
    assert get(client, "nope").status_code == 401
    assert get(client, "abcd.wrong").json()["detail"] == "This API key is not valid or was revoked."
    key, read_only = services.api_key_issue(user=staff, name="Cổng dữ liệu", scopes=["read"])
    response = get(client, read_only)
    assert response.status_code == 403
    assert response.json()["detail"] == "This needs an API key with the harvest scope."
    # A read key reads the public API (as anonymous), and is counted.
    assert client.get(reverse("listing-list"), HTTP_AUTHORIZATION=f"Api-Key {read_only}").status_code == 200
    key.refresh_from_db()
    assert key.use_count == 2 and key.last_used_at is not None
    services.api_key_revoke(user=staff, key=key)
    assert client.get(reverse("listing-list"), HTTP_AUTHORIZATION=f"Api-Key {read_only}").status_code == 401
    client.force_login(staff)
    assert get(client, None).status_code == 200  # staff read the feed to check it


def test_each_key_has_its_own_rate(client, staff, harvest_key, reference_data):
    cache.clear()
    answers = [get(client, harvest_key).status_code for _ in range(6)]
    assert answers == [200] * 5 + [429]
    _other, other_text = services.api_key_issue(user=staff, name="Sàn khác", scopes=["harvest"], rate_per_minute=5)
    assert get(client, other_text).status_code == 200  # another key, another count


def test_only_a_hash_of_the_key_is_kept(staff):
    key, text = services.api_key_issue(user=staff, name="Sàn Vĩnh Long", scopes=["harvest", "read"])
    prefix, secret = text.split(".")
    assert key.prefix == prefix and secret not in key.secret_hash
    assert ApiKey.objects.filter(secret_hash__contains=secret).count() == 0
    assert services.api_key_find(text=text) == key
    assert services.api_key_find(text=f"{prefix}.x{secret}") is None
    with pytest.raises(ValueError):
        services.api_key_issue(user=staff, name="Sai", scopes=["write"])


@pytest.mark.parametrize("query", ["?cursor=abc", "?cursor=-1", "?limit=0", "?limit=501", "?limit=x"])
def test_a_bad_cursor_or_limit_is_a_400_naming_it(client, staff, harvest_key, query):
    response = get(client, harvest_key, query)
    assert response.status_code == 400
    assert set(response.json()) <= {"cursor", "limit"}


def test_the_schema_is_published_and_describes_every_column(client):
    schema = client.get(reverse("api-exchange-schema")).json()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    listing = schema["$defs"]["listing"]
    assert set(listing["required"]) == {"id", *COLUMN_NAMES}
    assert listing["properties"]["trl"]["type"] == ["integer", "null"]


def test_every_page_conforms_to_the_published_schema(client, owner, org, staff, harvest_key):
    live = make_published(user=owner, organization=org, staff=staff, price_type="range", price_min=1, price_max=9)
    gone = make_published(user=owner, organization=org, staff=staff, kind="need", title="Cần rút")
    listing_services.listing_withdraw(listing=gone, user=owner)
    page = get(client, harvest_key).json()
    assert {c["deleted"] for c in page["changes"]} == {True, False} and live.reference_code in str(page)
    schema = client.get(reverse("api-exchange-schema")).json()
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(page)
