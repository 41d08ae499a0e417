"""The search engine on the real database of the run (SQLite, then PostgreSQL in CI): normalisation, ranking,
typos, accents, visibility, freshness, facets."""

import unicodedata
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from techex.listings import services
from techex.listings.filtersets import ListingFilterSet
from techex.listings.models import Listing
from techex.listings.tests.factories import make_listing, make_published
from techex.organizations.services import organization_update
from techex.organizations.tests.factories import MembershipFactory, OrganizationFactory
from techex.search.analysis import accent_key, normalize, terms
from techex.search.models import SearchDocument, SearchTerm
from techex.search.selectors import search, search_listings, search_suggestions
from techex.search.services import rebuild_index, verify_index

pytestmark = pytest.mark.django_db


def found(q: str, **filters) -> list:
    return [hit.listing for hit in search(filters=ListingFilterSet({"q": q, **filters})).hits[0:50]]


@pytest.fixture
def publish(reference_data, owner, org, staff):
    def publish(kind="offer", **overrides):
        return make_published(user=owner, organization=org, staff=staff, kind=kind, **overrides)

    return publish


# --- normalisation -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đồng Tháp", "dong thap"),
        ("ĐỒNG THÁP", "dong thap"),
        ("dong thap", "dong thap"),
        (unicodedata.normalize("NFD", "Đồng Tháp"), "dong thap"),
        ("thủy sản", "thuy san"),
        ("thuỷ sản", "thuy san"),
        ("Máy sấy lúa—tầng sôi!", "may say lua tang soi"),
        ("  nuôi   tôm\n\tcàng xanh ", "nuoi tom cang xanh"),
        ("CO₂, 4–5‰, 10 tấn/giờ", "co2 4 5 10 tan gio"),
        ("Straße Œuvre", "strasse oeuvre"),
        ("", ""),
    ],
)
def test_normalisation_table(text, folded):
    assert normalize(text) == folded


def test_accent_keys_ignore_tone_placement_but_not_the_tone():
    assert accent_key("thủy") == accent_key("thuỷ") == accent_key("THỦY")
    assert accent_key("lúa") != accent_key("lửa")
    assert accent_key("đồng") != accent_key("dồng")
    assert accent_key("lua") == ""


def test_english_text_is_stemmed_and_vietnamese_is_not():
    assert terms("Heated drying of fruits", english=True) == ["heat", "dri", "of", "fruit"]
    assert terms("thủy sản máy", english=False) == ["thuy", "san", "may"]


# --- finding and ranking -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["Đồng Tháp", "dong thap", "ĐỒNG THÁP", unicodedata.normalize("NFD", "Đồng Tháp"), "đồng-tháp"]
)
def test_every_spelling_of_a_place_finds_the_same_listings(publish, query):
    here = publish(title="Giải pháp tưới tiết kiệm cho vườn xoài Đồng Tháp")
    publish(title="Máy gặt đập liên hợp cỡ nhỏ", summary="Cho ruộng nhỏ.", description="Gặt lúa.", keywords=[])
    assert found(query) == [here]


def test_a_listing_is_found_by_its_province(publish, reference_data):
    from techex.reference.models import Province

    province = Province.objects.filter(name__contains="Đồng Tháp").first()
    listing = publish(title="Máy bóc vỏ hạt sen", province=province)
    assert found("dong thap") == [listing]


def test_exact_accents_rank_first_but_plain_words_find_both(publish):
    fire = publish(title="Bếp lửa đốt trấu", summary="Bếp lửa đốt trấu.", description="Bếp lửa.", keywords=[])
    rice = publish(title="Giống lúa chịu mặn", summary="Giống lúa mới.", description="Giống lúa.", keywords=[])
    assert found("lúa") == [rice, fire]
    assert found("lửa") == [fire, rice]
    assert set(found("lua")) == {rice, fire}


