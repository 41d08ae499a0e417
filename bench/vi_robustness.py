"""How often the intended Vietnamese listing stays in the top 3 when people type the query differently.

    .venv/bin/python bench/vi_robustness.py [--distractors 2000] [--words 2,3,4] [--typo-draws 3] [--check 2000]
    DATABASE_URL=postgres://user:pass@host/any .venv/bin/python bench/vi_robustness.py   # on PostgreSQL

The database is thrown away (bench/setup_db.py): SQLite in a temporary directory, or, when DATABASE_URL is set, a
PostgreSQL database named ``bench_vi`` on that server, created (dropped first if left over) and dropped at the end.
It gets the reference data and the demo data through ``seed_demo`` (organisations; the English NASA/SBIR
listings; the 61 Vietnamese demo listings of data/demo/listings_vi.jsonl imported with publish=True), then
``--distractors`` generated Vietnamese listings (bench/generate_listings.py, published, newer than the demo
listings). ``--check N`` first dry-runs an import of N generated listings (Vietnamese and English) to prove the
generator's rows are valid.

Queries. For each Vietnamese demo listing the title is split into words (Vietnamese syllables); digits, and the
boiler-plate phrases of STOP_PHRASES (“công nghệ”, “quy trình”, “sản xuất” …) and the function
words of STOPWORDS (“cần”, “cho”, “và” …) are dropped; the first
K remaining words, for each K in ``--words``, form one query (a title with fewer than K such words gives none for
that K). Each query is sent as every variant of bench/variants.py: exact, no diacritics (fold, đ→d), NFD, UPPER
CASE, a one-letter typo, and a typo in the diacritics-free text. A typo needs a word of ≥ 5 letters, which most
Vietnamese syllables are not, so typo rows count fewer queries; ``--typo-draws`` typos are drawn per query.

Every query goes through the API code path in-process (Django test Client, GET /api/v1/listings/?q=…&page_size=10)
and the rank of the intended listing among the results is recorded. The table shows per variant the share of queries
with the listing in the top 3 and top 10, the share that found nothing, the time per query, and **kept**: of the
queries whose exact form (as the title writes it) puts the listing in the top 3, the share whose variant keeps it
there. The targets are judged on *kept*, which measures what the variants are about (typing without diacritics, in
NFD, with a typo); the plain top-3 share also counts how ambiguous a two-word query is among thousands of similar
generated listings, which no way of typing changes.
"""

import argparse
import json
import os
import re
import statistics
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate_listings import generate_rows  # noqa: E402
from bench.setup_db import drop_database, import_rows, load_reference_and_demo, prepare_environment  # noqa: E402
from bench.variants import VARIANTS  # noqa: E402

DEMO_FILE = ROOT / "data" / "demo" / "listings_vi.jsonl"
BENCH_DATABASE = "bench_vi"
ENDPOINT = "/api/v1/listings/"
TARGETS = {"no diacritics": 0.95, "NFD": 0.95, "typo": 0.85, "typo, no diacritics": 0.85}
# What a searcher leaves out: the boiler-plate phrases of listing titles (removed first, as phrases, so that "sản"
# in "thủy sản" stays), then function words.
STOP_PHRASES = (
    "công nghệ",
    "quy trình",
    "giải pháp",
    "hệ thống",
    "thiết bị",
    "sản xuất",
    "ứng dụng",
    "chuyển giao",
    "đối tác",
    "doanh nghiệp",
)
STOPWORDS = frozenset(
    [
        "cần",
        "tìm",
        "một",
        "các",
        "những",
        "cho",
        "và",
        "của",
        "từ",
        "bằng",
        "tại",
        "trong",
        "với",
        "theo",
        "đạt",
        "dùng",
        "có",
        "không",
        "lên",
        "sau",
        "ở",
        "qua",
        "trên",
        "được",
        "để",
        "là",
        "hoặc",
    ]
)
_STOP_PHRASE = re.compile(r"\b(?:" + "|".join(STOP_PHRASES) + r")\b", re.IGNORECASE)
_WORD = re.compile(r"\w+", re.UNICODE)


# --- the data -------------------------------------------------------------------------------------------------------


def _load_data(args, workdir: Path) -> dict[str, float]:
    """Migrate, load reference and demo data, check and import generated listings; return timings."""
    timings = {"database, reference and demo data": load_reference_and_demo()}
    if args.check:
        result, seconds = import_rows(
            generate_rows(args.check, seed=args.seed + 1, vi_share=0.7, prefix="check"),
            path=workdir / "check.jsonl",
            what="generated rows",
            dry_run=True,
        )
        timings[f"dry-run import of {args.check:,} generated rows (vi+en)"] = seconds
        print(
            f"dry run, {args.check:,} generated rows: {result.rows} rows, {result.created} would be created, "
            f"{len(result.errors)} errors"
        )
    if args.distractors:
        _, seconds = import_rows(
            generate_rows(args.distractors, seed=args.seed, vi_share=1.0, prefix="distractor"),
            path=workdir / "distractors.jsonl",
            what="distractors",
            is_demo=True,
        )
        timings[f"import --publish of {args.distractors:,} distractors"] = seconds
    return timings


# --- queries --------------------------------------------------------------------------------------------------------


def content_words(title: str) -> list[str]:
    """The words of a title a searcher would type: no digits, no function or boiler-plate words."""
    title = _STOP_PHRASE.sub(" ", unicodedata.normalize("NFC", title))
    return [
        word
        for word in _WORD.findall(title)
        if word.casefold() not in STOPWORDS and not any(ch.isdigit() for ch in word) and word != "_"
    ]


