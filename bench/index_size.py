"""Rebuild the search index and measure it: time, documents, bytes (step 3 of bench/search_speed.py).

``manage.py rebuild_search_index`` runs in-process and is timed; the documents are the first number it prints (the
live listings if it prints none). Then the size of every table whose name starts with ``search_``, with its
indexes, twice:

- **as the rebuild left it**. The rows it deleted (the index that publishing wrote during the import) may still
  take space: dead rows on PostgreSQL until a VACUUM, old FTS5 segments on SQLite until a merge.
- **compacted**: after ``VACUUM (FULL)`` of those tables (PostgreSQL) or the FTS5 ``optimize`` command of those that
  are FTS5 tables (SQLite), as routine maintenance would leave it. The searches are then measured on this index.

SQLite sizes are the b-tree pages of each table and its indexes, FTS5 shadow tables included, from the ``dbstat``
virtual table; without ``dbstat``, only the growth of the pages in use during the rebuild. PostgreSQL sizes are
``pg_total_relation_size`` (table, indexes, TOAST). On PostgreSQL the whole database is then analysed, as autovacuum
would have done by the time anyone searched.
"""

import re
import time
from dataclasses import dataclass
from io import StringIO

SEARCH_TABLES = "search\\_%"  # LIKE pattern, backslash as the escape


@dataclass
class IndexFigures:
    seconds: float
    documents: int
    left: int | None  # bytes as the rebuild left them; None when nothing could be measured
    compacted: int | None  # bytes after compaction; None when not measured
    how: str  # how the size was measured


def rebuild_index() -> IndexFigures | None:
    """Rebuild and measure the index; None while ``rebuild_search_index`` does not exist."""
    from django.core.management import call_command, get_commands
    from django.db import connection

    from techex.listings.models import Listing

    if "rebuild_search_index" not in get_commands():
        return None
    before = bytes_in_use() if connection.vendor == "sqlite" else 0
    output = StringIO()
    started = time.perf_counter()
    call_command("rebuild_search_index", stdout=output)
    seconds = time.perf_counter() - started
    print(f"  rebuild_search_index: {output.getvalue().strip()}")
    number = re.search(r"\d[\d,]*", output.getvalue())
    documents = int(number.group().replace(",", "")) if number else Listing.objects.live().count()
    left = table_sizes()
    compact(list(left))
    compacted = table_sizes()
    print(f"  {'table':40} {'as left MB':>10} {'compacted MB':>12}")
    for table, size in sorted(left.items(), key=lambda item: -item[1]):
        print(f"  {table:40} {size / 1e6:10.1f} {compacted.get(table, 0) / 1e6:12.1f}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # As autovacuum leaves a table in production: statistics, and the visibility map VACUUM FULL does not set.
            cursor.execute("VACUUM (ANALYZE)")
    if left:
        how = "dbstat" if connection.vendor == "sqlite" else "pg_total_relation_size"
        return IndexFigures(seconds, documents, sum(left.values()), sum(compacted.values()), how)
    if connection.vendor == "sqlite":
        return IndexFigures(seconds, documents, bytes_in_use() - before, None, "pages in use, growth in the rebuild")
    return IndexFigures(seconds, documents, None, None, "no search_ tables found")


def table_sizes() -> dict[str, int]:
    """Bytes of every ``search_`` table with its indexes; {} if there are none, or (SQLite) without dbstat."""
    from django.db import OperationalError, connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT relname, pg_total_relation_size(oid) FROM pg_class "
                "WHERE relkind IN ('r', 'p', 'm') AND relname LIKE %s AND pg_table_is_visible(oid)",
                [SEARCH_TABLES],
            )
            return dict(cursor.fetchall())
        cursor.execute(
            "SELECT name, tbl_name FROM sqlite_master "
            "WHERE type IN ('table', 'index') AND tbl_name LIKE %s ESCAPE '\\'",
            [SEARCH_TABLES],
        )
        table_of = dict(cursor.fetchall())
        try:
            cursor.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name")
        except OperationalError:
            return {}
        sizes: dict[str, int] = {}
        for name, size in cursor.fetchall():
            if name in table_of:
                sizes[table_of[name]] = sizes.get(table_of[name], 0) + size
        return sizes


def compact(tables: list[str]) -> None:
    """VACUUM (FULL) the tables on PostgreSQL; on SQLite, optimize the FTS5 tables among ``search_`` tables."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in tables:
                cursor.execute(f'VACUUM (FULL) "{table}"')
            return
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE %s ESCAPE '\\' "
            "AND sql LIKE 'CREATE VIRTUAL TABLE%%USING fts5%%'",
            [SEARCH_TABLES],
        )
        for (table,) in cursor.fetchall():
            cursor.execute(f'INSERT INTO "{table}"("{table}") VALUES (\'optimize\')')


def bytes_in_use() -> int:
    """SQLite: the bytes of the pages in use (the file less its free pages)."""
    from django.db import connection

    values = []
    with connection.cursor() as cursor:
        for pragma in ("page_count", "freelist_count", "page_size"):
            cursor.execute(f"PRAGMA {pragma}")
            values.append(cursor.fetchone()[0])
    pages, free, page_size = values
    return (pages - free) * page_size
