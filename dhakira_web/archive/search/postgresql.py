"""PostgreSQL full-text backend: ``simple`` tsvectors over the same shadow text, GIN-indexed (migration 0002)."""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet

from dhakira.text.query import Query, Term, variants
from dhakira_web.archive.search.backend import restriction


def _lexeme(token: str) -> str:
    return "'" + token.replace("'", "").replace("\\", "") + "'"


def _term(term: Term, column: str) -> str:
    if term.phrase:
        return "(" + " <-> ".join(_lexeme(norm) for norm in term.norms) + ")"
    if column == "norm":
        return "(" + " | ".join(_lexeme(form) for form in variants(term.norms[0])) + ")"
    return _lexeme(term.stems[0])


def tsquery_text(query: Query, extra_keys: list[list[str]] | None = None) -> str:
    """One tsquery over the combined vector (stems, normalised words and keys share a vector)."""
    from dhakira_web.archive.search import key_token

    groups = []
    for index, group in enumerate(query.groups):
        alternatives = []
        for term in group:
            alternatives.append(_term(term, "norm" if term.phrase else "stem"))
            if not term.phrase:
                alternatives.append(_term(term, "norm"))
        for key in (extra_keys or [])[index] if extra_keys and index < len(extra_keys) else []:
            alternatives.append(_lexeme(key_token(key)))
        groups.append("(" + " | ".join(alternatives) + ")")
    expression = " & ".join(groups)
    for term in query.excluded:
        expression += " & !(" + _term(term, "stem" if not term.phrase else "norm") + " | " + _term(term, "norm") + ")"
    return expression


class PostgresBackend:
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
        allowed_sql, allowed_params = restriction(records)
        base = (
            "FROM archive_searchentry e, to_tsquery('simple', %s) q "
            f"WHERE e.search_vector @@ q AND e.record_id IN ({allowed_sql})"
        )
        params = (tsquery_text(query, extra_keys), *allowed_params)
        sort = "r.issue_date DESC, r.id" if order == "date" else "score DESC, r.id"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) {base}", params)
            total = cursor.fetchone()[0]
            cursor.execute(
                f"SELECT e.record_id, ts_rank_cd(e.search_vector, q) AS score {base.replace('WHERE', ', archive_record r WHERE r.id = e.record_id AND', 1)} "
                f"ORDER BY {sort} LIMIT %s OFFSET %s",
                (*params, limit, offset),
            )
            hits = [(row[0], float(row[1])) for row in cursor.fetchall()]
        return total, hits
