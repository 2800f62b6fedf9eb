"""Search heads keyed by their columns (docs/scale.md, "Disk"): an entry by (token, record), without a row id on
SQLite. Each entry was kept in four b-trees (the row-id table, the unique ``one_head_entry`` (token, record),
``head_by_impact`` (token, impact, record) and the record's index); it is now in two: the table, which is the
index of a token's head and keeps one entry a record, and the record's index (taking a record out of the heads).

A head holds at most ``HEAD_SIZE`` entries and is read whole, so it is ordered by impact as it is read rather than
kept in that order; the impact is no part of the key, and an entry whose impact changes is updated in place.

The table is made again and its rows copied, as migration 0020 did for facets and bands: triggers the table had are
made again with it, and a table the planner held statistics of is analysed again. On PostgreSQL the table loses its
``id`` column, its index and the two others; its rows are the same.
"""

from functools import partial

from django.db import migrations, models

from dhakira_web.archive.storage import remake_table

MODEL, COLUMNS = "SearchHead", ("token", "record_id", "impact")


def _triggers(connection, table: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The statements making the table's triggers (the archive generation's, if it is watched), to make them again."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s ORDER BY name", [table])
        else:
            cursor.execute("SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal "
                           "ORDER BY tgname", [table])
        return [row[0] for row in cursor.fetchall()]


def _remake(apps, schema_editor, without_rowid: bool) -> None:  # type: ignore[no-untyped-def]
    model = apps.get_model("archive", MODEL)
    triggers = _triggers(schema_editor.connection, model._meta.db_table)  # dropped with the old table, made again
    # Entries are unique by (token, record) under either layout (``one_head_entry`` before): every one is kept.
    remake_table(schema_editor, model, COLUMNS, without_rowid)
    for statement in triggers:
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("archive", "0022_linking_parts_and_blocks"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, partial(_remake, without_rowid=False)),  # backwards: as it was
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.RemoveConstraint(model_name="searchhead", name="one_head_entry"),
            migrations.RemoveIndex(model_name="searchhead", name="head_by_impact"),
            migrations.RemoveField(model_name="searchhead", name="id"),
            migrations.AddField(model_name="searchhead", name="pk", field=models.CompositePrimaryKey(
                "token", "record", blank=True, editable=False, primary_key=True, serialize=False)),
        ]),
        migrations.RunPython(partial(_remake, without_rowid=True), migrations.RunPython.noop),
    ]
