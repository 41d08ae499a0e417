"""Search speed at scale: import, index rebuild, index size, and search latency and throughput under gunicorn.

    .venv/bin/python bench/search_speed.py [-n 100000] [--requests 200] [--clients 1,8] [--workers 2] [--keep]
                                           [--cache both|on|off]
    .venv/bin/python bench/search_speed.py --skip-import          # reuse the database a --keep run left
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_speed .venv/bin/python bench/search_speed.py

The database is thrown away (bench/setup_db.py): SQLite in a temporary directory, or, with DATABASE_URL, the
PostgreSQL database ``bench_speed`` on that server (whatever database the URL names), dropped first if left over and
dropped at the end. ``--keep`` keeps it (SQLite then lives in ``$TMPDIR/techex-bench-speed``) and ``--skip-import``
reuses it, keeping it again. In order, one run:

1. Migrations, reference data and the demo data of ``seed_demo`` (1,761 live listings, mostly NASA and SBIR).
2. ``-n`` listings of bench/generate_listings.py (70 % Vietnamese, seed ``--seed``), imported published through
   ``techex.listings.importer`` as the demo staff account, in files of 10,000 rows (13 MB each, under the 20 MiB
   upload limit, as staff would upload them). Only the importer is timed, not writing the files; publishing
   indexes each listing for search in the same transaction, so the import time includes that.
3. ``manage.py rebuild_search_index``, timed in-process; documents/second uses the count it prints. Index size
   (bench/index_size.py): on SQLite the bytes of the b-trees (``dbstat``) of every table whose name starts with
   ``search_`` and of their indexes, FTS5 shadow tables included; on PostgreSQL ``pg_total_relation_size`` (table,
   indexes, TOAST) of every such table. Measured as the rebuild leaves them, whose deleted rows may still take
   space, and compacted (PostgreSQL ``VACUUM (FULL)``, SQLite FTS5 ``optimize``); the searches run on the compacted
   index, and on PostgreSQL after ``VACUUM (ANALYZE)``. Skipped with a note while the command does not exist.
4. Which queries must find something: those whose every word (folded: lower case, no diacritics, đ→d) is a whole
   word of the folded text of at least one live listing (``search_text``). Any search that accepts the query's
   words must return something for them; a query whose words are not all in one listing has no expectation.
5. gunicorn (``bench.settings``: DEBUG off, throttling off, plus ``/bench/constant/``) on 127.0.0.1 and a free port,
   **2 sync workers** by default: the production command of the README (``gunicorn config.wsgi -w 2``), one worker
   per core of this 2-core machine. Searches are CPU-bound Python and SQL on the same machine, so threads would
   mostly wait for the GIL; a sync worker answers ``Connection: close``, so every request pays a TCP connect, the
   constant view's as much as the search's (``--threads 4`` runs gthread workers instead, for comparison).
6. Warm-up: every search query and as many constant requests, from the largest number of clients, unmeasured.
7. For each ``--clients`` count (default 1 and 8), ``--requests`` requests per client to ``/bench/constant/`` (a
   constant small JSON answer through the whole middleware stack: the cost of the server, Django and the network
   without a query), then as many to ``GET /api/v1/listings/?q=<query>&page_size=20`` cycling through the query
   mix (bench/load.py: a closed loop, one ``http.client`` connection per client thread, kept alive when the server
   allows it). Reported: p50, p95, p99 of latency in ms and requests/second; search requests/second as a % of the
   constant view's.
8. Steps 5 to 7 run twice (``--cache both``, the default): with the cache of search results as deployed
   (techex/search/cache.py; after the warm-up every measured search is one asked before, so this is what repeated
   searches cost) and again on a fresh server with it turned off (``DJANGO_SEARCH_CACHE=off``: every search does all
   its work, what a search nobody asked before costs). Each is compared with the constant view of its own server.

The load generator runs on the same 2 cores as the server and takes some of them (one Python process, its threads
sharing the GIL): figures on a separate client machine would be somewhat better, for both endpoints alike. Anything
else running (a test suite, another benchmark) skews every figure: the summary prints the load average at the start,
and the table, for each run, how many CPUs other processes kept busy meanwhile (bench/load.py ``OtherLoad``), with a
warning above 0.2.

Checks: every answer must be 200 (the constant one must be the constant document), and a search for a query that
must find something (step 4) must have results. Failures are counted and listed, and a run with any says so loudly
and exits with status 1. Typo queries that find nothing are listed as a warning, not an error (whether a one-letter
slip is forgiven is the search's quality, bench/vi_robustness.py's subject, not its speed).

Targets of the issue, printed beside the figures: search p95 ≤ 50 ms with one client at 100,000 listings; search
throughput ≥ 40 % of the constant view's, judged with concurrent clients (with one client requests/second is only
the inverse of latency).

The query mix (56 queries, the same every run for a given ``--seed``): what people type on phones, mostly lower
case, sometimes with the first letter capitalised by the keyboard.

- Vietnamese with diacritics: máy sấy lúa · cá tra · bảo quản xoài · xâm nhập mặn · Nuôi tôm · xử lý nước thải ·
  sấy lạnh trái cây · kho lạnh · phân hữu cơ · tưới nhỏ giọt · điện mặt trời áp mái · Chế phẩm vi sinh
- Vietnamese without diacritics: may say lua · nuoi tom · cong nghe sinh hoc · ca tra · xu ly nuoc thai ·
  bao quan trai cay · say lanh xoai · khu man · dien mat troi · tom the chan trang
- one-letter typos (a neighbouring key, a doubled or missing letter, a wrong tone mark): máy sấy lùa · nuoi tomm ·
  ca trs · xu ly nuoc thao · bao quam xoai · sầu riênh · xâm nhạp mặn · shrimp farmimg · solar dryet
- English: solar dryer · shrimp farming · water treatment sensor · cold chain durian · rice husk gasification ·
  biogas digester · brackish groundwater desalination · heat pump dryer mango
- single common words: tôm · lua · xoài · dừa · biogas · shrimp · sensor
- 10 drawn from the titles of the first 1,000 generated listings (all imported when -n ≥ 1,000), seeded: two or
  three consecutive content words of the title (bench/vi_robustness.py ``content_words``, English function words
  dropped too), lower-cased, half of the Vietnamese ones without diacritics.
"""

