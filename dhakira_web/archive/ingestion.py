"""Batches: many files, folders, ZIP archives, URLs and manifests into the archive.

Each record is written in its own transaction, so a batch killed at any moment leaves only whole
records; a re-run skips every original already stored (same SHA-256) and finishes the rest.
"""

from __future__ import annotations

import csv
import hashlib
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

from dhakira_web.archive.models import Record
from dhakira_web.archive.services import IngestOutcome, IngestSummary, ingest_bytes, record_failure

log = logging.getLogger("dhakira.archive")


def _is_url(name: str) -> bool:
    return name.startswith(("http://", "https://"))


def _files(paths: Iterable[str | Path]) -> Iterator[Path]:
    for name in paths:
        path = Path(name)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not any(part.startswith(".") for part in child.relative_to(path).parts):
                    yield child
        else:
            yield path


def _manifest(csv_path: Path) -> Iterator[tuple[Path, str | None]]:
    with csv_path.open(newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            if row.get("path"):
                yield csv_path.parent / row["path"], (row.get("source_url") or "").strip() or None


def ingest_file(path: Path, *, source_url: str | None = None, access_level: str = "public") -> IngestOutcome:
    """One file from disk: skipped early when its bytes are already in the archive."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return record_failure(str(path), f"cannot read the file: {error.strerror}")
    if Record.objects.filter(sha256=hashlib.sha256(data).hexdigest()).exists():
        return IngestOutcome(source=str(path), duplicate=True)
    return ingest_bytes(data, name=str(path), source_url=source_url, access_level=access_level, capture_method="manual_upload")


def ingest_url(url: str, *, access_level: str = "public", allow_hosts: frozenset[str] = frozenset()) -> IngestOutcome:
    """Fetch an address safely and keep the fetched bytes as the original."""
    from dhakira.ingest import IngestError
    from dhakira.ingest.fetch import fetch_url

    try:
        fetched = fetch_url(url, allow_hosts=allow_hosts)
    except IngestError as error:
        return record_failure(url, str(error))
    name = fetched.final_url.rstrip("/").rsplit("/", 1)[-1] or "index.html"
    return ingest_bytes(fetched.data, name=name, source_url=fetched.final_url, access_level=access_level, capture_method="http_get")


def ingest_sources(
    paths: Iterable[str],
    *,
    manifest: str | None = None,
    access_level: str = "public",
    progress: bool = False,
    workers: int = 1,
    allow_hosts: frozenset[str] = frozenset(),
) -> IngestSummary:
    """Ingest everything named; one bad source never stops the batch."""
    summary = IngestSummary()
    items: list[tuple[str, Path | None, str | None]] = []
    for name in paths:
        if _is_url(str(name)):
            items.append((str(name), None, None))
        else:
            items += [(str(path), path, None) for path in _files([name])]
    if manifest:
        items += [(str(path), path, url) for path, url in _manifest(Path(manifest))]
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(items), unit="file", desc="ingest")
    for name, path, source_url in items:
        try:
            if path is None:
                outcome = ingest_url(name, access_level=access_level, allow_hosts=allow_hosts)
            else:
                outcome = ingest_file(path, source_url=source_url, access_level=access_level)
        except Exception as error:  # one broken source must not stop the batch; its reason is reported
            log.exception("unexpected failure on %s", name)
            outcome = record_failure(name, f"unexpected error: {error}")
        summary.add(outcome)
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    return summary
