"""Exports in every format, one entry point: select, write aside, move into place, write custody.

Every export writes one custody entry ``exported`` per record it carried, naming who exported it,
the format and the SHA-256 of what was written, so a record's custody log shows where it went.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from django.db.models import QuerySet

from dhakira_web.archive.exchange import custody
from dhakira_web.archive.exchange.jsonl import ExportResult, HashingHandle, write_jsonl
from dhakira_web.archive.exchange.selection import actor_name, selected_records
from dhakira_web.archive.models import Record

Writer = Callable[..., ExportResult]


def _writers() -> dict[str, Writer]:
    return {"jsonl": write_jsonl}


FORMATS = ("jsonl",)


def record_exported(user: Any, format_name: str, result: ExportResult, records: QuerySet[Record] | None = None) -> int:
    """One ``exported`` custody entry per record carried, in one bulk append."""
    actor = actor_name(user)
    codes = dict(Record.objects.filter(pk__in=result.record_ids).values_list("pk", "code")) if result.record_ids else {}
    return custody.append_many(
        {"actor": actor, "action": "exported", "record_id": pk, "target": codes[pk],
         "details": {"format": format_name, "sha256": result.sha256, "by": actor}}
        for pk in result.record_ids if pk in codes
    )


def write_export(handle: IO[bytes], format_name: str, user: Any, *, query: str = "", filters: dict[str, str] | None = None,
                 codes: list[str] | None = None, originals: bool = False) -> ExportResult:
    """Write one export to ``handle`` and its custody entries; returns what was written."""
    if format_name not in FORMATS:
        raise ValueError(f"unknown export format {format_name!r}; choose one of {', '.join(FORMATS)}")
    records = selected_records(user, query, filters, codes)
    about = {"exported_by": actor_name(user), "query": query, "filters": filters or {}}
    writer = _writers()[format_name]
    options: dict[str, Any] = {"about": about}
    if format_name == "jsonl":
        options["originals"] = originals
    hashing = HashingHandle(handle)
    result = writer(hashing, user, records, **options)
    result.sha256, result.size = hashing.sha.hexdigest(), hashing.size
    record_exported(user, format_name, result)
    return result


def export_to_path(path: Path, format_name: str, user: Any, **options: Any) -> ExportResult:
    """Write an export to ``path``: written aside first, moved into place once complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            result = write_export(handle, format_name, user, **options)
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    return result


def sha256_of(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            sha.update(chunk)
    return sha.hexdigest()