import argparse
import json
import os
import re
import socket
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate_listings import generate_rows  # noqa: E402
from bench.index_size import IndexFigures, rebuild_index  # noqa: E402
from bench.load import GunicornServer, OtherLoad, Run, drive, percentile  # noqa: E402
from bench.search_queries import Query, must_find, query_mix  # noqa: E402
from bench.setup_db import (  # noqa: E402
    BenchDatabase,
    drop_database,
    import_rows,
    keep_database,
    load_reference_and_demo,
    prepare_environment,
)

DATABASE_NAME = "bench_speed"
KEEP_DIR = Path(tempfile.gettempdir()) / "techex-bench-speed"
SETTINGS = "bench.settings"
PREFIX = "speed"  # external_ref prefix of the generated listings
IMPORT_FILE_ROWS = 10_000
SEARCH = "/api/v1/listings/"
CONSTANT = "/bench/constant/"
CONSTANT_BODY = {"ok": True, "view": "constant"}  # bench/urls.py
PAGE_SIZE = 20
COUNT_AT_START = re.compile(rb'\{"count":\s*(\d+),')
TARGET_P95_MS = 50
TARGET_LISTINGS = 100_000
TARGET_THROUGHPUT = 0.40
# The search runs: with the cache of search results (techex/search/cache.py, as deployed), where the warm-up has
# asked every query once, so every measured search is one somebody asked before; and with it turned off, where every
# search does all its work (what a query nobody asked before costs).
CACHE_CONFIGURATIONS = {
    "on": [("search", {})],
    "off": [("search, no cache", {"DJANGO_SEARCH_CACHE": "off"})],
}
CACHE_CONFIGURATIONS["both"] = CACHE_CONFIGURATIONS["on"] + CACHE_CONFIGURATIONS["off"]
OTHER_LOAD_LIMIT = 0.2  # CPUs busy with other work during a run, above which its figures are called skewed


