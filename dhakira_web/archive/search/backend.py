"""The interface every search backend implements."""

from __future__ import annotations

from typing import Protocol

from django.db.models import QuerySet

from dhakira.text.query import Query


class Backend(Protocol):
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
        """``(total, [(record id, score), …])`` for the records of ``records`` that match."""
        ...


def restriction(records: QuerySet) -> tuple[str, tuple]:
    """The SQL selecting the ids of ``records`` (policy and filters), to compose with the text match."""
    sql, params = records.order_by().values("id").query.sql_with_params()
    return sql, tuple(params)
