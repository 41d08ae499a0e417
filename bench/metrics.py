"""Ranking-quality metrics for the search benchmarks (pure Python, no database).

Conventions, as in trec_eval:

- ``ranking`` is the list of document ids a system returned, best first (duplicates are ignored after their first
  place). ``gains`` maps a judged document id to its graded gain; a document missing from it, or with gain 0, is
  not relevant.
- **nDCG@k** uses linear gains and the log2 discount: DCG@k = sum over ranks i = 1..k of gain_i / log2(i + 1);
  the ideal DCG orders *all* judged gains of the query, best first. A query without any gain scores 0.
- **AP** (average precision) is the mean, over *all* relevant documents of the query (gain > 0), of the precision
  at the rank where each is found; one never found counts 0. So a system that returns nothing scores 0, and a
  ranking cut at depth d gives AP@d. MAP is the mean AP over queries.
- **P@k** is the number of relevant documents in the first k, divided by k (not by the number returned).

Every query counts in the means, including those where a system returned nothing (they score 0).
"""

import math
from collections.abc import Iterable, Mapping, Sequence


def _dedupe(ranking: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ranking))


def dcg(gains_in_order: Sequence[float], k: int) -> float:
    return sum(gain / math.log2(rank + 2) for rank, gain in enumerate(gains_in_order[:k]))


def ndcg_at(ranking: Sequence[str], gains: Mapping[str, float], k: int = 10) -> float:
    ideal = dcg(sorted((g for g in gains.values() if g > 0), reverse=True), k)
    if ideal == 0:
        return 0.0
    return dcg([gains.get(doc, 0) for doc in _dedupe(ranking)], k) / ideal


def average_precision(ranking: Sequence[str], relevant: set[str]) -> float:
    if not relevant:
        return 0.0
    found = 0
    total = 0.0
    for rank, doc in enumerate(_dedupe(ranking), start=1):
        if doc in relevant:
            found += 1
            total += found / rank
    return total / len(relevant)


def precision_at(ranking: Sequence[str], relevant: set[str], k: int = 10) -> float:
    return sum(1 for doc in _dedupe(ranking)[:k] if doc in relevant) / k


def mean(values: Iterable[float]) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0
