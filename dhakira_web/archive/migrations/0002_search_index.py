"""The full-text index over ``archive_searchentry``: FTS5 on SQLite, a GIN-indexed tsvector on PostgreSQL."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE archive_search_fts USING fts5("
    " title_stem, body_stem, body_norm, keys,"
    " content='archive_searchentry', content_rowid='record_id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER archive_search_fts_insert AFTER INSERT ON archive_searchentry BEGIN"
    " INSERT INTO archive_search_fts(rowid, title_stem, body_stem, body_norm, keys)"
    " VALUES (new.record_id, new.title_stem, new.body_stem, new.body_norm, new.keys); END",
    "CREATE TRIGGER archive_search_fts_delete AFTER DELETE ON archive_searchentry BEGIN"
    " INSERT INTO archive_search_fts(archive_search_fts, rowid, title_stem, body_stem, body_norm, keys)"
    " VALUES ('delete', old.record_id, old.title_stem, old.body_stem, old.body_norm, old.keys); END",
    "CREATE TRIGGER archive_search_fts_update AFTER UPDATE ON archive_searchentry BEGIN"
    " INSERT INTO archive_search_fts(archive_search_fts, rowid, title_stem, body_stem, body_norm, keys)"
    " VALUES ('delete', old.record_id, old.title_stem, old.body_stem, old.body_norm, old.keys);"
    " INSERT INTO archive_search_fts(rowid, title_stem, body_stem, body_norm, keys)"
    " VALUES (new.record_id, new.title_stem, new.body_stem, new.body_norm, new.keys); END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS archive_search_fts_insert",
    "DROP TRIGGER IF EXISTS archive_search_fts_delete",
    "DROP TRIGGER IF EXISTS archive_search_fts_update",
    "DROP TABLE IF EXISTS archive_search_fts",
]
POSTGRESQL = [
    "ALTER TABLE archive_searchentry ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    " setweight(to_tsvector('simple', coalesce(title_stem, '')), 'A') ||"
    " to_tsvector('simple', coalesce(body_stem, '')) ||"
    " to_tsvector('simple', coalesce(body_norm, '')) ||"
    " setweight(to_tsvector('simple', coalesce(keys, '')), 'B')) STORED",
    "CREATE INDEX archive_searchentry_vector ON archive_searchentry USING GIN (search_vector)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS archive_searchentry_vector",
    "ALTER TABLE archive_searchentry DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("archive", "0001_initial")]
    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]
