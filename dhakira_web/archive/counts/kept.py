"""Counts over the whole archive kept until the archive changes: the chronicle's month list, the map, the
archive's totals, and the browsing page's total and facet panel (a search with no words).

Such a count is one pass over every visible report: seconds at a few tens of thousands of incidents,
far too slow to repeat on every page. It depends only on what a reader may see and on the rows of
records, their facets, claims, persons, places and organisations, incidents and incident reports. So it is kept in Django's cache under

* the archive's generation, a random number that database triggers change in the same transaction as any
  insert, update or delete of those rows (and of the other rows pages read: ``WATCHED``) (``sql_statements``; on PostgreSQL once per transaction, as it
  commits): a change is never served a stale count, and a count computed before a change is never
  served after it;
* the reader's visibility class (``policy.visibility_key``): what one class counts is never shown to
  another.

Pages are kept the same way (``kept_page``): what a page shows, keyed also by its address, its language and
the reader. The cache is Django's default cache: the archive's own disk cache (``settings.CACHES``,
diskcache, under the archive folder), shared by every web process of the archive, so a count or a page is
computed once per generation for all of them.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils.translation import get_language

from dhakira_web.archive import policy

T = TypeVar("T")
logger = logging.getLogger("dhakira.kept")

WATCHED = ("archive_record", "archive_recordfacet", "archive_incident", "archive_incidentreport", "archive_claim",
           "archive_person", "archive_record_persons", "archive_record_places", "archive_record_organisations",
           # what pages read besides (kept pages): names, judgement, protection, history, the search entry
           "archive_place", "archive_organisation", "archive_personmention", "archive_assessment", "archive_sourcegrade",
           "archive_reviewstep", "archive_redaction", "archive_auditentry", "archive_searchentry")
TABLE = "archive_archivegeneration"
# A generation is a random 63-bit number, new at every change, never the previous one plus one: an archive
# restored from a backup, a database swapped under a running server or a test database made again never
# comes back to a generation under which something else was kept.
# Rows whose insertion no page or count reads: signing in and API tokens are audited, but never shown in a
# record's or an incident's history, so they leave everything kept as it was.
INSERTS_IGNORED = {"archive_auditentry": "NEW.action NOT IN ('login', 'login_failed', 'token_issued', 'token_revoked')"}
NEXT_SQLITE = "(random() & 9223372036854775807)"
NEXT_POSTGRESQL = "floor(random() * 9223372036854775807)::bigint"
TIMEOUT = 24 * 3600


def generation() -> int:
    """The archive's current generation (raised by the database on every change to the watched tables)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return int(row[0]) if row else -1


def key(kind: str, name: str, user: Any, *parts: Any) -> str | None:
    """The cache key of ``name`` for ``user``'s visibility class and ``parts`` under the archive's current
    generation; None when nothing may be kept now: inside a transaction that has written, the generation it
    reads is not yet everyone's."""
    current = generation()
    if current < 0 or connection.in_atomic_block:
        return None
    detail = "\x1f".join([policy.visibility_key(user), *map(str, parts)])  # parts may hold a reader's filter values
    return f"dhakira-{kind}:{name}:{current}:{hashlib.sha256(detail.encode()).hexdigest()}"


def kept(name: str, user: Any, compute: Callable[[], T], *parts: Any) -> T:
    """``compute()`` for ``user``'s visibility class, computed once per generation of the archive."""
    found = key("counts", name, user, *parts)
    if found is None:
        return compute()
    value = cache.get(found)
    if value is None:
        value = compute()
        cache.set(found, value, TIMEOUT)
    return value  # type: ignore[no-any-return]


def _page_parts(request: Any) -> tuple[Any, ...]:
    """What besides the reader's visibility class decides a page: its address and parameters (``format`` aside),
    the interface language, the reader's powers and, signed in, the reader's own id."""
    user = request.user
    parameters = sorted((key, value) for key, values in request.GET.lists() if key != "format" for value in values)
    reader = str(user.pk) if getattr(user, "is_authenticated", False) else "-"
    return (request.path, urlencode(parameters), get_language() or "", policy.may_review(user), policy.may_edit(user), reader)


def kept_page(request: Any, name: str, compute: Callable[[], T]) -> T:
    """What the page ``name`` shows at this address (``compute()``: its payload and what its template needs),
    kept until the archive changes, for this reader: the key holds the address and its parameters, the
    interface language, the reader's visibility class and powers, and a signed-in reader's own id, so a page
    kept for one reader is shown only to readers who would be shown the same. Only what is the same for
    every such reader may be kept: never a form's token or anything of the session."""
    return kept(f"page:{name}", request.user, compute, *_page_parts(request))


