"""The search on the pages: the browse page's words, facets, order and messages, and the suggestions as one types.

Listings are published through the services, which write the search index, so the pages see what a visitor would.
"""

import re
from html import unescape

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from techex.listings import services
from techex.listings.filtersets import MAX_WORDS_LENGTH
from techex.listings.tests.factories import make_listing, make_published
from techex.organizations.choices import OrganizationType
from techex.organizations.tests.factories import MembershipFactory, OrganizationFactory
from techex.reference.models import Province, STField

pytestmark = pytest.mark.django_db

BROWSE = reverse("listings:browse")
SUGGEST = reverse("search:suggest")
DRYER = "Máy sấy lúa tầng sôi tiết kiệm năng lượng"
SENSOR = "Cảm biến độ mặn không dây cho ao nuôi"
SHRIMP_NEED = "Cần công nghệ xử lý nước nhiễm mặn cho ao nuôi tôm"
DRAFT = "Máy sấy lúa bản nháp chưa gửi"


def text_of(response) -> str:
    return response.content.decode()


def plain(html: str) -> str:
    """The text a reader sees: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def member_of(organization):
    return MembershipFactory(organization=organization).user


@pytest.fixture
def catalogue(reference_data, staff):
    """A cooperative's dryer offer (Cần Thơ, TRL 7) and shrimp need, a university's sensor offer (An Giang, TRL 5),
    and a draft nobody may find. The organisations' names share no word with the listings."""
    cooperative = OrganizationFactory(name="Hợp tác xã Thới Lai", type=OrganizationType.COOPERATIVE)
    university = OrganizationFactory(name="Trường Đại học Tây Đô", type=OrganizationType.UNIVERSITY)
    farmer, lecturer = member_of(cooperative), member_of(university)
    listings = {
        "dryer": make_published(
            user=farmer, organization=cooperative, staff=staff, title=DRYER, province=Province.objects.get(code="92")
        ),
        "need": make_published(user=farmer, organization=cooperative, staff=staff, kind="need", title=SHRIMP_NEED),
        "sensor": make_published(
            user=lecturer,
            organization=university,
            staff=staff,
            title=SENSOR,
            summary="Cảm biến đo độ mặn gửi số liệu về điện thoại.",
            description="Thiết bị đo độ mặn nước ao, pin năm năm.",
            keywords=["độ mặn", "cảm biến"],
            trl=5,
            fields=list(STField.objects.filter(code="202")),
            province=Province.objects.get(code="91"),
            ip_type="patent",
        ),
    }
    listings["draft"] = make_listing(user=farmer, organization=cooperative, title=DRAFT)
    return listings


def facet_links(response, name: str) -> dict:
    (group,) = [group for group in response.context["facets"] if group.name == name]
    return {link.label: link for link in group.links + group.more}


# --- results ------------------------------------------------------------------------------------------------------


def test_words_without_accents_find_the_listing_with_its_title_highlighted(client, catalogue):
    response = client.get(BROWSE, {"q": "may say lua"})
    text = text_of(response)
    assert response.status_code == 200
    # One listing has the three words: those with two of them would be ranked after it ("most"); none has.
    assert response.context["results"].mode == "most"
    assert "<mark>Máy</mark> <mark>sấy</mark> <mark>lúa</mark> tầng sôi" in text
    (snippet,) = re.findall(r"</h2>\s*<p>(.*?)</p>", text)
    assert "<mark>Máy</mark> <mark>sấy</mark> <mark>lúa</mark> tầng sôi công suất" in snippet
    assert SENSOR not in text and SHRIMP_NEED not in text
    assert DRAFT not in plain(text)
    assert re.search(r'id="result-count"[^>]*role="status"[^>]*>1 listing<', text)


def test_highlighted_titles_stay_escaped(client, reference_data, staff):
    organization = OrganizationFactory(name="Công ty Cơ khí Tây Đô")
    make_published(user=member_of(organization), organization=organization, staff=staff, title="<b>Máy</b> bóc vỏ")
    text = text_of(client.get(BROWSE, {"q": "may boc"}))
    assert "&lt;b&gt;<mark>Máy</mark>&lt;/b&gt; <mark>bóc</mark> vỏ" in text
    assert "<b>Máy" not in text


def test_words_no_listing_has_together_show_listings_with_some(client, catalogue):
    response = client.get(BROWSE, {"q": "sấy tôm"})
    assert response.context["results"].mode == "any"
    text = text_of(response)
    assert "No listing has every word; showing listings with some of them." in text
    assert "sấy</mark>" in text and "tôm</mark>" in text


def test_a_misspelt_word_is_corrected_and_said_so(client, catalogue):
    response = client.get(BROWSE, {"q": "cảm bieen"})
    results = response.context["results"]
    assert results.corrected and results.total == 1
    assert f"Showing results for <strong>{escape(results.corrected)}</strong>." in text_of(response)


