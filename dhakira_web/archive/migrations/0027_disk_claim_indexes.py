"""Claims keep the indexes their queries use, and the index of corrections only where a claim corrects another.

Every query reading ``archive_claim`` (docs/scale.md, "Disk": their plans while the test files of the web layer
run, and on an analysed 2,000-document archive while its record, incident and place pages are served) finds its
rows by ``record_id``, ``incident_report_id`` or ``corrects_id``; none by ``value_id`` or by ``field`` alone. So:

* ``archive_cla_field_aed1f7_idx`` (``field``, ``value_id``) and ``archive_claim_value_id_d0243e74`` (with its
  ``_like`` twin on PostgreSQL) go. Without the planner's statistics SQLite chose the first for
  ``field = ? AND incident_report_id IN (…)``, reading every claim of that field; the report's index serves it.
* ``archive_claim_corrects_id_b4918753`` becomes ``claim_corrections``, a partial index over the claims that
  correct another (a reviewer's corrections: none in a machine-read archive). With statistics SQLite held the
  full index useless (every claim the same NULL) and scanned the whole table to find a record's corrections and,
  on every deletion of claims, the corrections pointing at them; the partial index serves ``corrects_id = ?``
  and ``IN (…)`` on both databases.

The two dropped indexes Django made from ``db_index`` are dropped by name (the model's fields change in the state
only), so SQLite copies no table. Backwards every index is made again as it was.
"""

from typing import Any

from django.db import migrations, models

from dhakira_web.archive.storage import planner_statistics

DROPPED = ("archive_claim_value_id_d0243e74", "archive_claim_corrects_id_b4918753")


def drop(apps: Any, schema_editor: Any) -> None:
    for name in DROPPED + (("archive_claim_value_id_d0243e74_like",) if schema_editor.connection.vendor == "postgresql" else ()):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def make(apps: Any, schema_editor: Any) -> None:
    schema_editor.execute("CREATE INDEX archive_claim_value_id_d0243e74 ON archive_claim (value_id)")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE INDEX archive_claim_value_id_d0243e74_like ON archive_claim (value_id varchar_pattern_ops)")
    schema_editor.execute("CREATE INDEX archive_claim_corrects_id_b4918753 ON archive_claim (corrects_id)")


def analyse(apps: Any, schema_editor: Any) -> None:
    """SQLite's statistics of the new index, where the archive holds statistics (the dropped ones' went with them)."""
    connection = schema_editor.connection
    if connection.vendor == "sqlite" and planner_statistics(connection, "archive_claim")[0]:
        schema_editor.execute("ANALYZE claim_corrections")


class Migration(migrations.Migration):

    dependencies = [
        ("archive", "0026_disk_compressed_record_text"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="claim", name="archive_cla_field_aed1f7_idx"),
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop, make)],
            state_operations=[
                migrations.AlterField(model_name="claim", name="value_id", field=models.CharField(blank=True, max_length=120)),
                migrations.AlterField(
                    model_name="claim", name="corrects",
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=models.deletion.SET_NULL,
                                            related_name="corrections", to="archive.claim")),
            ],
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(condition=models.Q(("corrects__isnull", False)), fields=["corrects"], name="claim_corrections")),
        migrations.RunPython(analyse, migrations.RunPython.noop),
    ]
