"""Fingerprints of 16 bits a value (b-bit MinHash): each stored value narrowed to its low 16 bits, 256 bytes a
fingerprint where 61 bits a value took 976, and every near-duplicate band made again from the narrowed values.

``similarity.fingerprint`` now keeps only the low 16 bits of each MinHash value and estimates the similarity with
the chance agreements of such values taken out; a stored fingerprint narrowed is the one this version makes of the
record's text, so near-duplicates are found among the records stored before as among the ones written after.

Forwards: the fingerprints are read a thousand at a time, rewritten narrowed (``storage.MinHash16Field``) and their
bands written again (``similarity.band_keys`` of the narrowed values); the old bands, made from 61-bit values, are
deleted first. Backwards: the 16-bit values are written back in 61 bits a value (``storage.MinHash61Field``), an empty text's
as the code before marks it (``widened``); the high bits they had are not kept anywhere, so the fingerprints stay narrowed. ``band_keys`` hashes each value as 8
bytes in both versions, so the bands stay those of the values kept. The code before this migration makes 61-bit
fingerprints of new texts, which agree with none of these: going back loses the near-duplicate check against the
records migrated until their fingerprints are made again (re-cleaning a record does). The column's type (a blob,
``bytea``) is the same in both layouts, so the table itself is left as it is. SQLite and PostgreSQL.
"""

from typing import Any

from django.db import migrations

import dhakira_web.archive.storage
from dhakira_web.archive.rows import rows_by_id
from dhakira_web.archive.storage import pack_minhash16, pack_minhash61, unpack_minhash16, unpack_minhash61

KEPT = "archive_recordfingerprint"
BANDS = "archive_nearduplicateband"


def narrow(apps: Any, schema_editor: Any) -> None:
    from dhakira.ingest import similarity

    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {BANDS}")
    for rows in rows_by_id(connection, KEPT, "signature", 1000, key="record_id"):
        narrowed = [(pk, similarity.narrowed(unpack_minhash61(signature))) for pk, signature in rows]
        bands = sorted((key, pk) for pk, values in narrowed  # an empty text's is a near-duplicate of nothing: no band
                       if len(values) == similarity.PERMUTATIONS and not similarity.empty(values)
                       for key in set(similarity.band_keys(values)))
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {KEPT} SET signature = %s WHERE record_id = %s",
                               [(connection.Database.Binary(pack_minhash16(values)), pk) for pk, values in narrowed])
            cursor.executemany(f"INSERT INTO {BANDS} ({schema_editor.quote_name('key')}, record_id) VALUES (%s, %s)", bands)


OLD_EMPTY = (1 << 61) - 1  # the value of every place of an empty text's fingerprint before this migration


def widened(values: list[int]) -> list[int]:
    """The 61-bit layout's values of a narrowed fingerprint: the same, but an empty text's (every value 2^16 − 1, the
    low bits of the old marker) as the code before this migration marks it, so that it still scores 0 there."""
    from dhakira.ingest import similarity

    return [OLD_EMPTY] * len(values) if similarity.empty(values) else values


def widen(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    for rows in rows_by_id(connection, KEPT, "signature", 1000, key="record_id"):
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {KEPT} SET signature = %s WHERE record_id = %s",
                               [(connection.Database.Binary(pack_minhash61(widened(unpack_minhash16(signature)))), pk)
                                for pk, signature in rows])


class Migration(migrations.Migration):

    dependencies = [
        ("archive", "0030_disk_audit_digests_bytes"),
    ]

    operations = [
        migrations.RunPython(narrow, widen),
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField(model_name="recordfingerprint", name="signature",
                                  field=dhakira_web.archive.storage.MinHash16Field(default=list)),
        ]),
    ]
