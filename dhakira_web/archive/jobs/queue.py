"""Putting work on the queue that ``dhakira worker`` processes pull from PostgreSQL (procrastinate).

The queue is a few tables in the archive's own PostgreSQL database, so a job is queued in the same
place, and under the same backups, as the records it makes. An SQLite archive has no queue.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection

from dhakira.extract.run import read_manifest
from dhakira.ingest import Limits
from dhakira.ingest.batch import Source, iter_sources

NEEDS_POSTGRESQL = ("queues need PostgreSQL: this archive's database is SQLite. Set DHAKIRA_DATABASE_URL="
                    "postgresql://user@host:5432/name (docs/deploy.md), or run the same command without --queue")


class QueueUnavailable(Exception):
    """The archive has no job queue (its database is not PostgreSQL)."""


def require_queue() -> None:
    """Raise :class:`QueueUnavailable` with what to do unless the archive's database is PostgreSQL."""
    if connection.vendor != "postgresql":
        raise QueueUnavailable(NEEDS_POSTGRESQL)


@dataclass
class Queued:
    """What enqueuing did: jobs queued, sources already in the archive, sources already waiting in the queue."""

    queued: int = 0
    stored: int = 0
    waiting: int = 0
    job_ids: list[int] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"queued": self.queued, "already_stored": self.stored, "already_queued": self.waiting, "jobs": self.job_ids}


def enqueue_sources(names: Iterable[str], *, manifest: str | None = None, access_level: str = "public",
                    allow_hosts: frozenset[str] = frozenset(), limits: Limits | None = None) -> Queued:
    """One ingestion job per file, ZIP member and address named; originals already stored are not queued.

    A file's job is locked by its SHA-256: the same original named twice (two paths, two runs) is queued
    once while it waits, and two workers never ingest it at the same time.
    """
    from procrastinate.exceptions import AlreadyEnqueued

    from dhakira_web.archive.ingestion import original_digest
    from dhakira_web.archive.jobs.tasks import ingest_address, ingest_file
    from dhakira_web.archive.models import Record

    require_queue()
    limits = limits or Limits()
    done = Queued()
    names = [str(name) for name in names]
    addresses = [name for name in names if name.startswith(("http://", "https://"))]
    sources: list[tuple[Source, str | None]] = [(source, None) for source in iter_sources(
        [Path(name) for name in names if name not in addresses], limits=limits)]
    if manifest:
        for path, url in read_manifest(manifest):
            sources += [(source, url) for source in iter_sources([path], limits=limits)]
    hosts: list[Any] = sorted(allow_hosts)
    for url in addresses:
        try:
            done.job_ids.append(ingest_address.configure(queueing_lock=f"address:{url}").defer(
                url=url, access_level=access_level, allow_hosts=hosts))
            done.queued += 1
        except AlreadyEnqueued:
            done.waiting += 1
    for source, url in sources:
        digest = original_digest(source, limits)
        if digest is not None and Record.objects.filter(sha256=digest).exists():
            done.stored += 1
            continue
        key = f"sha256:{digest}" if digest else f"path:{source.path.resolve()}!{source.member or ''}"
        try:
            done.job_ids.append(ingest_file.configure(lock=key, queueing_lock=key).defer(
                path=str(source.path.resolve()), member=source.member, source_url=url, access_level=access_level))
            done.queued += 1
        except AlreadyEnqueued:
            done.waiting += 1
    return done


def enqueue_records(job: str, codes: list[str] | None, *, actor: str = "dhakira") -> list[int]:
    """Queue re-extraction (``job="extract"``) or relinking (``"link"``) of these records, or of every record."""
    from dhakira_web.archive.jobs.tasks import EXTRACT, reextract_record, relink_record
    from dhakira_web.archive.review.reextract import records_with_codes

    require_queue()
    records = records_with_codes(codes)
    task = reextract_record if job == EXTRACT else relink_record
    every = [{"code": code, "actor": actor} for code in records.values_list("code", flat=True).iterator()]
    return task.batch_defer(*every) if every else []


def enqueue_export(output: Path, format_name: str, *, username: str | None, query: str = "",
                   facets: list[str] | None = None, originals: bool = False) -> int:
    """Queue an export to a file (a CSV export goes to a .zip: a job may run twice, and a folder is not replaced whole)."""
    from dhakira_web.archive.jobs.tasks import export_records

    require_queue()
    if format_name == "csv" and output.suffix.lower() != ".zip":
        raise ValueError("a queued CSV export is written to a .zip file: name the output …/name.zip")
    return export_records.defer(output=str(output.resolve()), format_name=format_name, username=username, query=query,
                                facets=list(facets or ()), originals=originals)


def queue_counts() -> list[dict[str, Any]]:
    """Jobs per queue and state (todo, doing, succeeded, failed, …)."""
    require_queue()
    with connection.cursor() as cursor:
        cursor.execute("SELECT queue_name, status, count(*) FROM procrastinate_jobs GROUP BY 1, 2 ORDER BY 1, 2")
        return [{"queue": queue, "status": status, "jobs": count} for queue, status, count in cursor.fetchall()]
