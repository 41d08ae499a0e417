"""Matching quality on real data nobody here wrote: SBIR topics as needs, NASA patents and software as offers.

    .venv/bin/python bench/matching_quality.py                # precision@5 from bench/matching_judgements.csv
    .venv/bin/python bench/matching_quality.py --export FILE  # the pairs to judge, blind, as Markdown
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_match_quality .venv/bin/python bench/matching_quality.py

The data: ``seed_demo`` on a throw-away database (bench/setup_db.py) imports 400 SBIR/STTR topics of US agencies as
needs and 1,300 NASA patents and software releases as offers, plus the Vietnamese demo listings (data/demo,
PROVENANCE.md: the English open data is converted by scripts/convert_open_listings.py, which invents no TRL,
price or budget). Then ``match_all()`` computes every match, as ``manage.py recompute_matches`` does.

The sample: ``--sample`` (25) SBIR needs drawn with a fixed seed (``--seed``) from all of them, before anything is
looked at. For each, two lists of five offers:

- **matching**: its five best matches (``Match``, best score first);
- **search**: plain search with the need's title as the query, offers only (``techex.search.selectors.search``,
  the browse page's and the API's search, ranked by relevance).

Every offer of either list was judged by hand, by reading the need and the offer (title and summary, the
description when unsure), relevant or not with a one-line reason: bench/matching_judgements.csv. ``--export``
writes what to judge: the union of the two lists of each need, in an order that does not say which system proposed
an offer (sorted by reference code). A relevant offer is one the need's owner would plausibly want to contact about
the need: it addresses the problem, or supplies a core part of the solution the topic asks for. Same broad area
alone (both "about satellites") is not enough.

Reported: precision@5 of each system (relevant offers among its five, a missing one counting as not relevant),
mean over the sample, with the number of needs where each is better; and pairs proposed now that have no
judgement (after a change to either system), which must be judged before the figures mean anything.
"""

import argparse
import csv
import os
import random
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.setup_db import drop_database, keep_database, load_reference_and_demo, prepare_environment  # noqa: E402

DATABASE_NAME = "bench_match_quality"
KEEP_DIR = Path(tempfile.gettempdir()) / "techex-bench-match-quality"
JUDGEMENTS = ROOT / "bench" / "matching_judgements.csv"
K = 5


@dataclass
class Lists:
    need: object
    matching: list
    search: list


def sample_needs(size: int, seed: int) -> list:
    from techex.listings.models import Listing

    refs = sorted(
        Listing.objects.live()
        .filter(kind="need", external_ref__startswith="sbir-")
        .values_list("external_ref", flat=True)
    )
    chosen = random.Random(seed).sample(refs, min(size, len(refs)))
    by_ref = {x.external_ref: x for x in Listing.objects.filter(external_ref__in=chosen)}
    return [by_ref[ref] for ref in chosen]


def top_lists(need) -> Lists:
    from techex.listings.filtersets import MAX_WORDS_LENGTH, ListingFilterSet
    from techex.matching.models import Match
    from techex.search.selectors import search

    matches = Match.objects.filter(need=need).select_related("offer").order_by("-score", "-id")[:K]
    found = search(filters=ListingFilterSet({"q": need.title[:MAX_WORDS_LENGTH], "kind": "offer"}))
    hits = found.hits[0:K] if found.total else []
    return Lists(need, [m.offer for m in matches], [hit.listing for hit in hits])


def read_judgements(path: Path) -> dict[tuple[str, str], tuple[bool, str]]:
    if not path.is_file():
        return {}
    with open(path, encoding="utf-8", newline="") as handle:
        return {
            (row["need"], row["offer"]): (row["relevant"].strip() == "1", row["reason"])
            for row in csv.DictReader(handle)
        }


def _short(text: str, length: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1] + "…"


def export(lists: list[Lists], path: Path, judged: dict) -> None:
    """What to judge, blind: each need, then the union of its two lists sorted by reference code."""
    lines = [
        "# Matching quality: pairs to judge",
        "",
        "Judge each offer for the need above it: relevant (1) or not (0).",
        "",
    ]
    for item in lists:
        need = item.need
        lines += [f"## {need.external_ref}: {need.title}", "", _short(need.summary, 500), ""]
        lines += [f"> {_short(need.description, 1500)}", ""]
        union = {offer.pk: offer for offer in item.matching + item.search}
        for offer in sorted(union.values(), key=lambda o: o.external_ref or o.reference_code):
            mark = " (judged)" if (need.external_ref, offer.external_ref) in judged else ""
            lines += [f"- **{offer.external_ref}**{mark}: {offer.title} — {_short(offer.summary, 400)}"]
        lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {path}")


def precision(offers: list, need, judged: dict, missing: set) -> float:
    relevant = 0
    for offer in offers[:K]:
        key = (need.external_ref, offer.external_ref)
        if key not in judged:
            missing.add(key)
        elif judged[key][0]:
            relevant += 1
    return relevant / K


def report(lists: list[Lists], judged: dict) -> int:
    missing: set = set()
    rows = []
    for item in lists:
        p_match = precision(item.matching, item.need, judged, missing)
        p_search = precision(item.search, item.need, judged, missing)
        rows.append((item.need, p_match, p_search, len(item.matching), len(item.search)))
    print(f"\n{'need':34} {'matching':>8} {'search':>8}  (P@{K}; results found)")
    for need, p_match, p_search, n_match, n_search in rows:
        print(
            f"{need.external_ref:34} {p_match:8.2f} {p_search:8.2f}  ({n_match}, {n_search})  {_short(need.title, 60)}"
        )
    mean_match = sum(r[1] for r in rows) / len(rows)
    mean_search = sum(r[2] for r in rows) / len(rows)
    better = sum(1 for r in rows if r[1] > r[2])
    worse = sum(1 for r in rows if r[1] < r[2])
    print(f"\nmean P@{K} over {len(rows)} needs: matching {mean_match:.3f}, ", end="")
    print(f"plain search (title as query) {mean_search:.3f}")
    print(f"matching better on {better} needs, worse on {worse}, equal on {len(rows) - better - worse}")
    verdict = "BEATS" if mean_match > mean_search else "DOES NOT BEAT"
    print(f"matching {verdict} plain search")
    if missing:
        print(f"\n{len(missing)} proposed pairs have no judgement (run --export and judge them):")
        for need_ref, offer_ref in sorted(missing):
            print(f"  {need_ref},{offer_ref}")
        return 1
    return 0 if mean_match > mean_search else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=int, default=25)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--export", type=Path, help="write the pairs to judge to this Markdown file")
    parser.add_argument("--judgements", type=Path, default=JUDGEMENTS)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--skip-import", action="store_true", help="reuse the database of a --keep run")
    args = parser.parse_args(argv)

    keep = args.keep or args.skip_import
    database = prepare_environment(name=DATABASE_NAME, workdir=KEEP_DIR if keep else None, fresh=not args.skip_import)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from techex.matching.services import match_all

    try:
        if not args.skip_import:
            print(f"reference and demo data: {load_reference_and_demo():.1f} s")
        print(f"matches: {match_all():,}")
        lists = [top_lists(need) for need in sample_needs(args.sample, args.seed)]
        judged = read_judgements(args.judgements)
        if args.export:
            export(lists, args.export, judged)
            return 0
        return report(lists, judged)
    finally:
        if keep:
            keep_database(database)
        else:
            drop_database(database)


if __name__ == "__main__":
    sys.exit(main())
