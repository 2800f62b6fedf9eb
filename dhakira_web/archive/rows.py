"""Rows written by one prepared statement, without the ORM's building of it: for rows written with every record,
where building a model instance's statement costs the ORM more than the database spends."""

from __future__ import annotations

from collections.abc import Iterator
from operator import attrgetter
from typing import Any

from django.db import connection
from django.db.models import Model


def insert_rows(model: type[Model], columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Plain rows (no JSON, no defaults to fill) by one prepared statement: for rows written with every record,
    where building a model instance and its statement costs the ORM more than the database spends."""
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})", rows)


_PLAIN_FIELDS = frozenset({"AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField", "FloatField", "ForeignKey",
                           "IntegerField", "PositiveIntegerField", "PositiveSmallIntegerField", "SmallIntegerField", "TextField"})
_PLAIN_VALUES = (str, int, float, bool, type(None))


def insert_objects(model: type[Model], objects: list[Any]) -> None:
    """Unsaved model instances (primary keys given, or left to the database and not read back) by one prepared
    statement: values of plain types as they are, the others (JSON, dates) prepared as the ORM prepares them,
    without its building of the statement."""
    if not objects:
        return
    fields = [field for field in model._meta.concrete_fields if not (field.primary_key and getattr(objects[0], field.attname) is None)]
    values = attrgetter(*[field.attname for field in fields])
    prepared = [(position, field) for position, field in enumerate(fields) if field.get_internal_type() not in _PLAIN_FIELDS]
    plain = [position for position, field in enumerate(fields) if field.get_internal_type() in _PLAIN_FIELDS]
    rows = []
    for row in objects:
        held = list(values(row)) if len(fields) > 1 else [values(row)]
        for position, field in prepared:
            held[position] = field.get_db_prep_save(field.pre_save(row, True), connection)
        for position in plain:
            if not isinstance(held[position], _PLAIN_VALUES):  # e.g. a lazy string: as the ORM would send it
                held[position] = fields[position].get_db_prep_save(held[position], connection)
        rows.append(tuple(held))
    insert_rows(model, [field.column for field in fields], rows)


def rows_by_id(connection: Any, table: str, columns: str, chunk: int = 2000, key: str = "id") -> Iterator[list[tuple[Any, ...]]]:
    """Every row of ``table`` (its ``key``, the id, first, then ``columns``), a chunk at a time in key order: for a
    migration rewriting a column of a large table without holding it."""
    last = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {key}, {columns} FROM {table} WHERE {key} > %s ORDER BY {key} LIMIT {chunk}", [last])
            rows = cursor.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]
