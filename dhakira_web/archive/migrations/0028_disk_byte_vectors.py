"""Lead vectors kept as one byte a dimension and a scale (``jobs.models.vector_bytes``) instead of float16: 517
bytes instead of 1,024 for 512 dimensions (docs/scale.md, "Disk"). Each kept vector is rewritten in place, a chunk
of rows at a time; backwards each is written as float16 again (the values of the byte form, which float16 holds)."""

from typing import Any

from django.db import migrations

from dhakira_web.archive.jobs.models import float16_bytes, vector_bytes, vector_of
from dhakira_web.archive.rows import rows_by_id

TABLE = "archive_recordembedding"


def _rewrite(connection: Any, write: Any) -> None:
    for rows in rows_by_id(connection, TABLE, "vector", 1000, key="record_id"):
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {TABLE} SET vector = %s WHERE record_id = %s",
                               [(write(vector_of(vector)), pk) for pk, vector in rows])


def to_bytes(apps: Any, schema_editor: Any) -> None:
    _rewrite(schema_editor.connection, vector_bytes)


def to_float16(apps: Any, schema_editor: Any) -> None:
    _rewrite(schema_editor.connection, float16_bytes)


class Migration(migrations.Migration):

    dependencies = [
        ("archive", "0027_disk_claim_indexes"),
    ]

    operations = [
        migrations.RunPython(to_bytes, to_float16),
    ]
