"""Several processes writing one archive: each waits its turn, none fails with ``database is locked``.

On SQLite every ``transaction.atomic()`` block begins with ``BEGIN IMMEDIATE`` (settings: the
``transaction_mode`` option), so a writer takes the write lock when its transaction starts and waits
for it there, up to the busy timeout, instead of failing half-way when a read turns into a write.
What is left for the callers is a transaction that could not get the lock within the timeout (or, on
PostgreSQL, a deadlock or serialisation failure): :func:`run_writing` retries such a transaction
whole, a bounded number of times, because it wrote nothing.
"""

from __future__ import annotations

import fcntl
import logging
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from django.db import OperationalError, connection

log = logging.getLogger("dhakira.archive")
Result = TypeVar("Result")

BUSY_WORDS = ("database is locked", "database table is locked", "database is busy", "deadlock detected",
              "could not serialize", "lock timeout")
RETRIES = 20


def is_busy(error: BaseException) -> bool:
    """True for errors that mean "another writer holds the archive now": worth waiting and trying again."""
    return isinstance(error, OperationalError) and any(word in str(error).lower() for word in BUSY_WORDS)


def run_writing(write: Callable[[], Result], *, retries: int = RETRIES, what: str = "write") -> Result:
    """Run ``write`` (one whole transaction) again while the archive is busy, waiting a little longer each time.

    The last busy error is raised when ``retries`` tries all found the archive busy; any other error at once.
    """
    for attempt in range(retries + 1):
        try:
            return write()
        except OperationalError as error:
            if not is_busy(error) or attempt == retries:
                raise
            delay = min(5.0, 0.05 * 2 ** attempt) * (0.5 + random.random())
            log.info("archive busy during %s (%s); trying again in %.2f s", what, error, delay)
            connection.close_if_unusable_or_obsolete()
            time.sleep(delay)
    raise AssertionError("unreachable")


@contextmanager
def migration_lock(archive_dir: Path) -> Iterator[None]:
    """One process at a time brings the database schema up to date (two commands started together)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(4243)")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(4243)")
        return
    archive_dir.mkdir(parents=True, exist_ok=True)
    with (archive_dir / "migrate.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