@pytest.mark.parametrize("query", ["thuy san", "thủy sản", "thuỷ sản"])
def test_both_tone_placements_find_the_listing(publish, query):
    listing = publish(title="Xử lý nước thải chế biến thuỷ sản")
    assert found(query) == [listing]


@pytest.mark.parametrize(
    ("query", "corrected"),
    [
        ("cong nhge", "công nghệ"),  # two letters swapped; shown as the listing writes it
        ("congg nghe", "công nghệ"),  # an extra letter
        ("cong ngh", ""),  # three letters: too short to correct silently
        ("khu man nuoc", "khu man nuoc"),
        ("chitosen", "chitosan"),  # one wrong letter
        ("chtosan", "chitosan"),  # a missing letter
    ],
)
def test_one_wrong_missing_extra_or_swapped_letter(publish, query, corrected):
    listing = publish(
        title="Công nghệ khử mặn nước cho ao nuôi",
        summary="Chiết chitosan và khử mặn nước.",
        description="Công nghệ màng lọc.",
        keywords=[],
    )
    result = search(filters=ListingFilterSet({"q": query}))
    if query == "cong ngh":
        # "ngh" is not a word of the index: no listing has every word, so listings with some of them are shown,
        # and the whole query is offered corrected.
        assert (result.mode, result.total, result.suggestion()) == ("any", 1, "công nghệ")
        return
    assert [hit.listing for hit in result.hits[0:5]] == [listing]
    assert result.corrected == (corrected if corrected != query else "")


def test_english_words_match_their_other_forms(publish):
    listing = publish(
        title="Solar drying of tropical fruits",
        summary="A solar dryer for mango.",
        description="Dried fruit keeps.",
        keywords=[],
        language="en",
    )
    assert found("dried fruit") == [listing]
    assert found("solar dryers") == [listing]


def test_title_outranks_description_and_phrases_outrank_scattered_words(publish):
    scattered = publish(
        title="Hệ thống quan trắc ao",
        summary="Theo dõi ao tôm và nuôi cá.",
        description="Tôm, cá và việc nuôi.",
        keywords=[],
    )
    phrase = publish(
        title="Quy trình nuôi tôm càng xanh",
        summary="Nuôi tôm trong ruộng lúa.",
        description="Kỹ thuật nuôi tôm.",
        keywords=[],
    )
    assert found("nuôi tôm") == [phrase, scattered]


def test_function_words_are_not_required(publish):
    dryer = publish()
    assert found("máy sấy cho lúa") == [dryer]


def test_long_queries_return_listings_with_any_of_the_words_best_first(publish):
    dryer = publish()
    water = publish(kind="need")
    result = search(filters=ListingFilterSet({"q": "sấy lúa tầng sôi trấu nuôi tôm"}))
    assert result.mode == "ranked"
    assert [hit.listing for hit in result.hits[0:5]] == [dryer, water]


@pytest.mark.parametrize("broad", [False, True])
def test_candidates_come_by_tiers_every_word_all_but_one_then_any(publish, monkeypatch, broad):
    from techex.search import engine

    if broad:  # as for queries with thousands of results: the database's cheaper first ranking
        monkeypatch.setattr(engine, "BROAD", 0)
    monkeypatch.setattr(engine, "RERANK_WINDOW", 2)  # so that each tier is asked for more
    all_three = publish(title="Máy sấy lúa tầng sôi")
    two = publish(title="Máy sấy cà phê", summary="Sấy cà phê nhân.")
    one = publish(title="Máy gặt đập liên hợp", summary="Máy gặt cho ruộng nhỏ.")
    result = search(filters=ListingFilterSet({"q": "máy sấy lúa tôm"}))
    assert result.mode == "ranked"
    assert [hit.listing for hit in result.hits[0:2]] == [all_three, two]
    assert {hit.listing for hit in result.hits[0:5]} == {all_three, two, one}


def test_when_no_listing_has_every_word_some_words_are_enough(publish):
    dryer = publish()
    result = search(filters=ListingFilterSet({"q": "sấy xoài"}))
    assert result.mode == "any"
    assert [hit.listing for hit in result.hits[0:5]] == [dryer]


