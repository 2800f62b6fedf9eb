"""Batches: many files, folders, ZIP archives, URLs and manifests into the archive.

Reading runs in worker processes (``dhakira.ingest.batch.read_many``, both cores); the archive is
written by this process in batches, one transaction per batch, so a batch killed at any moment
leaves only whole records. A re-run skips every original already stored (same SHA-256) before
reading it, and finishes the rest.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from django.db import DatabaseError, OperationalError, transaction

from dhakira.documents import Document
from dhakira.extract import extract_document
from dhakira.extract.run import read_manifest
from dhakira.ingest import IngestError, Limits, similarity
from dhakira.ingest.archive import check_zip, open_zip, read_member
from dhakira.ingest.batch import Source, iter_sources, read_many, read_source
from dhakira.link.index import encode_leads
from dhakira.link.records import DocumentProfile, document_profile
from dhakira.text.normalise import word_forms
from dhakira_web.archive import blobs, remembered
from dhakira_web.archive.bulk_writing import NewDocument, write_documents
from dhakira_web.archive.jobs.locking import is_busy, run_writing
from dhakira_web.archive.jobs.models import vector_bytes, vector_of
from dhakira_web.archive.linking import credibility_deferred, forget_index
from dhakira_web.archive.models import Record
from dhakira_web.archive.search import heads, shadow_texts
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

    def __str__(self) -> str:
        return str(self.source)


@dataclass
class Prepared:
    """What a worker process makes of a source: the document, its extraction and its fingerprint."""

    document: Document
    extraction: dict[str, Any]
    fingerprint: list[int]
    embedding: bytes | None = None
    shadow: dict[str, str] | None = None  # the search texts (``search.shadow_texts``)
    profile: DocumentProfile | None = None  # what linking compares of the whole document (stems, numbers, lead)


def prepare(task: Task, limits: Limits) -> Prepared | IngestError:
    """Read, extract and fingerprint one source and keep its original in the blob store.

    Runs in a worker process and never raises, so the single process writing the archive only writes.
    """
    return prepare_many((task,), limits)[0]


def prepare_many(tasks: tuple[Task, ...], limits: Limits) -> list[Prepared | IngestError]:
    """``prepare`` for a few sources at once: their leads' vectors are made in one call to the encoder."""
    results: list[Prepared | IngestError] = []
    forms: dict[int, list[tuple[str, str]]] = {}  # each text's words, cut once for its fingerprint, search texts and profile
    read = [read_source(task.source, limits) for task in tasks]
    for task, result, unkept in zip(tasks, read, _originals_kept(tasks, read, limits), strict=True):
        if isinstance(result, IngestError):
            results.append(result)
            continue
        if unkept is not None:
            results.append(unkept)
            continue
        try:
            if task.source_url and not result.source_url:
                result.source_url = task.source_url
            extraction = extract_document(result)
            title = (result.title or (extraction.get("document") or {}).get("title") or result.source_name or "")[:1000]
            words = word_forms(result.text)
            prepared = Prepared(result, extraction, similarity.words_fingerprint([norm for norm, _ in words]),
                                shadow=shadow_texts(title, result.text, words))
            forms[id(prepared)] = words
            results.append(prepared)
        except Exception as error:  # noqa: BLE001 - a batch never dies on one file
            results.append(IngestError(f"extraction failed: {type(error).__name__}: {error}"))
    # The linking profiles and the leads' vectors are made here too, beside extraction: the writing process only writes.
    linked = [item for item in results if isinstance(item, Prepared) and item.extraction.get("incidents")]
    try:
        for item in linked:
            item.profile = document_profile(item.document.sha256, item.extraction, item.document.text, forms[id(item)])
        vectors = encode_leads([item.profile.lead if item.profile and item.document.text else "" for item in linked])
    except Exception:  # noqa: BLE001 - without a vector the record is still linked on its other features
        log.exception("lead vectors could not be made")
        vectors = [None] * len(linked)
    for item, vector in zip(linked, vectors, strict=True):
        item.embedding = vector_bytes(vector)
        if item.profile is not None:
            item.profile.embedding = vector_of(item.embedding)  # as the writer would read it back (float32)
    return results


def _originals_kept(tasks: tuple[Task, ...], read: list[Document | IngestError], limits: Limits) -> list[IngestError | None]:
    """The originals of the documents read, in the blob store (flushed to the disk together): None for each kept,
    the error for one that could not be (then each is stored on its own, so that one bad file fails alone)."""
    wanted = [position for position, result in enumerate(read) if not isinstance(result, IngestError)]
    failures: list[IngestError | None] = [None] * len(tasks)
    try:
        blobs.store_many([original_bytes(tasks[position].source, limits) for position in wanted])
    except Exception:  # noqa: BLE001 - found out file by file below
        for position in wanted:
            try:
                blobs.store(original_bytes(tasks[position].source, limits))
            except Exception as error:  # noqa: BLE001 - a batch never dies on one file
                failures[position] = IngestError(f"extraction failed: {type(error).__name__}: {error}")
    return failures


