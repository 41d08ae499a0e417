"""Exact (accented) terms beside the folded ones: ``SearchDocument.exact`` joins the full-text index, as a sixth
FTS5 column on SQLite and in the generated ``tsvector`` on PostgreSQL (weight C, with the summary).

The full-text structures are recreated the way 0002 made them, with the new column; an existing index is then
rebuilt (its documents have no exact terms yet): the index is derived data, rebuilt by today's analysis. Should a
later change make that rebuild impossible here, ``manage.py rebuild_search_index`` after migrating does the same;
until then search works as before, without the exact-accent ranking.
"""

from importlib import import_module

from django.db import migrations, models

COLUMNS = "title, keywords, summary, body, org, exact"
NEW = "new.title, new.keywords, new.summary, new.body, new.org, new.exact"
OLD = "old.title, old.keywords, old.summary, old.body, old.org, old.exact"

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]
SQLITE = [
    *SQLITE_DROP,
    f"""CREATE VIRTUAL TABLE search_fts USING fts5(
        {COLUMNS},
        content='search_searchdocument', content_rowid='listing_id', tokenize='ascii', prefix='2 3'
    )""",
    f"""CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, {COLUMNS}) VALUES (new.listing_id, {NEW});
    END""",
    f"""CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, {COLUMNS}) VALUES ('delete', old.listing_id, {OLD});
    END""",
    f"""CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, {COLUMNS}) VALUES ('delete', old.listing_id, {OLD});
        INSERT INTO search_fts(rowid, {COLUMNS}) VALUES (new.listing_id, {NEW});
    END""",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]
POSTGRESQL = [
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS vector",  # drops its GIN index too
    """ALTER TABLE search_searchdocument ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title), 'A')
        || setweight(to_tsvector('simple'::regconfig, keywords), 'B')
        || setweight(to_tsvector('simple'::regconfig, summary || ' ' || org || ' ' || exact), 'C')
        || setweight(to_tsvector('simple'::regconfig, body), 'D')
    ) STORED""",
    "CREATE INDEX search_document_vector ON search_searchdocument USING gin (vector)",
]


def _structures(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(vendor, []):
        schema_editor.execute(sql)


def _structures_back(apps, schema_editor):
    """0002's structures again, without the exact column."""
    fulltext = import_module("techex.search.migrations.0002_fulltext")
    vendor = schema_editor.connection.vendor
    before = {"sqlite": SQLITE_DROP, "postgresql": ["ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS vector"]}
    after = {"sqlite": ["INSERT INTO search_fts(search_fts) VALUES ('rebuild')"]}
    statements = {"sqlite": fulltext.SQLITE, "postgresql": fulltext.POSTGRESQL}
    for sql in [*before.get(vendor, []), *statements.get(vendor, []), *after.get(vendor, [])]:
        schema_editor.execute(sql)


def _reindex(apps, schema_editor):
    if apps.get_model("search", "SearchDocument").objects.exists():
        from techex.search.services import rebuild_index

        rebuild_index()


class Migration(migrations.Migration):
    # The rebuild reads listings and organisations with today's models: their tables must be as today's.
    dependencies = [
        ("search", "0003_corpus_version"),
        ("listings", "0003_department"),
        ("organizations", "0002_department"),
    ]

    operations = [
        migrations.AddField(model_name="searchdocument", name="exact", field=models.TextField(blank=True)),
        migrations.RunPython(_structures, _structures_back),
        migrations.RunPython(_reindex, migrations.RunPython.noop),
    ]
