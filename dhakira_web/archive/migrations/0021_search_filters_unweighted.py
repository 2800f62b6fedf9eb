"""Filter tokens (access level, facet values) move from the ``keys`` column of the search entries to a column of
their own, ``filters``, which FTS5 weighs 0 (docs/scale.md, "Filters that do not rank").

In ``keys`` a filter token was a phrase of FTS5's bm25 for every filtered query: its idf (high when the filter is
narrow) times its frequency in a short record weighed short records up, so a filter changed the order of the
records it kept, and the heads (which never weigh filter tokens) could not name the first page of a filtered query.
Weighed 0 a filter only narrows the match. On SQLite the full-text table is made again with the new column and
rebuilt from the entries; on PostgreSQL the vector takes the new column (its ranking query never held filter
tokens) and every entry's vector is made again. Heads and token counts are unchanged: they never held filter tokens.
"""

from django.db import migrations, models

CHUNK = 2000
FTS_COLUMNS = "title_stem, body_stem, body_norm, keys, filters"
OLD_FTS_COLUMNS = "title_stem, body_stem, body_norm, keys"


def _sqlite_table(columns: str) -> list[str]:
    values_new = ", ".join(f"new.{column.strip()}" for column in columns.split(","))
    values_old = ", ".join(f"old.{column.strip()}" for column in columns.split(","))
    return [
        "DROP TRIGGER IF EXISTS archive_search_fts_insert",
        "DROP TRIGGER IF EXISTS archive_search_fts_delete",
        "DROP TRIGGER IF EXISTS archive_search_fts_update",
        "DROP TABLE IF EXISTS archive_search_fts",
        f"CREATE VIRTUAL TABLE archive_search_fts USING fts5({columns},"
        " content='archive_searchentry', content_rowid='record_id', tokenize='unicode61 remove_diacritics 0')",
        "INSERT INTO archive_search_fts(archive_search_fts) VALUES ('rebuild')",
        "CREATE TRIGGER archive_search_fts_insert AFTER INSERT ON archive_searchentry BEGIN"
        f" INSERT INTO archive_search_fts(rowid, {columns}) VALUES (new.record_id, {values_new}); END",
        "CREATE TRIGGER archive_search_fts_delete AFTER DELETE ON archive_searchentry BEGIN"
        f" INSERT INTO archive_search_fts(archive_search_fts, rowid, {columns}) VALUES ('delete', old.record_id, {values_old}); END",
        "CREATE TRIGGER archive_search_fts_update AFTER UPDATE ON archive_searchentry BEGIN"
        f" INSERT INTO archive_search_fts(archive_search_fts, rowid, {columns}) VALUES ('delete', old.record_id, {values_old});"
        f" INSERT INTO archive_search_fts(rowid, {columns}) VALUES (new.record_id, {values_new}); END",
    ]


def _vector(filters: bool) -> str:
    return ("setweight(to_tsvector('simple', coalesce(NEW.title_stem, '')), 'A') ||"
            " to_tsvector('simple', coalesce(NEW.body_stem, '')) ||"
            " to_tsvector('simple', coalesce(NEW.body_norm, '')) ||"
            " setweight(to_tsvector('simple', coalesce(NEW.keys, '')), 'B')"
            + (" || setweight(to_tsvector('simple', coalesce(NEW.filters, '')), 'B')" if filters else ""))


def _postgresql_sync(filters: bool) -> str:
    return ("CREATE OR REPLACE FUNCTION archive_searchvector_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
            " INSERT INTO archive_searchvector (record_id, search_vector) VALUES (NEW.record_id, " + _vector(filters) + ")"
            " ON CONFLICT (record_id) DO UPDATE SET search_vector = EXCLUDED.search_vector;"
            " RETURN NEW; END $$")


def _split(keys: str) -> tuple[str, str]:
    """``(keys, filters)`` of an entry's old ``keys``: knowledge-base keys (``k…``) stay, filter tokens (``f…``) move."""
    tokens = keys.split()
    return " ".join(token for token in tokens if not token.startswith("f")), " ".join(token for token in tokens if token.startswith("f"))


def _move(apps, schema_editor, forward: bool) -> None:  # type: ignore[no-untyped-def]
    """Rewrite every entry's ``keys`` and ``filters`` (by record id, a chunk at a time)."""
    connection = schema_editor.connection
    last = -1
    while True:
        with connection.cursor() as cursor:
            cursor.execute("SELECT record_id, keys, filters FROM archive_searchentry WHERE record_id > %s "
                           "ORDER BY record_id LIMIT %s", (last, CHUNK))
            rows = cursor.fetchall()
            if not rows:
                return
            last = rows[-1][0]
            if forward:
                changed = [(*_split(keys or ""), record_id) for record_id, keys, filters in rows if any(
                    token.startswith("f") for token in (keys or "").split())]
            else:
                changed = [(" ".join(part for part in (keys or "", filters or "") if part), "", record_id)
                           for record_id, keys, filters in rows if filters]
            if changed:
                cursor.executemany("UPDATE archive_searchentry SET keys = %s, filters = %s WHERE record_id = %s", changed)


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    # Added in SQL: on SQLite Django would remake the table for a column with a default, dropping its triggers.
    schema_editor.execute("ALTER TABLE archive_searchentry ADD COLUMN filters text NOT NULL DEFAULT ''")
    if vendor == "postgresql":
        schema_editor.execute(_postgresql_sync(True))
        _move(apps, schema_editor, True)  # the sync trigger makes each moved entry's vector again
        return
    for statement in _sqlite_table(OLD_FTS_COLUMNS)[:3]:  # the index is rebuilt once, after the move
        schema_editor.execute(statement)
    _move(apps, schema_editor, True)
    for statement in _sqlite_table(FTS_COLUMNS):
        schema_editor.execute(statement)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(_postgresql_sync(False))
        _move(apps, schema_editor, False)
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the generation's deferred triggers, before the ALTER
        schema_editor.execute("ALTER TABLE archive_searchentry DROP COLUMN filters")
        return
    for statement in _sqlite_table(FTS_COLUMNS)[:4]:
        schema_editor.execute(statement)
    _move(apps, schema_editor, False)
    schema_editor.execute("ALTER TABLE archive_searchentry DROP COLUMN filters")
    for statement in _sqlite_table(OLD_FTS_COLUMNS)[3:]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("archive", "0020_disk_keyed_tables"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(forward, backward)],
            state_operations=[migrations.AddField(model_name="searchentry", name="filters",
                                                  field=models.TextField(blank=True, default=""))],
        ),
    ]