PREPARE_CHUNK = 32  # sources per job of a worker process; their leads go to the encoder together, which groups them
# in micro-batches of about three: another size regroups them, and the vectors change in their lowest bits


def _chunks(tasks: Iterable[Task], size: int = PREPARE_CHUNK) -> Iterator[tuple[Task, ...]]:
    chunk: list[Task] = []
    for task in tasks:
        chunk.append(task)
        if len(chunk) >= size:
            yield tuple(chunk)
            chunk = []
    if chunk:
        yield tuple(chunk)


def prepared(tasks: Iterable[Task], *, workers: int, limits: Limits) -> Iterator[tuple[Task, Prepared | IngestError]]:
    """Each source with what the worker processes made of it, in order (a chunk's worker dying fails its sources)."""
    for chunk, results in read_many(_chunks(tasks), workers=workers, limits=limits, job=prepare_many):  # type: ignore[arg-type]
        if isinstance(results, IngestError):
            results = [results] * len(chunk)
        yield from zip(chunk, results, strict=True)


@contextmanager
def _loaded_kept_frozen() -> Iterator[None]:
    """What this process holds by now (Django, the knowledge base: hundreds of thousands of objects) lives as long
    as the run, so it is kept out of the cyclic garbage collector's passes: the writer's collections walked all of
    it again and again while it made and dropped its rows (a sixth of its time at 2,000 files), and forked workers
    walked it too (about 0.5 ms a file) and copied its pages by touching it. Given back to the collector when the
    run ends, so a process that ingests many times (a test session, a queue worker) keeps nothing for good."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _is_url(name: str) -> bool:
    return name.startswith(("http://", "https://"))


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
        reason = str(error)
        return run_writing(lambda: failure_kept(url, reason), what="ingest")
    name = fetched.final_url.split("?")[0].rstrip("/").rsplit("/", 1)[-1] or "index.html"

    def write() -> IngestOutcome:
        with transaction.atomic():
            return ingest_bytes(fetched.data, name=name, source_url=fetched.final_url, access_level=access_level, capture_method="http_get")

    return run_writing(write, what="ingest")


def _not_yet_stored(tasks: Iterable[Task], limits: Limits, summary: IngestSummary, chunk: int = 200) -> Iterator[Task]:
    """Skip sources whose bytes are already in the archive (resumable batches); count them as duplicates.

    Sources are hashed a chunk at a time and the chunk's digests looked up by one query."""
    pending: list[tuple[Task, str | None]] = []
    for task in tasks:
        pending.append((task, original_digest(task.source, limits)))  # None: the reader reports what is wrong with it
        if len(pending) >= chunk:
            yield from _unstored(pending, summary)
            pending = []
    yield from _unstored(pending, summary)


def _unstored(pending: list[tuple[Task, str | None]], summary: IngestSummary) -> Iterator[Task]:
    digests = [digest for _, digest in pending if digest]
    stored = set(Record.objects.filter(sha256__in=digests).values_list("sha256", flat=True)) if digests else set()
    for task, digest in pending:
        if digest in stored:
            summary.add(IngestOutcome(source=str(task.source), duplicate=True))
        else:
            yield task


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
        for path, url in read_manifest(manifest):
            tasks += [Task(source, url) for source in iter_sources([path], limits=limits)]
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(tasks) + sum(map(_is_url, names)), unit="file", desc="ingest")
    for url in filter(_is_url, names):
        summary.add(ingest_url(url, access_level=access_level, allow_hosts=allow_hosts))
        if bar is not None:
            bar.update(1)
    from dhakira.knowledge import knowledge

    knowledge()  # loaded once here, shared with the forked worker processes
    with _loaded_kept_frozen():
        pending = _not_yet_stored(tasks, limits, summary)
        batch: list[tuple[Task, Prepared | IngestError]] = []
        for task, result in prepared(pending, workers=workers, limits=limits):
            batch.append((task, result))
            if len(batch) >= BATCH_SIZE:
                _write_batch(batch, summary, access_level, limits)
                if bar is not None:
                    bar.update(len(batch))
                batch = []
        if batch:
            _write_batch(batch, summary, access_level, limits)
    if bar is not None:
        bar.n = bar.total
        bar.close()
    return summary


WRITE_SLICE = 1.0  # seconds: a write transaction ends after this long, so other writers get their turn


