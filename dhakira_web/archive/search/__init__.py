"""Full-text search over records, behind one interface with a backend per database.

Both backends index the same shadow text made in Python (``dhakira.text``): stems, normalised
words and knowledge-base keys, so SQLite FTS5 and PostgreSQL return the same records.

``search`` gives one page of hits and the total; ``matching_records`` gives the same matches as a lazy
queryset to compose with in SQL (facet counts). ``crosslingual.expand`` turns names in a query into
the knowledge-base ids passed as ``extra_keys``. Every caller passes records already limited by the
access policy: the backends only ever narrow that set.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from dhakira.text import normalised_text, stemmed_text
from dhakira.text.query import Query, parse_query
from dhakira_web.archive.models import Record, SearchEntry
from dhakira_web.archive.search.backend import Backend


@dataclass(frozen=True)
class SearchPage:
    """One page of results: the total number of matches and ``(record id, score)`` in order."""

    total: int
    hits: list[tuple[int, float]]
    query: Query


def backend() -> Backend:
    """The backend for the database in use."""
    if connection.vendor == "postgresql":
        from dhakira_web.archive.search.postgresql import PostgresBackend

        return PostgresBackend()
    from dhakira_web.archive.search.sqlite import SqliteBackend

    return SqliteBackend()


def key_token(key: str) -> str:
    """A knowledge-base id (``fac:hama-central-prison``) as one index token (``kfachamacentralprison``)."""
    return "k" + "".join(char for char in key.lower() if char.isalnum())


def index_record(record: Record, keys: list[str] | None = None) -> None:
    """Write the record's shadow texts; the database keeps the full-text index in step."""
    body = f"{record.title}\n{record.text}"
    SearchEntry.objects.update_or_create(
        record=record,
        defaults={
            "title_stem": stemmed_text(record.title),
            "body_stem": stemmed_text(body),
            "body_norm": normalised_text(body),
            "keys": " ".join(sorted({key_token(key) for key in keys or []})),
        },
    )


def search(
    text: str | Query,
    records: QuerySet[Record],
    *,
    limit: int = 20,
    offset: int = 0,
    order: str = "relevance",
    extra_keys: list[list[str]] | None = None,
) -> SearchPage:
    """Records of ``records`` (already limited by the access policy and filters) that match ``text``.

    ``extra_keys`` holds, per query group, knowledge-base ids the group may also match (a place or an
    organisation named in the query), so that a query reaches records in the other language.
    """
    query = parse_query(text) if isinstance(text, str) else text
    if query.empty:
        return SearchPage(0, [], query)
    total, hits = backend().search(query, records, limit=limit, offset=offset, order=order, extra_keys=extra_keys)
    return SearchPage(total, hits, query)


def matching_records(
    text: str | Query, records: QuerySet[Record], *, extra_keys: list[list[str]] | None = None
) -> QuerySet[Record]:
    """The records of ``records`` matching ``text``, as a lazy queryset composed in SQL (never a list of ids).

    An empty query matches every record of ``records``.
    """
    query = parse_query(text) if isinstance(text, str) else text
    if query.empty:
        return records
    sql, params = backend().matching(query, records, extra_keys)
    return Record.objects.filter(pk__in=RawSQL(sql, params))