def test_did_you_mean_when_nothing_is_found(client, catalogue):
    # Three letters are not corrected on the fly ("tpm" could be a code), so nothing is found; "tom" is one letter
    # away and in the index.
    response = client.get(BROWSE, {"q": "tpm", "kind": "need"})
    results = response.context["results"]
    assert results.total == 0
    assert results.suggestion == "tôm"  # written as the listings write it
    text = text_of(response)
    assert "No listing matches “tpm” with the filters in use." in text
    link = escape(f"{BROWSE}?q=t%C3%B4m&kind=need")  # the filters in use are kept
    assert f'Did you mean <a href="{link}">tôm</a>?' in text
    followed = client.get(f"{BROWSE}?q=tôm&kind=need")
    assert SHRIMP_NEED in plain(text_of(followed))


# --- facets -------------------------------------------------------------------------------------------------------


def test_facets_show_counts_and_links_that_keep_the_other_filters(client, catalogue):
    response = client.get(BROWSE, {"q": "mặn", "kind": "offer", "sort": "newest", "page": "1"})
    assert response.status_code == 200
    assert [hit.listing.title for hit in response.context["page"].object_list] == [SENSOR]

    kinds = facet_links(response, "kind")
    # Counts leave the facet's own filter out, so the other kind still says what it would find.
    assert (kinds["Technology offer"].count, kinds["Technology need"].count) == (1, 1)
    assert kinds["Technology offer"].selected and not kinds["Technology need"].selected
    assert kinds["Technology need"].url == f"{BROWSE}?q=m%E1%BA%B7n&kind=need&sort=newest"
    assert kinds["Technology offer"].url == f"{BROWSE}?q=m%E1%BA%B7n&sort=newest"  # a chosen value's link removes it

    provinces = facet_links(response, "province")
    assert provinces["An Giang"].count == 1
    assert provinces["An Giang"].url == f"{BROWSE}?q=m%E1%BA%B7n&kind=offer&province=91&sort=newest"
    types = facet_links(response, "organization_type")
    assert types["University"].count == 1

    text = text_of(response)
    assert f'href="{escape(provinces["An Giang"].url)}"' in text
    assert "page=" not in provinces["An Giang"].url  # a new filter starts again from the first page
    # A chosen value is marked, and the list of filters in use can remove it.
    assert re.search(r'class="facet-link selected" href="[^"]*" rel="nofollow" aria-current="true"', text)
    assert "Kind: Technology offer" in plain(text)
    assert "(remove)" in text
    for label in ("Kind", "S&amp;T field", "Province", "TRL", "IP", "Transfer form", "Organisation type"):
        assert f">{label}</h2>" in text


def test_the_trl_facet_says_each_level_means_that_level_or_higher(client, catalogue):
    """Offers at TRL 7 and 5 (the need accepts any): the counts shrink slowly, so each label says "or higher"."""
    trl = facet_links(client.get(BROWSE, {"kind": "offer"}), "trl")
    assert {label: link.count for label, link in trl.items()} == {
        **{f"TRL {n} or higher": 2 for n in range(1, 6)},
        "TRL 6 or higher": 1,
        "TRL 7 or higher": 1,
    }
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    with translation.override("en"):
        assert "TRL 5 trở lên" in text_of(client.get(BROWSE, {"kind": "offer"}))


def test_field_facet_leads_to_the_level_below(client, catalogue):
    top = facet_links(client.get(BROWSE), "field")
    assert top["Agricultural sciences"].count == 2 and top["Engineering and technology"].count == 1
    assert top["Agricultural sciences"].url == f"{BROWSE}?field=4"
    response = client.get(top["Agricultural sciences"].url)
    below = facet_links(response, "field")
    assert below["Agricultural sciences"].selected
    assert below["Animal and dairy science"].url == f"{BROWSE}?field=402"  # the offers' factory fields: 4 and 402
    assert "S&amp;T field:</span> Agricultural sciences" in text_of(response)


def test_organisation_type_filter(client, catalogue):
    response = client.get(BROWSE, {"organization_type": "university"})
    titles = [hit.listing.title for hit in response.context["page"].object_list]
    assert titles == [SENSOR]
    assert "Organisation type:</span> University" in text_of(response)


# --- order --------------------------------------------------------------------------------------------------------


def test_sort_by_readiness_newest_or_relevance(client, catalogue):
    def titles(**params) -> list[str]:
        return [hit.listing.title for hit in client.get(BROWSE, params).context["page"].object_list]

    newest_first = [SENSOR, SHRIMP_NEED, DRYER]
    assert titles() == newest_first
    assert titles(sort="newest") == newest_first
    # An offer's TRL, or the lowest a need accepts (6): 7, 6, 5.
    assert titles(sort="trl") == [DRYER, SHRIMP_NEED, SENSOR]
    assert titles(q="mặn", sort="newest") == [SENSOR, SHRIMP_NEED]

    text = text_of(client.get(BROWSE, {"sort": "trl"}))
    assert '<option value="trl" selected>' in text
    assert 'value="relevance"' not in text  # without words there is nothing to be relevant to
    text = text_of(client.get(BROWSE, {"q": "mặn"}))
    assert '<option value="relevance" selected>' in text


