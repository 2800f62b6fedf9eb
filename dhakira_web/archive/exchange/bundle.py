"""Evidence bundles: the originals byte for byte, clean texts, each record's JSON, the custody log and a manifest.

A bundle is a folder, or a ``.zip`` of one. ``manifest.json`` lists the SHA-256 and size of every
file and the archive's audit chain head when the bundle was made; ``dhakira bundle verify`` (or
``sha256sum``) checks it offline. ``export.jsonl`` inside lets ``dhakira import`` load the bundle.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import timezone

import dhakira
from dhakira.exchange.manifest import safe_member, write_manifest, zip_folder
from dhakira_web.archive import blobs, payloads, policy
from dhakira_web.archive.exchange import custody, serial
from dhakira_web.archive.exchange.jsonl import ExportResult, write_jsonl
from dhakira_web.archive.exchange.selection import actor_name, selected_records
from dhakira_web.archive.models import AuditEntry, Record

KIND = "dhakira-evidence-bundle"
VERSION = 1
EXTENSIONS = {"text/plain": "txt", "text/html": "html", "application/pdf": "pdf", "application/zip": "zip",
              "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx"}
README = """Dhakira evidence bundle
=======================

originals/   each original document exactly as it was received (named by archive code)
texts/       the clean text Dhakira read from each original
records/     each record as JSON: catalogue fields, facts with their character spans, incidents
custody.jsonl  every custody entry of these records, with the hash chain values
export.jsonl   the same records in Dhakira's export format (dhakira import reads it)
manifest.json  the SHA-256 and size of every other file, and the archive's audit chain head

To check the bundle without Dhakira: for each entry of manifest.json, the SHA-256 of the file
(sha256sum on Linux, shasum -a 256 on macOS, certutil -hashfile on Windows) must equal the one
listed, and no other file may be present. With Dhakira: dhakira bundle verify THIS_FOLDER_OR_ZIP.
Keep the manifest's own SHA-256, given when the bundle was made, apart from the bundle.
"""


@dataclass
class BundleResult:
    path: Path
    records: int
    manifest_sha256: str
    size: int


def _extension(record: Record) -> str:
    suffix = Path(record.source_name or "").suffix.lstrip(".").lower()
    if re.fullmatch(r"[a-z0-9]{1,8}", suffix):
        return suffix
    return EXTENSIONS.get(record.media_type.split(";")[0].strip(), "bin")


def _custody_line(entry: AuditEntry) -> str:
    return serial.line({"id": entry.pk, "at": entry.at.isoformat(), "actor": entry.actor, "action": entry.action,
                        "record": entry.target, "details": entry.details, "previous_hash": entry.previous_hash, "entry_hash": entry.entry_hash})


def write_folder(folder: Path, user: Any, records: Any) -> tuple[ExportResult, list[str]]:
    """Write the bundle's files (all but the manifest) into ``folder``; returns the export and the codes."""
    for name in ("originals", "texts", "records"):
        (folder / name).mkdir(parents=True, exist_ok=True)
    (folder / "README.txt").write_text(README, encoding="utf-8")
    with (folder / "export.jsonl").open("wb") as handle:
        result = write_jsonl(handle, user, records, about={"exported_by": actor_name(user), "bundle": True})
    codes: list[str] = []
    for ids in [result.record_ids[start:start + 200] for start in range(0, len(result.record_ids), 200)]:
        for record in Record.objects.filter(pk__in=ids).order_by("pk"):
            codes.append(record.code)
            if policy.may_download_original(user, record) and blobs.blob_path(record.sha256).exists():
                (folder / "originals" / f"{record.code}.{_extension(record)}").write_bytes(blobs.read(record.sha256))
            (folder / "texts" / f"{record.code}.txt").write_text(policy.shown_text(user, record, record.text), encoding="utf-8")
            data = serial.walk_strings(payloads.record_payload(record, user), lambda text, record=record: policy.shown_text(user, record, text))
            (folder / "records" / f"{record.code}.json").write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    with (folder / "custody.jsonl").open("w", encoding="utf-8") as handle:
        for start in range(0, len(result.record_ids), 500) if serial.signed_in_roles(user) else ():
            for entry in AuditEntry.objects.filter(record_id__in=result.record_ids[start:start + 500]).order_by("id"):
                handle.write(_custody_line(entry) + "\n")
    return result, codes


def create_bundle(path: Path, user: Any, *, query: str = "", codes: list[str] | None = None,
                  filters: dict[str, str] | None = None) -> BundleResult:
    """Make an evidence bundle of the records ``user`` may see matching ``query``/``filters`` or named by ``codes``."""
    if path.exists() and (path.is_file() or any(path.iterdir())):
        raise FileExistsError(f"{path} exists already; name a new folder or .zip")
    records = selected_records(user, query, filters, codes)
    as_zip = path.suffix.lower() == ".zip"
    work = Path(tempfile.mkdtemp(prefix=".bundle-", dir=path.parent)) if as_zip else path
    try:
        work.mkdir(parents=True, exist_ok=True)
        result, carried = write_folder(work, user, records)
        head = custody.chain_head()
        manifest_sha256 = write_manifest(work, kind=KIND, version=VERSION, created_at=timezone.now().isoformat(),
                                         created_by=actor_name(user), dhakira=dhakira.__version__, audit_chain_head=head,
                                         audit_entries=AuditEntry.objects.count(), records=carried, query=query, filters=filters or {})
        if as_zip:
            zip_folder(work, path)
    finally:
        if as_zip:
            shutil.rmtree(work, ignore_errors=True)
    size = path.stat().st_size if as_zip else sum(item.stat().st_size for item in path.rglob("*") if item.is_file())
    actor = actor_name(user)
    code_of = dict(Record.objects.filter(pk__in=result.record_ids).values_list("pk", "code"))
    custody.append_many({"actor": actor, "action": "exported", "record_id": pk, "target": code_of[pk],
                         "details": {"format": "bundle", "sha256": manifest_sha256, "by": actor}} for pk in result.record_ids)
    return BundleResult(path=path, records=len(carried), manifest_sha256=manifest_sha256, size=size)


def unpack(path: Path, into: Path) -> Path:
    """A bundle's folder: ``path`` itself, or its ZIP extracted into ``into`` (paths checked first)."""
    if path.is_dir():
        return path
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if not safe_member(info.filename):
                raise ValueError(f"{path} holds a path outside the bundle: {info.filename}")
        archive.extractall(into)
    return into
