"""The interface every search backend implements."""

from __future__ import annotations

from typing import Protocol

from django.db.models import QuerySet

from dhakira.text.query import Query


class Backend(Protocol):
    # Whether ``search`` ranks the head candidates before counting, and counts a small result set in the same pass
    # that ranks it (``search_counted``): for a backend whose every pass over its full-text index costs more than
    # ranking a few hundred listed records (PostgreSQL's GIN index builds the bitmap of every match first).
    ranks_before_counting: bool
    # Whether the rank weighs a word by how rare it is (bm25's idf): then the heads of a query's rarest group name its
    # candidates (``search._rarest_group``). PostgreSQL's ``ts_rank`` has no such weight.
    weighs_rarity: bool

    def matching(self, query: Query, records: QuerySet, extra_keys: list[list[str]] | None) -> tuple[str, tuple]:
        """``(sql, params)`` selecting the ids of the records of ``records`` that match, to compose with."""
        ...

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
        """One page of ``[(record id, score), …]``: every match of ``records`` ranked (``count`` gives the total),
        leaving out the records of ``exclude`` (shown on earlier pages already)."""
        ...

    def search_counted(self, query: Query, records: QuerySet, *, limit: int, offset: int, order: str,
                       extra_keys: list[list[str]] | None, scope: list[list[str]] | None = None) -> tuple[list[tuple[int, float]], int | None]:
        """``search``'s page of every match, with the number of matches (not bounded; None when the backend cannot tell
        it from the page, one past the last match)."""
        ...

    def count(self, query: Query, records: QuerySet | None, extra_keys: list[list[str]] | None, limit: int,
              scope: list[list[str]] | None = None) -> int:
        """How many records of ``records`` (or within ``scope``) match, counting no further than ``limit``."""
        ...

    def rank_among(self, query: Query, ids: list[int], extra_keys: list[list[str]] | None,
                   scope: list[list[str]] | None = None) -> list[tuple[int, float]]:
        """The records of ``ids`` that match, best first, with their scores (the scale ``search`` uses)."""
        ...

    def rank_among_narrowed(self, query: Query, ids: list[int], extra_keys: list[list[str]] | None,
                            scope: list[list[str]] | None, filters: list[list[str]], enough: int) -> tuple[list[tuple[int, float]], int]:
        """``rank_among`` within ``scope`` and ``filters`` (more groups of filter tokens), with how many of ``ids``
        match the query's groups within ``scope`` alone: neither the filters nor the query's excluded words, which
        only narrow the match and never weigh in the rank, taken into account (a count that may stop at ``enough``)."""
        ...

    def match_among(self, query: Query, ids: list[int], extra_keys: list[list[str]] | None,
                    scope: list[list[str]] | None = None) -> set[int]:
        """The records of ``ids`` that match."""
        ...

    def first_matches(self, query: Query, extra_keys: list[list[str]] | None, scope: list[list[str]], limit: int) -> list[int]:
        """The ids of the first ``limit`` records within ``scope`` that match, in the index's own order (a bounded
        sample read from the full-text index alone: the database stops reading there)."""
        ...

    def records_with_token(self, token: str) -> list[int]:
        """Every record whose stems or keys hold the index token ``token``."""
        ...


def restriction(records: QuerySet) -> tuple[str, tuple]:
    """The SQL selecting the ids of ``records`` (policy and filters), to compose with the text match."""
    sql, params = records.order_by().values("id").query.sql_with_params()
    return sql, tuple(params)


def restriction_where(records: QuerySet) -> tuple[str, tuple] | None:
    """The WHERE clause of ``records`` over the table ``archive_record`` itself, or None when it needs joins.

    Testing each match against its own record row costs one primary-key probe per match, where an
    ``IN (…)`` list costs one entry per allowed record, built for every query.
    """
    from django.db import connections

    query = records.query
    if (len(query.alias_map) > 1 or query.model is None or query.model._meta.db_table != "archive_record"
            or query.is_sliced or query.combinator or query.distinct or query.group_by is not None):
        return None
    compiler = query.get_compiler(connection=connections[records.db])
    sql, params = compiler.compile(query.where)
    if len(query.alias_map) > 1:
        return None
    return (sql or "1 = 1"), tuple(params)


def filters_held(scope: list[list[str]], column: str) -> tuple[str, list[str]]:
    """``(sql, params)``: a condition that the search entry's filter tokens (``column``, tokens joined by spaces) hold a
    token of each group of ``scope``; ``("", [])`` for no group. Read from the entry's row, before any of its texts.

    Filter tokens are letters and digits (``search.filter_token``): no character of theirs means anything to LIKE."""
    held = " AND ".join("(" + " OR ".join([f"(' ' || {column} || ' ') LIKE %s"] * len(group)) + ")" if group else "1 = 0"
                        for group in scope)
    return held, [f"% {token} %" for group in scope for token in group]
