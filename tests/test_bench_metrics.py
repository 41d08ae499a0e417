"""The benchmark's metrics on tiny cases worked out by hand (no database)."""

import math

import pytest

from bench.metrics import average_precision, mean, ndcg_at, precision_at


def test_ndcg_perfect_ranking_is_one():
    gains = {"a": 4, "b": 3, "c": 1}
    assert ndcg_at(["a", "b", "c", "x"], gains) == pytest.approx(1.0)


def test_ndcg_hand_computed():
    # Ranking: x (0), a (4), c (1). DCG = 4/log2(3) + 1/log2(4) = 2.523719 + 0.5 = 3.023719
    # Ideal: a (4), b (3), c (1).   IDCG = 4/1 + 3/log2(3) + 1/2 = 4 + 1.892789 + 0.5 = 6.392789
    gains = {"a": 4, "b": 3, "c": 1, "z": 0}
    expected = (4 / math.log2(3) + 1 / 2) / (4 + 3 / math.log2(3) + 1 / 2)
    assert ndcg_at(["x", "a", "c"], gains) == pytest.approx(expected)
    assert ndcg_at(["x", "a", "c"], gains) == pytest.approx(0.472989, abs=1e-6)


def test_ndcg_cuts_at_k_and_ideal_uses_all_judgements():
    # 11 relevant documents of gain 1; the ranking finds only the 11th at rank 11, past the cut.
    gains = {f"d{i}": 1 for i in range(11)}
    ranking = [f"n{i}" for i in range(10)] + ["d0"]
    assert ndcg_at(ranking, gains, k=10) == 0.0
    # At k=1: the one relevant document first is perfect whatever else is judged.
    assert ndcg_at(["d3"], gains, k=1) == pytest.approx(1.0)


def test_ndcg_empty_ranking_or_no_relevant_is_zero():
    assert ndcg_at([], {"a": 4}) == 0.0
    assert ndcg_at(["a"], {"a": 0}) == 0.0
    assert ndcg_at(["a"], {}) == 0.0


def test_ndcg_counts_a_repeated_document_once():
    gains = {"a": 4, "b": 1}
    assert ndcg_at(["a", "a", "b"], gains) == pytest.approx(ndcg_at(["a", "b"], gains))


def test_average_precision_hand_computed():
    # Relevant a, b, c; found at ranks 1 and 3, c never: (1/1 + 2/3) / 3 = 0.555556
    assert average_precision(["a", "x", "b", "y"], {"a", "b", "c"}) == pytest.approx((1 + 2 / 3) / 3)


def test_average_precision_edges():
    assert average_precision([], {"a"}) == 0.0
    assert average_precision(["a"], set()) == 0.0
    assert average_precision(["x", "a"], {"a"}) == pytest.approx(0.5)
    assert average_precision(["a", "b"], {"a", "b"}) == pytest.approx(1.0)


def test_precision_at_10_divides_by_ten():
    assert precision_at(["a", "b", "x"], {"a", "b"}) == pytest.approx(0.2)
    ranking = [f"n{i}" for i in range(9)] + ["a", "b"]
    assert precision_at(ranking, {"a", "b"}) == pytest.approx(0.1)
    assert precision_at([], {"a"}) == 0.0
    assert precision_at(["a", "b"], {"a", "b"}, k=2) == pytest.approx(1.0)


def test_mean():
    assert mean([]) == 0.0
    assert mean([0.0, 1.0, 0.5]) == pytest.approx(0.5)