def search_path(text: str) -> str:
    return f"{SEARCH}?{urlencode({'q': text, 'page_size': PAGE_SIZE})}"


# --- steps ----------------------------------------------------------------------------------------------------------


def import_generated(count: int, seed: int, workdir: Path) -> float:
    """Import ``count`` generated listings, published, in files of IMPORT_FILE_ROWS; return the importer's seconds."""
    rows = generate_rows(count, seed=seed, prefix=PREFIX)
    seconds = 0.0
    done = 0
    while done < count:
        batch = [next(rows) for _ in range(min(IMPORT_FILE_ROWS, count - done))]
        _, took = import_rows(batch, path=workdir / "import.jsonl", what="generated listings")
        seconds += took
        done += len(batch)
        print(f"  imported {done:>7,} of {count:,}: {took:6.1f} s for {len(batch):,} ({len(batch) / took:,.0f}/s)")
    return seconds


def cache_environment() -> tuple[dict[str, str], str]:
    """The server's cache: Redis when one answers on 127.0.0.1:6379, as in production (every worker shares what
    another computed), else each worker's local memory; keys get a prefix of this run's own."""
    env = {"BENCH_CACHE_PREFIX": f"bench-speed-{os.getpid()}-{time.time_ns()}"}
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return env, "local memory of each worker (no Redis on 127.0.0.1:6379)"
    return {**env, "CACHE_URL": "redis://127.0.0.1:6379/0"}, "Redis 127.0.0.1:6379, as in production"


def backend_name() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        major, minor = divmod(connection.pg_version, 10000)
        return f"PostgreSQL {major}.{minor}"
    return f"SQLite {connection.Database.sqlite_version}"


# --- load -----------------------------------------------------------------------------------------------------------


class Checker:
    """Check answers; remember how many results each search path had."""

    def __init__(self, queries: list[Query], expected: set[str]) -> None:
        self.query_of = {search_path(query.text): query for query in queries}
        self.expected = expected
        self.hits: dict[str, int] = {}

    def constant(self, path: str, status: int, body: bytes) -> str | None:
        if status != 200:
            return f"{path}: HTTP {status}"
        if json.loads(body) != CONSTANT_BODY:
            return f"{path}: unexpected body {body[:100]!r}"
        return None

    def search(self, path: str, status: int, body: bytes) -> str | None:
        query = self.query_of[path]
        if status != 200:
            return f"{query.text!r}: HTTP {status} {body[:200]!r}"
        # The answer's first key is its count: read it there rather than decode the whole 40 KB document, whose
        # decoding in this process (on the same two cores) would take CPU from the server being measured.
        start = COUNT_AT_START.match(body)
        count = int(start.group(1)) if start else json.loads(body)["count"]
        self.hits[query.text] = count
        if count == 0 and query.text in self.expected and not query.intended:
            return f"{query.text!r} ({query.kind}) found nothing"
        return None


