"""Places and organisations a write transaction has looked up already: each is read once per transaction.

``remembered()`` is opened inside a transaction (a slice of an ingestion batch); rows met there are kept
until it ends, so the fiftieth report on Saydnaya does not look the prison up again. A row first met
inside a savepoint that fails may be gone with it: ``undone_on_error()`` around each savepoint forgets what
was remembered inside it. Outside ``remembered()`` nothing is kept and every lookup reads the database.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_rows: dict[tuple[str, str], Any] | None = None


@contextmanager
def remembered() -> Iterator[None]:
    """Remember rows looked up until the block ends (open it inside the transaction it is valid for)."""
    global _rows
    outer, _rows = _rows, {}
    try:
        yield
    finally:
        _rows = outer


@contextmanager
def undone_on_error() -> Iterator[None]:
    """Around a savepoint: if it fails (and rolls back), the rows remembered inside it are forgotten."""
    mark = len(_rows) if _rows is not None else 0
    try:
        yield
    except BaseException:
        if _rows is not None:
            for key in list(_rows)[mark:]:
                del _rows[key]
        raise


def recall(kind: str, key: str) -> Any:
    """The row of that kind and key remembered in this block, or None."""
    return _rows.get((kind, key)) if _rows is not None else None


def remember(kind: str, key: str, row: Any) -> None:
    if _rows is not None and (kind, key) not in _rows:
        _rows[(kind, key)] = row
