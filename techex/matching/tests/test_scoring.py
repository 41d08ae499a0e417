"""Scores and reasons for constructed pairs: text, glossary, field, TRL, region, terms, price; rendered reasons."""

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation

from techex.matching import scoring
from techex.matching.reasons import ReasonLabels, render_reasons
from techex.matching.scoring import Profile, Vectorizer, document, score_pair
from techex.matching.services import MIN_SCORE
from techex.search.analysis import accent_keys, terms

NOW = datetime(2026, 3, 1, tzinfo=UTC)

NEED_VI = (
    "Cần hệ thống khử mặn nước cho ao nuôi tôm",
    "Hợp tác xã cần hệ thống khử mặn quy mô nhỏ cho ao nuôi tôm thẻ chân trắng vùng xâm nhập mặn.",
)
OFFER_VI = (
    "Trạm khử mặn bằng màng lọc cho ao nuôi tôm",
    "Trạm khử mặn di động cấp nước ngọt cho ao nuôi tôm vùng xâm nhập mặn, vận hành tự động.",
)
OFFER_EN = (
    "Solar-powered desalination unit for shrimp ponds",
    "A reverse osmosis desalination unit that supplies fresh water to shrimp farming ponds hit by salinity.",
)
UNRELATED_VI = ("Phần mềm quản lý thư viện trường học", "Quét mã vạch, thống kê bạn đọc, in thẻ thư viện.")


def _document(pk: int, text: tuple[str, str], language: str):
    english = language == "en"
    title, summary = text
    return document(
        pk,
        language,
        {"title": " ".join(terms(title, english=english)), "summary": " ".join(terms(summary, english=english))},
        " ".join(accent_keys(f"{title} {summary}")),
    )


def _vectors(*items: tuple[int, tuple[str, str], str]):
    """Vectors of the given documents, with statistics as if they were among 40 listings."""
    documents = [_document(pk, text, language) for pk, text, language in items]
    df = Counter(term for d in documents for term in d.counts)
    vectorizer = Vectorizer(df, documents=40)
    return [vectorizer.vector(d) for d in documents]


def _score(need_text, offer_text, *, need=None, offer=None, need_language="vi", offer_language="vi"):
    need_vector, offer_vector = _vectors((1, need_text, need_language), (2, offer_text, offer_language))
    need = need or Profile(1, "need", need_language)
    offer = offer or Profile(2, "offer", offer_language)
    return score_pair(need, need_vector, offer, offer_vector, now=NOW)


def _reason(scored, code: str) -> dict | None:
    return next((r for r in scored.reasons if r["code"] == code), None)


# --- text and glossary --------------------------------------------------------------------------------------------


def test_shared_terms_are_a_reason_and_unrelated_texts_no_match():
    scored = _score(NEED_VI, OFFER_VI)
    assert 0 < scored.score <= 100
    terms_reason = _reason(scored, "terms")
    assert terms_reason is not None and terms_reason["points"] > 0
    unrelated = _score(NEED_VI, UNRELATED_VI)  # "hệ thống" and "thống kê" share a syllable, and nothing else
    assert unrelated is None or unrelated.score < MIN_SCORE


def test_an_english_offer_matches_a_vietnamese_need_through_the_glossary():
    scored = _score(NEED_VI, OFFER_EN, offer_language="en")
    assert scored is not None
    reason = _reason(scored, "glossary")
    assert {"desalination", "shrimp", "salinity"} <= set(reason["params"]["concepts"])
    assert reason["params"]["bilingual"] is True
    assert reason["points"] > 0
    # Without the glossary the two share no term at all.
    need_vector, offer_vector = _vectors((1, NEED_VI, "vi"), (2, OFFER_EN, "en"))
    shared = set(need_vector.weights) & set(offer_vector.weights)
    assert shared and all(key.startswith("@") for key in shared)


