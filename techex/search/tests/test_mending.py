"""Search mending (issue 18): stop words per language, exact accents ranked first, recall of short queries, typo
corrections by closeness, long queries. Each test uses the issue's own examples."""

import pytest
from django.urls import reverse

from techex.listings.filtersets import MAX_WORDS_LENGTH, ListingFilterSet
from techex.listings.tests.factories import make_published
from techex.search.analysis import exact_term, exact_word, is_stopword
from techex.search.query import edit_cost, parse
from techex.search.selectors import search

pytestmark = pytest.mark.django_db
API = "/api/v1/listings/"


@pytest.fixture
def publish(reference_data, owner, org, staff):
    def publish(title, summary="", description="", kind="offer", **overrides):
        overrides.setdefault("keywords", [])
        return make_published(
            user=owner,
            organization=org,
            staff=staff,
            kind=kind,
            title=title,
            summary=summary or title,
            description=description or title,
            **overrides,
        )

    return publish


def found(q: str) -> list:
    return [hit.listing for hit in search(filters=ListingFilterSet({"q": q})).hits[0:50]]


# --- 1. stop words are decided per language, on the words as typed -------------------------------------------------


@pytest.mark.parametrize(("typed", "folded"), [("bé", "be"), ("âm", "am"), ("mỹ", "my"), ("ăn", "an"), ("sở", "so")])
def test_vietnamese_syllables_are_not_english_stop_words(typed, folded):
    assert not is_stopword(folded, typed)
    assert is_stopword(folded, folded)  # typed without diacritics in an English query, it is one
    assert [w.stop for w in parse(f"thức {typed}", correct=False).words] == [False, False]


def test_the_is_a_stop_word_but_thay_the_is_not():
    assert [w.stop for w in parse("thay thế", correct=False).words] == [False, False]
    assert [w.stop for w in parse("the dryer", correct=False).words] == [True, False]


def test_an_acronym_in_capitals_is_not_a_stop_word():
    assert [w.stop for w in parse("WHO guidelines", correct=False).words] == [False, False]
    assert [w.stop for w in parse("who guidelines", correct=False).words] == [True, False]
    # A query typed all in capitals is not all acronyms.
    assert [w.stop for w in parse("THE DRYER", correct=False).words] == [True, False]


def test_thuc_an_finds_fewer_listings_than_thuc(publish):
    feed = publish("Thức ăn viên cho cá tra", "Máy ép thức ăn viên nổi.")
    publish("Phương thức tưới tiết kiệm cho vườn xoài")
    publish("Kiến thức nuôi tôm càng xanh")
    assert len(found("thức")) == 3
    assert found("thức ăn") == [feed]


def test_an_acronym_is_required(publish):
    who = publish("WHO guidelines for drinking water", language="en")
    publish("Drinking water filter for schools", language="en")
    assert found("WHO drinking water")[0] == who
    assert len(parse("WHO drinking water").groups) == 3


# --- 2. a query typed with diacritics ranks the very words first ------------------------------------------------------


def test_exact_terms_keep_the_marks_and_their_letters_but_not_the_tone_placement():
    assert exact_term("thức") != exact_term("thực") != exact_term("thuc") == ""
    assert len({exact_term(w) for w in ("lúa", "lửa", "lụa", "lùa")}) == 4
    assert exact_term("thủy") == exact_term("thuỷ") == exact_term("THỦY")
    assert exact_term("đồng") != exact_term("dồng")
    for word in ("công", "nghệ", "nhuận", "người", "thức", "lửa", "hòa", "quyết", "giữa", "thuyền"):
        assert exact_word(exact_term(word)) == word


def test_thuc_an_ranks_the_feed_before_the_food_factory(publish):
    for n in range(6):  # listings with neither word, so that the words are as rare as in a real catalogue
        publish(f"Cảm biến độ mặn không dây số {n}")
    factory = publish(
        "Thu hồi nhiệt thải cho nhà máy thực phẩm ăn liền",
        "Thực hiện thu hồi nhiệt cho dây chuyền thực phẩm ăn liền.",
        "Thực phẩm ăn liền, thực phẩm đông lạnh: thu hồi nhiệt thực hiện tại lò hơi.",
        kind="need",
    )
    feed = publish("Máy ép viên nổi cho cá tra", "Máy ép viên nổi.", "Ép thức ăn viên cho cá.")
    assert found("thức ăn") == [feed, factory]
    assert found("thực phẩm") == [factory]
    assert set(found("thuc an")) == {feed, factory}


@pytest.mark.parametrize(
    ("words", "query_index"),
    [(("lúa", "lửa", "lụa"), 0), (("lúa", "lửa", "lụa"), 1), (("lúa", "lửa", "lụa"), 2), (("cá", "cà"), 0),
     (("cá", "cà"), 1), (("mỹ", "my"), 0)],
)  # fmt: skip
def test_the_word_typed_with_its_accents_comes_first(publish, words, query_index):
    for n in range(6):
        publish(f"Cảm biến độ mặn không dây số {n}")
    # The listing with the word typed has it once, in its description; the others repeat theirs in the title.
    listings = [
        publish(f"Sản phẩm số {i}", "Sản phẩm mới.", f"Về {word}.")
        if i == query_index
        else publish(f"{word} {word} {word} số {i}", f"{word} {word}.", f"Về {word}.")
        for i, word in enumerate(words)
    ]
    wanted = listings[query_index]
    assert found(words[query_index])[0] == wanted
    assert set(listings) <= set(found(exact_word_free(words[query_index])))  # typed without: all of them


