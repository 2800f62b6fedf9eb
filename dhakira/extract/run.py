"""Run extraction over files and manifests (what the command line and the benchmarks call).

* :func:`extract_path` – one file, never raises: an unreadable file gives the contract object with
  ``"error"`` set and empty lists.
* :func:`read_manifest` – the ``path,source_url`` rows of a manifest CSV, paths made absolute.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from dhakira.extract import empty_result, extract_document

__all__ = ["extract_path", "read_and_extract", "read_manifest"]


def read_and_extract(path: str | Path, *, source_url: str | None = None) -> tuple[dict[str, Any], str | None]:
    """The extraction object of one file and its clean text (``None`` when the file cannot be read).

    Never raises: a failure gives the contract object with ``error`` set.
    """
    from dhakira.ingest import IngestError, read_path

    path = Path(path)
    try:
        document = read_path(path, source_url=source_url or None)
    except IngestError as error:
        return empty_result(path=path.name, error=str(error)), None
    except Exception as error:  # noqa: BLE001 - one bad file must not stop a batch
        return empty_result(path=path.name, error=f"cannot read {path.name}: {error}"), None
    try:
        return extract_document(document), document.text
    except Exception as error:  # noqa: BLE001 - report, do not crash the batch
        return empty_result(path=path.name, sha256=document.sha256, media_type=document.media_type,
                            error=f"extraction failed for {path.name}: {type(error).__name__}: {error}"), document.text


def extract_path(path: str | Path, *, source_url: str | None = None) -> dict[str, Any]:
    """The extraction object of one file (with ``error`` set instead of an exception)."""
    return read_and_extract(path, source_url=source_url)[0]


def read_manifest(csv_path: str | Path) -> list[tuple[Path, str | None]]:
    """Rows of a manifest CSV (columns ``path`` and ``source_url``), relative paths resolved against it.

    Raises ``ValueError`` when the file has no ``path`` column, ``OSError`` when it cannot be read.
    """
    csv_path = Path(csv_path)
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or "path" not in reader.fieldnames:
            raise ValueError(f"{csv_path.name} has no 'path' column")
        rows: list[tuple[Path, str | None]] = []
        for row in reader:
            raw = (row.get("path") or "").strip()
            if not raw:
                continue
            path = Path(raw)
            if not path.is_absolute():
                path = csv_path.parent / path
            url = (row.get("source_url") or "").strip() or None
            rows.append((path, url))
    return rows
