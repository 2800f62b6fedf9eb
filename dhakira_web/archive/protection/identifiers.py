"""Public identifiers that reveal nothing of hidden ones (docs/protection.md).

Incidents and incident reports are numbered in URLs and JSON (``/incidents/<id>``, ``report_id``). A
database sequence would let the public count the hidden ones in the gaps, so each new row is given a
random id instead: between 2**40 and 2**53 (exact in JavaScript), checked for uniqueness.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection
from django.db.models.signals import pre_save
from django.dispatch import receiver

from dhakira_web.archive.models import Incident, IncidentReport

LOWEST = 2**40
SPAN = 2**53 - 2**40


def random_id(model: Any) -> int:
    return random_ids(model, 1)[0]


def random_ids(model: Any, count: int) -> list[int]:
    """``count`` distinct random ids not yet used by ``model``: taken from those ``reserved`` when there are
    enough, else drawn and checked by one query."""
    pool = _reserved.get(model) if _reserved is not None else None
    if pool is not None and len(pool) >= count:
        taken, pool[:] = pool[:count], pool[count:]
        return taken
    return _unused(model, count)


def _unused(model: Any, count: int) -> list[int]:
    chosen: set[int] = set()
    while len(chosen) < count:
        wanted = sorted({LOWEST + secrets.randbelow(SPAN) for _ in range(count - len(chosen))} - chosen)
        with connection.cursor() as cursor:  # a plain statement: it runs for every record linked
            cursor.execute(f"SELECT id FROM {connection.ops.quote_name(model._meta.db_table)} WHERE id IN ({', '.join(['%s'] * len(wanted))})", wanted)
            chosen |= set(wanted) - {pk for (pk,) in cursor.fetchall()}
    ordered = list(chosen)
    secrets.SystemRandom().shuffle(ordered)
    return ordered


_reserved: dict[Any, list[int]] | None = None


@contextmanager
def reserved(counts: dict[Any, int]) -> Iterator[None]:
    """Ids for rows about to be written in bulk (up to ``count`` per model), drawn and checked by one query per
    model; ``random_ids`` takes them from there inside the block. Those left over are dropped at its end (a row
    given one that another writer took since is refused by the primary key, and the write tried again)."""
    global _reserved
    outer, _reserved = _reserved, {model: _unused(model, count) for model, count in counts.items() if count}
    try:
        yield
    finally:
        _reserved = outer


@receiver(pre_save, sender=Incident)
@receiver(pre_save, sender=IncidentReport)
def _opaque_id(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if instance.pk is None and not raw:
        instance.pk = random_id(sender)
