"""The audit log's SHA-256 digests kept as 32 bytes (``storage.Sha256Field``, migration 0030): read and written as the
same lowercase hex, found by equality, unique, refused when not a digest, and an archive's chain migrated to bytes
and back verifies the same (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core import serializers
from django.core.exceptions import FieldError, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from dhakira_web.archive import audit
from dhakira_web.archive.exchange.custody import append_many, chain_head
from dhakira_web.archive.models import AuditEntry
from dhakira_web.archive.storage import sha256_bytes
from tests.web.test_disk_storage import _migrated, _raises_generation, latest_schema  # noqa: F401 (the fixture migrating back to the latest schema)

BEFORE, AFTER = "0029_disk_fingerprints_apart", "0030_disk_audit_digests_bytes"
DIGESTS = ("previous_hash", "entry_hash", "details_hash")
COLUMNS = ("id", "at", "actor", "action", "record_id", "target", "details", "erased", *DIGESTS)


def _raw_digests(pk: int) -> tuple[Any, ...]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(DIGESTS)} FROM archive_auditentry WHERE id = %s", [pk])
        return tuple(cursor.fetchone())


def _walk(entries: Any) -> tuple[bool, str]:
    """The chain checked as ``audit.check`` checks it, through the models of any schema (``entries``: a manager):
    whether it is intact, and its head."""
    previous = audit.GENESIS
    for entry in entries.order_by("id"):
        if (not entry.erased and entry.details_hash != audit.details_digest(entry.details)) or entry.previous_hash != previous \
                or entry.entry_hash != audit.entry_digest(previous, entry):
            return False, previous
        previous = entry.entry_hash
    return True, previous


def _unique_on_entry_hash() -> bool:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, "archive_auditentry")
    return any(about["unique"] and about["columns"] == ["entry_hash"] for about in found.values())


def _pattern_indexes() -> list[str]:
    """PostgreSQL's ``varchar_pattern_ops`` indexes of the audit table (none on SQLite)."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'archive_auditentry' AND indexdef LIKE %s",
                       ["%pattern_ops%"])
        return [row[0] for row in cursor.fetchall()]


def test_digests_are_kept_as_32_bytes_and_read_back_as_the_hex_the_chain_computed(add_record: Any) -> None:
    record = add_record("Witnesses said 12 detainees were moved from Adra to Branch 215 in May 2016.")
    appended = audit.append_many("tester", [("note", {"text": "شهادة"}), ("note", {})], record=record)
    audit.append_entries([("batch", "collected", {"n": 1}, None, "item-1")])  # the prepared-statement path
    append_many([{"actor": "importer", "action": "custody", "target": "item-2", "details": {"from": "elsewhere"}}])
    entries = list(AuditEntry.objects.order_by("id"))
    assert len(entries) >= 5 and audit.check().intact and audit.head() == chain_head() == entries[-1].entry_hash
    for entry in entries:
        raw = _raw_digests(entry.pk)
        assert all(isinstance(value, (bytes, memoryview)) and len(bytes(value)) == 32 for value in raw)
        assert tuple(bytes(value).hex() for value in raw) == (entry.previous_hash, entry.entry_hash, entry.details_hash)
        assert entry.details_hash == audit.details_digest(entry.details) and entry.entry_hash == audit.entry_digest(entry.previous_hash, entry)
    # The instance returned by the write holds the same strings as the row read back; lookups by digest find it.
    first = appended[0]
    assert AuditEntry.objects.get(entry_hash=first.entry_hash).pk == first.pk
    assert AuditEntry.objects.filter(previous_hash=first.entry_hash).get().pk == appended[1].pk
    assert set(AuditEntry.objects.filter(entry_hash__in=[first.entry_hash, entries[-1].entry_hash]).values_list("pk", flat=True)) \
        == {first.pk, entries[-1].pk}
    assert not AuditEntry.objects.filter(entry_hash=audit.GENESIS).exists()
    assert AuditEntry.objects.filter(previous_hash=audit.GENESIS).count() == 1
    assert AuditEntry.objects.filter(details_hash__isnull=True).count() == 0


def test_an_empty_details_hash_is_no_bytes_and_a_digest_stays_unique(db: None) -> None:
    entry = audit.append("tester", "collected", target="item")
    AuditEntry.objects.filter(pk=entry.pk).update(details_hash="")
    assert AuditEntry.objects.get(pk=entry.pk).details_hash == ""
    assert bytes(_raw_digests(entry.pk)[2]) == b""
    assert AuditEntry.objects.filter(details_hash="").get().pk == entry.pk
    assert audit.check().bad_entry == entry.pk  # its details no longer match: the chain says so
    blank = AuditEntry(at=timezone.now(), actor="tester", action="note", previous_hash=entry.entry_hash, entry_hash="c" * 64)
    assert blank.details_hash == ""  # the default is the empty text, not BinaryField's b""
    blank.save()
    assert AuditEntry.objects.get(pk=blank.pk).details_hash == ""
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEntry.objects.create(at=timezone.now(), actor="x", action="note", previous_hash=audit.GENESIS, entry_hash=entry.entry_hash)


