"""The pure parts of the search speed benchmark (bench/search_speed.py): no database, no server, fast."""

import math
import unicodedata

import pytest

from bench import search_speed
from bench.load import Run, percentile
from bench.search_queries import WRITTEN_QUERIES, Query, must_find, query_mix


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


# --- percentiles ----------------------------------------------------------------------------------------------------


def test_percentile_interpolates_between_the_nearest_ranks():
    values = [4.0, 1.0, 3.0, 2.0]  # unsorted on purpose
    assert percentile(values, 0) == 1.0
    assert percentile(values, 100) == 4.0
    assert percentile(values, 50) == 2.5
    assert percentile(values, 95) == pytest.approx(3.85)


def test_percentile_of_one_value_and_of_none():
    assert percentile([7.0], 99) == 7.0
    assert math.isnan(percentile([], 50))


def test_percentile_refuses_a_share_outside_0_to_100():
    with pytest.raises(ValueError, match="between 0 and 100"):
        percentile([1.0], 101)


def test_percentile_matches_the_median_of_an_odd_list():
    assert percentile(list(range(1, 102)), 50) == 51


# --- the query mix --------------------------------------------------------------------------------------------------


def test_query_mix_is_the_same_every_time():
    first = query_mix(2000, seed=1)
    assert first == query_mix(2000, seed=1)
    assert len(first) == 56
    assert len({query.text for query in first}) == len(first)


def test_drawn_queries_do_not_depend_on_how_many_listings_beyond_1000():
    assert query_mix(1000, seed=1) == query_mix(100_000, seed=1)
    assert query_mix(1000, seed=1) != query_mix(1000, seed=2)


def test_drawn_queries_are_two_or_three_words_of_a_title():
    drawn = [query for query in query_mix(1000, seed=1) if query.kind.startswith("title")]
    assert len(drawn) == 10
    assert all(2 <= len(query.text.split()) <= 3 for query in drawn)
    assert all(query.text == query.text.lower() for query in drawn)


def test_every_written_query_is_listed_in_the_docstring():
    docstring = unicodedata.normalize("NFC", search_speed.__doc__)
    missing = [query.text for query in WRITTEN_QUERIES if query.text not in docstring]
    assert not missing, f"add to bench/search_speed.py's docstring: {missing}"


def test_typos_are_one_edit_from_what_was_meant():
    typos = [query for query in WRITTEN_QUERIES if query.kind == "typo"]
    assert typos
    for query in typos:
        assert edit_distance(query.text, query.intended) == 1, query


# --- what must be found ---------------------------------------------------------------------------------------------


def test_must_find_needs_every_word_in_one_listing():
    queries = [Query("máy sấy lúa", "vi"), Query("nuoi tom", "vi"), Query("ca tra", "vi")]
    texts = ["may say lua tang soi", "ao nuoi ca", "tom the chan trang"]
    # "nuoi" and "tom" are in two different listings; "tra" is in none.
    assert must_find(queries, texts) == {"máy sấy lúa"}


def test_must_find_matches_whole_words_only():
    assert must_find([Query("lua", "word")], ["luan van"]) == set()


def test_must_find_judges_a_typo_on_its_intended_spelling():
    typo = Query("nuoi tomm", "typo", "nuoi tom")
    assert must_find([typo], ["ao nuoi tom su"]) == {"nuoi tomm"}


def test_search_path_encodes_the_query():
    assert search_speed.search_path("cá tra") == "/api/v1/listings/?q=c%C3%A1+tra&page_size=20"


# --- targets --------------------------------------------------------------------------------------------------------


def _run(endpoint: str, clients: int, seconds: float, latencies: list[float]) -> Run:
    return Run(endpoint=endpoint, clients=clients, seconds=seconds, latencies=latencies)


def test_one_client_is_judged_on_p95_and_names_the_scale_of_the_target():
    search = _run("search", 1, 1.0, [0.01] * 19 + [0.2])  # p95 between 10 ms and 200 ms
    constant = _run("constant view", 1, 0.1, [0.005] * 20)
    share, target = search_speed._target(search, constant, generated=20_000)
    assert share == "10 %"
    assert target.startswith("p95 ≤ 50 ms: met")
    assert "target is for 100,000" in target
    assert "target is for" not in search_speed._target(search, constant, generated=100_000)[1]


def test_concurrent_clients_are_judged_on_throughput_against_the_constant_view():
    constant = _run("constant view", 8, 1.0, [0.001] * 100)
    assert search_speed._target(_run("search", 8, 1.0, [0.01] * 40), constant, 100_000)[1].endswith(": met")
    assert search_speed._target(_run("search", 8, 1.0, [0.01] * 39), constant, 100_000)[1].endswith("NOT met")
    assert search_speed._target(constant, constant, 100_000) == ("", "")