def test_folding_does_not_make_fire_into_rice():
    # "lúa" (rice) and "lửa" (fire) fold to the same "lua"; the accents tell them apart.
    rice = ("Máy sấy lúa", "Sấy lúa bằng trấu cho hợp tác xã.")
    fire = ("Bếp lửa tiết kiệm củi", "Bếp lửa đốt củi cho hộ gia đình.")
    need_vector, offer_vector = _vectors((1, rice, "vi"), (2, fire, "vi"))
    cosine, shared = scoring.similarity(need_vector, offer_vector)
    assert "lua" not in dict(shared)
    assert "@rice" in need_vector.weights and "@rice" not in offer_vector.weights


def test_a_glossary_term_inside_an_excluded_phrase_is_not_the_concept():
    space = ("Solar wind particle detector", "Measures the solar wind.")
    need_vector, _ = _vectors((1, space, "en"), (2, OFFER_EN, "en"))
    assert "@solar_energy" not in need_vector.weights


# --- structured features -------------------------------------------------------------------------------------------


def test_same_field_and_same_sector_are_reasons():
    need = Profile(1, "need", fields=("20701",))
    same = _score(NEED_VI, OFFER_VI, need=need, offer=Profile(2, "offer", fields=("20701",)))
    sector = _score(NEED_VI, OFFER_VI, need=need, offer=Profile(2, "offer", fields=("20702",)))
    other = _score(NEED_VI, OFFER_VI, need=need, offer=Profile(2, "offer", fields=("101",)))
    assert _reason(same, "field")["params"] == {"field": "20701"}
    assert _reason(sector, "sector")["params"] == {"field": "207"}
    assert _reason(other, "field") is None and _reason(other, "sector") is None
    assert same.score > sector.score > other.score


def test_trl_at_or_above_the_minimum_counts_below_it_is_penalised_far_below_excluded():
    need = Profile(1, "need", min_trl=6)
    meets = _score(NEED_VI, OFFER_VI, need=need, offer=Profile(2, "offer", trl=7))
    below = _score(NEED_VI, OFFER_VI, need=need, offer=Profile(2, "offer", trl=5))
    unstated = _score(NEED_VI, OFFER_VI, need=need, offer=Profile(2, "offer"))
    assert _reason(meets, "trl_ok") == {"code": "trl_ok", "points": 8, "params": {"trl": 7, "min_trl": 6}}
    assert _reason(below, "trl_below") == {"code": "trl_below", "points": -12, "params": {"trl": 5, "min_trl": 6}}
    assert _reason(unstated, "trl_unstated")["params"] == {"min_trl": 6}
    assert meets.score - below.score == 20
    assert _score(NEED_VI, OFFER_VI, need=need, offer=Profile(2, "offer", trl=3)) is None


def test_a_price_above_the_budget_is_penalised_and_one_within_it_counts():
    need = Profile(1, "need", price_type="range", price_min=100_000_000, price_max=500_000_000)
    above = _score(NEED_VI, OFFER_VI, need=need, offer=Profile(2, "offer", price_type="fixed", price_min=800_000_000))
    within = _score(
        NEED_VI,
        OFFER_VI,
        need=need,
        offer=Profile(2, "offer", price_type="range", price_min=200_000_000, price_max=1_000_000_000),
    )
    negotiable = _score(NEED_VI, OFFER_VI, need=need, offer=Profile(2, "offer"))
    assert _reason(above, "price_above") == {
        "code": "price_above",
        "points": -10,
        "params": {"price": 800_000_000, "budget": 500_000_000},
    }
    assert _reason(within, "price_within")["params"] == {"price": 200_000_000, "budget": 500_000_000}
    assert _reason(negotiable, "price_above") is None and _reason(negotiable, "price_within") is None
    assert within.score > negotiable.score > above.score


def test_region_same_province_sought_province_and_the_delta():
    same = _score(NEED_VI, OFFER_VI, need=Profile(1, "need", province="92"), offer=Profile(2, "offer", province="92"))
    sought = _score(
        NEED_VI,
        OFFER_VI,
        need=Profile(1, "need", province="92", partner_provinces=frozenset({"01"})),
        offer=Profile(2, "offer", province="01"),
    )
    delta = _score(
        NEED_VI,
        OFFER_VI,
        need=Profile(1, "need", province="92", is_mekong=True),
        offer=Profile(2, "offer", province="96", is_mekong=True),
    )
    far = _score(NEED_VI, OFFER_VI, need=Profile(1, "need", province="92"), offer=Profile(2, "offer", province="01"))
    assert _reason(same, "same_province")["params"] == {"province": "92"}
    assert _reason(sought, "province_sought")["params"] == {"province": "01"}
    assert _reason(delta, "mekong") is not None
    assert not any(r["code"] in {"same_province", "province_sought", "mekong"} for r in far.reasons)
    assert same.score > delta.score > far.score