def test_unknown_values_are_ignored(client, catalogue):
    odd = {
        "sort": "price",
        "organization_type": "alien",
        "field": "9999",
        "province": "zz",
        "trl": "0",
        "kind": "both",
        "ip_type": "<script>",
        "page": "abc",
        "q": "x" * (MAX_WORDS_LENGTH + 1),
    }
    response = client.get(BROWSE, odd)
    assert response.status_code == 200
    assert response.context["results"].total == 3
    assert response.context["sort"] == "newest"
    # The page's own links drop them (the language switch and the export links pass the address on as it is).
    text = text_of(response).split('id="results"')[1].split("export-links")[0]
    assert "Clear filters" not in text  # no filter counted as in use
    assert "alien" not in text and "9999" not in text and "<script>" not in text
    for name, value in [*odd.items(), ("page", "²"), ("page", "0"), ("page", "9" * 30)]:
        response = client.get(BROWSE, {name: value})
        assert response.status_code == 200
        assert response.context["page"].number == 1


# --- htmx ---------------------------------------------------------------------------------------------------------


def test_htmx_answer_is_the_results_with_the_count_out_of_band(client, catalogue):
    response = client.get(BROWSE, {"q": "mặn", "province": "91"}, HTTP_HX_REQUEST="true")
    text = text_of(response)
    assert "<html" not in text
    assert '<p id="result-count" hx-swap-oob="innerHTML">1 listing</p>' in text
    assert '<div id="suggestions" hx-swap-oob="innerHTML"></div>' in text
    # The search box (outside the answer) sends the filters in use with new words.
    assert '<input type="hidden" name="province" value="91" form="search-form">' in text
    assert 'name="q" value="mặn" form="search-form"' not in text
    # A whole page has the search box with the suggestions wired, and no out-of-band copies.
    page = text_of(client.get(BROWSE, {"q": "mặn"}))
    assert 'hx-get="/search/suggest/"' in page and 'hx-trigger="input changed delay:250ms, search"' in page
    assert 'value="mặn"' in page
    assert "hx-swap-oob" not in page


def test_browse_with_words_queries_do_not_grow_with_rows(client, catalogue, staff, count_queries):
    def count() -> int:
        with count_queries() as queries:
            assert client.get(BROWSE, {"q": "mặn", "province": "91"}).status_code == 200
        return len(queries.captured_queries)

    before = count()
    organization = catalogue["sensor"].organization
    for n in range(5):
        make_published(
            user=member_of(organization),
            organization=organization,
            staff=staff,
            title=f"Cảm biến độ mặn kiểu {n}",
            province=Province.objects.get(code="91"),
        )
    assert count() == before


# --- suggestions --------------------------------------------------------------------------------------------------


def test_suggestions_list_live_titles_for_what_is_typed(client, catalogue):
    response = client.get(SUGGEST, {"q": "may say l"})
    assert response.status_code == 200
    text = text_of(response)
    assert DRYER in plain(text)
    assert "<mark>" in text
    assert f'href="{catalogue["dryer"].get_absolute_url()}"' in text
    assert DRAFT not in plain(text)
    assert "<html" not in text


def test_suggestions_leave_out_drafts_and_withdrawn_listings(client, catalogue, staff):
    services.listing_withdraw(listing=catalogue["sensor"], user=member_of(catalogue["sensor"].organization))
    text = plain(text_of(client.get(SUGGEST, {"q": "cam bien"})))
    assert SENSOR not in text
    assert plain(text_of(client.get(SUGGEST, {"q": "ban nhap"}))) == ""


@pytest.mark.parametrize("q", ["", "   ", "a" * (MAX_WORDS_LENGTH + 1), "may say lua " * 100, "\x00"])
def test_suggestions_for_nothing_or_too_much_are_empty(client, catalogue, q):
    response = client.get(SUGGEST, {"q": q})
    assert response.status_code == 200
    assert text_of(response).strip() == ""


def test_suggestions_answer_get_only(client, catalogue):
    assert client.post(SUGGEST, {"q": "may"}).status_code == 405


def test_suggestions_queries_do_not_grow_with_rows(
    client, catalogue, staff, django_assert_max_num_queries, count_queries
):
    with count_queries() as queries:
        client.get(SUGGEST, {"q": "may say"})
    organization = catalogue["dryer"].organization
    for n in range(5):
        make_published(user=member_of(organization), organization=organization, staff=staff, title=f"Máy sấy {n}")
    with django_assert_max_num_queries(len(queries.captured_queries)):
        assert DRYER in plain(text_of(client.get(SUGGEST, {"q": "may say"})))
