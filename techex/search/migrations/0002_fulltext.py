"""The database's full-text structures over SearchDocument: FTS5 on SQLite, a tsvector and GIN index on PostgreSQL.

Both are maintained by the database itself (triggers, a generated column) inside the transaction that writes the
document, so the full-text index can never disagree with the documents, even after a crash.
"""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title, keywords, summary, body, org,
        content='search_searchdocument', content_rowid='listing_id', tokenize='ascii', prefix='2 3'
    )""",
    """CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, title, keywords, summary, body, org)
        VALUES (new.listing_id, new.title, new.keywords, new.summary, new.body, new.org);
    END""",
    """CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, keywords, summary, body, org)
        VALUES ('delete', old.listing_id, old.title, old.keywords, old.summary, old.body, old.org);
    END""",
    """CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, keywords, summary, body, org)
        VALUES ('delete', old.listing_id, old.title, old.keywords, old.summary, old.body, old.org);
        INSERT INTO search_fts(rowid, title, keywords, summary, body, org)
        VALUES (new.listing_id, new.title, new.keywords, new.summary, new.body, new.org);
    END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]
# The text is already folded (and stemmed for English) in Python, so the 'simple' configuration only splits it.
POSTGRESQL = [
    """ALTER TABLE search_searchdocument ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title), 'A')
        || setweight(to_tsvector('simple'::regconfig, keywords), 'B')
        || setweight(to_tsvector('simple'::regconfig, summary || ' ' || org), 'C')
        || setweight(to_tsvector('simple'::regconfig, body), 'D')
    ) STORED""",
    "CREATE INDEX search_document_vector ON search_searchdocument USING gin (vector)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS search_document_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS vector",
]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]
