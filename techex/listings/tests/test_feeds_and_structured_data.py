"""The public feeds of new offers and needs (by field too), and the schema.org data of a listing's page."""

import json
import re
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from techex.listings import services
from techex.listings.tests.factories import make_listing, make_published
from techex.organizations.tests.factories import MembershipFactory, OrganizationFactory
from techex.reference.models import STField

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
FEED = reverse("listings:feed")


def feed(client, query: str = "") -> ElementTree.Element:
    response = client.get(f"{FEED}{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ElementTree.fromstring(response.content)  # noqa: S314 (our own answer)


def titles(root: ElementTree.Element) -> list[str]:
    return [entry.findtext(f"{ATOM}title") or "" for entry in root.findall(f"{ATOM}entry")]


def json_ld(response) -> dict | None:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S)
    return json.loads(found.group(1)) if found else None


def test_the_feed_of_new_offers_lists_live_offers_newest_first(client, owner, org, staff, published_offer):
    newer = make_published(user=owner, organization=org, staff=staff, title="Máy bóc vỏ dừa")
    need = make_published(user=owner, organization=org, staff=staff, kind="need")
    make_listing(user=owner, organization=org, title="Bản nháp chưa duyệt")
    everything = feed(client)
    assert titles(everything) == [need.title, newer.title, published_offer.title]
    assert everything.findtext(f"{ATOM}subtitle") == "Every new listing"
    offers = feed(client, "?kind=offer")
    assert titles(offers) == [newer.title, published_offer.title]
    assert offers.findtext(f"{ATOM}title").startswith("New technology offers · ")
    [self_link] = [link for link in offers.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert self_link.get("href") == f"http://testserver{FEED}?kind=offer"
    assert titles(feed(client, "?kind=need")) == [need.title]


def test_the_feed_by_field_takes_the_field_and_the_ones_below_it(client, owner, org, staff):
    farming = make_published(user=owner, organization=org, staff=staff, title="Máy sấy nông sản")  # fields 4, 402
    sciences = list(STField.objects.filter(code="1"))
    other = make_published(user=owner, organization=org, staff=staff, title="Phần mềm quản lý", fields=sciences)
    root = feed(client, "?field=4")
    assert titles(root) == [farming.title]
    assert "S&T field: " in root.findtext(f"{ATOM}subtitle")
    assert other.title in titles(feed(client, "?field=1"))


def test_a_listing_that_leaves_the_public_view_leaves_the_feed(client, owner, published_offer):
    services.listing_withdraw(listing=published_offer, user=owner)
    assert titles(feed(client)) == []


def test_an_anonymous_listing_is_in_the_feed_without_its_owner(client, reference_data, staff):
    hidden = OrganizationFactory(name="Viện Công Nghệ Kín Đáo")
    owner = MembershipFactory(organization=hidden).user
    listing = make_published(user=owner, organization=hidden, staff=staff, is_anonymous=True)
    body = client.get(FEED).content.decode()
    assert listing.title in body and "Kín Đáo" not in body


@pytest.mark.parametrize("query", ["?kind=contract", "?field=99999", "?q=may", "?province=xx", "?trl=12"])
def test_a_feed_address_with_a_filter_it_cannot_apply_is_not_found(client, reference_data, query):
    response = client.get(f"{FEED}{query}")
    assert response.status_code == 404


def test_the_browse_page_links_the_feed_of_its_filters(client, published_offer):
    page = client.get(reverse("listings:browse") + "?kind=offer&q=sấy").content.decode()
    assert f'href="{FEED}?kind=offer"' in page
    assert 'rel="alternate" type="application/atom+xml"' in page


def test_an_offer_page_describes_the_offer_for_search_engines(client, owner, org, staff):
    offer = make_published(
        user=owner, organization=org, staff=staff, price_type="range", price_min=50_000_000, price_max=90_000_000
    )
    data = json_ld(client.get(offer.get_absolute_url()))
    assert data is not None
    assert data["@context"] == "https://schema.org" and data["@type"] == "Product"
    assert data["name"] == offer.title and data["identifier"] == offer.reference_code
    assert data["url"] == f"http://testserver{offer.get_absolute_url()}"
    assert data["brand"] == {
        "@type": "Organization",
        "name": org.name,
        "url": f"http://testserver{org.get_absolute_url()}",
    }
    assert data["offers"]["priceSpecification"] == {
        "@type": "PriceSpecification",
        "priceCurrency": "VND",
        "minPrice": 50_000_000,
        "maxPrice": 90_000_000,
    }
    assert data["category"]


def test_a_need_is_a_demand_and_an_anonymous_owner_is_not_named(client, reference_data, staff):
    hidden = OrganizationFactory(name="Hợp tác xã Kín Đáo")
    owner = MembershipFactory(organization=hidden).user
    need = make_published(user=owner, organization=hidden, staff=staff, kind="need", is_anonymous=True)
    response = client.get(need.get_absolute_url())
    data = json_ld(response)
    assert data is not None and data["@type"] == "Demand"
    assert data["priceSpecification"]["maxPrice"] == 500_000_000
    assert "Kín Đáo" not in json.dumps(data, ensure_ascii=False)


def test_a_draft_seen_by_its_owner_has_no_structured_data(client, owner, offer):
    client.force_login(owner)
    response = client.get(offer.get_absolute_url())
    assert response.status_code == 200
    assert json_ld(response) is None


def test_text_cannot_close_the_script_element(client, owner, org, staff):
    offer = make_published(user=owner, organization=org, staff=staff, title="Máy sấy </script><script>alert(1)")
    page = client.get(offer.get_absolute_url()).content.decode()
    assert "</script><script>alert(1)" not in page
    assert json_ld(client.get(offer.get_absolute_url()))["name"] == offer.title