def test_transfer_forms_in_common_and_freshness():
    fresh = NOW - timedelta(days=10)
    scored = _score(
        NEED_VI,
        OFFER_VI,
        need=Profile(1, "need", transfer_forms=frozenset({"technical_service", "assignment"}), fresh_at=fresh),
        offer=Profile(2, "offer", transfer_forms=frozenset({"technical_service"}), fresh_at=fresh),
    )
    assert _reason(scored, "transfer_forms")["params"] == {"forms": ["technical_service"]}
    assert _reason(scored, "fresh") == {"code": "fresh", "points": 4, "params": {"days": 10}}


def test_structured_features_alone_do_not_make_a_match():
    # One field, one province, TRL and terms that fit: still no match when the texts share nothing.
    kwargs = {"province": "92", "fields": ("20701",), "transfer_forms": frozenset({"assignment"})}
    need = Profile(1, "need", min_trl=4, **kwargs)
    offer = Profile(2, "offer", trl=7, **kwargs)
    unrelated = _score(NEED_VI, UNRELATED_VI, need=need, offer=offer)
    assert unrelated is None or unrelated.score < MIN_SCORE


# --- rendering ---------------------------------------------------------------------------------------------------


def test_reasons_render_in_the_readers_language_with_their_points():
    reasons = [
        {"code": "glossary", "points": 20, "params": {"concepts": ["desalination", "shrimp"], "bilingual": True}},
        {"code": "terms", "points": 10, "params": {"terms": ["khử mặn", "ao tôm"]}},
        {"code": "trl_ok", "points": 8, "params": {"trl": 7, "min_trl": 5}},
        {"code": "trl_below", "points": -12, "params": {"trl": 3, "min_trl": 4}},
        {"code": "price_above", "points": -10, "params": {"price": 800_000_000, "budget": 500_000_000}},
        {"code": "transfer_forms", "points": 4, "params": {"forms": ["technical_service"]}},
        {"code": "no_such_code", "points": 0, "params": {}},
    ]
    with translation.override("en"):
        texts = [(r.code, r.text, r.points) for r in render_reasons(reasons, ReasonLabels())]
    assert texts == [
        ("glossary", "Same topics: desalination (khử mặn), shrimp (tôm)", 20),
        ("terms", "Shared terms: khử mặn, ao tôm", 10),
        ("trl_ok", "TRL 7 meets the required 5", 8),
        ("trl_below", "TRL 3 is below the required 4", -12),
        ("price_above", "Price from 800,000,000 VND, above the budget of 500,000,000 VND", -10),
        ("transfer_forms", "Transfer forms in common: Technical service", 4),
        ("no_such_code", "Other reason", 0),
    ]
    with translation.override("vi"):
        glossary_text = render_reasons(reasons[:1])[0].text
    assert "khử mặn (desalination), tôm (shrimp)" in glossary_text


@pytest.mark.django_db
def test_provinces_and_fields_are_named_in_the_readers_language(reference_data):
    from techex.matching.reasons import reason_labels

    reasons = [
        {"code": "same_province", "points": 8, "params": {"province": "92"}},
        {"code": "field", "points": 12, "params": {"field": "207"}},
    ]
    labels = reason_labels([reasons])
    with translation.override("en"):
        texts = [r.text for r in render_reasons(reasons, labels)]
    assert texts[0] == "Same province: Can Tho"
    assert texts[1].startswith("Same S&T field: 207 ")


def test_a_shared_pair_is_shown_instead_of_its_syllables():
    from techex.matching.scoring import _shown_terms

    keys = ["nghe", "cong", "luong", "cong nghe", "tra", "ca tra"]
    assert _shown_terms(keys) == ["cong nghe", "luong", "ca tra"]