def page_key(request: Any, name: str, *parts: Any) -> str | None:
    """The key under which the whole page ``name`` is kept for this request's reader (``views.kept_html``):
    that of ``kept_page`` with ``parts`` and the reader's name (a signed-in reader's header shows it)."""
    return key("html", name, request.user, *_page_parts(request), getattr(request.user, "username", ""), *parts)


def forget_all() -> bool:
    """Drop everything kept, and leave none of it readable on disk (a safety removal calls this: no page of a
    removed record may stay in the cache's files). False when the cache's files were too busy to rebuild:
    nothing kept is served any more, but run the removal's scrub again (``dhakira expunge`` says so)."""
    cache.clear()
    location = settings.CACHES["default"].get("LOCATION")
    if settings.CACHES["default"]["BACKEND"] != "diskcache.DjangoCache" or not location:
        return True
    import diskcache

    shards = settings.CACHES["default"].get("SHARDS", 8)
    try:
        with diskcache.FanoutCache(location, shards=shards, timeout=30, sqlite_secure_delete=1) as files:
            files.clear(retry=True)
            files.check(fix=True, retry=True)  # rebuilds each shard's file (VACUUM): freed pages are not left behind
            for shard in files._shards:  # and empties each write-ahead log, which still holds the pages as they were
                shard._sql("PRAGMA wal_checkpoint(TRUNCATE)")
    except (diskcache.Timeout, OSError) as error:
        logger.warning("the disk cache of kept pages could not be rebuilt after a removal: %s", error)
        return False
    return True


def sql_statements(vendor: str, watched: tuple[str, ...] = WATCHED) -> list[str]:
    """The statements that create the row and the triggers raising the generation (SQLite or PostgreSQL).

    A migration passes the tables it watches, so that what it does never changes with this module."""
    statements = [f"INSERT INTO {TABLE} (id, value) VALUES (1, {NEXT_POSTGRESQL if vendor == 'postgresql' else NEXT_SQLITE})"]
    if vendor == "postgresql":
        # Raised once per transaction, at its commit (a deferred constraint trigger): concurrent writers
        # queue on the row only while committing, not from their first write to their commit.
        statements.append(
            f"CREATE OR REPLACE FUNCTION dhakira_raise_generation() RETURNS trigger AS $$ BEGIN "
            f"IF current_setting('dhakira.generation_raised', true) = 'yes' THEN RETURN NULL; END IF; "
            f"PERFORM set_config('dhakira.generation_raised', 'yes', true); "
            f"UPDATE {TABLE} SET value = {NEXT_POSTGRESQL} WHERE id = 1; RETURN NULL; END; $$ LANGUAGE plpgsql")
        for table in watched:
            condition = INSERTS_IGNORED.get(table)
            events = "UPDATE OR DELETE" if condition else "INSERT OR UPDATE OR DELETE"
            statements.append(f"CREATE CONSTRAINT TRIGGER {table}_generation AFTER {events} ON {table} "
                              f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION dhakira_raise_generation()")
            if condition:
                statements.append(f"CREATE CONSTRAINT TRIGGER {table}_generation_insert AFTER INSERT ON {table} "
                                  f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN ({condition}) "
                                  f"EXECUTE FUNCTION dhakira_raise_generation()")
            statements.append(f"CREATE TRIGGER {table}_generation_truncate AFTER TRUNCATE ON {table} "
                              f"FOR EACH STATEMENT EXECUTE FUNCTION dhakira_raise_generation()")
    else:
        for table in watched:
            for event in ("INSERT", "UPDATE", "DELETE"):
                when = f"WHEN {INSERTS_IGNORED[table]} " if event == "INSERT" and table in INSERTS_IGNORED else ""
                statements.append(f"CREATE TRIGGER {table}_generation_{event.lower()} AFTER {event} ON {table} "
                                  f"{when}BEGIN UPDATE {TABLE} SET value = {NEXT_SQLITE} WHERE id = 1; END")
    return statements


def drop_statements(vendor: str, watched: tuple[str, ...] = WATCHED) -> list[str]:
    """The statements that remove what :func:`sql_statements` created."""
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {table}_generation{suffix} ON {table}"
                for table in watched for suffix in ("", "_insert", "_truncate")] + [
            "DROP FUNCTION IF EXISTS dhakira_raise_generation()"]
    return [f"DROP TRIGGER IF EXISTS {table}_generation_{event}" for table in watched for event in ("insert", "update", "delete")]


def table_statements(vendor: str, watched: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """The statements that create and drop the triggers of these tables alone, for a migration that remakes or
    rewrites them: not the generation's row nor (PostgreSQL) the function the other tables' triggers share."""
    shared = ("INSERT INTO", "DROP FUNCTION", "CREATE OR REPLACE")
    return ([statement for statement in sql_statements(vendor, watched) if not statement.startswith(shared)],
            [statement for statement in drop_statements(vendor, watched) if not statement.startswith(shared)])
