"""The archive's generation: a row raised by triggers on the tables whole-archive counts read (kept counts)."""

from django.db import migrations, models

from dhakira_web.archive.counts.kept import drop_statements, sql_statements

WATCHED = ("archive_record", "archive_recordfacet", "archive_incident", "archive_incidentreport", "archive_claim",
           "archive_person", "archive_record_persons", "archive_record_places", "archive_record_organisations")


def create_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    for statement in sql_statements(schema_editor.connection.vendor, WATCHED):
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    for statement in drop_statements(schema_editor.connection.vendor, WATCHED):
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("archive", "0010_chronicle_report_day"),
    ]

    operations = [
        migrations.CreateModel(
            name="ArchiveGeneration",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("value", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