def exact_word_free(word: str) -> str:
    from techex.core.text import fold

    return fold(word)


# --- 3. short queries do not lose what lacks one word -------------------------------------------------------------


def test_three_words_find_listings_lacking_one_of_them(publish):
    best = publish("Material properties of photoelastic materials", language="en")
    stress = publish("Photoelastic stress analysis of a material", language="en")
    composites = publish("Properties of composite materials", language="en")
    publish("Solar dryer for mango", language="en")
    result = search(filters=ListingFilterSet({"q": "material properties of photoelastic materials"}))
    assert result.mode == "most"
    listings = [hit.listing for hit in result.hits[0:10]]
    assert listings[0] == best
    assert set(listings) == {best, stress, composites}


# --- 4. typo corrections: the closest first, shown with diacritics -----------------------------------------------


def test_a_letter_left_out_is_closer_than_a_neighbouring_key_closer_than_another_letter():
    assert edit_cost("nuan", "nhuan") < edit_cost("nuan", "nhan") < edit_cost("nuan", "quan")
    assert edit_cost("nuan", "nhan") == edit_cost("nuan", "ngan") or edit_cost("nuan", "ngan") <= 1.0
    assert edit_cost("congg", "cong") < edit_cost("chitosen", "chitosan")


def test_nuan_is_corrected_to_nhuan_not_to_more_frequent_neighbours(publish):
    profit = publish("Tăng lợi nhuận cho nông hộ trồng lúa")
    for title in ("Nhận chuyển giao giống lúa", "Nhân giống cây ăn trái", "Quan trắc độ mặn", "Ngân hàng giống"):
        for n in range(3):
            publish(f"{title} {n}")
    result = search(filters=ListingFilterSet({"q": "nuận"}))
    assert result.corrected == "nhuận"
    assert [hit.listing for hit in result.hits[0:1]] == [profit]


def test_a_correction_is_shown_with_its_diacritics(publish):
    publish("Công nghệ khử mặn nước cho ao nuôi")
    assert search(filters=ListingFilterSet({"q": "cong nhge"})).corrected == "công nghệ"


# --- 5. a need's summary is a query ------------------------------------------------------------------------------


def test_the_api_takes_a_query_of_a_thousand_characters_and_says_so(client, publish):
    dryer = publish("Máy sấy lúa tầng sôi")
    summary = ("Hợp tác xã cần máy sấy lúa tầng sôi công suất 30 tấn mỗi ngày, đốt trấu, tiết kiệm năng lượng. " * 20)[
        :MAX_WORDS_LENGTH
    ]
    assert MAX_WORDS_LENGTH >= 1000
    response = client.get(API, {"q": summary})
    assert response.status_code == 200
    assert response.json()["results"][0]["reference_code"] == dryer.reference_code
    too_long = client.get(API, {"q": "x" * (MAX_WORDS_LENGTH + 1)})
    assert too_long.status_code == 400
    assert "q" in too_long.json().get("errors", too_long.json())
    schema = client.get("/api/schema/", {"format": "json"}).json()
    parameters = schema["paths"][API]["get"]["parameters"]
    (q,) = [p for p in parameters if p["name"] == "q"]
    assert q["schema"]["maxLength"] == MAX_WORDS_LENGTH


def test_the_search_boxes_take_the_same_length(client, publish):
    publish("Máy sấy lúa tầng sôi")
    browse = client.get(reverse("listings:browse"), {"q": "máy sấy " * 120})
    assert browse.status_code == 200
    assert browse.context["results"].total == 1
    assert f'maxlength="{MAX_WORDS_LENGTH}"' in browse.content.decode()
    assert f'maxlength="{MAX_WORDS_LENGTH}"' in client.get("/").content.decode()


def test_a_vietnamese_function_word_typed_keeps_its_phrase(publish):
    # "cơ" is on Vietnamese's list of function words, but in "phân hữu cơ vi sinh" it is half of "hữu cơ".
    assert [w.stop for w in parse("phân hữu cơ", correct=False).words] == [False, False, True]
    scattered = publish(
        "Phân vi sinh hữu hiệu cho cây có múi",
        "Phân vi sinh, hữu hiệu; cơ sở sản xuất phân vi sinh.",
        "Phân vi sinh hữu hiệu, cơ sở phân phối phân vi sinh.",
    )
    organic = publish("Phân hữu cơ vi sinh từ vỏ trái cây", "Ủ vỏ trái cây.", "Ủ vỏ.")
    assert found("phân hữu cơ vi sinh")[:2] == [organic, scattered]