def measure(
    args, server: GunicornServer, checker: Checker, queries: list[Query], search_label: str = "search"
) -> tuple[list[Run], list[str]]:
    """Warm up, then run each configuration: constant view, then search, for each number of clients."""
    endpoints = (
        ("constant view", [CONSTANT], checker.constant),
        (search_label, [search_path(query.text) for query in queries], checker.search),
    )
    clients = max(args.clients)
    per_client = -(-len(queries) // clients)
    errors = []
    for endpoint, paths, check in endpoints:
        warm_up = drive(
            endpoint=endpoint, port=server.port, paths=paths, clients=clients, requests=per_client, check=check
        )
        errors += warm_up.errors
    print(f"warm-up: {per_client * clients} requests to each endpoint from {clients} clients, {len(errors)} errors")
    runs = []
    for clients in args.clients:
        for endpoint, paths, check in endpoints:
            with OtherLoad(_is_ours(server)) as other:
                run = drive(
                    endpoint=endpoint,
                    port=server.port,
                    paths=paths,
                    clients=clients,
                    requests=args.requests,
                    check=check,
                )
            run.other_cpus = other.cpus
            runs.append(run)
            print(
                f"  {endpoint:13} {clients:2} clients: {run.requests:5} answers in {run.seconds:5.1f} s, "
                f"p50 {run.ms(50):6.1f} ms, p95 {run.ms(95):6.1f} ms, {run.per_second:6.1f}/s, "
                f"{len(run.errors)} errors, other processes {_cpus(run.other_cpus)} CPUs"
            )
    return runs, errors


def _is_ours(server: GunicornServer):
    """Whether a process works for this benchmark: this one, gunicorn and its workers, their PostgreSQL backends."""
    me, master = os.getpid(), server.process.pid

    def is_ours(pid: int, ppid: int, command: str) -> bool:
        backend = command.startswith("postgres:") and (f" {DATABASE_NAME} " in command or "parallel worker" in command)
        return pid in (me, master) or ppid == master or backend

    return is_ours


def _cpus(value: float | None) -> str:
    return "?" if value is None else f"{value:.2f}"


# --- report ---------------------------------------------------------------------------------------------------------


@dataclass
class Summary:
    backend: str
    where: str
    generated: int
    live: int
    import_seconds: float | None  # None: the database was reused
    index: IndexFigures | None  # None: no rebuild_search_index command yet
    server: str
    machine: str  # CPUs and the load before the run: other work on the machine skews every figure
    queries: list[Query]
    expected: set[str]
    runs: list[Run]
    errors: list[str]  # of the warm-up and of every run


def print_by_kind(run: Run, checker: Checker) -> None:
    """Latency by kind of query, and the slowest queries, in one search run."""
    by_kind: dict[str, list[float]] = {}
    for path, seconds in run.by_path.items():
        by_kind.setdefault(checker.query_of[path].kind, []).extend(seconds)
    print(f"\nsearch with {run.clients} client(s), by kind of query")
    print(f"{'kind':22} {'queries':>7} {'p50 ms':>7} {'p95 ms':>7} {'no result':>9}")
    for kind, seconds in by_kind.items():
        kind_queries = [query for query in checker.query_of.values() if query.kind == kind]
        empty = sum(1 for query in kind_queries if checker.hits.get(query.text) == 0)
        print(
            f"{kind:22} {len(kind_queries):7} {1000 * percentile(seconds, 50):7.1f} "
            f"{1000 * percentile(seconds, 95):7.1f} {empty:9}"
        )
    if len(run.by_path) < len(checker.query_of):
        print(f"(only {len(run.by_path)} of the {len(checker.query_of)} queries were sent: --requests is too small)")
    slowest = sorted(run.by_path.items(), key=lambda item: -percentile(item[1], 50))[:5]
    print(
        "slowest: "
        + " · ".join(
            f"{checker.query_of[path].text!r} {1000 * percentile(seconds, 50):.0f} ms "
            f"({checker.hits.get(checker.query_of[path].text, '?')} results)"
            for path, seconds in slowest
        )
    )


def print_problems(summary: Summary, checker: Checker) -> None:
    if summary.errors:
        print(f"\nERRORS ({len(summary.errors)}):")
        for message, count in Counter(summary.errors).most_common(20):
            print(f"  {count:5} × {message}")
    empty = [query for query in summary.queries if checker.hits.get(query.text) == 0]
    typos = [query.text for query in empty if query.intended and query.text in summary.expected]
    if typos:
        print(f"\nwarning: {len(typos)} typo queries found nothing although their intended spelling would: {typos}")
    unexpected = [query.text for query in empty if query.text not in summary.expected]
    if unexpected:
        print(f"found nothing, and no listing has all their words (not an error): {unexpected}")


def _target(run: Run, constant: Run | None, generated: int) -> tuple[str, str]:
    """The search row's share of the constant view's throughput and the target it is judged against."""
    if not run.endpoint.startswith("search") or constant is None:
        return "", ""
    share = run.per_second / constant.per_second
    if run.clients == 1:
        p95 = run.ms(95)
        verdict = f"p95 ≤ {TARGET_P95_MS} ms: {'met' if p95 <= TARGET_P95_MS else 'NOT met'}"
        if generated != TARGET_LISTINGS:
            verdict += f" (at {generated:,} generated listings; the target is for {TARGET_LISTINGS:,})"
        return f"{100 * share:.0f} %", verdict
    return f"{100 * share:.0f} %", f"≥ {100 * TARGET_THROUGHPUT:.0f} % of constant: " + (
        "met" if share >= TARGET_THROUGHPUT else "NOT met"
    )


def _index_size(index: IndexFigures | None) -> str:
    if index is None or index.left is None:
        return "n/a"
    if index.compacted is None:
        return f"{index.left / 1e6:.1f} MB ({index.how})"
    return f"{index.compacted / 1e6:.1f} MB compacted, {index.left / 1e6:.1f} MB as the rebuild left it ({index.how})"


def print_summary(summary: Summary) -> None:
    index = summary.index
    drawn = sum(1 for query in summary.queries if query.kind.startswith("title"))
    lines = {
        "backend": f"{summary.backend}, {summary.where}",
        "listings": f"{summary.generated:,} generated + {summary.live - summary.generated:,} demo "
        f"= {summary.live:,} live",
        "import": "reused (--skip-import), not measured"
        if summary.import_seconds is None
        else f"{summary.import_seconds:.1f} s, {summary.generated / summary.import_seconds:,.0f} listings/s "
        f"(published, files of {IMPORT_FILE_ROWS:,} rows)",
        "index rebuild": "SKIPPED: manage.py rebuild_search_index does not exist yet"
        if index is None
        else f"{index.seconds:.1f} s, {index.documents:,} documents, "
        f"{index.documents / index.seconds:,.0f} documents/s",
        "index size": _index_size(index),
        "server": summary.server,
        "machine": summary.machine,
        "queries": f"{len(summary.queries)} ({len(summary.queries) - drawn} written, {drawn} drawn from titles), "
        f"{len(summary.expected)} must find something; page_size {PAGE_SIZE}",
        "errors": "none" if not summary.errors else f"{len(summary.errors)}: THE FIGURES BELOW ARE NOT VALID",
    }
    print("\n" + "=" * 118)
    for label, value in lines.items():
        print(f"{label:14} {value}")
    print(
        f"\n{'endpoint':14} {'clients':>7} {'requests':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'req/s':>7} "
        f"{'% of constant':>13} {'other CPUs':>10}  target"
    )
    constant = None
    for run in summary.runs:
        # Each search run is compared with the constant view measured just before it, on the same server.
        if run.endpoint == "constant view":
            constant = run
        share, target = _target(
            run, constant if constant and constant.clients == run.clients else None, summary.generated
        )
        print(
            f"{run.endpoint:14} {run.clients:7} {run.requests:8} {run.ms(50):7.1f} {run.ms(95):7.1f} "
            f"{run.ms(99):7.1f} {run.per_second:7.1f} {share:>13} {_cpus(run.other_cpus):>10}  {target}"
        )
    busy = [run for run in summary.runs if (run.other_cpus or 0) > OTHER_LOAD_LIMIT]
    if busy:
        print(
            f"\nWARNING: other processes kept up to {max(run.other_cpus for run in busy):.2f} of the "
            f"{os.cpu_count()} CPUs busy during {len(busy)} of the runs (column 'other CPUs'): those figures are "
            "skewed. Run again on a quiet machine."
        )
    if summary.errors:
        banner = "!" * 118
        print(
            f"\n{banner}\n!!! THIS RUN HAD {len(summary.errors)} ERRORS (listed above): its figures are not valid."
            f"\n{banner}"
        )


# --- the run --------------------------------------------------------------------------------------------------------


def run(args, database: BenchDatabase) -> Summary:
    from django.db import connections

    from techex.listings.models import Listing

    machine = f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} when the run started"
    print(f"{backend_name()}, {database.describe()}; {machine}")
    import_seconds = None
    if not args.skip_import:
        print(f"migrations, reference and demo data: {load_reference_and_demo():.1f} s")
        import_seconds = import_generated(args.count, args.seed, database.workdir)
    generated = Listing.objects.filter(external_ref__startswith=f"{PREFIX}-").count()
    live = Listing.objects.live().count()
    if args.skip_import and not generated:
        raise SystemExit("Nothing to reuse: run once with --keep first.")
    print(f"live listings: {live:,} ({generated:,} generated)")
    index = rebuild_index()
    if index is None:
        print("NOTE: manage.py rebuild_search_index does not exist yet: no index rebuild, no index size.")
    queries = query_mix(generated, args.seed)
    texts = Listing.objects.live().values_list("search_text", flat=True).iterator(chunk_size=2000)
    expected = must_find(queries, texts)
    connections.close_all()  # the server's workers have the database to themselves
    checker = Checker(queries, expected)
    log = database.workdir / "gunicorn.log"
    runs, errors = [], []
    cache_env, cache_where = cache_environment()
    for label, env in CACHE_CONFIGURATIONS[args.cache]:
        server = GunicornServer(
            root=ROOT, settings=SETTINGS, workers=args.workers, threads=args.threads, log=log, env={**cache_env, **env}
        )
        with server:
            print(f"{server.describe()}, {label}, cache: {cache_where} (log: {log})")
            server.wait_until_ready(CONSTANT)
            measured, failed = measure(args, server, checker, queries, search_label=label)
        runs += measured
        errors += failed
    errors += [error for run in runs for error in run.errors]
    summary = Summary(
        backend=backend_name(),
        where=database.describe(),
        generated=generated,
        live=live,
        import_seconds=import_seconds,
        index=index,
        server=f"{server.describe()}; cache: {cache_where}",
        machine=machine,
        queries=queries,
        expected=expected,
        runs=runs,
        errors=errors,
    )
    for label, _ in CACHE_CONFIGURATIONS[args.cache]:
        searches = [run for run in runs if run.endpoint == label]
        if searches:
            print(f"\n{label}:", end="")
            print_by_kind(min(searches, key=lambda run: run.clients), checker)
    print_problems(summary, checker)
    return summary


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--count", type=int, default=100_000, help="generated listings (default 100,000)")
    parser.add_argument("--requests", type=int, default=200, help="per client per run (default 200)")
    parser.add_argument("--clients", default="1,8", help="numbers of concurrent clients (default 1,8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--threads", type=int, default=0, help="threads per worker: gthread workers (default: sync)")
    parser.add_argument(
        "--cache",
        choices=sorted(CACHE_CONFIGURATIONS),
        default="both",
        help="search with the result cache (on), without it (off), or both in turn (default)",
    )
    parser.add_argument("--seed", type=int, default=1, help="of the generated listings and drawn queries")
    parser.add_argument("--keep", action="store_true", help=f"keep the database (SQLite: in {KEEP_DIR})")
    parser.add_argument("--skip-import", action="store_true", help="reuse the database a --keep run left; keep it")
    args = parser.parse_args(argv)
    args.clients = [int(number) for number in args.clients.split(",")]
    if min(args.clients) < 1 or args.requests < 1 or args.count < 1:
        parser.error("--clients, --requests and -n must be at least 1")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    started = time.perf_counter()
    keep = args.keep or args.skip_import
    sqlite = not os.environ.get("DATABASE_URL")
    if args.skip_import and sqlite and not (KEEP_DIR / "db.sqlite3").exists():
        raise SystemExit(f"Nothing to reuse in {KEEP_DIR}: run once with --keep first.")
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    database = prepare_environment(
        name=DATABASE_NAME, workdir=KEEP_DIR if keep and sqlite else None, fresh=not args.skip_import
    )
    import django

    django.setup()
    try:
        summary = run(args, database)
    finally:
        if keep:
            keep_database(database)
            print(f"\nkept: {database.describe()} (reuse it with --skip-import)")
        else:
            drop_database(database)
    print_summary(summary)
    print(f"\nrun time {time.perf_counter() - started:.0f} s")
    if summary.errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
