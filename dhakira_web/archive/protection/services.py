"""Protection actions as plain functions: the CLI, the record page and the API call these. Each is audited."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction

from dhakira.schema import ids
from dhakira_web.archive import audit, policy
from dhakira_web.archive.models import Record, Redaction
from dhakira_web.archive.protection import redaction


class ProtectionError(ValueError):
    """An action that cannot be done as asked; the message says why."""


def actor_name(user: Any) -> str:
    return user.get_username() if user is not None and getattr(user, "is_authenticated", False) else "dhakira"


def set_access(record: Record, level: str, *, actor: str, reason: str = "") -> str:
    """Give ``record`` another access level; facets and index tokens follow at once. Returns the old level."""
    if level not in ids("access_levels"):
        raise ProtectionError(f"access level must be one of {sorted(ids('access_levels'))}, not {level!r}")
    previous = record.access_level
    if previous == level:
        return previous
    from dhakira_web.archive.services import refresh_facets  # here: pages never load the ingestion machinery

    with transaction.atomic():
        record.access_level = level
        record.save(update_fields=["access_level"])
        refresh_facets(record)  # rewrites the filter tokens, the access level among them
        from dhakira_web.archive.entities.persons import reapply_protection, reindex_naming

        changed = reapply_protection(record)  # persons protected by where they are named follow the record
        if changed:
            reindex_naming(changed)
        audit.append(actor, "access", record=record, details={"from": previous, "to": level, "reason": reason})
    return previous


def phrase_fingerprint(phrase: str) -> str:
    """What the audit log keeps of a redacted phrase: never the phrase, a hash to recognise it by."""
    return hashlib.sha256(" ".join(phrase.split()).casefold().encode("utf-8")).hexdigest()


def redact(record: Record, phrase: str, *, actor: str, reason: str = "") -> int:
    """Hide every occurrence of ``phrase`` in ``record`` from anyone below reviewer; returns how many there are.

    The search index is rewritten from the redacted text, so no query below reviewer finds or counts
    the record by the phrase.
    """
    phrase = " ".join(phrase.split())
    if len(phrase) < 2:
        raise ProtectionError("a redacted phrase needs at least two characters")
    if len(phrase) > 500:
        raise ProtectionError("a redacted phrase is at most 500 characters; redact it in parts")
    occurrences = len(redaction.spans(record.title + "\n" + record.text, [phrase]))
    if occurrences == 0:
        raise ProtectionError(f"the phrase does not occur in {record.code}")
    with transaction.atomic():
        _, created = Redaction.objects.get_or_create(record=record, phrase=phrase, defaults={"reason": reason, "created_by": actor})
        if created:
            reindex(record)
            audit.append(actor, "redact", record=record, details={"phrase_sha256": phrase_fingerprint(phrase),
                                                                   "occurrences": occurrences, "reason": reason})
    return occurrences


def unredact(record: Record, phrase: str, *, actor: str, reason: str = "") -> bool:
    """Lift a redaction; returns whether there was one."""
    with transaction.atomic():
        deleted, _ = Redaction.objects.filter(record=record, phrase=" ".join(phrase.split())).delete()
        if deleted:
            reindex(record)
            audit.append(actor, "unredact", record=record, details={"phrase_sha256": phrase_fingerprint(phrase), "reason": reason})
    return bool(deleted)


def reindex(record: Record) -> None:
    """Index the record again from what the public may read, dropping the knowledge-base keys of claims
    read only from a hidden phrase (a redacted facility name must not make the record answer for that
    facility), and rewrite its facets without them."""
    from dhakira_web.archive.search import reindex_record
    from dhakira_web.archive.services import refresh_facets

    policy.forget_hidden(record)
    refresh_facets(record)
    reindex_record(record, policy.hidden_keys(None, record))
