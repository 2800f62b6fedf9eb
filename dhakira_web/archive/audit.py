"""The tamper-evident audit log: append-only, each entry hashing the one before it."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from dhakira_web.archive.models import AuditEntry, Record

GENESIS = "0" * 64


def _digest(previous: str, at: str, actor: str, action: str, target: str, details: dict[str, Any]) -> str:
    payload = json.dumps([previous, at, actor, action, target, details], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def append(actor: str, action: str, *, record: Record | None = None, target: str = "", details: dict[str, Any] | None = None) -> AuditEntry:
    """Add one entry at the end of the chain."""
    details = details or {}
    if record is not None and not target:
        target = record.code
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(4242)")
        last = AuditEntry.objects.order_by("-id").values_list("entry_hash", flat=True).first()
        previous = last or GENESIS
        at = timezone.now()
        entry_hash = _digest(previous, at.isoformat(), actor, action, target, details)
        return AuditEntry.objects.create(
            at=at, actor=actor, action=action, record=record, target=target, details=details,
            previous_hash=previous, entry_hash=entry_hash,
        )


def verify() -> tuple[bool, int | None]:
    """``(True, None)`` when the chain is intact, else ``(False, id of the first entry that breaks it)``."""
    previous = GENESIS
    for entry in AuditEntry.objects.order_by("id").iterator():
        expected = _digest(previous, entry.at.isoformat(), entry.actor, entry.action, entry.target, entry.details)
        if entry.previous_hash != previous or entry.entry_hash != expected:
            return False, entry.id
        previous = entry.entry_hash
    return True, None
