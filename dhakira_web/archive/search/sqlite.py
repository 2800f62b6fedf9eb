"""SQLite FTS5 backend. The FTS table mirrors ``archive_searchentry`` through triggers (migration 0002)."""

from __future__ import annotations

import json

from django.db import connection
from django.db.models import QuerySet

from dhakira.text.query import Query, Term, variants
from dhakira_web.archive.search.backend import restriction, restriction_where

TABLE = "archive_search_fts"


def _quote(token: str) -> str:
    return '"' + token.replace('"', "") + '"'


def _term(term: Term) -> str:
    if term.phrase:
        return "body_norm : " + _quote(" ".join(term.norms))
    (stem,), (norm,) = term.stems, term.norms
    forms = " OR ".join(_quote(form) for form in variants(norm))
    return f"({{title_stem body_stem}} : {_quote(stem)} OR body_norm : ({forms}))"


def match_expression(query: Query, extra_keys: list[list[str]] | None = None, scope: list[list[str]] | None = None) -> str:
    """The FTS5 MATCH string for a parsed query; user text never reaches FTS5 unquoted.

    ``scope`` holds groups of filter tokens, one of each group required (access levels, facet values).
    """
    from dhakira_web.archive.search import key_token

    groups = []
    for index, group in enumerate(query.groups):
        alternatives = [_term(term) for term in group]
        for key in (extra_keys or [])[index] if extra_keys and index < len(extra_keys) else []:
            alternatives.append("keys : " + _quote(key_token(key)))
        groups.append("(" + " OR ".join(alternatives) + ")")
    for tokens in scope or []:
        groups.append("keys : (" + " OR ".join(_quote(token) for token in tokens) + ")")
    expression = " AND ".join(groups)
    for term in query.excluded:
        expression += " NOT " + _term(term)
    return expression


def _restricted(query: Query, records: QuerySet | None, extra_keys: list[list[str]] | None,
                scope: list[list[str]] | None) -> tuple[str, str, tuple]:
    """``(source, where, params)`` of the matches among ``records``, or within ``scope`` (filter tokens in the MATCH)."""
    match = match_expression(query, extra_keys, scope)
    if scope is not None or records is None:
        return TABLE, f"{TABLE} MATCH %s", (match,)
    condition = restriction_where(records)
    if condition is not None:
        # CROSS JOIN keeps FTS5 as the outer loop: each match is checked against its own record row.
        return (f"{TABLE} CROSS JOIN archive_record ON archive_record.id = {TABLE}.rowid",
                f"{TABLE} MATCH %s AND ({condition[0]})", (match, *condition[1]))
    allowed_sql, allowed_params = restriction(records)
    # ``+rowid``: the restriction must not reach FTS5 as a rowid constraint, or FTS5 would run the
    # full-text query once per allowed record; the list of allowed ids is built once instead.
    return TABLE, f"{TABLE} MATCH %s AND +{TABLE}.rowid IN ({allowed_sql})", (match, *allowed_params)


SCORE = f"bm25({TABLE}, 4.0, 1.0, 1.0, 2.0)"


class SqliteBackend:
    def matching(self, query: Query, records: QuerySet, extra_keys: list[list[str]] | None) -> tuple[str, tuple]:
        """SQL selecting the ids of the records of ``records`` that match (for facet counts)."""
        source, where, params = _restricted(query, records, extra_keys, None)
        return f"SELECT {TABLE}.rowid FROM {source} WHERE {where}", params

    def search(
        self,
        query: Query,
        records: QuerySet,
        *,
        limit: int,
        offset: int,
        order: str,
        extra_keys: list[list[str]] | None,
        scope: list[list[str]] | None = None,
        exclude: list[int] | None = None,
    ) -> list[tuple[int, float]]:
        source, where, params = _restricted(query, records, extra_keys, scope)
        if exclude:
            where += f" AND +{TABLE}.rowid NOT IN (SELECT value FROM json_each(%s))"
            params = (*params, json.dumps(exclude))
        sort = f"score, {TABLE}.rowid"
        if order == "date":
            if source == TABLE:
                source = f"{TABLE} CROSS JOIN archive_record ON archive_record.id = {TABLE}.rowid"
            sort = f"archive_record.issue_date DESC, {TABLE}.rowid DESC"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {TABLE}.rowid, {SCORE} AS score FROM {source} WHERE {where} ORDER BY {sort} LIMIT %s OFFSET %s",
                           (*params, limit, offset))
            return [(row[0], -float(row[1])) for row in cursor.fetchall()]

    def count(self, query: Query, records: QuerySet | None, extra_keys: list[list[str]] | None, limit: int,
              scope: list[list[str]] | None = None) -> int:
        source, where, params = _restricted(query, records, extra_keys, scope)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM (SELECT 1 FROM {source} WHERE {where} LIMIT %s)", (*params, limit))
            return int(cursor.fetchone()[0])

    def rank_among(self, query: Query, ids: list[int], extra_keys: list[list[str]] | None,
                   scope: list[list[str]] | None = None) -> list[tuple[int, float]]:
        # ``+rowid``: FTS5 walks its match list once and scores only the listed records; handed to FTS5
        # as a rowid constraint, the whole query would be run again for each id.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, {SCORE} AS score FROM {TABLE} WHERE {TABLE} MATCH %s "
                f"AND +rowid IN (SELECT value FROM json_each(%s)) ORDER BY score, rowid",
                (match_expression(query, extra_keys, scope), json.dumps(ids)),
            )
            return [(row[0], -float(row[1])) for row in cursor.fetchall()]

    def match_among(self, query: Query, ids: list[int], extra_keys: list[list[str]] | None,
                    scope: list[list[str]] | None = None) -> set[int]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s AND +rowid IN (SELECT value FROM json_each(%s))",
                           (match_expression(query, extra_keys, scope), json.dumps(ids)))
            return {row[0] for row in cursor.fetchall()}

    def first_matches(self, query: Query, extra_keys: list[list[str]] | None, scope: list[list[str]], limit: int) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s LIMIT %s",
                           (match_expression(query, extra_keys, scope), limit))
            return [row[0] for row in cursor.fetchall()]

    def records_with_token(self, token: str) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", ("{title_stem body_stem keys} : " + _quote(token),))
            return [row[0] for row in cursor.fetchall()]