def test_did_you_mean_when_nothing_is_found(publish):
    publish()
    results = search_listings(filters=ListingFilterSet({"q": "lia"}))
    assert results.total == 0
    assert results.suggestion == "lúa"


def test_scores_decrease_and_snippets_highlight_escaped_text(publish):
    publish(title="Máy sấy <b>lúa</b> & bắp", summary="Máy sấy lúa & bắp.")
    publish(kind="need", summary="Cần máy sấy.")
    hits = search(filters=ListingFilterSet({"q": "máy sấy lúa"})).hits[0:10]
    assert hits[0].score >= hits[-1].score > 0
    assert hits[0].title_html == "<mark>Máy</mark> <mark>sấy</mark> &lt;b&gt;<mark>lúa</mark>&lt;/b&gt; &amp; bắp"
    assert "<mark>lúa</mark> &amp; bắp" in hits[0].snippet_html


# --- visibility ----------------------------------------------------------------------------------------------------


def test_only_live_listings_are_found(publish, owner, org, staff):
    draft = make_listing(user=owner, organization=org, title="Bản nháp máy ép viên")
    submitted = make_listing(user=owner, organization=org, title="Đang chờ duyệt máy ép viên")
    services.listing_submit(listing=submitted, user=owner)
    rejected = make_listing(user=owner, organization=org, title="Bị từ chối máy ép viên")
    services.listing_submit(listing=rejected, user=owner)
    services.listing_reject(listing=rejected, user=staff, reason="Thiếu thông tin")
    live = publish(title="Máy ép viên thức ăn cá")
    assert found("máy ép viên") == [live]
    assert not SearchDocument.objects.filter(pk__in=[draft.pk, submitted.pk, rejected.pk]).exists()
    assert search_suggestions(q="may ep vi") and all(s.title == live.title for s in search_suggestions(q="may ep vi"))


def test_a_revision_is_not_searchable_until_staff_publish_it(publish, owner, staff):
    listing = publish()
    services.listing_update(
        listing=listing,
        user=owner,
        data={
            "title": "Máy sấy cà phê bơm nhiệt",
            "summary": "Sấy cà phê.",
            "description": "Bơm nhiệt.",
            "keywords": [],
        },
    )
    assert found("cà phê") == []
    assert found("sấy lúa") == [listing]
    services.listing_publish(listing=listing, user=staff)
    assert found("cà phê") == [listing]
    assert "tang" not in SearchDocument.objects.get(pk=listing.pk).term_set()  # the old text is gone


def test_anonymous_listings_are_not_found_by_their_organisation(reference_data, owner, staff):
    organization = OrganizationFactory(name="Viện Lúa Bí Mật")
    MembershipFactory(user=owner, organization=organization)
    make_published(user=owner, organization=organization, staff=staff, is_anonymous=True)
    named = make_published(user=owner, organization=organization, staff=staff, kind="need")
    assert found("bí mật") == [named]
    assert found("bi mat", organization_type=organization.type) == [named]


def test_confidential_attachment_text_is_never_indexed(publish, owner):
    from techex.listings.tests.uploads import pdf_upload

    listing = publish()
    services.attachment_add(
        listing=listing,
        user=owner,
        file=pdf_upload("bi-mat.pdf"),
        kind="document",
        caption="Bản vẽ kỹ thuật tuyệt mật",
        is_confidential=True,
    )
    assert found("tuyệt mật") == []
    document = SearchDocument.objects.get(pk=listing.pk)
    assert "mat" not in document.term_set()


# --- freshness -----------------------------------------------------------------------------------------------------


