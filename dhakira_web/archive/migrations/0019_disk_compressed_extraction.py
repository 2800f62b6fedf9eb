"""A record's ``extraction`` kept compressed (``storage.CompressedJSONField``: zlib with a preset dictionary of
the extraction's keys, about a quarter of the compact JSON). No query looks into it; every value reads back
the same (docs/scale.md, "Disk"); an empty extraction is NULL. SQLite and PostgreSQL (where ``jsonb`` becomes
``bytea``). No table is copied on SQLite (the column is added, filled, the old one dropped and the new one
renamed in place), so the planner's statistics of the record table stay.

The record table's triggers raising the archive's generation are off while its rows are rewritten (on
PostgreSQL their deferred events would forbid the ALTER TABLE after) and made again at the end; nothing a page
shows changes, so the generation is left as it is.
"""

import json

from django.db import migrations

import dhakira_web.archive.storage
from dhakira_web.archive.counts.kept import table_statements
from dhakira_web.archive.rows import rows_by_id

CHUNK = 1000
TABLE = "archive_record"


def drop_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    for statement in table_statements(schema_editor.connection.vendor, (TABLE,))[1]:
        schema_editor.execute(statement)


def create_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    drop_triggers(apps, schema_editor)
    for statement in table_statements(schema_editor.connection.vendor, (TABLE,))[0]:
        schema_editor.execute(statement)


def _copy(schema_editor, source: str, target: str, convert, placeholder: str = "%s") -> None:  # type: ignore[no-untyped-def]
    connection = schema_editor.connection
    for chunk in rows_by_id(connection, TABLE, source, CHUNK):
        values = [(convert(value, connection), pk) for pk, value in chunk]
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {TABLE} SET {target} = {placeholder} WHERE id = %s", values)


def _packed(value, connection):  # type: ignore[no-untyped-def]
    # SQLite gives the JSON's text; PostgreSQL's jsonb may come parsed or as text. An empty extraction is NULL.
    parsed = json.loads(value) if isinstance(value, str) else value
    return dhakira_web.archive.storage.CompressedJSONField().get_db_prep_save({} if parsed is None else parsed, connection)


def _unpacked(value, connection):  # type: ignore[no-untyped-def]
    return dhakira_web.archive.storage.CompactJSONEncoder().encode(
        {} if value is None else dhakira_web.archive.storage.unpack_json(value))


def pack_extractions(apps, schema_editor):  # type: ignore[no-untyped-def]
    _copy(schema_editor, "extraction", "extraction_packed", _packed)


def unpack_extractions(apps, schema_editor):  # type: ignore[no-untyped-def]
    jsonb = schema_editor.connection.vendor == "postgresql"
    _copy(schema_editor, "extraction_packed", "extraction", _unpacked, "CAST(%s AS jsonb)" if jsonb else "%s")


class Migration(migrations.Migration):

    dependencies = [
        ("archive", "0018_protected_spellings_reindexed"),
    ]

    operations = [
        migrations.RunPython(drop_triggers, create_triggers),
        # Nullable with a NULL default (the empty extraction): SQLite adds the column in place, no table copied.
        migrations.AddField(model_name="record", name="extraction_packed",
                            field=dhakira_web.archive.storage.CompressedJSONField(blank=True, default=dict, null=True)),
        migrations.RunPython(pack_extractions, unpack_extractions),
        migrations.RemoveField(model_name="record", name="extraction"),
        migrations.RenameField(model_name="record", old_name="extraction_packed", new_name="extraction"),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
