"""A record's ``extraction`` kept compressed (``storage.CompressedJSONField``: zlib with a preset dictionary of
the extraction's keys, about a quarter of the compact JSON). No query looks into it; every value reads back
the same (docs/scale.md, "Disk"); an empty extraction is NULL. SQLite and PostgreSQL (where ``jsonb`` becomes
``bytea``). No table is copied on SQLite (the column is added, filled, the old one dropped and the new one
renamed in place), so the planner's statistics of the record table stay.

The record table's triggers raising the archive's generation are off while its rows are rewritten (on
PostgreSQL their deferred events would forbid the ALTER TABLE after) and made again at the end; nothing a page
shows changes, so the generation is left as it is. (The operations are made by
``storage.compressed_json_operations``, which 0023 uses too; going backwards, where SQLite makes the record
table again, it also makes the table's planner statistics again when the archive held some.)
"""

from django.db import migrations

import dhakira_web.archive.storage


class Migration(migrations.Migration):

    dependencies = [
        ("archive", "0018_protected_spellings_reindexed"),
    ]

    operations = dhakira_web.archive.storage.compressed_json_operations("record", "archive_record", "extraction")
