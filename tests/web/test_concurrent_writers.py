"""Many writers, one archive: two ``dhakira ingest`` runs at once, and an ingest while reviewers write on the web.

Each process waits its turn for the write lock (SQLite: immediate transactions and a busy timeout;
PostgreSQL: row locks); none fails with ``database is locked`` and none stores a record twice.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.web.test_cli import dhakira, environment, run  # noqa: F401 - the fixture is used by name

PLACES = [("Adra Prison", "سجن عدرا"), ("Saydnaya", "صيدنايا"), ("Hama Central Prison", "سجن حماة المركزي")]


def write_notes(folder: Path, prefix: str, count: int) -> None:
    """Short notes of our own, half English, half Arabic, every one different."""
    folder.mkdir(parents=True)
    for number in range(count):
        english, arabic = PLACES[number % len(PLACES)]
        if number % 2:
            text = f"{prefix} تقرير {number}: نقل {number + 4} معتقلين إلى {arabic} في {1 + number % 27} نيسان 2018."
        else:
            text = f"{prefix} note {number}: {number + 4} detainees were moved to {english} on {1 + number % 27} April 2018."
        (folder / f"{prefix}-{number:03d}.txt").write_text(text + "\n\n" + "Families were not told. " * (number % 5 + 1), encoding="utf-8")


def ingest(env: dict[str, str], archive: Path, report: Path, *folders: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([*dhakira(), "--archive", str(archive), "ingest", *map(str, folders), "-q", "--report", str(report)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def records_in(env: dict[str, str], archive: Path) -> int:
    stats = run(env, archive, "stats", "--json", "--user", "admin")
    assert stats.returncode == 0, stats.stderr
    return int(json.loads(stats.stdout)["records"])


def test_two_ingests_into_one_archive(tmp_path: Path, environment: dict[str, str]) -> None:  # noqa: F811
    archive = tmp_path / "archive"
    first, second, shared = tmp_path / "first", tmp_path / "second", tmp_path / "shared"
    write_notes(first, "alpha", 60)
    write_notes(second, "beta", 60)
    write_notes(shared, "gamma", 20)  # named by both runs: stored once
    assert run(environment, archive, "init").returncode == 0
    assert run(environment, archive, "user", "add", "admin", "--role", "admin", "--password", "not-a-secret-1").returncode == 0

    reports = [tmp_path / "first.json", tmp_path / "second.json"]
    processes = [ingest(environment, archive, reports[0], shared, first), ingest(environment, archive, reports[1], shared, second)]
    for process in processes:
        _, stderr = process.communicate(timeout=600)
        assert process.returncode == 0, stderr
        assert "database is locked" not in stderr and "Traceback" not in stderr
    summaries = [json.loads(report.read_text()) for report in reports]
    assert all(not summary["failed"] for summary in summaries)
    assert sum(summary["ingested"] for summary in summaries) == 140
    assert sum(summary["duplicates"] for summary in summaries) == 20  # each shared note once by one run, once a duplicate
    assert records_in(environment, archive) == 140
    assert run(environment, archive, "audit").returncode == 0  # one unbroken chain from both writers


WEB_WRITER = textwrap.dedent("""
    import sys, time
    import django
    django.setup()
    from django.test import Client
    from dhakira_web.archive.models import Record
    client = Client()
    assert client.login(username="reviewer", password="not-a-secret-2")
    code = Record.objects.order_by("id").values_list("code", flat=True).first()
    done, deadline = 0, time.monotonic() + float(sys.argv[1])
    while time.monotonic() < deadline:
        state = ("needs_review", "machine_extracted")[done % 2]
        response = client.post(f"/records/{code}/review-state", {"state": state}, HTTP_ACCEPT="application/json")
        assert response.status_code == 200, (response.status_code, response.content[:300])
        done += 1
    print(done)
""")


def test_an_ingest_while_reviewers_write_on_the_web(tmp_path: Path, environment: dict[str, str]) -> None:  # noqa: F811
    archive = tmp_path / "archive"
    seed, incoming = tmp_path / "seed", tmp_path / "incoming"
    write_notes(seed, "seed", 2)
    write_notes(incoming, "delta", 80)
    assert run(environment, archive, "init").returncode == 0
    assert run(environment, archive, "user", "add", "admin", "--role", "admin", "--password", "not-a-secret-1").returncode == 0
    assert run(environment, archive, "user", "add", "reviewer", "--role", "reviewer", "--password", "not-a-secret-2").returncode == 0
    assert run(environment, archive, "ingest", str(seed), "-q").returncode == 0

    env = {**environment, "DHAKIRA_ARCHIVE": str(archive.resolve()), "DJANGO_SETTINGS_MODULE": "dhakira_web.settings"}
    report = tmp_path / "report.json"
    ingesting = ingest(environment, archive, report, incoming)
    writer = subprocess.Popen([sys.executable, "-c", WEB_WRITER, "20"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, ingest_errors = ingesting.communicate(timeout=600)
    written, writer_errors = writer.communicate(timeout=600)
    assert ingesting.returncode == 0, ingest_errors
    assert writer.returncode == 0, writer_errors
    assert int(written) > 0
    summary = json.loads(report.read_text())
    assert summary["ingested"] == 80 and not summary["failed"]
    assert records_in(environment, archive) == 82
    assert run(environment, archive, "audit").returncode == 0