def test_published_withdrawn_expired_and_renewed(publish, owner, staff):
    listing = publish()
    assert found("sấy lúa") == [listing]
    services.listing_withdraw(listing=listing, user=owner)
    assert found("sấy lúa") == []
    services.listing_reopen(listing=listing, user=owner)
    services.listing_submit(listing=listing, user=owner)
    listing = services.listing_publish(listing=listing, user=staff)
    assert found("sấy lúa") == [listing]
    Listing.objects.filter(pk=listing.pk).update(valid_until=timezone.now() - timedelta(days=1))
    services.listing_expire(listing=listing)
    assert found("sấy lúa") == []
    services.listing_renew(listing=listing, user=owner)
    assert found("sấy lúa") == [listing]
    assert verify_index() == []


def test_term_statistics_follow_the_listings(publish, owner):
    listing = publish(title="Máy bóc vỏ hạt điều")
    assert SearchTerm.objects.get(term="dieu").df == 1
    publish(title="Dây chuyền chế biến hạt điều")
    assert SearchTerm.objects.get(term="dieu").df == 2
    services.listing_withdraw(listing=listing, user=owner)
    assert SearchTerm.objects.get(term="dieu").df == 1


def test_renaming_an_organisation_reindexes_its_listings(publish, owner, org):
    listing = publish()
    organization_update(organization=org, user=owner, data={"name": "Hợp tác xã Phước Thới"})
    assert found("phuoc thoi") == [listing]


def test_rebuild_command_and_check(publish):
    listing = publish()
    SearchDocument.objects.all().delete()  # as if something bypassed the services
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("rebuild_search_index", "--check", stdout=out)
    assert f"live listing {listing.pk} is not indexed" in out.getvalue()
    call_command("rebuild_search_index", stdout=out)
    assert "Indexed 1 live listings" in out.getvalue()
    assert found("sấy lúa") == [listing]
    assert rebuild_index() == 1


# --- facets and sorting --------------------------------------------------------------------------------------------


def test_every_facet_counts_the_results_with_the_other_filters(publish, reference_data):
    from techex.reference.models import Province, STField

    can_tho = Province.objects.get(code="92")
    dryer = publish(province=can_tho, ip_type="patent", trl=7, fields=list(STField.objects.filter(code="402")))
    publish(title="Máy sấy trái cây", trl=4, ip_type="utility_solution", fields=list(STField.objects.filter(code="2")))
    publish(kind="need", title="Cần máy sấy cá", min_trl=6)
    results = search_listings(filters=ListingFilterSet({"q": "máy sấy", "kind": "offer"}))
    facets = {facet.name: {v.value: (v.count, v.selected) for v in facet.values} for facet in results.facets}
    assert results.total == 2
    assert facets["kind"] == {"offer": (2, True), "need": (1, False)}  # the kind facet ignores the kind chosen
    assert facets["field"] == {"4": (1, False), "2": (1, False)}
    assert facets["province"] == {"92": (1, False)}
    assert facets["trl"]["7"] == (1, False) and facets["trl"]["4"] == (2, False)
    assert facets["ip_type"] == {"patent": (1, False), "utility_solution": (1, False)}
    assert facets["transfer_form"]["non_exclusive_licence"] == (2, False)
    assert set(facets["organization_type"]) == {dryer.organization.type}
    sub = search_listings(filters=ListingFilterSet({"q": "máy sấy", "field": "4"}))
    sub_fields = {v.value: v.count for v in next(f for f in sub.facets if f.name == "field").values}
    assert sub_fields == {"4": 2, "402": 1}  # the chosen field (the need has it), then its sectors


