"""A smaller archive on disk (docs/scale.md, "Disk"), nothing a page, search, export, backup or audit reads lost:

* JSON written without ASCII escapes or spaces (``storage.CompactJSONEncoder``; the columns are unchanged, the
  existing values of the large ones are rewritten on SQLite; audit entries are left as they were written);
* the MinHash fingerprint as 1,024 bytes instead of about 2,600 characters of JSON (``storage.MinHashField``);
* the lead vectors as float16 (``jobs.models.vector_bytes``);
* indexes no query needs dropped: each was the first column of another index of its table (claims by field,
  reports, facets and mentions by record or person, records by issue date, the record id of the record-place,
  -organisation and -person rows).

The triggers raising the archive's generation are off while rows are rewritten and made again at the end (the
generation changes), which also restores those of ``archive_claim``: migration 0015 remade that table on SQLite
and so dropped them. No table is remade here (SQLite).
"""

import json

import django.db.models.deletion
from django.db import migrations, models

import dhakira_web.archive.storage
from dhakira_web.archive.counts.kept import drop_statements, sql_statements
from dhakira_web.archive.rows import rows_by_id

CHUNK = 2000
WATCHED = ("archive_record", "archive_recordfacet", "archive_incident", "archive_incidentreport", "archive_claim",
           "archive_person", "archive_record_persons", "archive_record_places", "archive_record_organisations",
           "archive_place", "archive_organisation", "archive_personmention", "archive_assessment", "archive_sourcegrade",
           "archive_reviewstep", "archive_redaction", "archive_auditentry", "archive_searchentry")
# (model, field) whose own index another index of the table begins with.
COVERED = (("claim", "field"), ("incidentreport", "record"), ("personmention", "person"), ("record", "issue_date"),
           ("recordfacet", "record"))
THROUGH = ("places", "organisations", "persons")  # record_id is the first column of their unique (record_id, …)
REWRITTEN = {"archive_record": ("extraction", "paragraphs", "fields", "external_ids", "languages"),
             "archive_incidentreport": ("reported", "features"), "archive_incident": ("credibility_reasons", "event_types"),
             "archive_personmention": ("features",), "archive_person": ("names", "context")}
JSON = {("apitoken", "scopes"): (list, False), ("auditentry", "details"): (dict, False),
        ("incident", "credibility_reasons"): (list, True), ("incident", "event_types"): (list, False),
        ("incidentreport", "features"): (dict, True), ("incidentreport", "reported"): (dict, False),
        ("person", "context"): (dict, True), ("person", "names"): (list, True), ("personmention", "features"): (dict, True),
        ("record", "external_ids"): (list, True), ("record", "extraction"): (dict, True), ("record", "fields"): (dict, True),
        ("record", "languages"): (list, False), ("record", "paragraphs"): (list, True),
        ("sitetemplate", "lines"): (dict, True), ("sitetemplate", "sources"): (list, True)}


