"""Search quality on the Cranfield collection: the listing API's ``q`` against a plain reference BM25, in one run.

    .venv/bin/python bench/cranfield.py [--queries N] [--out FILE] [--keep]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_cranfield .venv/bin/python bench/cranfield.py

Builds a throw-away database (SQLite in a temporary directory; with DATABASE_URL, that PostgreSQL database is
dropped if it exists, created, and dropped again at the end; --keep keeps it and the temporary directory), loads
the reference data, creates one organisation and a staff account, and imports the 1,400 Cranfield documents
(``bench/data/cranfield``, see PROVENANCE.md) as published English offers through ``import_listings_file``:

- ``title`` → title; the abstract (the document text after its repeated title) → ``summary`` (cut at a word
  boundary to 500 characters) and ``description`` (cut likewise to 4,000); ``external_ref`` is ``cran-<doc id>``.
- Documents 471 and 995 are empty in the collection (no title, no text) and cannot be listings: they are skipped
  (one judgement, query 125 → 995 grade 3, can then never be found by the API; it still counts in the ideal).

Each of the 225 queries then goes through the API code path in-process: ``GET /api/v1/listings/?q=<query>&
page_size=100`` with Django's test client, anonymous, one page of 100 (the API's largest page), and the results are
mapped back from reference code to Cranfield doc id. A query longer than the API's ``q`` takes
(``MAX_WORDS_LENGTH``, 1,000 characters) would be cut at a word boundary; none of Cranfield's is (8 were over the
former 200).

The reference is BM25 written here (k1 = 1.2, b = 0.75, Lucene's non-negative idf), over title + abstract of all
1,400 documents, lower-cased, split on anything not a letter or digit, English stopwords removed (NLTK's list,
written below), Porter-stemmed (``snowballstemmer``, algorithm "porter"); each distinct query term counts once.

Gains for nDCG@10 (Cleverdon's grades, see cranqrel.readme.txt): grade 1 (complete answer) → 4, 2 → 3, 3 → 2,
4 (minimum interest) → 1, −1 (no interest) → 0. For MAP and P@10 a document is relevant with grades 1–4. Both
systems are cut at 100 results, so MAP is MAP@100. Metric definitions: bench/metrics.py.

To add a system (the ranked search domain), add a function ``query text → list of doc ids`` to ``systems`` in
``main()``.
"""

import argparse
import json
import math
import os
import re
import shutil
import sys
import tempfile
import time
import warnings
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.metrics import average_precision, mean, ndcg_at, precision_at  # noqa: E402

DATA = ROOT / "bench" / "data" / "cranfield"
DEPTH = 100  # results per query, for every system
API_PAGE_SIZE = 100  # the API's max_page_size
GAIN = {1: 4, 2: 3, 3: 2, 4: 1, -1: 0}
FORBIDDEN_DATABASES = {"test", "test_test", "postgres", "template0", "template1"}
ORG_TAX_CODE = "0100000001"

# NLTK's English stopword list (179 words).
STOPWORDS = frozenset(
    """
    i me my myself we our ours ourselves you you're you've you'll you'd your yours yourself yourselves he him his
    himself she she's her hers herself it it's its itself they them their theirs themselves what which who whom
    this that that'll these those am is are was were be been being have has had having do does did doing a an the
    and but if or because as until while of at by for with about against between into through during before after
    above below to from up down in out on off over under again further then once here there when where why how all
    any both each few more most other some such no nor not only own same so than too very s t can will just don
    don't should should've now d ll m o re ve y ain aren aren't couldn couldn't didn didn't doesn doesn't hadn
    hadn't hasn hasn't haven haven't isn isn't ma mightn mightn't mustn mustn't needn needn't shan shan't shouldn
    shouldn't wasn wasn't weren weren't won won't wouldn wouldn't
    """.split()  # noqa: SIM905 (a list literal of 179 words is harder to check against NLTK's)
)


# --- the collection ----------------------------------------------------------------------------------------------


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def abstract_of(doc: dict) -> str:
    """The document text without the title it starts with (two documents differ slightly: keep their whole text)."""
    title, text = doc["title"].strip(), doc["text"].strip()
    return text[len(title) :].strip() if title and text.startswith(title) else text


def cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit + 1].rsplit(" ", 1)[0].rstrip()


def load_qrels() -> dict[str, dict[str, int]]:
    grades: dict[str, dict[str, int]] = {}
    lines = (DATA / "cranfield_qrels.tsv").read_text(encoding="utf-8").splitlines()
    for line in lines[1:]:
        query_id, doc_id, grade = line.split("\t")
        grades.setdefault(query_id, {})[doc_id] = int(grade)
    return grades


