"""PostgreSQL full-text backend: ``simple`` tsvectors over the same shadow text, GIN-indexed (migration 0002)."""

from __future__ import annotations

from django.db import connection, transaction
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


def tsquery_text(query: Query, extra_keys: list[list[str]] | None = None, scope: list[list[str]] | None = None) -> str:
    """One tsquery over the combined vector (stems, normalised words and keys share a vector).

    ``scope`` holds groups of filter tokens, one of each group required (access levels, facet values).
    """
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
    for tokens in scope or []:
        groups.append("(" + " | ".join(_lexeme(token) for token in tokens) + ")")
    expression = " & ".join(groups)
    for term in query.excluded:
        expression += " & " + _excluded(term)
    return expression


def _excluded(term: Term) -> str:
    return "!(" + _term(term, "stem" if not term.phrase else "norm") + " | " + _term(term, "norm") + ")"


def _narrowing_tsquery(query: Query, filters: list[list[str]]) -> str:
    """Groups of filter tokens (one of each group required) and the query's excluded words, as a tsquery."""
    parts = ["(" + " | ".join(_lexeme(token) for token in tokens) + ")" for tokens in filters]
    return " & ".join(parts + [_excluded(term) for term in query.excluded])


def ranking_tsquery(query: Query, extra_keys: list[list[str]] | None = None) -> str:
    """The tsquery that ranks: every word and key of the query joined by OR, without filter tokens or excluded words.

    ``ts_rank`` of a query whose top operator is AND (or a phrase) weighs how close its terms stand; of an
    OR query, it sums what each of its words weighs in the record (PostgreSQL's ``calc_rank_or``). Ranked
    as OR, a record scores as the sum of its tokens' head impacts (``heads.ts_rank_impact``), so that the
    heads name the records the full ranking puts first; and a filter token (kept at the end of the vector)
    never ranks. Which records match is still decided by ``tsquery_text``.
    """
    from dhakira_web.archive.search import key_token

    lexemes: list[str] = []
    for index, group in enumerate(query.groups):
        for term in group:
            lexemes += term.norms if term.phrase else [term.stems[0], *variants(term.norms[0])]
        lexemes += [key_token(key) for key in ((extra_keys or [])[index] if extra_keys and index < len(extra_keys) else [])]
    return " | ".join(_lexeme(lexeme) for lexeme in dict.fromkeys(lexemes) if _lexeme(lexeme) != "''") or "''"


def prefer_index(cursor: object) -> None:
    """Steer the planner to the GIN index for the rest of the transaction.

    The planner does not count the cost of reading (detoasting) each row's tsvector, so for a common
    word it picks a sequential scan that tests every row, several times slower than the bitmap index
    scan, which reads only the matching rows.
    """
    cursor.execute("SET LOCAL enable_seqscan = off")  # type: ignore[attr-defined]


def _allowed(records: QuerySet | None, scope: list[list[str]] | None) -> tuple[str, tuple]:
    """`` AND e.record_id IN (…)`` for ``records``, or nothing when filter tokens in the query stand for them."""
    if scope is not None or records is None:
        return "", ()
    allowed_sql, allowed_params = restriction(records)
    return f" AND e.record_id IN ({allowed_sql})", allowed_params


def _newest_found(allowed_sql: str) -> str:
    """The matches first (the GIN index), then their dates: left to itself, the planner walks every record by date
    and tests each one's vector, which costs the whole archive when few records match (search orders by date here
    only when the matches are few: ``search.FULL_RANKING``)."""
    return ("WITH found AS MATERIALIZED (SELECT e.record_id FROM archive_searchvector e "
            f"WHERE e.search_vector @@ to_tsquery('simple', %s){allowed_sql})")


# Each match's date read by its primary key: joined instead, the planner hashes the dates of the whole archive
# (measured at 100,000 records: 36 ms of a 56 ms query with 2,000 matches).
NEWEST_FIRST = "ORDER BY (SELECT r.issue_date FROM archive_record r WHERE r.id = found.record_id) DESC, found.record_id DESC"


