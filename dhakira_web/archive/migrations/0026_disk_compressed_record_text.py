"""A record's clean ``text`` kept compressed (``storage.CompressedTextField``: a zstd frame after a first
byte naming the form, ``storage.pack_text``; about a fifth of the UTF-8 on the synthetic corpus). No query reads the text in SQL: search
reads its own index rows, and the place page's figures cut their quotes from the text in Python since this
change. Every text reads back the same; an empty text is NULL. SQLite and PostgreSQL (where ``text`` becomes
``bytea``).

The operations are those of 0019 and 0024 (``storage.compressed_text_operations``, made by the same
``storage.packed_column_operations``): the column added nullable, filled, the old one dropped and the new one
renamed in place, so that SQLite copies no table going forwards; going backwards SQLite makes the table again and
its planner statistics are made again when the archive held some.
"""

from django.db import migrations

import dhakira_web.archive.storage


class Migration(migrations.Migration):

    dependencies = [
        ("archive", "0025_disk_compressed_search_texts"),
    ]

    operations = dhakira_web.archive.storage.compressed_text_operations("record", "archive_record", "text")