def listing_rows(docs: list[dict]) -> list[dict]:
    rows = []
    for doc in docs:
        title, abstract = doc["title"].strip(), abstract_of(doc)
        if not title:
            continue
        abstract = abstract or title
        rows.append(
            {
                "kind": "offer",
                "external_ref": f"cran-{doc['doc_id']}",
                "language": "en",
                "title": title,
                "summary": cut(abstract, 500),
                "description": cut(abstract, 4000),
                "field_codes": ["2"],  # engineering and technology (needed to publish)
                "trl": 3,  # needed to publish an offer
                "organization_tax_code": ORG_TAX_CODE,
                "source": "Cranfield collection (benchmark)",
            }
        )
    return rows


# --- the reference BM25 ------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"[a-z0-9]+")


def make_analyzer() -> Callable[[str], list[str]]:
    import snowballstemmer

    stemmer = snowballstemmer.stemmer("porter")

    def analyze(text: str) -> list[str]:
        return stemmer.stemWords([t for t in _TOKEN.findall(text.lower()) if t not in STOPWORDS])

    return analyze


class BM25:
    def __init__(self, docs: dict[str, str], *, k1: float = 1.2, b: float = 0.75) -> None:
        self.analyze = make_analyzer()
        self.k1, self.b = k1, b
        self.tf = {doc_id: Counter(self.analyze(text)) for doc_id, text in docs.items()}
        self.length = {doc_id: sum(tf.values()) for doc_id, tf in self.tf.items()}
        self.avgdl = sum(self.length.values()) / len(self.length)
        df: Counter = Counter()
        self.postings: dict[str, list[str]] = {}
        for doc_id, tf in self.tf.items():
            for term in tf:
                df[term] += 1
                self.postings.setdefault(term, []).append(doc_id)
        n = len(docs)
        self.idf = {term: math.log(1 + (n - count + 0.5) / (count + 0.5)) for term, count in df.items()}

    def search(self, query: str, depth: int = DEPTH) -> list[str]:
        scores: Counter = Counter()
        for term in dict.fromkeys(self.analyze(query)):
            idf = self.idf.get(term)
            if idf is None:
                continue
            for doc_id in self.postings[term]:
                tf = self.tf[doc_id][term]
                norm = self.k1 * (1 - self.b + self.b * self.length[doc_id] / self.avgdl)
                scores[doc_id] += idf * tf * (self.k1 + 1) / (tf + norm)
        ranked = sorted(scores.items(), key=lambda item: (-item[1], int(item[0])))
        return [doc_id for doc_id, _ in ranked[:depth]]


# --- the throw-away database -------------------------------------------------------------------------------------


