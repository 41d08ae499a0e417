"""Measure audited writes per second with N concurrent writers on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python bench/audit_writes.py [--writers 1,4,8,16] [--seconds 5] [--hold-ms 2]

Builds the throw-away database ``bench_audit`` on that server (migrations only), then, for each number of writers,
runs that many threads, each on its own connection, for ``--seconds``: each write is one transaction that appends an
audit entry with ``techex.core.services.audit_record`` and then holds the transaction open for ``--hold-ms`` (the
rest of a service's work after its audit entry: other rows, the search index, the commit). Prints the writes per
second, the errors, and whether the audit trail verifies afterwards. The database is dropped at the end.

The script reads only ``audit_record`` and ``audit_verify_chain``, so it runs unchanged against an older checkout:
copy it outside the tree and put the checkout first on PYTHONPATH.
"""

import argparse
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if os.environ.get("PYTHONPATH") is None:
    sys.path.insert(0, str(ROOT))


def run(writers: int, seconds: float, hold: float, target) -> tuple[int, float, list[Exception]]:
    """Run ``writers`` threads for ``seconds``; return the writes, the seconds they took, and the errors."""
    from django.db import connection, connections, transaction

    from techex.core.services import audit_record

    counts = [0] * writers
    errors: list[Exception] = []
    barrier = threading.Barrier(writers + 1)
    deadline = [0.0]

    def write(number: int) -> None:
        try:
            barrier.wait(timeout=30)
            while time.perf_counter() < deadline[0]:
                try:
                    with transaction.atomic():
                        audit_record(actor=None, action="bench.write", target=target, data={"w": number})
                        if hold:
                            with connection.cursor() as cursor:
                                cursor.execute("SELECT pg_sleep(%s)", [hold])
                    counts[number] += 1
                except Exception as error:  # counted and shown
                    errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    deadline[0] = time.perf_counter() + seconds
    started = time.perf_counter()
    barrier.wait(timeout=30)
    for thread in threads:
        thread.join()
    return sum(counts), time.perf_counter() - started, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--writers", default="1,4,8,16", help="comma-separated numbers of concurrent writers")
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each run")
    parser.add_argument("--hold-ms", type=float, default=2.0, help="time each transaction stays open after its entry")
    arguments = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL server: the benchmark measures concurrent writers there.")

    from bench.setup_db import drop_database, prepare_environment

    database = prepare_environment(name="bench_audit")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.core.management import call_command

    import techex
    from techex.accounts.models import User
    from techex.core.models import AuditEntry
    from techex.core.services import audit_verify_chain

    try:
        call_command("migrate", verbosity=0)
        target = User.objects.create_user(email="bench-audit@example.vn", password=None)
        revision = os.popen(f"git -C {Path(techex.__file__).parent.parent} rev-parse --short HEAD").read().strip()
        print(f"code: {Path(techex.__file__).parent} ({revision}); {database.describe()}; {os.cpu_count()} cores")
        print(f"each write: one transaction, one audit entry, then {arguments.hold_ms:g} ms more inside it")
        print(f"{'writers':>8} {'writes':>8} {'writes/s':>10} {'errors':>7}")
        for writers in [int(n) for n in arguments.writers.split(",")]:
            total, elapsed, errors = run(writers, arguments.seconds, arguments.hold_ms / 1000, target)
            print(f"{writers:>8} {total:>8} {total / elapsed:>10.0f} {len(errors):>7}")
            for error in errors[:3]:
                print(f"         {type(error).__name__}: {str(error).strip().splitlines()[0]}")
        entries = AuditEntry.objects.count()
        broken = audit_verify_chain()
        print(f"audit trail: {entries} entries, {'verifies' if not broken else f'{len(broken)} broken entries'}")
    finally:
        drop_database(database)


if __name__ == "__main__":
    main()
