"""Batches: many files, folders, ZIP archives, URLs and manifests into the archive.

Reading runs in worker processes (``dhakira.ingest.batch.read_many``, both cores); the archive is
written by this process in batches, one transaction per batch, so a batch killed at any moment
leaves only whole records. A re-run skips every original already stored (same SHA-256) before
reading it, and finishes the rest.
"""

from __future__ import annotations

import csv
import hashlib
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from dhakira.ingest import IngestError, Limits
from dhakira.ingest.archive import check_zip, open_zip, read_member
from dhakira.ingest.batch import Source, iter_sources, read_many
from dhakira_web.archive.models import Record
from dhakira_web.archive.services import (
    IngestOutcome,
    IngestSummary,
    ingest_bytes,
    ingest_document,
    record_failure,
)

log = logging.getLogger("dhakira.archive")
BATCH_SIZE = 50


@dataclass(frozen=True)
class Task:
    """One source to ingest, with the address it was captured from (from a manifest) if known."""

    source: Source
    source_url: str | None = None


def _is_url(name: str) -> bool:
    return name.startswith(("http://", "https://"))


def _manifest(csv_path: Path) -> Iterator[tuple[Path, str | None]]:
    with csv_path.open(newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            if row.get("path"):
                yield csv_path.parent / row["path"], (row.get("source_url") or "").strip() or None


def original_bytes(source: Source, limits: Limits) -> bytes:
    """The original bytes of a file or of one ZIP member (checked against the archive limits)."""
    if source.member is None:
        return source.path.read_bytes()
    with open_zip(source.path) as archive:
        for info in check_zip(archive, limits):
            if info.filename == source.member:
                return read_member(archive, info, limits)
    raise IngestError(f"{source.member} is not in {source.path.name}")


def ingest_url(url: str, *, access_level: str = "public", allow_hosts: frozenset[str] = frozenset()) -> IngestOutcome:
    """Fetch an address safely (no private, loopback or metadata addresses) and keep the fetched bytes."""
    from dhakira.ingest.fetch import fetch_url

    try:
        fetched = fetch_url(url, allow_hosts=allow_hosts)
    except IngestError as error:
        return record_failure(url, str(error))
    name = fetched.final_url.split("?")[0].rstrip("/").rsplit("/", 1)[-1] or "index.html"
    return ingest_bytes(fetched.data, name=name, source_url=fetched.final_url, access_level=access_level, capture_method="http_get")


def _not_yet_stored(tasks: Iterable[Task], limits: Limits, summary: IngestSummary, urls: dict[Source, str | None]) -> Iterator[Source]:
    """Skip sources whose bytes are already in the archive (resumable batches); count them as duplicates."""
    for task in tasks:
        try:
            if task.source.path.stat().st_size > limits.max_bytes and task.source.member is None:
                urls[task.source] = task.source_url
                yield task.source  # the reader refuses it with a clear reason
                continue
            digest = hashlib.sha256(original_bytes(task.source, limits)).hexdigest()
        except (OSError, IngestError):
            urls[task.source] = task.source_url
            yield task.source  # the reader reports what is wrong with it
            continue
        if Record.objects.filter(sha256=digest).exists():
            summary.add(IngestOutcome(source=str(task.source), duplicate=True))
            continue
        urls[task.source] = task.source_url
        yield task.source


def ingest_sources(
    paths: Iterable[str],
    *,
    manifest: str | None = None,
    access_level: str = "public",
    progress: bool = False,
    workers: int = 2,
    allow_hosts: frozenset[str] = frozenset(),
    limits: Limits | None = None,
) -> IngestSummary:
    """Ingest everything named; one bad source never stops the batch."""
    limits = limits or Limits()
    summary = IngestSummary()
    names = [str(name) for name in paths]
    tasks = [Task(source) for source in iter_sources([Path(n) for n in names if not _is_url(n)], limits=limits)]
    if manifest:
        for path, url in _manifest(Path(manifest)):
            tasks += [Task(source, url) for source in iter_sources([path], limits=limits)]
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(tasks) + sum(map(_is_url, names)), unit="file", desc="ingest")
    for url in filter(_is_url, names):
        summary.add(ingest_url(url, access_level=access_level, allow_hosts=allow_hosts))
        if bar is not None:
            bar.update(1)
    urls: dict[Source, str | None] = {}
    pending = _not_yet_stored(tasks, limits, summary, urls)
    batch: list[tuple[Source, object]] = []
    for source, result in read_many(pending, workers=workers, limits=limits):
        batch.append((source, result))
        if len(batch) >= BATCH_SIZE:
            _write_batch(batch, summary, urls, access_level, limits)
            if bar is not None:
                bar.update(len(batch))
            batch = []
    if batch:
        _write_batch(batch, summary, urls, access_level, limits)
    if bar is not None:
        bar.n = bar.total
        bar.close()
    return summary


def _write_batch(batch: list[tuple[Source, object]], summary: IngestSummary, urls: dict[Source, str | None], access_level: str, limits: Limits) -> None:
    outcomes: list[IngestOutcome] = []
    with transaction.atomic():
        for source, result in batch:
            outcomes.append(_write_one(source, result, urls.get(source), access_level, limits))
    for outcome in outcomes:
        summary.add(outcome)


def _write_one(source: Source, result: object, source_url: str | None, access_level: str, limits: Limits) -> IngestOutcome:
    name = str(source)
    if isinstance(result, IngestError):
        try:
            data = original_bytes(source, limits) if source.path.stat().st_size <= limits.max_bytes else None
        except (OSError, IngestError):
            data = None
        return record_failure(name, str(result), data)
    try:
        data = original_bytes(source, limits)
        document = result
        if source_url and not document.source_url:  # type: ignore[attr-defined]
            document.source_url = source_url  # type: ignore[attr-defined]
        with transaction.atomic():
            return ingest_document(document, data, access_level=access_level, source=name)  # type: ignore[arg-type]
    except Exception as error:  # one broken source must not stop the batch; its reason is reported
        log.exception("unexpected failure on %s", name)
        return record_failure(name, f"unexpected error: {type(error).__name__}: {error}")
