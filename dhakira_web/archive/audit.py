"""The tamper-evident audit log: append-only, each entry hashing the one before it.

An entry's hash covers the previous hash, its time, actor, action, target and the SHA-256 of its
details (``details_hash``). The details themselves may be erased when a record is expunged (they can
name what was removed): the entry keeps ``details_hash``, is marked ``erased``, and the chain still
verifies. Any other edit, a deleted entry or entries put in another order break the chain at the
first entry concerned; a head kept elsewhere (``head()``) proves that nothing was cut off the end.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from dhakira_web.archive.models import AuditEntry, Record
from dhakira_web.archive.rows import insert_objects

GENESIS = "0" * 64


def details_digest(details: dict[str, Any]) -> str:
    """The SHA-256 of an entry's details, as the chain covers them."""
    return hashlib.sha256(json.dumps(details, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def _digest(previous: str, at: str, actor: str, action: str, target: str, details_hash: str) -> str:
    payload = json.dumps([previous, at, actor, action, target, details_hash], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def entry_digest(previous: str, entry: Any) -> str:
    """The hash ``entry`` must carry after ``previous`` (``entry`` may be a historical model in a migration)."""
    return _digest(previous, entry.at.isoformat(), entry.actor, entry.action, entry.target, entry.details_hash)


def append(actor: str, action: str, *, record: Record | None = None, target: str = "", details: dict[str, Any] | None = None) -> AuditEntry:
    """Add one entry at the end of the chain."""
    return append_many(actor, [(action, details or {})], record=record, target=target)[0]


def append_many(actor: str, entries: list[tuple[str, dict[str, Any]]], *, record: Record | None = None,
                target: str = "") -> list[AuditEntry]:
    """Add several entries of one actor on one record at the end of the chain, in order, in one write."""
    with transaction.atomic():
        return AuditEntry.objects.bulk_create(_chained([(actor, action, details, record, target) for action, details in entries]))


def append_entries(entries: list[tuple[str, str, dict[str, Any], Record | None, str]]) -> None:
    """Add entries (actor, action, details, record, target: the record's code when empty) at the end of the
    chain, in order, by one prepared statement: a batch of new records' custody entries."""
    with transaction.atomic():
        insert_objects(AuditEntry, _chained(entries))


def _chained(entries: list[tuple[str, str, dict[str, Any], Record | None, str]]) -> list[AuditEntry]:
    """The entries, not yet written, each hashing the one before it from the chain's head (call in a transaction)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(4242)")
    previous = AuditEntry.objects.order_by("-id").values_list("entry_hash", flat=True).first() or GENESIS
    rows = []
    for actor, action, details, record, target in entries:
        target = target or (record.code if record is not None else "")
        at = timezone.now()
        details_hash = details_digest(details)
        entry_hash = _digest(previous, at.isoformat(), actor, action, target, details_hash)
        rows.append(AuditEntry(at=at, actor=actor, action=action, record=record, target=target, details=details,
                               previous_hash=previous, entry_hash=entry_hash, details_hash=details_hash))
        previous = entry_hash
    return rows


@dataclass(frozen=True)
class Verification:
    """The outcome of checking the chain: ``intact``, the first bad entry and why, the head, the count."""

    intact: bool
    bad_entry: int | None
    problem: str
    head: str
    entries: int


def check(expected_head: str | None = None) -> Verification:
    """Walk the chain in order; with ``expected_head``, also require that hash to be in the chain."""
    previous = GENESIS
    count = 0
    seen_head = expected_head is None
    for entry in AuditEntry.objects.order_by("id").iterator():
        count += 1
        if not entry.erased and entry.details_hash != details_digest(entry.details):
            return Verification(False, entry.id, "its details were changed", previous, count)
        if entry.previous_hash != previous:
            return Verification(False, entry.id, "it does not follow the entry before it (one was deleted or moved)", previous, count)
        if entry.entry_hash != entry_digest(previous, entry):
            return Verification(False, entry.id, "its time, actor, action or target were changed", previous, count)
        previous = entry.entry_hash
        seen_head = seen_head or previous == expected_head
    if not seen_head:
        return Verification(False, None, f"the head {expected_head} is not in the chain: entries were cut off the end", previous, count)
    return Verification(True, None, "", previous, count)


def verify() -> tuple[bool, int | None]:
    """``(True, None)`` when the chain is intact, else ``(False, id of the first entry that breaks it)``."""
    outcome = check()
    return outcome.intact, outcome.bad_entry


def head() -> str:
    """The hash of the last entry (the genesis hash when the log is empty): keep it elsewhere to detect truncation."""
    return AuditEntry.objects.order_by("-id").values_list("entry_hash", flat=True).first() or GENESIS


def erase_details(entries: Any) -> int:
    """Erase the details of ``entries`` (a queryset), keeping their hashes so that the chain still verifies."""
    return int(entries.update(details={}, erased=True))
