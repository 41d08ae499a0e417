"""The cache of search results: repeated searches skip the work, and no change to the index is ever hidden."""

import pytest
from django.utils import translation

from techex.listings import services
from techex.listings.filtersets import ListingFilterSet
from techex.listings.models import Listing
from techex.listings.tests.factories import make_published
from techex.search.cache import index_version
from techex.search.selectors import search, search_listings
from techex.search.services import rebuild_index

pytestmark = pytest.mark.django_db


@pytest.fixture
def publish(reference_data, owner, org, staff):
    def publish(**overrides):
        return make_published(user=owner, organization=org, staff=staff, **overrides)

    return publish


@pytest.fixture
def run(count_queries):
    """Search for ``q``: the first page of listings, the total, and the queries it took."""

    def run(q: str, **filters):
        with count_queries() as queries:
            found = search(filters=ListingFilterSet({"q": q, **filters}))
            listings = [hit.listing for hit in found.hits[0:20]]
        return listings, found.total, len(queries)

    return run


def test_a_repeated_search_is_answered_from_the_cache(run, publish):
    first = publish(title="Máy sấy lúa tầng sôi")
    second = publish(title="Lò sấy lúa dùng trấu")
    listings, total, cold = run("say lua")
    again, total_again, warm = run("say lua")
    assert set(listings) == set(again) == {first, second}
    assert again == listings and total_again == total == 2
    # Cold: version, parse, typo statistics, match check, count, candidates, documents, hits. Warm: version and hits.
    assert warm < cold
    assert warm <= 4


def test_publishing_withdrawing_and_changing_show_at_the_next_search(run, publish, owner, staff):
    first = publish(title="Máy sấy lúa tầng sôi")
    assert run("say lua")[0] == [first]
    second = publish(title="Lò sấy lúa dùng trấu")
    assert set(run("say lua")[0]) == {first, second}
    services.listing_withdraw(listing=first, user=owner)
    assert run("say lua")[0] == [second]
    assert run("say lua", kind="need")[0] == []


def test_a_listing_hidden_without_the_services_never_shows_from_the_cache(run, publish):
    listing = publish(title="Máy sấy lúa tầng sôi")
    version = index_version()
    assert run("say lua")[0] == [listing]
    Listing.objects.filter(pk=listing.pk).update(is_live=False)  # bypasses the index: the version stays
    assert index_version() == version
    listings, total, _ = run("say lua")
    assert listings == []  # the cached ids are read back through the live-listing selector


def test_the_version_goes_on_counting_through_a_rebuild(publish):
    publish(title="Máy sấy lúa tầng sôi")
    before = index_version()
    rebuild_index()
    after = index_version()
    assert after[0] > before[0]
    assert after[1] == before[1] == 1


def test_facets_are_cached_per_language(publish):
    publish(title="Máy sấy lúa tầng sôi")
    with translation.override("vi"):
        vietnamese = search_listings(filters=ListingFilterSet({"q": "say lua"})).facets
    with translation.override("en"):
        english = search_listings(filters=ListingFilterSet({"q": "say lua"})).facets
    assert [f.label for f in vietnamese] != [f.label for f in english]
    assert [f.name for f in vietnamese] == [f.name for f in english]


def test_the_cache_can_be_turned_off(run, publish, settings):
    publish(title="Máy sấy lúa tầng sôi")
    settings.SEARCH_CACHE = False
    _, _, first = run("say lua")
    _, _, second = run("say lua")
    assert first == second


def test_anonymous_api_answers_are_kept_until_the_index_changes(client, publish, owner, staff, count_queries):
    listing = publish(title="Máy sấy lúa tầng sôi")
    url = "/api/v1/listings/?q=say+lua"
    first = client.get(url).json()
    assert [r["reference_code"] for r in first["results"]] == [listing.reference_code]
    with count_queries() as queries:
        again = client.get(url).json()
    assert again == first
    assert len(queries) == 1  # the index's version; the answer itself comes from the cache
    other = publish(title="Lò sấy lúa dùng trấu")
    codes = {r["reference_code"] for r in client.get(url).json()["results"]}
    assert codes == {listing.reference_code, other.reference_code}


def test_signed_in_callers_get_their_own_answer(client, publish, owner):
    listing = publish(title="Máy sấy lúa tầng sôi")
    url = "/api/v1/listings/?q=say+lua"
    assert client.get(url).json()["results"][0]["actions"] == []
    client.force_login(owner)
    assert "withdraw" in client.get(url).json()["results"][0]["actions"]
    assert listing.is_live


def test_an_organisation_change_is_not_hidden_by_a_cached_answer(client, publish, owner, org):
    from techex.organizations.services import organization_update

    publish(title="Máy sấy lúa tầng sôi")
    url = "/api/v1/listings/?q=say+lua"
    assert client.get(url).json()["results"][0]["organization"]["slug"] == org.slug
    version = index_version()
    organization_update(organization=org, user=owner, data={"website": "https://htx.example.vn"})
    assert index_version()[0] > version[0]


def test_counting_stops_at_the_limit_and_says_so(client, publish, monkeypatch):
    from techex.search import engine

    monkeypatch.setattr(engine, "COUNT_LIMIT", 1)
    publish(title="Máy sấy lúa tầng sôi")
    publish(title="Lò sấy lúa dùng trấu")
    found = search(filters=ListingFilterSet({"q": "say lua"}))
    assert (found.total, found.total_exact) == (1, False)
    answer = client.get("/api/v1/listings/?q=say+lua").json()
    assert (answer["count"], answer["count_exact"]) == (1, False)
    assert client.get("/api/v1/listings/?q=say+lua&kind=offer").json()["count_exact"] is False
    assert client.get("/api/v1/listings/").json()["count_exact"] is True
    assert "More than 1 listings" in client.get("/listings/?q=say+lua").content.decode()


def test_a_word_in_more_listings_than_are_counted_is_not_counted_again(publish, monkeypatch):
    from techex.search import engine

    monkeypatch.setattr(engine, "COUNT_LIMIT", 1)
    from techex.search import backends

    monkeypatch.setattr(backends._Backend, "count", None)  # the index is not asked to count
    publish(title="Máy sấy lúa tầng sôi")
    publish(title="Lò sấy lúa dùng trấu")
    # Two listings have "lúa": more than the limit, known from its document frequency without counting.
    found = search(filters=ListingFilterSet({"q": "lúa"}))
    assert (found.total, found.total_exact) == (1, False)
    assert len(found.hits[0:5]) == 1 and "<mark>lúa</mark>" in found.hits[0].title_html  # pages stop there