@pytest.mark.parametrize("q", ["", "máy sấy"])
def test_a_listing_in_two_sub_fields_of_the_chosen_field_is_counted_once(publish, q):
    """Every facet value counts the results its link opens, once each, with and without words."""
    from techex.reference.models import STField

    sectors = list(STField.objects.filter(code__in=["401", "402"]).order_by("code"))
    assert len(sectors) == 2
    publish(title="Máy sấy lúa", fields=sectors, trl=7, ip_type="patent", transfer_forms=["exclusive_licence"])
    publish(title="Máy sấy cá", fields=sectors[:1], trl=5, transfer_forms=["exclusive_licence", "franchise"])
    publish(kind="need", title="Cần máy sấy xoài", fields=sectors, min_trl=4)
    asked = {"q": q, "field": "4"}
    results = search_listings(filters=ListingFilterSet(asked))
    assert results.total == 3
    facets = {facet.name: facet.values for facet in results.facets}
    assert {v.value: v.count for v in facets["kind"]} == {"offer": 2, "need": 1}
    assert {v.value: v.count for v in facets["field"]} == {"4": 3, "401": 3, "402": 2}
    assert {v.value: v.count for v in facets["transfer_form"] if v.count} == {"exclusive_licence": 2, "franchise": 1}
    for name, values in facets.items():
        for value in values:
            opened = search_listings(filters=ListingFilterSet({**asked, name: value.value}), facets=False)
            assert (name, value.value, value.count) == (name, value.value, opened.total)


def test_sort_by_newest_and_by_trl(publish):
    low = publish(title="Máy sấy A", trl=3)
    high = publish(title="Máy sấy B", trl=8)
    words = ListingFilterSet({"q": "máy sấy"})
    assert [h.listing for h in search(filters=words, sort="trl").hits[0:5]] == [high, low]
    assert [h.listing for h in search(filters=words, sort="newest").hits[0:5]] == [high, low]
    assert [h.listing for h in search(filters=ListingFilterSet({}), sort="trl").hits[0:5]] == [high, low]


# --- the API ---------------------------------------------------------------------------------------------------------


def test_api_orders_by_relevance_with_scores(client, publish):
    other = publish(title="Lò đốt trấu cho máy sấy", summary="Lò đốt trấu.", description="Đốt trấu.", keywords=[])
    dryer = publish()
    data = client.get("/api/v1/listings/", {"q": "may say lua tang soi"}).json()
    codes = [item["reference_code"] for item in data["results"]]
    assert codes == [dryer.reference_code, other.reference_code]
    assert data["results"][0]["score"] > data["results"][1]["score"] > 0
    assert "<mark>sấy</mark>" in data["results"][0]["highlight"]["title"]
    newest = client.get("/api/v1/listings/", {"q": "may say", "sort": "newest"}).json()
    assert [item["reference_code"] for item in newest["results"]][0] == dryer.reference_code
    plain = client.get("/api/v1/listings/").json()
    assert plain["results"][0]["score"] is None and plain["results"][0]["highlight"] is None


def test_api_refuses_an_unknown_sort_with_a_message(client, publish):
    response = client.get("/api/v1/listings/", {"q": "lúa", "sort": "cheapest"})
    assert response.status_code == 400
    assert "sort" in response.content.decode()


def test_suggestions_use_the_last_word_as_a_prefix(publish):
    dryer = publish()
    publish(kind="need")
    titles = [s.title for s in search_suggestions(q="may say l")]
    assert titles == [dryer.title]
    assert "<mark>lúa</mark>" in search_suggestions(q="may say lu")[0].title_html
    assert search_suggestions(q="m") == []
    assert search_suggestions(q="") == []
    assert search_suggestions(q="x" * 500) == []


def test_the_browse_page_searches(client, publish):
    dryer = publish()
    response = client.get(reverse("listings:browse"), {"q": "may say lua"})
    assert response.status_code == 200
    assert dryer.reference_code in response.content.decode()


def test_the_words_can_be_searched_as_typed(client, publish):
    listing = publish(title="Công nghệ sinh học cho ao nuôi")
    assert search(filters=ListingFilterSet({"q": "cong nhge"}), correct=False).corrected == ""
    assert [h.listing for h in search(filters=ListingFilterSet({"q": "cong nhge"})).hits[0:5]] == [listing]
    page = client.get(reverse("listings:browse"), {"q": "cong nhge"}).content.decode()
    assert "typed=1" in page
    as_typed = client.get(reverse("listings:browse"), {"q": "cong nhge", "typed": "1"})
    assert as_typed.context["results"].corrected == ""
