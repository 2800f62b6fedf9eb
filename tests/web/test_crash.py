"""A batch killed with SIGKILL leaves only whole records, and a re-run finishes it with no duplicates."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.web.test_cli import dhakira

FILES = 240


def write_sources(folder: Path) -> None:
    folder.mkdir()
    for number in range(FILES):
        if number % 2:
            text = f"تقرير رقم {number}: نقل {number + 3} معتقلين من سجن حمص المركزي إلى سجن صيدنايا في {1 + number % 28} آذار 2019."
        else:
            text = f"Note {number}: {number + 3} detainees were transferred from Adra Prison to Saydnaya on {1 + number % 28} March 2019."
        (folder / f"note-{number:04d}.txt").write_text(text + "\n\n" + "Relatives were not told. " * (number % 7 + 1), encoding="utf-8")


def count(database: Path, table: str) -> int:
    try:
        with sqlite3.connect(database, timeout=30) as connection:
            return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


@pytest.mark.skipif(bool(os.environ.get("DHAKIRA_DATABASE_URL")), reason="inspects the SQLite file directly; the PostgreSQL path shares the same transactions")
def test_sigkill_mid_batch_then_resume(tmp_path: Path) -> None:
    archive, sources = tmp_path / "archive", tmp_path / "incoming"
    write_sources(sources)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DHAKIRA_"))}
    database = archive / "archive.sqlite3"
    subprocess.run([*dhakira(), "--archive", str(archive), "init"], check=True, env=env, capture_output=True)

    process = subprocess.Popen([*dhakira(), "--archive", str(archive), "ingest", str(sources), "-q"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while count(database, "archive_record") == 0 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    stored = count(database, "archive_record")
    assert 0 < stored < FILES, "the batch should have been killed part way"

    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("SELECT count(*) FROM archive_record r LEFT JOIN archive_searchentry s ON s.record_id = r.id WHERE s.record_id IS NULL").fetchone()[0] == 0
        assert connection.execute("SELECT count(*) FROM archive_record WHERE code LIKE '~%'").fetchone()[0] == 0
        per_record = connection.execute("SELECT count(*) FROM archive_auditentry WHERE action = 'text_extracted'").fetchone()[0]
        assert per_record == stored
        hashes = [row[0] for row in connection.execute("SELECT sha256 FROM archive_record")]
    for sha256 in hashes:
        assert (archive / "blobs" / sha256[:2] / sha256[2:4] / sha256).exists()
    assert subprocess.run([*dhakira(), "--archive", str(archive), "audit"], env=env, capture_output=True).returncode == 0

    report = tmp_path / "report.json"
    again = subprocess.run([*dhakira(), "--archive", str(archive), "ingest", str(sources), "-q", "--report", str(report)],
                           env=env, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    import json

    summary = json.loads(report.read_text())
    assert summary["duplicates"] == stored and summary["ingested"] == FILES - stored and summary["failed"] == []
    assert count(database, "archive_record") == FILES
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT count(DISTINCT sha256) FROM archive_record").fetchone()[0] == FILES


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q"]))
