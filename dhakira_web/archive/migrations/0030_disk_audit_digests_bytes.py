"""The audit log's three SHA-256 digests (``previous_hash``, ``entry_hash``, ``details_hash``) kept as their 32 bytes
(``storage.Sha256Field``) instead of 64 hexadecimal characters; docs/scale.md, "Disk". Python reads and writes the
same lowercase hex as before, so the chain is computed, verified and exported exactly as it was.

Before anything changes, every digest is checked to be 64 lowercase hexadecimal characters (``details_hash`` may
be empty): a value that is not (a log edited by hand) stops the migration, naming the entry, rather than be lost.

On SQLite the table is made again and its rows copied, each digest turned into its bytes on the way
(``storage.remake_table``); its indexes (the unique one of ``entry_hash``, the record's) are made with it, its
triggers raising the archive's generation made again after it (the copy writes no row they watch, so the generation
stays), its planner statistics made again when the archive held them, and the table's AUTOINCREMENT counter kept,
so that an entry cut off the end of the log never has its id given to a new one. On PostgreSQL the columns change
type in place (``bytea``, ``decode(…, 'hex')``: one rewrite of the table, its unique constraint kept); the
``varchar_pattern_ops`` index Django kept beside the unique one of ``entry_hash`` goes (no query searches a
digest's text). Backwards every digest is written as its lowercase hex again, and that index made again.
"""

from typing import Any

from django.db import migrations

import dhakira_web.archive.storage
from dhakira_web.archive.storage import generation_triggers, remake_table

TABLE = "archive_auditentry"
DIGESTS = ("previous_hash", "entry_hash", "details_hash")
BYTES_OF_HEX = "dhakira_sha256_bytes"  # the SQL function turning a hex digest into its bytes (SQLite, this migration)


def _bytes_of_hex(text: str | None) -> bytes | None:
    return None if text is None else bytes.fromhex(text)


def _refuse_bad_digests(schema_editor: Any) -> None:
    """Stop before anything changes when a digest is not 64 lowercase hexadecimal characters (``details_hash``:
    or empty), naming the first such entry."""
    connection = schema_editor.connection
    for column in DIGESTS:
        blank = f"{column} <> '' AND " if column == "details_hash" else ""
        if connection.vendor == "postgresql":
            wrong = f"{column} !~ '^[0-9a-f]{{64}}$'"
        else:  # GLOB is case-sensitive: an uppercase digit is refused too
            wrong = f"(length({column}) <> 64 OR {column} GLOB '*[^0-9a-f]*' OR typeof({column}) <> 'text')"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, {column} FROM {TABLE} WHERE {blank}{wrong} ORDER BY id LIMIT 1")
            found = cursor.fetchone()
        if found is not None:
            raise ValueError(f"audit entry {found[0]}: its {column} {found[1]!r} is not a SHA-256 digest in lowercase hex, "
                             "so it cannot be kept as 32 bytes; nothing was changed (the log was edited outside Dhakira: "
                             "`dhakira audit verify` of the release before this one shows where)")


def _sqlite_sequence(schema_editor: Any) -> int | None:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [TABLE])
        found = cursor.fetchone()
    return None if found is None else int(found[0])


def _converted(apps: Any, schema_editor: Any, packed: bool) -> None:
    """The digests as bytes (``packed``) or as hex again, the table otherwise as it was; ``apps``: the models of the
    layout being made."""
    connection = schema_editor.connection
    model = apps.get_model("archive", "AuditEntry")
    if packed:
        _refuse_bad_digests(schema_editor)
    if connection.vendor == "postgresql":
        _converted_postgresql(schema_editor, model, packed)
        return
    if packed:
        connection.ensure_connection()
        connection.connection.create_function(BYTES_OF_HEX, 1, _bytes_of_hex, deterministic=True)
    quote = schema_editor.quote_name
    columns = tuple(field.column for field in model._meta.concrete_fields)  # the id first: rows copied in its order
    converted = {column: f"{BYTES_OF_HEX}({quote(column)})" if packed else f"lower(hex({quote(column)}))" for column in DIGESTS}
    counter = _sqlite_sequence(schema_editor)
    remake_table(schema_editor, model, columns, without_rowid=False, converted=converted, every_row=True)
    now = _sqlite_sequence(schema_editor)
    if counter is not None and (now is None or now < counter):  # ids of entries cut off the end stay used
        schema_editor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [TABLE])
        schema_editor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [TABLE, counter])
    generation_triggers(TABLE, made=True)(apps, schema_editor)  # they went with the old table


def _converted_postgresql(schema_editor: Any, model: Any, packed: bool) -> None:
    connection, quote = schema_editor.connection, schema_editor.quote_name
    entry_hash = model._meta.get_field("entry_hash")
    if packed:
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, TABLE)
        for name, details in constraints.items():  # the pattern index of the hex text, beside the unique one
            if details["index"] and not details["unique"] and details["columns"] == ["entry_hash"] and name.endswith("_like"):
                schema_editor.execute(f"DROP INDEX {quote(name)}")
    changes = [f"ALTER COLUMN {quote(column)} TYPE bytea USING decode({quote(column)}, 'hex')" if packed
               else f"ALTER COLUMN {quote(column)} TYPE varchar(64) USING encode({quote(column)}, 'hex')" for column in DIGESTS]
    schema_editor.execute(f"ALTER TABLE {quote(TABLE)} {', '.join(changes)}")
    if not packed:
        schema_editor.execute(schema_editor._create_like_index_sql(model, entry_hash))


def to_bytes(apps: Any, schema_editor: Any) -> None:
    _converted(apps, schema_editor, packed=True)


def to_hex(apps: Any, schema_editor: Any) -> None:
    _converted(apps, schema_editor, packed=False)


class Migration(migrations.Migration):

    dependencies = [
        ("archive", "0029_disk_fingerprints_apart"),
    ]

    # Each step runs with the models of the layout it makes: backwards the first, with the hex fields; forwards the
    # last, with the new ones.
    operations = [
        migrations.RunPython(migrations.RunPython.noop, to_hex),
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField(model_name="auditentry", name="previous_hash", field=dhakira_web.archive.storage.Sha256Field()),
            migrations.AlterField(model_name="auditentry", name="entry_hash", field=dhakira_web.archive.storage.Sha256Field(unique=True)),
            migrations.AlterField(model_name="auditentry", name="details_hash",
                                  field=dhakira_web.archive.storage.Sha256Field(blank=True, default="")),
        ]),
        migrations.RunPython(to_bytes, migrations.RunPython.noop),
    ]