@pytest.mark.parametrize("value", ["A" * 64, "g" * 64, "ab" * 31, "ab" * 33, " " + "a" * 63, "", b"\x01" * 31, 7])
def test_a_value_that_is_not_a_digest_is_refused_before_anything_is_written(db: None, value: Any) -> None:
    entry = audit.append("tester", "collected", target="item")
    # Each write in a block of its own: Django marks the enclosing transaction for rollback when a write fails.
    with pytest.raises(ValueError, match="SHA-256 digest is 64 lowercase hexadecimal characters"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(entry_hash=value)
    with pytest.raises(ValueError, match="SHA-256"):
        AuditEntry.objects.filter(entry_hash=value).exists()
    if value != "":  # the empty text is allowed where the field is blank
        with pytest.raises(ValueError, match="or empty"), transaction.atomic():
            AuditEntry.objects.filter(pk=entry.pk).update(details_hash=value)
    with pytest.raises(ValueError, match="SHA-256"), transaction.atomic():
        AuditEntry.objects.create(at=timezone.now(), actor="x", action="note", previous_hash=value, entry_hash="d" * 64)
    assert list(AuditEntry.objects.values_list("pk", "entry_hash")) == [(entry.pk, entry.entry_hash)] and audit.check().intact


def test_a_digest_given_as_its_32_bytes_reads_back_as_hex_and_a_text_lookup_is_refused(db: None) -> None:
    entry = audit.append("tester", "collected", target="item")
    assert sha256_bytes(entry.entry_hash) == bytes.fromhex(entry.entry_hash) and sha256_bytes("", blank=True) == b""
    assert AuditEntry.objects.filter(entry_hash=bytes.fromhex(entry.entry_hash)).get().pk == entry.pk
    entry.full_clean(exclude=["details"])  # validation reads the same hex; a serialiser writes it, not base64
    assert json.loads(serializers.serialize("json", [entry]))[0]["fields"]["entry_hash"] == entry.entry_hash
    entry.previous_hash = "not a digest"
    with pytest.raises(ValidationError, match="SHA-256"):
        entry.full_clean(exclude=["details"])
    for lookup in ("startswith", "contains", "icontains", "gt"):
        with pytest.raises(FieldError, match="Unsupported lookup"):
            AuditEntry.objects.filter(**{f"entry_hash__{lookup}": entry.entry_hash[:8]}).exists()


def _old_entries(apps: Any, count: int, record: Any) -> None:
    """Entries written through the models of the hex schema, chained as ``audit`` chains them."""
    entries = apps.get_model("archive", "AuditEntry").objects
    last = entries.order_by("-id").first()
    previous = last.entry_hash if last is not None else audit.GENESIS
    for number in range(count):
        at, details = timezone.now(), {"n": number, "place": "صيدنايا"}
        details_hash = audit.details_digest(details)
        entry_hash = audit._digest(previous, at.isoformat(), "old", "collected", f"item-{number}", details_hash)
        entries.create(at=at, actor="old", action="collected", record_id=record.pk if number % 2 else None, target=f"item-{number}",
                       details=details, previous_hash=previous, entry_hash=entry_hash, details_hash=details_hash)
        previous = entry_hash


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema")
def test_migration_0030_keeps_the_chain_verifying_as_bytes_and_back(add_record: Any) -> None:
    record = add_record("Families in Homs said the case of 25 detainees taken to Saydnaya is still open.")
    audit.append_many("reviewer", [("note", {"text": "first"}), ("note", {"text": "to be erased"})], record=record)
    audit.erase_details(AuditEntry.objects.filter(details__text="to be erased"))
    cut = audit.append("tester", "collected", target="cut off the end")
    AuditEntry.objects.filter(pk=cut.pk).delete()  # an id the log gave once, never given again
    intact, head = _walk(AuditEntry.objects)
    assert intact and head == audit.head() and AuditEntry.objects.filter(erased=True).count() == 1

    old = _migrated(BEFORE)  # backwards: the digests as hex text again, the chain as it was
    entries = old.get_model("archive", "AuditEntry").objects
    assert _walk(entries) == (True, head)
    assert all(isinstance(value, str) and len(value) == 64 for pk in entries.values_list("pk", flat=True) for value in _raw_digests(pk))
    assert _unique_on_entry_hash() and (connection.vendor != "postgresql" or _pattern_indexes())
    _old_entries(old, 5, old.get_model("archive", "Record").objects.get(pk=record.pk))
    assert entries.filter(actor="old").order_by("id").first().pk > cut.pk  # the id of the entry cut off was not given again
    cut = entries.order_by("-id").first()
    entries.filter(pk=cut.pk).delete()  # another cut off the end, under the hex schema
    assert entries.filter(entry_hash=entries.order_by("-id").first().entry_hash).count() == 1
    intact, head = _walk(entries)
    written = sorted(entries.values_list(*COLUMNS))
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    _migrated(AFTER)  # forwards: 32 bytes each, the chain verified by the audit code itself
    outcome = audit.check(head)
    assert outcome.intact and outcome.head == head == audit.head() and outcome.entries == len(written)
    assert sorted(AuditEntry.objects.values_list(*COLUMNS)) == written  # every column as it was, hex for the digests
    assert all(len(bytes(value)) == 32 for pk, *_ in written for value in _raw_digests(pk))
    assert _unique_on_entry_hash() and _pattern_indexes() == []
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEntry.objects.create(at=timezone.now(), actor="x", action="note", previous_hash=head, entry_hash=head)
    if connection.vendor == "sqlite":  # the planner's statistics and the generation's triggers came back with the table
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'archive_auditentry'")
            assert cursor.fetchone()[0]
    assert _raises_generation(lambda: audit.append("tester", "collected", target="after"))
    newest = AuditEntry.objects.order_by("-id").first()
    assert newest.pk > cut.pk and audit.check().intact  # the id of the entry cut off is not given again
    written = sorted(AuditEntry.objects.values_list(*COLUMNS))
    head = audit.head()

    back = _migrated(BEFORE)  # and back once more: the same rows as hex, the chain as it was
    entries = back.get_model("archive", "AuditEntry").objects
    assert sorted(entries.values_list(*COLUMNS)) == written and _walk(entries) == (True, head)
    assert _raises_generation(lambda: entries.filter(pk=newest.pk).update(target="changed"))
    assert _walk(entries)[0] is False  # and the edit shows
    entries.filter(pk=newest.pk).update(target="after")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema")
def test_migration_0030_stops_rather_than_lose_a_value_that_is_not_a_digest() -> None:
    old = _migrated(BEFORE)
    record = old.get_model("archive", "Record").objects.create(
        code="OLD-1", captured_at=timezone.now(), sha256="1" * 64, size=10, media_type="text/plain", text="x", language="en")
    _old_entries(old, 2, record)
    entries = old.get_model("archive", "AuditEntry").objects
    tampered = entries.order_by("id").last()
    for column, value in (("entry_hash", "X" * 64), ("details_hash", "abc"), ("previous_hash", "")):
        kept = getattr(tampered, column)
        entries.filter(pk=tampered.pk).update(**{column: value})
        with pytest.raises(ValueError, match=f"audit entry {tampered.pk}: its {column}"):
            _migrated(AFTER)
        assert all(isinstance(value, str) for value in _raw_digests(tampered.pk))  # nothing changed
        entries.filter(pk=tampered.pk).update(**{column: kept})
    assert _walk(entries)[0]


@pytest.mark.django_db(transaction=True)
def test_remaking_the_audit_table_stops_rather_than_drop_a_row() -> None:
    """``remake_table(every_row=True)``: a copy that would keep fewer rows (here every digest made one, which the
    unique index turns away) raises, and the transaction leaves the log as it was."""
    from dhakira_web.archive.storage import remake_table

    for number, digest in enumerate(("a" * 64, "b" * 64, "c" * 64)):
        AuditEntry.objects.create(at=timezone.now(), actor="tester", action=f"step-{number}", previous_hash="0" * 64,
                                  entry_hash=digest)
    same = "X'" + "00" * 32 + "'" if connection.vendor == "sqlite" else "decode('" + "00" * 32 + "', 'hex')"
    columns = tuple(field.column for field in AuditEntry._meta.concrete_fields)
    with pytest.raises(ValueError, match="3 rows, but 1 could be copied"):
        with connection.schema_editor(atomic=True) as editor:
            remake_table(editor, AuditEntry, columns, without_rowid=False, converted={"entry_hash": same}, every_row=True)
    assert sorted(AuditEntry.objects.values_list("entry_hash", flat=True)) == ["a" * 64, "b" * 64, "c" * 64]
