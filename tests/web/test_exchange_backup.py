"""Backups while the archive is in use, restored into a new archive whose audit chain verifies.

On the PostgreSQL run (DHAKIRA_DATABASE_URL set) the commands work in two databases of their own,
created and dropped here; otherwise in SQLite archives under tmp_path.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest

from tests.web.test_cli import dhakira

GOVERNORATES = ["Hama", "Homs", "Aleppo", "Idlib", "Deir ez-Zor", "Daraa"]


@pytest.fixture
def environments() -> Iterator[tuple[dict[str, str], dict[str, str]]]:
    """Environments of a source and of a target archive (two new PostgreSQL databases on that run)."""
    base = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DHAKIRA_"))}
    url = os.environ.get("DHAKIRA_DATABASE_URL")
    if not url:
        yield dict(base), dict(base)
        return
    import psycopg

    names = [f"dhakira_backup_{uuid.uuid4().hex[:10]}" for _ in range(2)]
    admin = psycopg.connect(url, autocommit=True)
    made = []
    for name in names:
        admin.execute(f'CREATE DATABASE "{name}"')
        made.append({**base, "DHAKIRA_DATABASE_URL": urlunparse(urlparse(url)._replace(path=f"/{name}"))})
    try:
        yield made[0], made[1]
    finally:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def run(env: dict[str, str], archive: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*dhakira(), "--archive", str(archive), *args], capture_output=True, text=True, env=env, timeout=300)


def write_reports(folder: Path, count: int) -> None:
    folder.mkdir()
    for number in range(count):
        place = GOVERNORATES[number % len(GOVERNORATES)]
        (folder / f"report-{number:03d}.txt").write_text(
            f"Report {number}: on {1 + number % 27} March 2019 guards at the central prison of {place} beat "
            f"{3 + number} detainees during a transfer; {number % 4} of them later died in custody.\n\n"
            f"Families of detainees in {place} say the case number {1000 + number} is still open.", encoding="utf-8")


def records_and_originals(env: dict[str, str], archive: Path) -> tuple[int, list[str]]:
    """How many records the archive holds, and the SHA-256 of those whose original is missing."""
    if env.get("DHAKIRA_DATABASE_URL"):
        import psycopg

        with psycopg.connect(env["DHAKIRA_DATABASE_URL"]) as database:
            hashes = [row[0] for row in database.execute("SELECT sha256 FROM archive_record")]
    else:
        import sqlite3

        database = sqlite3.connect(archive / "archive.sqlite3")
        hashes = [row[0] for row in database.execute("SELECT sha256 FROM archive_record")]
        database.close()
    missing = [sha for sha in hashes if not (archive / "blobs" / sha[:2] / sha[2:4] / sha).is_file()]
    return len(hashes), missing


def test_a_backup_taken_while_ingest_writes_restores_to_a_verified_archive(tmp_path: Path, environments: tuple[dict[str, str], dict[str, str]]) -> None:
    source_env, target_env = environments
    source, target = tmp_path / "source", tmp_path / "restored"
    incoming = tmp_path / "incoming"
    count = 120  # several write slices (``ingestion.BATCH_SIZE`` files each, committed whole): ingest goes on after the first
    write_reports(incoming, count)
    assert run(source_env, source, "init").returncode == 0
    ingest = subprocess.Popen([*dhakira(), "--archive", str(source), "ingest", str(incoming), "--workers", "1", "-q"],
                              env=source_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while records_and_originals(source_env, source)[0] < 3 and time.monotonic() < deadline:
            time.sleep(0.3)
        still_writing = ingest.poll() is None
        backup = run(source_env, source, "backup", str(tmp_path / "backup"))
    finally:
        out, err = ingest.communicate(timeout=600)
    assert backup.returncode == 0, backup.stderr
    assert ingest.returncode == 0, err
    assert still_writing, "the backup was taken while ingest was writing"
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text(encoding="utf-8"))
    # The snapshot holds the records committed when it was taken (all of them when ingest finished first).
    assert 3 <= manifest["records"] <= count

    restored = run(target_env, target, "restore", str(tmp_path / "backup"))
    assert restored.returncode == 0, restored.stderr
    assert "audit log intact" in restored.stdout
    assert run(target_env, target, "audit").returncode == 0
    # The manifest names the chain's head as the audit command prints it (the digest kept as bytes, read as hex).
    assert manifest["audit_chain_head"] == run(target_env, target, "audit", "head").stdout.strip() != "0" * 64
    count, missing = records_and_originals(target_env, target)
    assert count >= 3 and not missing
    stats = json.loads(run(target_env, target, "stats", "--json").stdout)
    assert stats["records"] == count


def test_restore_refuses_a_backup_with_a_changed_file_and_writes_nothing(tmp_path: Path, environments: tuple[dict[str, str], dict[str, str]]) -> None:
    source_env, target_env = environments
    source, target = tmp_path / "source", tmp_path / "restored"
    incoming = tmp_path / "incoming"
    write_reports(incoming, 2)
    assert run(source_env, source, "ingest", str(incoming), "-q").returncode == 0
    assert run(source_env, source, "backup", str(tmp_path / "backup")).returncode == 0
    blob = next(path for path in (tmp_path / "backup" / "blobs").rglob("*") if path.is_file())
    blob.chmod(0o644)
    blob.write_bytes(blob.read_bytes() + b" ")
    refused = run(target_env, target, "restore", str(tmp_path / "backup"))
    assert refused.returncode == 2 and "changed" in refused.stderr and blob.name in refused.stderr
    assert not (target / "archive.sqlite3").exists() and not (target / "blobs").exists()
