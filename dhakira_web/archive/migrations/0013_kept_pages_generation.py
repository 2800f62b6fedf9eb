"""The archive's generation becomes a random number at every change, and is changed by every table a page reads
(kept pages): places and organisations, person mentions, assessments and grades, review steps, redactions,
the audit log and the search entries, besides the tables kept counts read."""

from django.db import migrations

from dhakira_web.archive.counts.kept import drop_statements, sql_statements

BEFORE = ("archive_record", "archive_recordfacet", "archive_incident", "archive_incidentreport", "archive_claim",
          "archive_person", "archive_record_persons", "archive_record_places", "archive_record_organisations")
AFTER = BEFORE + ("archive_place", "archive_organisation", "archive_personmention", "archive_assessment", "archive_sourcegrade",
                  "archive_reviewstep", "archive_redaction", "archive_auditentry", "archive_searchentry")


def _recreate(schema_editor, drop: tuple[str, ...], create: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    for statement in drop_statements(vendor, drop):
        schema_editor.execute(statement)
    schema_editor.execute("DELETE FROM archive_archivegeneration")
    for statement in sql_statements(vendor, create):
        schema_editor.execute(statement)


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    _recreate(schema_editor, BEFORE, AFTER)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    _recreate(schema_editor, AFTER, BEFORE)


class Migration(migrations.Migration):

    dependencies = [
        ("archive", "0012_indexes_for_pages"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
