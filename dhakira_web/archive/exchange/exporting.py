"""Exports in every format, one entry point: select, write aside, move into place, write custody.

Every export writes one custody entry ``exported`` per record it carried, naming who exported it,
the format and the SHA-256 of what was written, so a record's custody log shows where it went.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from django.db.models import QuerySet

from dhakira_web.archive.exchange import custody
from dhakira_web.archive.exchange.jsonl import ExportResult, HashingHandle, write_jsonl
from dhakira_web.archive.exchange.selection import actor_name, selected_records
from dhakira_web.archive.models import Record

Writer = Callable[..., ExportResult]


def _writers() -> dict[str, Writer]:
    from dhakira_web.archive.exchange import acled, jsonld

    return {"jsonl": write_jsonl, "jsonld": jsonld.write_jsonld, "acled": acled.write_acled, "csv": write_csv_zip}


FORMATS = ("jsonl", "csv", "jsonld", "acled")


def write_csv_zip(handle: IO[bytes], user: Any, records: QuerySet[Record], *, about: dict[str, Any] | None = None) -> ExportResult:
    """The three CSV files, zipped into ``handle``."""
    from dhakira_web.archive.exchange.tables import write_csv_folder

    with tempfile.TemporaryDirectory(prefix="dhakira-csv-") as scratch:
        result = write_csv_folder(Path(scratch), user, records)
        with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:  # type: ignore[arg-type]
            for name in ("records.csv", "incidents.csv", "claims.csv"):
                archive.write(Path(scratch) / name, name)
    return result


def record_exported(user: Any, format_name: str, result: ExportResult, records: QuerySet[Record] | None = None) -> int:
    """One ``exported`` custody entry per record carried, in one bulk append."""
    actor = actor_name(user)

    def entries() -> Iterator[dict[str, Any]]:
        for start in range(0, len(result.record_ids), custody.BATCH):  # codes read a batch at a time
            chunk = result.record_ids[start:start + custody.BATCH]
            codes = dict(Record.objects.filter(pk__in=chunk).values_list("pk", "code"))
            yield from ({"actor": actor, "action": "exported", "record_id": pk, "target": codes[pk],
                         "details": {"format": format_name, "sha256": result.sha256, "by": actor}} for pk in chunk if pk in codes)

    return custody.append_many(entries())


def write_export(handle: IO[bytes], format_name: str, user: Any, *, query: str = "", filters: dict[str, str] | None = None,
                 codes: list[str] | None = None, originals: bool = False, accounts: bool = False) -> ExportResult:
    """Write one export to ``handle`` and its custody entries; returns what was written.

    ``accounts`` (jsonl only) adds every account with its role and password hash, to move a whole archive.
    """
    if format_name not in FORMATS:
        raise ValueError(f"unknown export format {format_name!r}; choose one of {', '.join(FORMATS)}")
    records = selected_records(user, query, filters, codes)
    about = {"exported_by": actor_name(user), "query": query, "filters": filters or {}}
    writer = _writers()[format_name]
    options: dict[str, Any] = {"about": about}
    if format_name == "jsonl":
        options["originals"] = originals
        options["accounts"] = accounts
    hashing = HashingHandle(handle)
    result = writer(hashing, user, records, **options)
    result.sha256, result.size = hashing.sha.hexdigest(), hashing.size
    record_exported(user, format_name, result)
    return result


def export_to_path(path: Path, format_name: str, user: Any, **options: Any) -> ExportResult:
    """Write an export to ``path``: written aside first, moved into place once complete.

    CSV goes to a ZIP when ``path`` ends in ``.zip``, else into the folder ``path`` with a manifest
    (whose SHA-256 the custody entries name).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if format_name == "csv" and path.suffix.lower() != ".zip":
        return _csv_folder(path, user, **options)
    descriptor, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            result = write_export(handle, format_name, user, **options)
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    return result


def _csv_folder(path: Path, user: Any, *, query: str = "", filters: dict[str, str] | None = None,
                codes: list[str] | None = None, originals: bool = False, accounts: bool = False) -> ExportResult:
    from dhakira.exchange.manifest import write_manifest
    from dhakira_web.archive.exchange.tables import write_csv_folder

    if path.exists() and any(path.iterdir()):
        raise FileExistsError(f"{path} exists and is not empty; name a new folder or a .zip")
    result = write_csv_folder(path, user, selected_records(user, query, filters, codes))
    result.sha256 = write_manifest(path, kind="dhakira-csv-export", exported_by=actor_name(user), query=query, filters=filters or {})
    result.size = sum(item.stat().st_size for item in path.iterdir())
    record_exported(user, "csv", result)
    return result


def sha256_of(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            sha.update(chunk)
    return sha.hexdigest()