class PostgresBackend:
    ranks_before_counting = True  # ranking listed records by primary key is cheap; each pass over the GIN index is not
    weighs_rarity = False  # ts_rank weighs each word's positions alone: the heads of every word name the candidates

    def matching(self, query: Query, records: QuerySet, extra_keys: list[list[str]] | None) -> tuple[str, tuple]:
        """SQL selecting the ids of the records of ``records`` that match (for facet counts)."""
        allowed_sql, allowed_params = _allowed(records, None)
        sql = f"SELECT e.record_id FROM archive_searchvector e WHERE e.search_vector @@ to_tsquery('simple', %s){allowed_sql}"
        return sql, (tsquery_text(query, extra_keys), *allowed_params)

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
        allowed_sql, allowed_params = _allowed(records, scope)
        if exclude:
            allowed_sql += " AND NOT (e.record_id = ANY(%s))"
            allowed_params = (*allowed_params, exclude)
        params: tuple = (tsquery_text(query, extra_keys, scope), *allowed_params, limit, offset)
        if order == "date":
            sql = f"{_newest_found(allowed_sql)} SELECT found.record_id, 0.0 FROM found {NEWEST_FIRST} LIMIT %s OFFSET %s"
        else:
            # Filter tokens narrow the match but never weigh in the rank (see ``rank_among``).
            params = (ranking_tsquery(query, extra_keys), *params)
            sql = ("SELECT e.record_id, ts_rank(e.search_vector, r) AS score FROM archive_searchvector e, "
                   f"to_tsquery('simple', %s) r, to_tsquery('simple', %s) q WHERE e.search_vector @@ q{allowed_sql} "
                   "ORDER BY score DESC, e.record_id LIMIT %s OFFSET %s")
        with transaction.atomic(), connection.cursor() as cursor:
            prefer_index(cursor)
            cursor.execute(sql, params)
            return [(row[0], float(row[1])) for row in cursor.fetchall()]

    def search_counted(self, query: Query, records: QuerySet, *, limit: int, offset: int, order: str,
                       extra_keys: list[list[str]] | None, scope: list[list[str]] | None = None) -> tuple[list[tuple[int, float]], int | None]:
        """``search`` over every match, with how many there are, read in the same pass over the index: the matches are
        kept as they are read (ranked, for relevance), counted, and the page cut from them. The count is None when
        the page is past the last match (no row to carry it)."""
        allowed_sql, allowed_params = _allowed(records, scope)
        params: tuple = (tsquery_text(query, extra_keys, scope), *allowed_params, limit, offset)
        if order == "date":
            sql = (f"{_newest_found(allowed_sql)} SELECT found.record_id, 0.0, (SELECT count(*) FROM found) FROM found "
                   f"{NEWEST_FIRST} LIMIT %s OFFSET %s")
        else:
            params = (ranking_tsquery(query, extra_keys), *params)
            sql = ("WITH found AS MATERIALIZED (SELECT e.record_id, ts_rank(e.search_vector, r) AS score "
                   "FROM archive_searchvector e, to_tsquery('simple', %s) r, to_tsquery('simple', %s) q "
                   f"WHERE e.search_vector @@ q{allowed_sql}) "
                   "SELECT record_id, score, (SELECT count(*) FROM found) FROM found ORDER BY score DESC, record_id LIMIT %s OFFSET %s")
        with transaction.atomic(), connection.cursor() as cursor:
            prefer_index(cursor)
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        counted = int(rows[0][2]) if rows else (0 if offset == 0 else None)
        return [(row[0], float(row[1])) for row in rows], counted

    def count(self, query: Query, records: QuerySet | None, extra_keys: list[list[str]] | None, limit: int,
              scope: list[list[str]] | None = None) -> int:
        allowed_sql, allowed_params = _allowed(records, scope)
        with transaction.atomic(), connection.cursor() as cursor:
            prefer_index(cursor)
            cursor.execute(
                "SELECT count(*) FROM (SELECT 1 FROM archive_searchvector e WHERE e.search_vector @@ to_tsquery('simple', %s)"
                f"{allowed_sql} LIMIT %s) AS found",
                (tsquery_text(query, extra_keys, scope), *allowed_params, limit),
            )
            return int(cursor.fetchone()[0])

    def rank_among(self, query: Query, ids: list[int], extra_keys: list[list[str]] | None,
                   scope: list[list[str]] | None = None) -> list[tuple[int, float]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT e.record_id, ts_rank(e.search_vector, r) AS score FROM archive_searchvector e, "
                "to_tsquery('simple', %s) r, to_tsquery('simple', %s) q WHERE e.record_id = ANY(%s) AND e.search_vector @@ q "
                "ORDER BY score DESC, e.record_id",
                (ranking_tsquery(query, extra_keys), tsquery_text(query, extra_keys, scope), ids),
            )
            return [(row[0], float(row[1])) for row in cursor.fetchall()]

    def rank_among_narrowed(self, query: Query, ids: list[int], extra_keys: list[list[str]] | None,
                            scope: list[list[str]] | None, filters: list[list[str]], enough: int) -> tuple[list[tuple[int, float]], int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT e.record_id, ts_rank(e.search_vector, r) AS score, e.search_vector @@ n FROM archive_searchvector e, "
                "to_tsquery('simple', %s) r, to_tsquery('simple', %s) q, to_tsquery('simple', %s) n "
                "WHERE e.record_id = ANY(%s) AND e.search_vector @@ q ORDER BY score DESC, e.record_id",
                (ranking_tsquery(query, extra_keys), tsquery_text(Query(query.groups), extra_keys, scope),
                 _narrowing_tsquery(query, filters), ids),
            )
            rows = cursor.fetchall()
        return [(row[0], float(row[1])) for row in rows if row[2]], len(rows)

    def match_among(self, query: Query, ids: list[int], extra_keys: list[list[str]] | None,
                    scope: list[list[str]] | None = None) -> set[int]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT record_id FROM archive_searchvector WHERE record_id = ANY(%s) "
                           "AND search_vector @@ to_tsquery('simple', %s)", (ids, tsquery_text(query, extra_keys, scope)))
            return {row[0] for row in cursor.fetchall()}

    def first_matches(self, query: Query, extra_keys: list[list[str]] | None, scope: list[list[str]], limit: int) -> list[int]:
        with transaction.atomic(), connection.cursor() as cursor:
            prefer_index(cursor)
            # Nor a walk of the primary key testing each vector, which the planner takes for a LIMIT.
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute("SELECT e.record_id FROM archive_searchvector e WHERE e.search_vector @@ to_tsquery('simple', %s) LIMIT %s",
                           (tsquery_text(query, extra_keys, scope), limit))
            return [row[0] for row in cursor.fetchall()]

    def records_with_token(self, token: str) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT record_id FROM archive_searchvector WHERE search_vector @@ to_tsquery('simple', %s)",
                           (_lexeme(token),))
            return [row[0] for row in cursor.fetchall()]
