"""The throw-away database of the benchmarks, and the data they load into it.

SQLite by default: the file ``db.sqlite3`` in a working directory (a fresh temporary one unless the caller names
one). With ``DATABASE_URL`` set to a PostgreSQL server, the database is the one the *caller* names (``bench_vi``,
``bench_speed`` …) on that server, whatever database the URL names, so a developer's own database can never be the
one dropped. Either way Django is pointed at it through the environment (``DJANGO_VAR_DIR``, ``DATABASE_URL``)
before ``django.setup()``, and ``DJANGO_VAR_DIR`` also keeps uploaded demo files out of the checkout's ``var/``.

The data: migrations, the reference data, the demo data of ``seed_demo`` (organisations, accounts, the English
NASA/SBIR listings and the Vietnamese demo listings), then listings of bench/generate_listings.py imported through
``techex.listings.importer`` as the demo staff account.
"""

import os
import shutil
import tempfile
import time
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.generate_listings import write_jsonl

FORBIDDEN_DATABASES = frozenset({"postgres", "template0", "template1", "test", "test_test", "techex"})


@dataclass
class BenchDatabase:
    """Where a benchmark's data lives, and how to drop it."""

    workdir: Path  # scratch files; the SQLite database too
    name: str = ""  # the PostgreSQL database ("" on SQLite)
    admin_url: str = ""  # the PostgreSQL server's maintenance database, to create and drop ``name`` from
    host: str = ""

    @property
    def is_postgres(self) -> bool:
        return bool(self.name)

    @property
    def sqlite_path(self) -> Path:
        return self.workdir / "db.sqlite3"

    def describe(self) -> str:
        if self.is_postgres:
            return f"PostgreSQL database {self.name} on {self.host}"
        return f"SQLite file {self.sqlite_path}"


def prepare_environment(*, name: str, workdir: Path | None = None, fresh: bool = True) -> BenchDatabase:
    """Point Django's settings at the benchmark database; with ``fresh``, create it empty (dropping a left-over one).

    Call before ``django.setup()``. Without ``workdir`` a new temporary directory is made.
    """
    # Thousands of anonymous API requests a minute: throttling is not what is measured. DRF's UserRateThrottle
    # also counts anonymous requests (by address), so both rates are raised.
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ["DJANGO_API_ANON_RATE"] = "1000000/minute"
    os.environ["DJANGO_API_USER_RATE"] = "1000000/minute"
    warnings.filterwarnings("ignore", "No directory at")  # whitenoise: no collected static files here
    if workdir is None:
        workdir = Path(tempfile.mkdtemp(prefix=f"techex-{name}-"))
    elif fresh and workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    os.environ["DJANGO_VAR_DIR"] = str(workdir)
    url = os.environ.get("DATABASE_URL")
    if not url:
        return BenchDatabase(workdir=workdir)
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        raise SystemExit("DATABASE_URL must be a PostgreSQL URL (or unset for SQLite).")
    if name in FORBIDDEN_DATABASES:
        raise SystemExit(f"Refusing to create and drop the database {name!r}.")
    database = BenchDatabase(
        workdir=workdir,
        name=name,
        admin_url=urlunsplit(parts._replace(path="/postgres")),
        host=parts.hostname or "localhost",
    )
    if fresh:
        _postgres(database.admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    return database


def drop_database(database: BenchDatabase) -> None:
    """Drop the PostgreSQL database and remove the working directory (with the SQLite file)."""
    from django.db import connections

    connections.close_all()
    if database.is_postgres:
        _postgres(database.admin_url, f'DROP DATABASE IF EXISTS "{database.name}" WITH (FORCE)')
    shutil.rmtree(database.workdir, ignore_errors=True)


def keep_database(database: BenchDatabase) -> None:
    """Close the connections and keep the database; remove the scratch files unless the SQLite file is among them."""
    from django.db import connections

    connections.close_all()
    if database.is_postgres:
        shutil.rmtree(database.workdir, ignore_errors=True)


def _postgres(admin_url: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def load_reference_and_demo() -> float:
    """Migrate, load the reference data and the demo data; return the seconds it took."""
    from django.core.management import call_command

    from techex.reference.loader import load_all

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_all()
    call_command("seed_demo", force=True, stdout=StringIO())
    return time.perf_counter() - started


def demo_staff():
    """The demo staff account (``seed_demo``): imports with publish=True need a staff user."""
    from techex.accounts.models import User
    from techex.site.management.commands.seed_demo import STAFF_EMAIL

    return User.objects.get(email=STAFF_EMAIL)


def import_rows(
    rows: Iterable[dict], *, path: Path, what: str, publish: bool = True, dry_run: bool = False, is_demo: bool = False
):
    """Write ``rows`` to ``path`` as JSONL and import that file; return the importer's result and the seconds taken.

    Only the import is timed, not writing the file. Stops the benchmark if a row fails the importer.
    """
    from techex.listings.importer import import_listings_file

    write_jsonl(rows, path)
    started = time.perf_counter()
    result = import_listings_file(path=path, user=demo_staff(), publish=publish, dry_run=dry_run, is_demo=is_demo)
    seconds = time.perf_counter() - started
    if not result.ok:
        raise SystemExit(f"{what} fail the importer:\n" + "\n".join(map(str, result.errors[:20])))
    return result, seconds
