"""Custody entries written many at a time: one lock, one read of the chain head, one bulk insert.

Each entry is chained exactly as ``audit.append`` chains it, so ``audit.verify`` checks them alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from dhakira_web.archive import audit
from dhakira_web.archive.models import AuditEntry

BATCH = 2000


def chain_head() -> str:
    """The hash of the last audit entry (the genesis hash when the log is empty)."""
    return AuditEntry.objects.order_by("-id").values_list("entry_hash", flat=True).first() or audit.GENESIS


def append_many(entries: Iterable[dict[str, Any]]) -> int:
    """Append entries ``{actor, action, record_id?, target, details, at?}`` at the end of the chain; returns how many.

    ``at`` keeps the time an entry was first written (custody carried by an import); it defaults to now.
    """
    count = 0
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(4242)")
        previous = chain_head()
        now = timezone.now()
        pending: list[AuditEntry] = []
        for entry in entries:
            at: datetime = entry.get("at") or now
            details = entry.get("details") or {}
            target = entry.get("target") or ""
            details_hash = audit.details_digest(details)
            entry_hash = audit._digest(previous, at.isoformat(), entry["actor"], entry["action"], target, details_hash)
            pending.append(AuditEntry(at=at, actor=entry["actor"], action=entry["action"], record_id=entry.get("record_id"),
                                      target=target, details=details, details_hash=details_hash,
                                      previous_hash=previous, entry_hash=entry_hash))
            previous = entry_hash
            if len(pending) >= BATCH:
                AuditEntry.objects.bulk_create(pending)
                count += len(pending)
                pending = []
        AuditEntry.objects.bulk_create(pending)
        count += len(pending)
    return count