def _write_batch(batch: list[tuple[Task, Prepared | IngestError]], summary: IngestSummary, access_level: str, limits: Limits) -> None:
    """Write a batch in short transactions (one or more records each), each retried whole while the archive is busy.

    If the archive stays busy beyond every retry, the sources left are reported as failed (nothing of them was
    written) and the run goes on to its report.
    """
    pending = list(batch)
    while pending:
        try:
            outcomes, pending = run_writing(partial(_write_slice, pending, access_level, limits), what="ingest")
        except OperationalError as error:
            if not is_busy(error):
                raise
            log.error("archive busy too long; %d sources left for a re-run: %s", len(pending), error)
            for task, _ in pending:
                summary.add(IngestOutcome(source=str(task), error=f"archive busy, not written (run again to finish): {error}"))
            return
        for outcome in outcomes:
            summary.add(outcome)


def _write_slice(pending: list[tuple[Task, Prepared | IngestError]], access_level: str,
                 limits: Limits) -> tuple[list[IngestOutcome], list[tuple[Task, Prepared | IngestError]]]:
    """One transaction: the records pending written in bulk (``bulk_writing``); if that fails, rolled back and
    written one by one until ``WRITE_SLICE`` seconds have passed. Returns the outcomes and what is left."""
    outcomes: list[IngestOutcome] = []
    started = time.monotonic()
    with transaction.atomic(), credibility_deferred(), heads.deferred(), remembered.remembered():
        try:
            with heads.undone_on_error(), remembered.undone_on_error(), transaction.atomic():
                return _write_bulk(pending, access_level, limits), []
        except Exception as error:
            forget_index()  # it may hold records just rolled back
            if is_busy(error):
                raise  # the whole transaction is tried again
            log.warning("writing %d sources together failed (%s: %s); writing them one by one", len(pending), type(error).__name__, error)
        for task, result in pending:
            outcomes.append(_write_one(task, result, access_level, limits))
            if time.monotonic() - started > WRITE_SLICE:
                break
    return outcomes, pending[len(outcomes):]


def _write_bulk(pending: list[tuple[Task, Prepared | IngestError]], access_level: str, limits: Limits) -> list[IngestOutcome]:
    """The slice's sources refused by the reader kept as failures, the others written together, in their order."""
    ready = [NewDocument(str(task), result.document, result.extraction, result.fingerprint, result.embedding, result.shadow, result.profile)
             for task, result in pending if isinstance(result, Prepared)]
    written = iter(write_documents(ready, access_level=access_level))
    return [next(written) if isinstance(result, Prepared) else _write_one(task, result, access_level, limits) for task, result in pending]


def _write_one(task: Task, result: Prepared | IngestError, access_level: str, limits: Limits) -> IngestOutcome:
    name = str(task.source)
    if isinstance(result, IngestError):
        try:
            data = original_bytes(task.source, limits) if task.source.path.stat().st_size <= limits.max_bytes else None
        except (OSError, IngestError):
            data = None
        return failure_kept(name, str(result), data)
    try:
        with heads.undone_on_error(), remembered.undone_on_error(), transaction.atomic():
            return ingest_document(result.document, None, access_level=access_level, source=name,
                                   extraction=result.extraction, fingerprint=result.fingerprint, embedding=result.embedding,
                                   shadow=result.shadow, profile=result.profile)
    except Exception as error:  # one broken source must not stop the batch; its reason is reported
        if is_busy(error):
            raise  # the whole transaction is tried again
        log.exception("unexpected failure on %s", name)
        return failure_kept(name, f"unexpected error: {type(error).__name__}: {error}")


def failure_kept(name: str, error: str, data: bytes | None = None) -> IngestOutcome:
    """Record a refused source; if even that cannot be written, the failure stays in the run's report."""
    try:
        with transaction.atomic():
            return record_failure(name, error, data)
    except Exception as problem:  # noqa: BLE001 - an error while recording a failure never ends the run
        if isinstance(problem, DatabaseError) and is_busy(problem):
            raise
        log.error("could not record the failure of %s (%s): %s", name, error, problem)
        return IngestOutcome(source=name, error=error)


def original_digest(source: Source, limits: Limits) -> str | None:
    """The SHA-256 of a source's original, or None when it cannot be read here (the reader then says why)."""
    try:
        if source.member is None and source.path.stat().st_size > limits.max_bytes:
            return None
        return hashlib.sha256(original_bytes(source, limits)).hexdigest()
    except (OSError, IngestError):
        return None


def ingest_one(task: Task, *, access_level: str = "public", limits: Limits | None = None) -> IngestOutcome:
    """Read, extract and write one source in this process: a queue worker's ingestion job.

    Safe to run again after a crash at any moment: an original already stored is found by its SHA-256
    before any work, and a record is written with its claims and custody entries in one transaction.
    """
    limits = limits or Limits()
    digest = original_digest(task.source, limits)
    existing = Record.objects.filter(sha256=digest).first() if digest else None
    if existing is not None:
        return IngestOutcome(source=str(task), record=existing, duplicate=True)
    result = prepare(task, limits)
    return run_writing(partial(_write_one, task, result, access_level, limits), what="ingest")
