"""Backups and restores of a whole archive: a consistent database snapshot, the originals and a manifest.

SQLite is copied with its online backup API (``sqlite3.Connection.backup``): pages are copied while
the archive is in use and the copy is one consistent state. PostgreSQL is dumped with ``pg_dump``,
which reads one snapshot of the database in a single transaction. The originals are copied after
the snapshot: an original is stored before its record is committed, so every record in the
snapshot finds its original. ``restore`` checks every file's SHA-256 against the manifest before it
writes anything.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

import dhakira
from dhakira.exchange.manifest import MANIFEST, verify, write_manifest
from dhakira_web.archive.storage import add_sqlite_functions, sha256_hex

KIND = "dhakira-backup"
VERSION = 1
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass
class BackupResult:
    path: Path
    engine: str
    records: int
    blobs: int
    size: int
    manifest_sha256: str


def _postgres_environment() -> dict[str, str]:
    database = settings.DATABASES["default"]
    environment = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if database.get(key):
            environment[name] = str(database[key])
    return environment


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed; on Debian or Ubuntu: apt-get install postgresql-client")
    return found


def _snapshot_sqlite(target: Path) -> tuple[int, str]:
    source = sqlite3.connect(settings.DATABASES["default"]["NAME"], timeout=30)
    destination = sqlite3.connect(target)
    add_sqlite_functions(destination)  # the schema's own functions, should a check read the search entries' view
    try:
        source.backup(destination, pages=1024)
        checked = destination.execute("PRAGMA integrity_check").fetchone()[0]
        if checked != "ok":
            raise BackupError(f"the snapshot failed its integrity check: {checked}")
        records = destination.execute("SELECT count(*) FROM archive_record").fetchone()[0]
        head = destination.execute("SELECT entry_hash FROM archive_auditentry ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        destination.close()
        source.close()
    return records, sha256_hex(head[0]) if head else "0" * 64  # the digest is kept as its bytes


def _snapshot_postgres(target: Path) -> tuple[int, str]:
    """Dump the database with ``pg_dump``, from a snapshot this connection holds open, counted in that snapshot."""
    name = str(settings.DATABASES["default"]["NAME"])
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM archive_record")
        records = cursor.fetchone()[0]
        cursor.execute("SELECT entry_hash FROM archive_auditentry ORDER BY id DESC LIMIT 1")
        head = cursor.fetchone()
        command = [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}", "--file", str(target), name]
        done = subprocess.run(command, env=_postgres_environment(), capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
    listing = subprocess.run([_tool("pg_restore"), "--list", str(target)], capture_output=True, text=True)
    if listing.returncode != 0 or "archive_record" not in listing.stdout:
        raise BackupError("the dump cannot be read back by pg_restore")
    return records, sha256_hex(head[0]) if head else "0" * 64  # the digest is kept as its bytes


def _copy_blobs(target: Path) -> int:
    count = 0
    source = Path(settings.BLOB_DIR)
    if not source.is_dir():
        return 0
    for path in sorted(source.rglob("*")):
        if path.is_file() and not path.name.startswith(".incoming-"):
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)
            count += 1
    return count


def backup(path: Path) -> BackupResult:
    """Write a backup of the archive in use into the new folder ``path``."""
    if path.exists() and any(path.iterdir()):
        raise BackupError(f"{path} exists and is not empty; name a new folder")
    path.mkdir(parents=True, exist_ok=True)
    engine = connection.vendor
    if engine == "sqlite":
        records, head = _snapshot_sqlite(path / SQLITE_FILE)
    elif engine == "postgresql":
        records, head = _snapshot_postgres(path / POSTGRES_FILE)
    else:
        raise BackupError(f"backups of a {engine} database are not supported")
    blob_count = _copy_blobs(path / "blobs")
    manifest_sha256 = write_manifest(path, kind=KIND, version=VERSION, engine=engine, created_at=timezone.now().isoformat(),
                                     dhakira=dhakira.__version__, records=records, originals=blob_count, audit_chain_head=head)
    size = sum(item.stat().st_size for item in path.rglob("*") if item.is_file())
    return BackupResult(path=path, engine=engine, records=records, blobs=blob_count, size=size, manifest_sha256=manifest_sha256)


def read_manifest(path: Path) -> dict[str, Any]:
    """The backup's manifest, after every file was checked against it (raises when anything differs)."""
    checked = verify(path)
    if not checked.ok:
        problems = [f"{label}: {', '.join(names[:10])}" for label, names in (("changed", checked.changed), ("missing", checked.missing),
                                                                               ("added", checked.added)) if names]
        raise BackupError(f"{path} does not match its manifest ({'; '.join(problems + checked.errors)}); nothing restored")
    manifest: dict[str, Any] = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    if manifest.get("kind") != KIND:
        raise BackupError(f"{path} is not a Dhakira backup")
    return manifest


def restore_sqlite(path: Path, archive: Path) -> dict[str, Any]:
    """Restore a checked SQLite backup into the empty archive directory ``archive`` (before Django opens it)."""
    manifest = read_manifest(path)
    if manifest["engine"] != "sqlite":
        raise BackupError(f"this backup holds a {manifest['engine']} database; restore it with DHAKIRA_DATABASE_URL set")
    database = archive / "archive.sqlite3"
    if database.exists():
        raise BackupError(f"{archive} already holds an archive; restore into an empty directory")
    archive.mkdir(parents=True, exist_ok=True)
    if (path / "blobs").is_dir():
        shutil.copytree(path / "blobs", archive / "blobs", dirs_exist_ok=True)
    partial = archive / "archive.sqlite3.partial"
    shutil.copyfile(path / SQLITE_FILE, partial)
    partial.replace(database)
    return manifest


def restore_postgres(path: Path) -> dict[str, Any]:
    """Restore a checked PostgreSQL backup into the configured database, which must hold no archive yet."""
    manifest = read_manifest(path)
    if manifest["engine"] != "postgresql":
        raise BackupError(f"this backup holds a {manifest['engine']} database; restore it without DHAKIRA_DATABASE_URL")
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('archive_record') IS NOT NULL")
        exists = cursor.fetchone()[0]
        if exists:
            cursor.execute("SELECT count(*) FROM archive_record")
            if cursor.fetchone()[0]:
                raise BackupError("the database already holds records; restore into an empty database")
    connection.close()
    name = str(settings.DATABASES["default"]["NAME"])
    command = [_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "--dbname", name]
    if exists:
        command += ["--clean", "--if-exists"]
    done = subprocess.run([*command, str(path / POSTGRES_FILE)], env=_postgres_environment(), capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()[:2000]}")
    target = Path(settings.BLOB_DIR)
    if (path / "blobs").is_dir():
        shutil.copytree(path / "blobs", target, dirs_exist_ok=True)
    return manifest
