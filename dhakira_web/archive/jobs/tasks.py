"""The jobs ``dhakira worker`` processes run: ingest a file or an address, extract or link a record again, export.

Every job may run twice: a worker killed half-way leaves its job "doing", and the job is queued again
(:mod:`dhakira_web.archive.jobs.worker`). Each is written so that a second run leaves what one run
leaves: ingestion is keyed by the original's SHA-256 and writes a record with its claims and custody
entries in one transaction; re-extraction and relinking replace the machine's claims and links and keep
reviewers' decisions; an export is written aside and moved into place whole.

The tasks carry explicit names, so that jobs already queued still find them after the code moves.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.db import InterfaceError, OperationalError, close_old_connections, connection
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

log = logging.getLogger("dhakira.jobs")

INGEST, EXTRACT, LINK, EXPORT = "ingest", "extract", "link", "export"
QUEUES = (INGEST, EXTRACT, LINK, EXPORT)
# A job that failed because the database was away or busy is tried again later; any other error is final
# (ingestion records a refused file itself and does not raise).
TRANSIENT = RetryStrategy(max_attempts=5, exponential_wait=2, retry_exceptions={OperationalError, InterfaceError})


def _fresh_connection() -> None:
    """Jobs run in a pool of threads: drop a connection the database has closed since the last job
    (not when the job is called inside a transaction, which it would end)."""
    if not connection.in_atomic_block:
        close_old_connections()


@app.task(name="dhakira.ingest_file", queue=INGEST, retry=TRANSIENT)
def ingest_file(path: str, member: str | None = None, source_url: str | None = None, access_level: str = "public") -> dict[str, Any]:
    """Ingest one file (or one member of a ZIP archive) from a folder every worker can read."""
    from dhakira.ingest.batch import Source
    from dhakira_web.archive.ingestion import Task, ingest_one

    _fresh_connection()
    outcome = ingest_one(Task(Source(Path(path), member), source_url), access_level=access_level)
    return _outcome(outcome)


@app.task(name="dhakira.ingest_address", queue=INGEST, retry=TRANSIENT)
def ingest_address(url: str, access_level: str = "public", allow_hosts: list[str] | None = None) -> dict[str, Any]:
    """Fetch one address (public networks only, unless a host is allowed) and ingest what it returns."""
    from dhakira_web.archive.ingestion import ingest_url

    _fresh_connection()
    return _outcome(ingest_url(url, access_level=access_level, allow_hosts=frozenset(allow_hosts or ())))


@app.task(name="dhakira.reextract_record", queue=EXTRACT, retry=TRANSIENT)
def reextract_record(code: str, actor: str = "dhakira") -> dict[str, Any]:
    """Run the extractor again on one stored record, keeping every reviewer's decision."""
    from dhakira_web.archive.jobs.locking import run_writing
    from dhakira_web.archive.models import Record
    from dhakira_web.archive.review.reextract import reextract

    _fresh_connection()
    record = Record.objects.get(code=code)
    return run_writing(lambda: reextract(record, actor=actor), what="re-extraction").as_json()


@app.task(name="dhakira.relink_record", queue=LINK, retry=TRANSIENT)
def relink_record(code: str, actor: str = "dhakira") -> dict[str, Any]:
    """Link one record again against the archive as it is now, from its stored extraction (reviewed links kept)."""
    from dhakira_web.archive.jobs.locking import run_writing
    from dhakira_web.archive.models import Record
    from dhakira_web.archive.review.reextract import reextract

    _fresh_connection()
    record = Record.objects.get(code=code)
    return run_writing(lambda: reextract(record, actor=actor, extraction=record.extraction), what="relinking").as_json()


@app.task(name="dhakira.export_records", queue=EXPORT, retry=TRANSIENT)
def export_records(output: str, format_name: str = "jsonl", username: str | None = None, query: str = "",
                   facets: list[str] | None = None, originals: bool = False) -> dict[str, Any]:
    """Export the records ``username`` may see (anonymous visitor when None) to a path every worker can write."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser

    from dhakira_web.archive.exchange.exporting import export_to_path
    from dhakira_web.archive.exchange.selection import facet_filters

    _fresh_connection()
    user = get_user_model().objects.get(username=username) if username else AnonymousUser()
    result = export_to_path(Path(output), format_name, user, query=query, filters=facet_filters(facets), originals=originals)
    log.info("exported %d records as %s to %s", len(result.record_ids), format_name, output)
    return {"output": output, "records": len(result.record_ids), "sha256": result.sha256}


def _outcome(outcome: Any) -> dict[str, Any]:
    record = outcome.record
    log.info("ingest job %s: %s", outcome.source, outcome.error or ("duplicate" if outcome.duplicate else record.code))
    return {"source": outcome.source, "code": record.code if record is not None else None,
            "duplicate": outcome.duplicate, "error": outcome.error}
