"""The ``dhakira`` command end to end, in a subprocess, against a temporary archive.

On the PostgreSQL run (DHAKIRA_DATABASE_URL set) the command works in a database of its own,
created and dropped here.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest

ENGLISH = "Guards fired tear gas into Hama Central Prison on 6 May 2016.\n\nAt least 25 prisoners suffered suffocation."
ARABIC = "أطلقت قوات النظام الغاز المسيل للدموع داخل سجن حماة المركزي في 6 أيار 2016.\n\nأصيب ما لا يقل عن 25 سجيناً بحالات اختناق."


def dhakira() -> list[str]:
    found = shutil.which("dhakira", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "dhakira_web.cli"]


@pytest.fixture
def environment(tmp_path: Path) -> Iterator[dict[str, str]]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DHAKIRA_"))}
    url = os.environ.get("DHAKIRA_DATABASE_URL")
    if not url:
        yield env
        return
    import psycopg

    name = f"dhakira_cli_{uuid.uuid4().hex[:12]}"
    admin = psycopg.connect(url, autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    env["DHAKIRA_DATABASE_URL"] = urlunparse(urlparse(url)._replace(path=f"/{name}"))
    try:
        yield env
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def run(env: dict[str, str], archive: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*dhakira(), "--archive", str(archive), *args], capture_output=True, text=True, env=env, timeout=120)


def test_init_ingest_search_show(tmp_path: Path, environment: dict[str, str]) -> None:
    archive = tmp_path / "archive"
    sources = tmp_path / "incoming"
    sources.mkdir()
    (sources / "hama-en.txt").write_text(ENGLISH, encoding="utf-8")
    (sources / "hama-ar.txt").write_text(ARABIC, encoding="utf-8")
    (sources / "empty.txt").write_bytes(b"")

    assert run(environment, archive, "init").returncode == 0
    if "DHAKIRA_DATABASE_URL" not in environment:
        # A new archive file is made with pages of 16 KB (docs/scale.md), set before WAL fixes the page size.
        with closing(sqlite3.connect(archive / "archive.sqlite3")) as made:
            assert made.execute("PRAGMA page_size").fetchone()[0] == 16384
            assert made.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    report = tmp_path / "report.json"
    ingest = run(environment, archive, "ingest", str(sources), "--report", str(report))
    assert ingest.returncode == 1, ingest.stderr  # one file failed, the rest was done
    summary = json.loads(report.read_text())
    assert summary["ingested"] == 2 and summary["duplicates"] == 0
    assert [Path(item["path"]).name for item in summary["failed"]] == ["empty.txt"]
    assert "empty" in summary["failed"][0]["error"]

    again = run(environment, archive, "ingest", str(sources / "hama-en.txt"), "--report", str(report))
    assert again.returncode == 0 and json.loads(report.read_text())["duplicates"] == 1

    english = json.loads(run(environment, archive, "search", "Hama", "--json").stdout)
    arabic = json.loads(run(environment, archive, "search", "حماة", "--json").stdout)
    # Each query finds both reports: its own language by the words, the other through the prison's id.
    assert english["total"] == 2 and arabic["total"] == 2
    assert {hit["language"] for hit in english["results"]} == {hit["language"] for hit in arabic["results"]} == {"en", "ar"}
    hit = next(hit for hit in english["results"] if hit["language"] == "en")
    assert {"code", "title", "language", "issue_date", "snippet"} <= hit.keys()

    reindexed = run(environment, archive, "reindex")
    assert reindexed.returncode == 0 and "search heads made again" in reindexed.stdout, reindexed.stderr
    assert json.loads(run(environment, archive, "search", "Hama", "--json").stdout)["total"] == english["total"]

    shown = json.loads(run(environment, archive, "show", hit["code"], "--json").stdout)
    assert shown["code"] == hit["code"] and shown["text"] == ENGLISH

    stats = json.loads(run(environment, archive, "stats", "--json").stdout)
    assert stats["records"] == 2
    assert run(environment, archive, "audit").returncode == 0


def test_usage_errors_exit_2(tmp_path: Path, environment: dict[str, str]) -> None:
    if "DHAKIRA_DATABASE_URL" not in environment:
        missing = run(environment, tmp_path / "nowhere", "search", "Hama")
        assert missing.returncode == 2 and "dhakira --archive" in missing.stderr
    assert run(environment, tmp_path / "a", "ingest").returncode == 2
    assert run(environment, tmp_path / "a", "no-such-command").returncode == 2


def test_file_names_that_are_not_utf8_are_ingested_and_reported(tmp_path: Path, environment: dict[str, str]) -> None:
    """Bytes of a file name that are not UTF-8 neither stop the run nor its failure records."""
    archive = tmp_path / "archive"
    sources = tmp_path / "incoming"
    sources.mkdir()
    folder = os.fsencode(sources)
    with open(folder + b"/hama-\xe9\xff.txt", "wb") as handle:
        handle.write(ENGLISH.encode("utf-8"))
    with open(folder + b"/empty-\xfe.txt", "wb"):
        pass
    (sources / "homs.txt").write_text(ARABIC, encoding="utf-8")

    report = tmp_path / "report.json"
    ingest = run(environment, archive, "ingest", str(sources), "--report", str(report))
    assert ingest.returncode == 1, ingest.stderr  # the empty file is refused, nothing else
    assert "Traceback" not in ingest.stderr
    summary = json.loads(report.read_text())
    assert summary["ingested"] == 2
    assert [Path(item["path"]).name for item in summary["failed"]] == ["empty-\\xfe.txt"]

    found = json.loads(run(environment, archive, "search", "Hama", "--json").stdout)
    codes = [hit["code"] for hit in found["results"] if hit["language"] == "en"]
    shown = json.loads(run(environment, archive, "show", codes[0], "--json").stdout)
    assert shown["text"] == ENGLISH
    assert run(environment, archive, "audit").returncode == 0
