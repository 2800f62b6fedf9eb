"""Read many originals in parallel: folders walked, ZIP archives expanded, one process per core.

:func:`read_many` yields results **in the order of its input** (a bounded window of jobs runs ahead),
and never stops on a bad file: every failure, expected or not, becomes an :class:`IngestError` in
that source's place. If a worker process dies (e.g. killed for memory), the sources it held get an
IngestError and a fresh pool carries on.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from dhakira.documents import Document
from dhakira.ingest.archive import member_names, open_zip, read_archive_member
from dhakira.ingest.detect import DOCX_PART, ZIP_MAGIC
from dhakira.ingest.errors import IngestError, readable_name
from dhakira.ingest.limits import Limits
from dhakira.ingest.reader import read_path

Result = Document | IngestError
Task = TypeVar("Task")


@dataclass(frozen=True, order=True)
class Source:
    """One original: a file, or a member of the ZIP archive at ``path``."""

    path: Path
    member: str | None = None

    def __str__(self) -> str:
        return readable_name(f"{self.path}!{self.member}" if self.member is not None else str(self.path))


def _is_zip(path: Path) -> bool:
    """A ZIP archive that is not a DOCX (DOCX files are read as documents)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4)
    except OSError:
        return False
    if head not in ZIP_MAGIC:
        return False
    if path.suffix.lower() == ".docx":
        return False
    try:
        with open_zip(str(path)) as archive:
            return DOCX_PART not in archive.namelist()
    except IngestError:
        return True


def walk(folder: Path) -> Iterator[Path]:
    """Files under ``folder``, sorted by name, hidden entries and symbolic links skipped."""
    try:
        entries = sorted(folder.iterdir(), key=lambda entry: entry.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_symlink():
            continue
        if entry.is_dir():
            yield from walk(entry)
        elif entry.is_file():
            yield entry


def iter_sources(paths: Iterable[str | Path], *, limits: Limits | None = None) -> Iterator[Source]:
    """Every original under ``paths``: folders recursively (sorted by name, hidden entries and
    symbolic links skipped), ZIP archives expanded into their members (archive order).

    A hostile or broken archive is yielded as one source without a member, so that reading it
    reports why it was refused.
    """
    limits = limits or Limits()
    for given in paths:
        path = Path(given)
        files = walk(path) if path.is_dir() else iter([path])
        for file in files:
            if _is_zip(file):
                try:
                    names = member_names(file, limits)
                except IngestError:
                    yield Source(file)
                    continue
                for name in names:
                    yield Source(file, name)
            else:
                yield Source(file)


def read_source(source: Source, limits: Limits | None = None) -> Result:
    """Read one source; returns (never raises) the Document or the IngestError."""
    limits = limits or Limits()
    try:
        if source.member is not None:
            return read_archive_member(source.path, source.member, limits=limits)
        if _is_zip(source.path):
            member_names(source.path, limits)  # raises the reason the archive is refused
            return IngestError(f"{readable_name(source.path.name)} is a ZIP archive: list it with iter_sources")
        return read_path(source.path, limits=limits)
    except IngestError as error:
        return error
    except Exception as error:  # noqa: BLE001 - a batch never dies on one file
        return IngestError(f"{type(error).__name__}: {error}")


def read_many(
    sources: Iterable[Task],
    *,
    workers: int = 2,
    limits: Limits | None = None,
    window: int | None = None,
    job: Callable[[Task, Limits], Any] = read_source,  # type: ignore[assignment]
) -> Iterator[tuple[Task, Any]]:
    """Read sources with ``workers`` processes; yields ``(source, Document | IngestError)`` in input order.

    ``workers <= 1`` reads in this process. ``window`` (default 16 per worker) bounds how many jobs
    are queued ahead, so an endless source iterator does not fill memory. ``job`` replaces the work
    done per source (a module-level function, so that it can run in another process; it receives
    the source and the limits and must not raise); by default :func:`read_source`.
    """
    limits = limits or Limits()
    if workers <= 1:
        for source in sources:
            yield source, job(source, limits)
        return
    window = window or 16 * workers
    pending: deque[tuple[Task, Future[Any]]] = deque()
    iterator = iter(sources)
    executor = ProcessPoolExecutor(max_workers=workers)
    try:
        exhausted = False
        while True:
            while not exhausted and len(pending) < window:
                try:
                    source = next(iterator)
                except StopIteration:
                    exhausted = True
                    break
                pending.append((source, executor.submit(job, source, limits)))
            if not pending:
                break
            source, future = pending.popleft()
            try:
                result = future.result()
            except BrokenProcessPool:
                result = IngestError(f"the worker reading {source} died (out of memory or crashed)")
                retry = [queued for queued, _ in pending]
                pending.clear()
                executor.shutdown(wait=False, cancel_futures=True)
                executor = ProcessPoolExecutor(max_workers=workers)
                for queued in retry:
                    pending.append((queued, executor.submit(job, queued, limits)))
            except Exception as error:  # noqa: BLE001 - e.g. a result that cannot be pickled
                result = IngestError(f"{type(error).__name__}: {error}")
            yield source, result
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def default_workers() -> int:
    """One worker per available core."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


__all__ = ["Source", "default_workers", "iter_sources", "read_many", "read_source", "walk"]