def base_queries(title: str, lengths: list[int]) -> list[str]:
    words = content_words(title)
    return list(dict.fromkeys(" ".join(words[:k]) for k in lengths if len(words) >= k))


@dataclass
class Outcome:
    ranks: list[int | None] = field(default_factory=list)  # None: not in the first page of 10
    found_nothing: int = 0
    seconds: list[float] = field(default_factory=list)
    by_length: dict[int, list[int | None]] = field(default_factory=dict)
    # Of the queries whose exact form puts the listing in the top 3: the variant's rank (robustness proper).
    kept_ranks: list[int | None] = field(default_factory=list)

    def share(self, limit: int, ranks: list[int | None] | None = None) -> float:
        ranks = self.ranks if ranks is None else ranks
        return sum(1 for rank in ranks if rank is not None and rank <= limit) / len(ranks) if ranks else float("nan")


def run_queries(args) -> tuple[dict[str, Outcome], int]:
    from django.test import Client

    from techex.listings.models import Listing

    client = Client()
    demo = [json.loads(line) for line in DEMO_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
    codes = dict(
        Listing.objects.filter(external_ref__in=[row["external_ref"] for row in demo], is_live=True).values_list(
            "external_ref", "reference_code"
        )
    )
    outcomes = {name: Outcome() for name in VARIANTS}
    listings = 0
    for row in demo:
        if row.get("language", "vi") != "vi" or row["external_ref"] not in codes:
            continue
        listings += 1
        target = codes[row["external_ref"]]
        for query in base_queries(row["title"], args.words):
            length = len(query.split())
            exact_rank = None
            for name, make in VARIANTS.items():
                draws = args.typo_draws if name.startswith("typo") else 1
                sent = {make(query, args.seed * 1000 + draw) for draw in range(draws)} - {None}
                for text in sorted(sent):
                    rank, count, seconds = _search(client, text, target)
                    outcome = outcomes[name]
                    outcome.ranks.append(rank)
                    outcome.by_length.setdefault(length, []).append(rank)
                    outcome.seconds.append(seconds)
                    outcome.found_nothing += count == 0
                    if name == "exact":
                        exact_rank = rank
                    if exact_rank is not None and exact_rank <= 3:
                        outcome.kept_ranks.append(rank)
                    if args.verbose and (rank is None or rank > 3):
                        print(f"  miss {name:20} rank {rank or '-':>2} of {count:>5}: {text!r} -> {row['title']}")
    return outcomes, listings


def _search(client, text: str, target: str) -> tuple[int | None, int, float]:
    started = time.perf_counter()
    response = client.get(ENDPOINT, {"q": text, "page_size": 10})
    seconds = time.perf_counter() - started
    assert response.status_code == 200, (text, response.status_code, response.content[:300])
    body = response.json()
    codes = [item["reference_code"] for item in body["results"]]
    rank = codes.index(target) + 1 if target in codes else None
    return rank, body["count"], seconds


# --- report ---------------------------------------------------------------------------------------------------------


def print_report(outcomes: dict[str, Outcome], lengths: list[int]) -> None:
    length_heads = "".join(f" top3@{k}w" for k in lengths)
    print(
        f"\n{'variant':21} {'queries':>7} {'top 3':>6} {'top 10':>6} {'none':>6}{length_heads} "
        f"{'ms/q':>6} {'p95 ms':>6} {'kept':>6}  target (kept in top 3)"
    )
    for name, outcome in outcomes.items():
        milliseconds = sorted(1000 * s for s in outcome.seconds)
        p95 = milliseconds[int(0.95 * (len(milliseconds) - 1))] if milliseconds else float("nan")
        per_length = "".join(f" {outcome.share(3, outcome.by_length.get(k, [])):8.2f}" for k in lengths)
        target = TARGETS.get(name)
        kept = outcome.share(3, outcome.kept_ranks)
        verdict = f"≥ {target:.2f} {'met' if kept >= target else 'NOT met'}" if target else ""
        print(
            f"{name:21} {len(outcome.ranks):7d} {outcome.share(3):6.2f} {outcome.share(10):6.2f} "
            f"{outcome.found_nothing / max(1, len(outcome.ranks)):6.2f}{per_length} "
            f"{statistics.fmean(milliseconds) if milliseconds else float('nan'):6.1f} {p95:6.1f} {kept:6.2f}  {verdict}"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--distractors", type=int, default=2000, help="generated Vietnamese listings (default 2,000)")
    parser.add_argument("--words", default="2,3,4", help="query lengths in content words (default 2,3,4)")
    parser.add_argument("--typo-draws", type=int, default=3, help="typos drawn per query (default 3)")
    parser.add_argument("--check", type=int, default=2000, help="dry-run import of N generated rows first (0: skip)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-v", "--verbose", action="store_true", help="print every query that misses the top 3")
    args = parser.parse_args(argv)
    args.words = sorted({int(k) for k in args.words.split(",")})
    started = time.perf_counter()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    database = prepare_environment(name=BENCH_DATABASE)
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # lets the test Client's "testserver" host in; e-mail goes to memory
    try:
        print(database.describe())
        timings = _load_data(args, database.workdir)
        from techex.listings.models import Listing

        print(
            f"live listings: {Listing.objects.filter(is_live=True).count():,} "
            f"({args.distractors:,} generated Vietnamese distractors)"
        )
        for label, seconds in timings.items():
            print(f"{label}: {seconds:.1f} s")
        outcomes, listings = run_queries(args)
        print(f"\n{listings} Vietnamese demo listings; queries = first {args.words} content words of the title")
        print_report(outcomes, args.words)
    finally:
        drop_database(database)
    print(f"\ntotal {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
