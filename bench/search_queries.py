"""The query mix of bench/search_speed.py: what people type into the exchange's search box, seeded and deterministic.

The written queries are listed, by kind, in bench/search_speed.py's docstring (a test keeps the two the same). The
drawn ones come from the titles of the first 1,000 generated listings (all of them imported whenever at least 1,000
are): two or three consecutive content words of a title (bench/vi_robustness.py ``content_words``, English function
words dropped too), lower-cased, half of the Vietnamese ones folded to no diacritics.

``must_find`` says which queries any search must answer with something: those whose every word, folded (lower case,
no diacritics, đ→d, as ``techex.core.text.fold``), is a whole word of the folded text of one listing. A typo is
judged on the spelling intended.
"""

import random
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate_listings import generate_rows  # noqa: E402
from bench.vi_robustness import content_words  # noqa: E402
from techex.core.text import fold  # noqa: E402

DRAWN_QUERIES = 10
DRAW_FROM = 1_000
ENGLISH_FUNCTION_WORDS = frozenset(
    ["a", "an", "and", "at", "by", "for", "from", "in", "into", "of", "on", "or", "that", "the", "to", "using", "with"]
)


@dataclass(frozen=True)
class Query:
    text: str
    kind: str
    intended: str = ""  # a typo's correct spelling: what must be found is judged on it


def _queries(kind: str, texts: str) -> list[Query]:
    return [Query(text.strip(), kind) for text in texts.split("·")]


WRITTEN_QUERIES: tuple[Query, ...] = (
    *_queries(
        "vi",
        "máy sấy lúa · cá tra · bảo quản xoài · xâm nhập mặn · Nuôi tôm · xử lý nước thải · sấy lạnh trái cây · "
        "kho lạnh · phân hữu cơ · tưới nhỏ giọt · điện mặt trời áp mái · Chế phẩm vi sinh",
    ),
    *_queries(
        "vi, no diacritics",
        "may say lua · nuoi tom · cong nghe sinh hoc · ca tra · xu ly nuoc thai · bao quan trai cay · "
        "say lanh xoai · khu man · dien mat troi · tom the chan trang",
    ),
    Query("máy sấy lùa", "typo", "máy sấy lúa"),
    Query("nuoi tomm", "typo", "nuoi tom"),
    Query("ca trs", "typo", "ca tra"),
    Query("xu ly nuoc thao", "typo", "xu ly nuoc thai"),
    Query("bao quam xoai", "typo", "bao quan xoai"),
    Query("sầu riênh", "typo", "sầu riêng"),
    Query("xâm nhạp mặn", "typo", "xâm nhập mặn"),
    Query("shrimp farmimg", "typo", "shrimp farming"),
    Query("solar dryet", "typo", "solar dryer"),
    *_queries(
        "en",
        "solar dryer · shrimp farming · water treatment sensor · cold chain durian · rice husk gasification · "
        "biogas digester · brackish groundwater desalination · heat pump dryer mango",
    ),
    *_queries("word", "tôm · lua · xoài · dừa · biogas · shrimp · sensor"),
)


def title_words(title: str) -> list[str]:
    return [word for word in content_words(title) if word.casefold() not in ENGLISH_FUNCTION_WORDS]


def drawn_queries(listings: int, seed: int, count: int = DRAWN_QUERIES) -> list[Query]:
    """Queries from the titles of the first generated listings; the same for the same seed once listings ≥ 1,000."""
    rows = list(generate_rows(min(listings, DRAW_FROM), seed=seed))  # the prefix changes only external_ref
    rng = random.Random(f"search-speed-{seed}")
    taken = {query.text for query in WRITTEN_QUERIES}
    result: list[Query] = []
    for _attempt in range(50 * count):
        if len(result) == count or not rows:
            break
        row = rng.choice(rows)
        words = title_words(row["title"])
        length = rng.choice((2, 3))
        if len(words) < length:
            continue
        start = rng.randrange(len(words) - length + 1)
        text = " ".join(words[start : start + length]).lower()
        kind = "title"
        if row["language"] == "vi" and rng.random() < 0.5:
            text, kind = fold(text), "title, no diacritics"
        if text not in taken:
            taken.add(text)
            result.append(Query(text, kind))
    return result


def query_mix(listings: int, seed: int) -> list[Query]:
    return [*WRITTEN_QUERIES, *drawn_queries(listings, seed)]


def must_find(queries: list[Query], folded_texts: Iterable[str]) -> set[str]:
    """Return the texts of the queries that one of ``folded_texts`` has every word of (see the module docstring)."""
    wanted = {query.text: frozenset(fold(query.intended or query.text).split()) for query in queries}
    vocabulary = frozenset().union(*wanted.values())
    found: set[str] = set()
    for text in folded_texts:
        words = vocabulary.intersection(text.split())
        found.update(query for query, needed in wanted.items() if query not in found and needed <= words)
        if len(found) == len(wanted):
            break
    return found
