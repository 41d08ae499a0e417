"""The words filter reads the folded text: accents, case, đ and NFD input do not matter."""

import unicodedata

import pytest
from django.urls import reverse

from techex.listings.filtersets import ListingFilterSet
from techex.listings.selectors import listing_list_public
from techex.listings.tests.factories import make_published

pytestmark = pytest.mark.django_db


@pytest.fixture
def listings(reference_data, owner, org, staff):
    dryer = make_published(user=owner, organization=org, staff=staff)
    water = make_published(user=owner, organization=org, staff=staff, kind="need")
    return dryer, water


@pytest.mark.parametrize(
    "query",
    ["may say lua", "Máy sấy lúa", "MÁY SẤY LÚA", unicodedata.normalize("NFD", "máy sấy lúa"), "  sấy,  lúa!  "],
)
def test_words_find_the_listing_whatever_the_accents(listings, query):
    dryer, _water = listings
    assert list(listing_list_public(filters=ListingFilterSet({"q": query}))) == [dryer]


def test_d_with_stroke_folds_to_d(reference_data, owner, org, staff):
    listing = make_published(user=owner, organization=org, staff=staff, title="Giải pháp cho Đồng Tháp")
    assert list(listing_list_public(filters=ListingFilterSet({"q": "dong thap"}))) == [listing]


def test_when_no_listing_has_every_word_listings_with_some_are_listed(listings):
    dryer, water = listings
    assert list(listing_list_public(filters=ListingFilterSet({"q": "sấy lúa"}))) == [dryer]  # all words when possible
    assert set(listing_list_public(filters=ListingFilterSet({"q": "sấy tôm"}))) == {dryer, water}


def test_browse_page_and_api_take_the_words(client, listings):
    dryer, water = listings
    page = client.get(reverse("listings:browse"), {"q": "nuoi tom"})
    assert [hit.listing for hit in page.context["page"].object_list] == [water]
    assert "ao <mark>nuôi</mark> <mark>tôm</mark>" in page.content.decode()  # the words found are highlighted
    data = client.get("/api/v1/listings/", {"q": "may say"}).json()
    assert [item["reference_code"] for item in data["results"]] == [dryer.reference_code]