def _admin_dsn(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or name in FORBIDDEN_DATABASES:
        sys.exit(f"Refusing to create and drop the database {name!r}: name a throw-away one, e.g. bench_cranfield.")
    admin = urlunsplit((parts.scheme.replace("postgresql", "postgres"), parts.netloc, "/postgres", "", ""))
    return admin, name


def _postgres(url: str, sql: str) -> None:
    import psycopg

    admin, _ = _admin_dsn(url)
    with psycopg.connect(admin.replace("postgres://", "postgresql://", 1), autocommit=True) as connection:
        connection.execute(sql)


def create_database() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        _, name = _admin_dsn(url)
        _postgres(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _postgres(url, f'CREATE DATABASE "{name}"')
        return f"PostgreSQL database {name}"
    if url:
        sys.exit("DATABASE_URL must be a postgres:// URL (leave it unset for SQLite in a temporary directory).")
    return "SQLite in a temporary directory"


def drop_database() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if url:
        from django.db import connections

        connections.close_all()
        _, name = _admin_dsn(url)
        _postgres(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- the run -----------------------------------------------------------------------------------------------------


def evaluate(run: dict[str, list[str]], qrels: dict[str, dict[str, int]]) -> dict[str, dict[str, float]]:
    per_query = {}
    for query_id, grades in qrels.items():
        ranking = run.get(query_id, [])
        gains = {doc: GAIN[grade] for doc, grade in grades.items()}
        relevant = {doc for doc, grade in grades.items() if grade in (1, 2, 3, 4)}
        per_query[query_id] = {
            "ndcg@10": ndcg_at(ranking, gains, 10),
            "ap": average_precision(ranking[:DEPTH], relevant),
            "p@10": precision_at(ranking, relevant, 10),
            "returned": len(ranking),
        }
    return per_query


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", type=int, default=0, help="only the first N queries (a quick check)")
    parser.add_argument("--out", type=Path, help="write per-query figures and rankings to this JSON file")
    parser.add_argument(
        "--keep", action="store_true", help="keep the database (PostgreSQL, or the temporary directory) afterwards"
    )
    args = parser.parse_args()
    started_run = time.perf_counter()

    docs = read_jsonl(DATA / "cranfield_docs.jsonl")
    queries = read_jsonl(DATA / "cranfield_queries.jsonl")
    if args.queries:
        queries = queries[: args.queries]
    qrels = load_qrels()
    qrels = {q["query_id"]: qrels.get(q["query_id"], {}) for q in queries}

    workdir = Path(tempfile.mkdtemp(prefix="techex-cranfield-"))
    os.environ["DJANGO_VAR_DIR"] = str(workdir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    # 225 anonymous requests in a few seconds: throttling is not what is measured.
    # DRF counts anonymous requests against the user rate too: lift both for the bench process.
    os.environ["DJANGO_API_ANON_RATE"] = "1000000/minute"
    os.environ["DJANGO_API_USER_RATE"] = "1000000/minute"
    warnings.filterwarnings("ignore", "No directory at")  # whitenoise: no collected static files here
    where = create_database()
    try:
        run_all(args, docs, queries, qrels, workdir, where, started_run)
    finally:
        if not args.keep:
            drop_database()
            shutil.rmtree(workdir, ignore_errors=True)


def run_all(args, docs, queries, qrels, workdir, where, started_run) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from techex.accounts.models import User
    from techex.listings.importer import import_listings_file
    from techex.listings.models import Listing
    from techex.organizations.models import Organization
    from techex.reference.loader import load_all

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_all()
    Organization.objects.create(name="Cranfield", slug="cranfield", type="institute", tax_code=ORG_TAX_CODE)
    staff = User.objects.create_user("bench@example.vn", is_staff=True)
    rows = listing_rows(docs)
    path = workdir / "cranfield.jsonl"
    path.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows), encoding="utf-8")
    setup_seconds = time.perf_counter() - started
    started = time.perf_counter()
    result = import_listings_file(path=path, user=staff, publish=True)
    import_seconds = time.perf_counter() - started
    assert result.ok, result.errors[:5]
    doc_of = {
        ref: ext.removeprefix("cran-") for ref, ext in Listing.objects.values_list("reference_code", "external_ref")
    }
    live = Listing.objects.filter(status="published").count()

    from techex.listings.filtersets import MAX_WORDS_LENGTH as API_MAX_QUERY  # the API's limit of q

    client = Client(SERVER_NAME="localhost")
    cut_queries = 0

    def api(text: str) -> list[str]:
        nonlocal cut_queries
        text = " ".join(text.split())
        if len(text) > API_MAX_QUERY:
            cut_queries += 1
            text = cut(text, API_MAX_QUERY)
        response = client.get("/api/v1/listings/", {"q": text, "page_size": API_PAGE_SIZE})
        assert response.status_code == 200, (response.status_code, response.content[:300])
        return [doc_of[item["reference_code"]] for item in response.json()["results"]][:DEPTH]

    started = time.perf_counter()
    reference = BM25({doc["doc_id"]: f"{doc['title']} {abstract_of(doc)}" for doc in docs})
    index_seconds = time.perf_counter() - started

    systems: dict[str, Callable[[str], list[str]]] = {
        f"api q ({connection.vendor})": api,
        "reference BM25": reference.search,
    }
    report = {}
    for name, search in systems.items():
        run = {}
        started = time.perf_counter()
        for query in queries:
            run[query["query_id"]] = search(query["text"])
        seconds = time.perf_counter() - started
        per_query = evaluate(run, qrels)
        report[name] = {
            "ndcg@10": mean(q["ndcg@10"] for q in per_query.values()),
            "map": mean(q["ap"] for q in per_query.values()),
            "p@10": mean(q["p@10"] for q in per_query.values()),
            "empty": sum(1 for q in per_query.values() if not q["returned"]),
            "ms_per_query": 1000 * seconds / len(queries),
            "per_query": per_query,
            "run": run,
        }

    if connection.vendor == "postgresql":
        major, minor = divmod(connection.pg_version, 10000)
        backend = f"PostgreSQL {major}.{minor}"
    else:
        backend = f"SQLite {connection.Database.sqlite_version}"
    print(f"Cranfield: {len(docs)} documents ({len(rows)} imported, {live} live), {len(queries)} queries")
    print(f"database: {backend} ({where})")
    print(f"setup {setup_seconds:.1f} s, import {import_seconds:.1f} s, reference index {index_seconds:.2f} s")
    print(f"API: page_size {API_PAGE_SIZE}, {cut_queries} queries cut to the API's limit of q")
    print()
    print(f"{'system':28} {'nDCG@10':>8} {'MAP':>7} {'P@10':>7} {'no result':>10} {'ms/query':>9}")
    for name, figures in report.items():
        print(
            f"{name:28} {figures['ndcg@10']:8.4f} {figures['map']:7.4f} {figures['p@10']:7.4f} "
            f"{figures['empty']:10d} {figures['ms_per_query']:9.1f}"
        )
    print(f"\nrun time {time.perf_counter() - started_run:.1f} s")
    if args.out:
        args.out.write_text(json.dumps({"database": backend, "systems": report}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
