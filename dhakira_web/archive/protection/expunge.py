"""Safety removal: a record taken out of the archive so that nothing of it stays readable (docs/safety-removal.md)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q

from dhakira_web.archive import audit, blobs, linking, search
from dhakira_web.archive.models import (
    AuditEntry,
    Incident,
    Person,
    Record,
    SearchEntry,
    SearchHead,
    SearchToken,
)
from dhakira_web.archive.protection.services import ProtectionError
from dhakira_web.archive.search import heads
from dhakira_web.archive.search import sqlite as search_sqlite


@dataclass(frozen=True)
class Expunged:
    """What a safety removal did."""

    code: str
    erased_entries: int
    removed_original: bool
    removed_incidents: int
    removed_persons: int
    database_scrubbed: bool


def expunge(record: Record, *, actor: str, reason: str) -> Expunged:
    """Remove ``record`` with its text, claims, links, index entries, fingerprint and original bytes.

    The audit entries about the record lose their details (their hashes stay, so the chain verifies);
    one new entry says that a record was removed, by whom and why. On SQLite the freed pages are
    overwritten, the write-ahead log emptied and the file rebuilt; on PostgreSQL the operator runs the
    commands in docs/safety-removal.md.
    """
    if not reason.strip():
        raise ProtectionError("say why the record is removed (--reason): the audit log keeps the reason")
    code, sha256, pk = record.code, record.sha256, record.pk
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")  # deleted content is overwritten with zeros, not left in free pages
    with transaction.atomic():
        erased = audit.erase_details(AuditEntry.objects.filter(Q(record_id=pk) | Q(target=code)).exclude(erased=True))
        try:
            entry = SearchEntry.objects.filter(record_id=pk).first()
        except ValueError:  # its packed texts cannot be read (storage.unpack_text): made again from the record
            entry = search.entry_made_again(record)
            search_sqlite.remove_unreadable_entry(pk)
        if entry is not None:
            _forget_tokens(pk, entry)
        only_here = (Incident.objects.annotate(held=Count("reports__record", filter=~Q(reports__record_id=pk), distinct=True))
                     .filter(reports__record_id=pk, held=0))
        incidents = list(only_here.values_list("pk", flat=True).distinct())
        Incident.objects.filter(pk__in=incidents).delete()
        shared = list(Incident.objects.filter(reports__record_id=pk).distinct())
        persons = list(Person.objects.filter(records=pk).annotate(named=Count("records", distinct=True)).filter(named=1)
                       .values_list("pk", flat=True))
        Person.objects.filter(pk__in=persons).delete()
        record.delete()  # cascades: claims, incident reports, facets, search entry (and FTS5 / tsvector), heads, redactions
        for incident in shared:  # their credibility reasons may quote the removed record's figures
            linking.refresh_credibility(incident)
        audit.append(actor, "expunge", target=code, details={"reason": reason, "erased_entries": erased})
    removed_original = False
    if not Record.objects.filter(sha256=sha256).exists():
        removed_original = _remove_file(blobs.blob_path(sha256))
        _remove_file(Path(settings.QUARANTINE_DIR) / sha256)
        _remove_file(Path(settings.QUARANTINE_DIR) / f"{sha256}.name")
    linking._index_state.clear()  # the incident index of this process held its incidents (its near-duplicate bands went with it)
    from dhakira_web.archive.counts import kept

    kept.forget_all()  # pages and counts kept on disk may show the record
    scrubbed = scrub_database()
    return Expunged(code, erased, removed_original, len(incidents), len(persons), scrubbed)


def _forget_tokens(record_id: int, entry: SearchEntry) -> None:
    """Take the record out of the token counts and heads; tokens no other record holds are deleted."""
    held = heads.impacts(entry.title_stem, entry.body_stem, entry.keys)
    SearchHead.objects.filter(record_id=record_id).delete()
    for start in range(0, len(held), 500):
        tokens = list(held)[start:start + 500]
        for row in SearchToken.objects.filter(token__in=tokens):
            row.documents -= 1
            if row.documents <= 0:
                row.delete()
            else:
                row.save(update_fields=["documents"])
                heads._refresh_head_state(row)


def _remove_file(path: Path) -> bool:
    """Overwrite a file with zeros, then unlink it (on copy-on-write or flash storage the overwrite is best effort)."""
    if not path.exists():
        return False
    size = path.stat().st_size
    os.chmod(path, 0o600)
    with open(path, "r+b") as handle:
        handle.write(b"\0" * size)
        handle.flush()
        os.fsync(handle.fileno())
    path.unlink()
    return True


def scrub_database() -> bool:
    """Leave nothing deleted readable in the database files. SQLite: rewrite the full-text index without its
    deleted entries, rebuild the file (VACUUM) and empty the write-ahead log. PostgreSQL: nothing can be
    done from inside a transaction-bound connection; see docs/safety-removal.md. Returns whether it ran."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.execute("INSERT INTO archive_search_fts(archive_search_fts) VALUES ('optimize')")
        if connection.in_atomic_block:
            return False  # VACUUM cannot run inside a transaction: the caller's, to be run after it
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.execute("VACUUM")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return True
