"""SQLite FTS5 backend. The FTS table mirrors ``archive_searchentry`` through triggers (migration 0002)."""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet

from dhakira.text.query import Query, Term, variants
from dhakira_web.archive.search.backend import restriction

TABLE = "archive_search_fts"


def _quote(token: str) -> str:
    return '"' + token.replace('"', "") + '"'


def _term(term: Term) -> str:
    if term.phrase:
        return "body_norm : " + _quote(" ".join(term.norms))
    (stem,), (norm,) = term.stems, term.norms
    forms = " OR ".join(_quote(form) for form in variants(norm))
    return f"({{title_stem body_stem}} : {_quote(stem)} OR body_norm : ({forms}))"


def match_expression(query: Query, extra_keys: list[list[str]] | None = None) -> str:
    """The FTS5 MATCH string for a parsed query; user text never reaches FTS5 unquoted."""
    from dhakira_web.archive.search import key_token

    groups = []
    for index, group in enumerate(query.groups):
        alternatives = [_term(term) for term in group]
        for key in (extra_keys or [])[index] if extra_keys and index < len(extra_keys) else []:
            alternatives.append("keys : " + _quote(key_token(key)))
        groups.append("(" + " OR ".join(alternatives) + ")")
    expression = " AND ".join(groups)
    for term in query.excluded:
        expression += " NOT " + _term(term)
    return expression


class SqliteBackend:
    def search(
        self,
        query: Query,
        records: QuerySet,
        *,
        limit: int,
        offset: int,
        order: str,
        extra_keys: list[list[str]] | None,
    ) -> tuple[int, list[tuple[int, float]]]:
        match = match_expression(query, extra_keys)
        allowed_sql, allowed_params = restriction(records)
        where = f"{TABLE} MATCH %s AND {TABLE}.rowid IN ({allowed_sql})"
        params = (match, *allowed_params)
        sort = "r.issue_date DESC, r.id" if order == "date" else "score"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {TABLE} WHERE {where}", params)
            total = cursor.fetchone()[0]
            cursor.execute(
                f"SELECT {TABLE}.rowid, bm25({TABLE}, 4.0, 1.0, 1.0, 2.0) AS score FROM {TABLE} "
                f"JOIN archive_record r ON r.id = {TABLE}.rowid WHERE {where} ORDER BY {sort} LIMIT %s OFFSET %s",
                (*params, limit, offset),
            )
            hits = [(row[0], -float(row[1])) for row in cursor.fetchall()]
        return total, hits
