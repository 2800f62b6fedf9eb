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

TABLES = {"RecordFacet": ("record_id", "name", "value"), "NearDuplicateBand": ("record_id", "key")}
WATCHED = ("archive_recordfacet",)  # the tables among them whose changes raise the archive's generation


def _free_names(schema_editor, table: str) -> None:  # type: ignore[no-untyped-def]
    """Drop the keys and indexes of a table about to be dropped: their names are the remade table's."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    quote = schema_editor.quote_name
    for name, details in constraints.items():
        if connection.vendor == "postgresql" and (details["primary_key"] or details["unique"] or details["foreign_key"]
                                                 or details["check"]):
            schema_editor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        elif details["index"] and not name.startswith("sqlite_autoindex") and not details["primary_key"]:
            schema_editor.execute(f"DROP INDEX {quote(name)}")


def _analysed(connection, table: str) -> bool:  # type: ignore[no-untyped-def]
    """Whether the planner holds statistics of ``table`` (SQLite's ``sqlite_stat1``; PostgreSQL keeps its own)."""
    if connection.vendor != "sqlite":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return False
        cursor.execute("SELECT 1 FROM sqlite_stat1 WHERE tbl = %s LIMIT 1", [table])
        return cursor.fetchone() is not None


def remake_table(schema_editor, model, columns: tuple[str, ...], without_rowid: bool) -> None:  # type: ignore[no-untyped-def]
    """Make ``model``'s table again, keyed by its columns without a row id on SQLite or as ``model`` says, and copy the
    rows' ``columns`` into it (a row repeating another's key is kept once); analysed again if it was. Its triggers go
    with the old table. (Migration 0023 remakes the search heads' table with it.)"""
    connection, quote = schema_editor.connection, schema_editor.quote_name
    table = model._meta.db_table
    old = f"{table}__old"
    analysed = _analysed(connection, table)
    schema_editor.execute(f"ALTER TABLE {quote(table)} RENAME TO {quote(old)}")
    _free_names(schema_editor, old)
    if connection.vendor == "sqlite" and without_rowid:
        sql, params = schema_editor.table_sql(model)
        schema_editor.execute(sql + " WITHOUT ROWID", params or None)
        for statement in schema_editor._model_indexes_sql(model):
            schema_editor.execute(statement)
    else:
        schema_editor.create_model(model)
    names = ", ".join(quote(column) for column in columns)
    keys = ", ".join(quote(field.column) for field in model._meta.pk_fields) if without_rowid else "1"
    ignore, conflict = ("OR IGNORE", "") if connection.vendor == "sqlite" else ("", " ON CONFLICT DO NOTHING")
    schema_editor.execute(f"INSERT {ignore} INTO {quote(table)} ({names}) SELECT {names} FROM {quote(old)} "
                          f"ORDER BY {keys}{conflict}")
    schema_editor.execute(f"DROP TABLE {quote(old)}")
    if analysed:  # statistics of the new table and its indexes, as the old one had: the planner picks by them
        schema_editor.execute(f"ANALYZE {quote(table)}")


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
