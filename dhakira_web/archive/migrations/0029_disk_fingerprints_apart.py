"""Each record's MinHash fingerprint kept in a table of its own (``RecordFingerprint``), no longer in its row.

A record's row was about 2.9 KB on the synthetic corpus (the fingerprint 1,024 bytes of it), more than half of
SQLite's 4 KB page, so every row took a leaf page of its own; without the fingerprint two rows share a page. Only
the near-duplicate check reads fingerprints (for the few records sharing enough bands with a new text), and
exports, which carry it in the record's line as before.

There a fingerprint takes 61 bits a value (``storage.MinHash61Field``: 976 bytes, where 8 bytes a value took 1,024),
so that four rows fit a 4 KB page rather than three: every value ``similarity`` makes is below its prime 2^61 - 1.

Forwards: the table is made, every fingerprint read from the record table a thousand rows at a time and written
into it in the new layout (a record without one has no row; a value of 2^61 or more, which no Dhakira has made,
stops the migration rather than be lost), then the column dropped in place (``ALTER TABLE … DROP COLUMN`` on
SQLite: no table copied; its pages are freed by the next ``VACUUM``). Backwards: the column added again (nullable,
in place) and filled, 8 bytes a value again, and the table dropped. The record table's triggers raising the archive's generation are off meanwhile (on
PostgreSQL the deferred events of the rows filled going backwards would forbid altering the tables after); a
fingerprint is shown on no page, so the generation stays. SQLite and PostgreSQL.
"""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

import dhakira_web.archive.storage
from dhakira_web.archive.rows import rows_by_id
from dhakira_web.archive.storage import (
    MinHashField,
    generation_triggers,
    pack_minhash61,
    unpack,
    unpack_minhash61,
)

TABLE = "archive_record"
KEPT = "archive_recordfingerprint"


def move_apart(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    for rows in rows_by_id(connection, TABLE, "fingerprint", 1000):
        kept = []
        for pk, value in rows:
            try:
                packed = pack_minhash61(unpack(value))
            except ValueError as error:
                raise ValueError(f"record {pk}: its fingerprint cannot be kept in 61 bits a value ({error}); nothing was changed") from error
            if packed is not None:
                kept.append((pk, connection.Database.Binary(packed)))
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {KEPT} (record_id, signature) VALUES (%s, %s)", kept)


def move_back(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    for rows in rows_by_id(connection, KEPT, "signature", 1000, key="record_id"):
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {TABLE} SET fingerprint = %s WHERE id = %s",
                               [(connection.Database.Binary(MinHashField().pack(unpack_minhash61(value))), pk) for pk, value in rows])


class Migration(migrations.Migration):

    dependencies = [
        ("archive", "0028_disk_byte_vectors"),
    ]

    operations = [
        migrations.RunPython(generation_triggers(TABLE, made=False), generation_triggers(TABLE, made=True)),
        migrations.CreateModel(
            name="RecordFingerprint",
            fields=[
                ("record", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name="minhash",
                                                serialize=False, to="archive.record")),
                ("signature", dhakira_web.archive.storage.MinHash61Field(default=list)),
            ],
        ),
        migrations.RunPython(move_apart, move_back),
        migrations.RemoveField(model_name="record", name="fingerprint"),
        migrations.RunPython(generation_triggers(TABLE, made=True), generation_triggers(TABLE, made=False)),
    ]
