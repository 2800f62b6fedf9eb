"""Public identifiers that reveal nothing of hidden ones (docs/protection.md).

Incidents and incident reports are numbered in URLs and JSON (``/incidents/<id>``, ``report_id``). A
database sequence would let the public count the hidden ones in the gaps, so each new row is given a
random id instead: between 2**40 and 2**53 (exact in JavaScript), checked for uniqueness.
"""

from __future__ import annotations

import secrets
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
    """``count`` distinct random ids not yet used by ``model``, checked by one query (rows written in bulk)."""
    chosen: set[int] = set()
    while len(chosen) < count:
        wanted = sorted({LOWEST + secrets.randbelow(SPAN) for _ in range(count - len(chosen))} - chosen)
        with connection.cursor() as cursor:  # a plain statement: it runs for every record linked
            cursor.execute(f"SELECT id FROM {connection.ops.quote_name(model._meta.db_table)} WHERE id IN ({', '.join(['%s'] * len(wanted))})", wanted)
            chosen |= set(wanted) - {pk for (pk,) in cursor.fetchall()}
    return sorted(chosen)


@receiver(pre_save, sender=Incident)
@receiver(pre_save, sender=IncidentReport)
def _opaque_id(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if instance.pk is None and not raw:
        instance.pk = random_id(sender)