def drop_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Off while rows are rewritten: on PostgreSQL their deferred events would forbid the ALTER TABLE after."""
    for statement in drop_statements(schema_editor.connection.vendor, WATCHED):
        schema_editor.execute(statement)


def create_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    drop_triggers(apps, schema_editor)
    schema_editor.execute("DELETE FROM archive_archivegeneration")
    for statement in sql_statements(schema_editor.connection.vendor, WATCHED):
        schema_editor.execute(statement)


def _covered_fields(apps):  # type: ignore[no-untyped-def]
    """(model, field) of every index this migration drops, from the historical models."""
    fields = [(apps.get_model("archive", model), name) for model, name in COVERED]
    record = apps.get_model("archive", "Record")
    return fields + [(record._meta.get_field(name).remote_field.through, "record") for name in THROUGH]


def drop_covered_indexes(apps, schema_editor):  # type: ignore[no-untyped-def]
    connection = schema_editor.connection
    for model, name in _covered_fields(apps):
        table, column = model._meta.db_table, model._meta.get_field(name).column
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, table)
        for index, details in constraints.items():
            # Only a plain index over exactly this column (on PostgreSQL also its ``_like`` twin), never a key.
            if details["index"] and not details["unique"] and not details["primary_key"] and details["columns"] == [column]:
                schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(index)}")


def create_covered_indexes(apps, schema_editor):  # type: ignore[no-untyped-def]
    for model, name in _covered_fields(apps):
        field = model._meta.get_field(name)
        schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))
        like = getattr(schema_editor, "_create_like_index_sql", lambda *_: None)(model, field)  # PostgreSQL
        if like is not None:
            schema_editor.execute(like)


def _rows(connection, table: str, columns: str):  # type: ignore[no-untyped-def]
    """Every row of ``table`` (id first), a chunk at a time, in id order."""
    return rows_by_id(connection, table, columns, CHUNK)


def pack_fingerprints(apps, schema_editor):  # type: ignore[no-untyped-def]
    connection = schema_editor.connection
    packed = apps.get_model("archive", "Record")._meta.get_field("fingerprint_packed")
    for chunk in _rows(connection, "archive_record", "fingerprint"):
        values = [(packed.get_db_prep_value(json.loads(value) if isinstance(value, str) else value or [], connection), pk)
                  for pk, value in chunk]
        with connection.cursor() as cursor:
            cursor.executemany("UPDATE archive_record SET fingerprint_packed = %s WHERE id = %s", values)


def unpack_fingerprints(apps, schema_editor):  # type: ignore[no-untyped-def]
    connection = schema_editor.connection
    field = apps.get_model("archive", "Record")._meta.get_field("fingerprint")
    for chunk in _rows(connection, "archive_record", "fingerprint_packed"):
        values = [(field.get_db_prep_save(dhakira_web.archive.storage.unpack(value), connection), pk) for pk, value in chunk]
        with connection.cursor() as cursor:
            cursor.executemany("UPDATE archive_record SET fingerprint = %s WHERE id = %s", values)


def _convert_vectors(schema_editor, source: str, target: str) -> None:
    import numpy

    connection = schema_editor.connection
    last = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute("SELECT record_id, vector FROM archive_recordembedding WHERE record_id > %s "
                           f"ORDER BY record_id LIMIT {CHUNK}", [last])
            chunk = cursor.fetchall()
        if not chunk:
            return
        values = [(numpy.frombuffer(bytes(vector), dtype=source).astype(target).tobytes(), pk) for pk, vector in chunk]
        with connection.cursor() as cursor:
            cursor.executemany("UPDATE archive_recordembedding SET vector = %s WHERE record_id = %s", values)
        last = chunk[-1][0]


def vectors_to_float16(apps, schema_editor):  # type: ignore[no-untyped-def]
    _convert_vectors(schema_editor, "float32", "float16")


def vectors_to_float32(apps, schema_editor):  # type: ignore[no-untyped-def]
    _convert_vectors(schema_editor, "float16", "float32")


def rewrite_json(apps, schema_editor):  # type: ignore[no-untyped-def]
    """SQLite keeps JSON as text: write the stored values again without escapes or spaces (PostgreSQL parses them)."""
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    encoder = dhakira_web.archive.storage.CompactJSONEncoder()
    for table, columns in REWRITTEN.items():
        for chunk in _rows(connection, table, ", ".join(columns)):
            changed = []
            for pk, *values in chunk:
                compact = [None if value is None else encoder.encode(json.loads(value)) for value in values]
                if compact != values:
                    changed.append((*compact, pk))
            if changed:
                assignments = ", ".join(f"{column} = %s" for column in columns)
                with connection.cursor() as cursor:
                    cursor.executemany(f"UPDATE {table} SET {assignments} WHERE id = %s", changed)


def _json_field(default, blank):  # type: ignore[no-untyped-def]
    return models.JSONField(default=default, blank=blank, encoder=dhakira_web.archive.storage.CompactJSONEncoder)


class Migration(migrations.Migration):

    dependencies = [
        ("archive", "0015_claim_rule_length"),
    ]

    operations = [
        migrations.RunPython(drop_triggers, create_triggers),
        # The encoder only changes how values are written: the columns stay as they are.
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField(model_name=model, name=name, field=_json_field(default, blank))
            for (model, name), (default, blank) in JSON.items()
        ]),
        migrations.RunPython(rewrite_json, migrations.RunPython.noop),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(model_name="claim", name="field", field=models.CharField(max_length=40)),
                migrations.AlterField(model_name="incidentreport", name="record", field=models.ForeignKey(
                    db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="incident_reports",
                    to="archive.record")),
                migrations.AlterField(model_name="personmention", name="person", field=models.ForeignKey(
                    db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="mentions",
                    to="archive.person")),
                migrations.AlterField(model_name="record", name="issue_date", field=models.CharField(blank=True, max_length=10)),
                migrations.AlterField(model_name="recordfacet", name="record", field=models.ForeignKey(
                    db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="facets", to="archive.record")),
            ],
            database_operations=[migrations.RunPython(drop_covered_indexes, create_covered_indexes)],
        ),
        migrations.AddField(model_name="record", name="fingerprint_packed",
                            field=dhakira_web.archive.storage.MinHashField(blank=True, default=list, null=True)),
        migrations.RunPython(pack_fingerprints, unpack_fingerprints),
        migrations.RemoveField(model_name="record", name="fingerprint"),
        migrations.RenameField(model_name="record", old_name="fingerprint_packed", new_name="fingerprint"),
        migrations.RunPython(vectors_to_float16, vectors_to_float32),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
