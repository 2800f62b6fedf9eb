"""Facets and near-duplicate bands keyed by their own columns (docs/scale.md, "Disk"): a record's facet rows by
(record, name, value), its bands by (key, record), without a row id on SQLite. Each table was a row-id table
beside a unique index holding the same columns; it is now that index itself, one b-tree fewer:

* ``archive_recordfacet``: (record, name, value) and ``facet_by_value`` (name, value, record);
* ``archive_nearduplicateband``: (key, record), the lookup ingestion makes, and the record's index (deleting a
  record's bands).

Each table is made again and its rows copied (a band written twice for a record is kept once: it said nothing
more); the facet table's triggers raising the archive's generation are made again with it, and a table the
planner held statistics of (``ANALYZE``) is analysed again: without them SQLite planned the search page's facet
queries worse. On PostgreSQL the tables lose their ``id`` column and its index; their rows are the same.
"""

from django.db import migrations, models

from dhakira_web.archive.counts.kept import table_statements
from dhakira_web.archive.storage import remake_table

TABLES = {"RecordFacet": ("record_id", "name", "value"), "NearDuplicateBand": ("record_id", "key")}
WATCHED = ("archive_recordfacet",)  # the tables among them whose changes raise the archive's generation


def _remake(apps, schema_editor, without_rowid: bool) -> None:  # type: ignore[no-untyped-def]
    for name, columns in TABLES.items():
        remake_table(schema_editor, apps.get_model("archive", name), columns, without_rowid)
    create, drop = table_statements(schema_editor.connection.vendor, WATCHED)
    for statement in drop + create:
        schema_editor.execute(statement)


def keyed(apps, schema_editor):  # type: ignore[no-untyped-def]
    _remake(apps, schema_editor, without_rowid=True)


def with_row_ids(apps, schema_editor):  # type: ignore[no-untyped-def]
    _remake(apps, schema_editor, without_rowid=False)


class Migration(migrations.Migration):

    dependencies = [
        ("archive", "0019_disk_compressed_extraction"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, with_row_ids),  # backwards: the tables as they were
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.RemoveConstraint(model_name="recordfacet", name="one_facet_value"),
            migrations.RemoveIndex(model_name="nearduplicateband", name="near_duplicate_band"),
            migrations.RemoveField(model_name="nearduplicateband", name="id"),
            migrations.RemoveField(model_name="recordfacet", name="id"),
            migrations.AddField(model_name="nearduplicateband", name="pk", field=models.CompositePrimaryKey(
                "key", "record", blank=True, editable=False, primary_key=True, serialize=False)),
            migrations.AddField(model_name="recordfacet", name="pk", field=models.CompositePrimaryKey(
                "record", "name", "value", blank=True, editable=False, primary_key=True, serialize=False)),
        ]),
        migrations.RunPython(keyed, migrations.RunPython.noop),
    ]
