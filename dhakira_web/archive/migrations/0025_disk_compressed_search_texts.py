"""The search entries' long shadow texts, ``body_stem`` and ``body_norm``, kept compressed on SQLite
(``storage.SqliteCompressedTextField``: a zstd frame of the text after a byte naming the form, ``storage.pack_text``, about a fifth of it); docs/scale.md, "Disk".

On SQLite each column becomes a ``blob`` of the packed text (added, filled a chunk at a time, the old column dropped
and the new one renamed in place). The full-text table is made again over a view of the entries that unpacks them
(``search.sqlite.CONTENT``, through the SQL function ``storage.UNPACK_TEXT`` every connection of the archive
registers) and rebuilt from it, its tables analysed again when the archive held statistics of them; its triggers
hand FTS5 the unpacked values. The entries' triggers raising the archive's generation are off while they are
rewritten: nothing a page shows changes. Backwards the texts are unpacked, the full-text table reads the entries'
table again and is rebuilt.

On PostgreSQL the columns stay text (the trigger making the search vector reads them in SQL, and TOAST already
compresses long values): only the models' state changes.
"""

from typing import Any

from django.db import migrations

import dhakira_web.archive.storage
from dhakira_web.archive.counts.kept import table_statements
from dhakira_web.archive.rows import rows_by_id
from dhakira_web.archive.search.sqlite import index_statements
from dhakira_web.archive.storage import pack_text, planner_statistics, register_sqlite_functions, unpack_text

TABLE = "archive_searchentry"
TEXTS = ("body_stem", "body_norm")
SHADOWS = tuple(f"archive_search_fts_{part}" for part in ("data", "idx", "docsize", "config"))  # FTS5's own tables


def _rewritten(packed: bool) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        connection = schema_editor.connection
        if connection.vendor != "sqlite":
            return
        register_sqlite_functions(connection)
        make_index, drop_index = index_statements(packed)
        make_generation, drop_generation = table_statements("sqlite", (TABLE,))
        analysed = [shadow for shadow in SHADOWS if planner_statistics(connection, shadow)[1]]
        for statement in index_statements(not packed)[1] + drop_index + drop_generation:
            schema_editor.execute(statement)
        kind, empty = ("blob", "x''") if packed else ("text", "''")
        for column in TEXTS:
            schema_editor.execute(f"ALTER TABLE {TABLE} ADD COLUMN {column}_new {kind} NOT NULL DEFAULT {empty}")
        for rows in rows_by_id(connection, TABLE, ", ".join(TEXTS), 1000, key="record_id"):
            # Packing reads a value as text whether it is packed already or not (a conversion run twice changes nothing).
            values = [(*(pack_text(unpack_text(text)) if packed else unpack_text(text) for text in texts), pk) for pk, *texts in rows]
            with connection.cursor() as cursor:
                cursor.executemany(f"UPDATE {TABLE} SET {', '.join(f'{column}_new = %s' for column in TEXTS)} WHERE record_id = %s",
                                   values)
        for column in TEXTS:
            schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN {column}")
            schema_editor.execute(f"ALTER TABLE {TABLE} RENAME COLUMN {column}_new TO {column}")
        for statement in make_index + make_generation:
            schema_editor.execute(statement)
        for shadow in analysed:  # the planner's statistics of the index's tables, made again as the archive held them
            schema_editor.execute(f"ANALYZE {shadow}")
    return run


class Migration(migrations.Migration):

    dependencies = [
        ("archive", "0024_disk_compressed_link_features"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(_rewritten(packed=True), _rewritten(packed=False))],
            state_operations=[
                migrations.AlterField(model_name="searchentry", name=column, field=dhakira_web.archive.storage.SqliteCompressedTextField())
                for column in TEXTS
            ],
        ),
    ]
