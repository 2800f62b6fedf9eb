"""Counts over the whole archive kept until the archive changes: the chronicle's month list, the map, the
archive's totals, and the browsing page's total and facet panel (a search with no words).

Such a count is one pass over every visible report: seconds at a few tens of thousands of incidents,
far too slow to repeat on every page. It depends only on what a reader may see and on the rows of
records, their facets, claims, persons, places and organisations, incidents and incident reports. So it is kept in Django's cache under

* the archive's generation, a number that database triggers raise in the same transaction as any
  insert, update or delete of those rows (``sql_statements``; on PostgreSQL once per transaction, as it
  commits): a change is never served a stale count, and a count computed before a change is never
  served after it;
* the reader's visibility class (``policy.visibility_key``): what one class counts is never shown to
  another.

The cache is per process (Django's local-memory cache unless ``CACHES`` says otherwise): each web
process computes a count once per generation.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import connection

from dhakira_web.archive import policy

T = TypeVar("T")

WATCHED = ("archive_record", "archive_recordfacet", "archive_incident", "archive_incidentreport", "archive_claim",
           "archive_person", "archive_record_persons", "archive_record_places", "archive_record_organisations")
TABLE = "archive_archivegeneration"
_TIMEOUT = 24 * 3600


def generation() -> int:
    """The archive's current generation (raised by the database on every change to the watched tables)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return int(row[0]) if row else -1


def kept(name: str, user: Any, compute: Callable[[], T], *parts: Any) -> T:
    """``compute()`` for ``user``'s visibility class, computed once per generation of the archive.

    Inside a transaction that has written, the value is computed afresh and not kept: the generation it
    reads is not yet everyone's.
    """
    current = generation()
    if current < 0 or connection.in_atomic_block:
        return compute()
    detail = "\x1f".join([policy.visibility_key(user), *map(str, parts)])  # parts may hold a reader's filter values
    key = f"dhakira-counts:{name}:{current}:{hashlib.sha256(detail.encode()).hexdigest()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, _TIMEOUT)
    return value  # type: ignore[no-any-return]


def sql_statements(vendor: str, watched: tuple[str, ...] = WATCHED) -> list[str]:
    """The statements that create the row and the triggers raising the generation (SQLite or PostgreSQL).

    A migration passes the tables it watches, so that what it does never changes with this module."""
    statements = [f"INSERT INTO {TABLE} (id, value) VALUES (1, 0)"]
    if vendor == "postgresql":
        # Raised once per transaction, at its commit (a deferred constraint trigger): concurrent writers
        # queue on the row only while committing, not from their first write to their commit.
        statements.append(
            f"CREATE OR REPLACE FUNCTION dhakira_raise_generation() RETURNS trigger AS $$ BEGIN "
            f"IF current_setting('dhakira.generation_raised', true) = 'yes' THEN RETURN NULL; END IF; "
            f"PERFORM set_config('dhakira.generation_raised', 'yes', true); "
            f"UPDATE {TABLE} SET value = value + 1 WHERE id = 1; RETURN NULL; END; $$ LANGUAGE plpgsql")
        for table in watched:
            statements.append(f"CREATE CONSTRAINT TRIGGER {table}_generation AFTER INSERT OR UPDATE OR DELETE ON {table} "
                              f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION dhakira_raise_generation()")
            statements.append(f"CREATE TRIGGER {table}_generation_truncate AFTER TRUNCATE ON {table} "
                              f"FOR EACH STATEMENT EXECUTE FUNCTION dhakira_raise_generation()")
    else:
        for table in watched:
            for event in ("INSERT", "UPDATE", "DELETE"):
                statements.append(f"CREATE TRIGGER {table}_generation_{event.lower()} AFTER {event} ON {table} "
                                  f"BEGIN UPDATE {TABLE} SET value = value + 1 WHERE id = 1; END")
    return statements


def drop_statements(vendor: str, watched: tuple[str, ...] = WATCHED) -> list[str]:
    """The statements that remove what :func:`sql_statements` created."""
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {table}_generation{suffix} ON {table}"
                for table in watched for suffix in ("", "_truncate")] + [
            "DROP FUNCTION IF EXISTS dhakira_raise_generation()"]
    return [f"DROP TRIGGER IF EXISTS {table}_generation_{event}" for table in watched for event in ("insert", "update", "delete")]
