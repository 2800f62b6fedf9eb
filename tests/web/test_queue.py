"""Work beyond one process: ``dhakira ingest --queue`` puts jobs in PostgreSQL, ``dhakira worker`` processes run them.

The queue tests need PostgreSQL (they run in ``make test``'s PostgreSQL pass, each against a database of
its own); on SQLite the commands must refuse with a clear reason and leave nothing behind.
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import pytest

from tests.web.test_cli import dhakira, environment, run  # noqa: F401 - the fixture is used by name
from tests.web.test_concurrent_writers import write_notes

ON_POSTGRESQL = bool(os.environ.get("DHAKIRA_DATABASE_URL"))
needs_postgresql = pytest.mark.skipif(not ON_POSTGRESQL, reason="the job queue lives in PostgreSQL (set DHAKIRA_DATABASE_URL)")
FAST_BEATS = ("--heartbeat", "0.3", "--stalled-after", "1.5")


def query(env: dict[str, str], sql: str) -> list[tuple]:
    import psycopg

    with psycopg.connect(env["DHAKIRA_DATABASE_URL"], autocommit=True) as connection:
        return connection.execute(sql).fetchall()


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds} s for {what}")
        time.sleep(0.05)


def start_worker(env: dict[str, str], archive: Path, *options: str) -> subprocess.Popen[str]:
    return subprocess.Popen([*dhakira(), "--archive", str(archive), "worker", *options], env={**env, "DHAKIRA_LOG_LEVEL": "INFO"},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def command_environment(database: str) -> dict[str, str]:
    """This process's environment for the ``dhakira`` command, on ``database`` of the PostgreSQL server under test."""
    outside = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DHAKIRA_"))}
    return {**outside, "DHAKIRA_DATABASE_URL": urlunparse(urlparse(os.environ["DHAKIRA_DATABASE_URL"])._replace(path=f"/{database}"))}


@pytest.fixture(scope="module")
def migrated_database() -> Iterator[str]:
    """A database brought up to date once for this module's PostgreSQL tests; each test starts from a copy."""
    import psycopg

    url = os.environ["DHAKIRA_DATABASE_URL"]
    name = f"dhakira_queue_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            with tempfile.TemporaryDirectory() as scratch:
                made = run(command_environment(name), Path(scratch) / "archive", "init")
            assert made.returncode == 0, made.stderr
            yield name
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def env(migrated_database: str) -> Iterator[dict[str, str]]:
    """The ``dhakira`` command's environment, on a fresh copy of the migrated database."""
    import psycopg

    url = os.environ["DHAKIRA_DATABASE_URL"]
    name = f"dhakira_queue_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{migrated_database}"')
        try:
            yield command_environment(name)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def workers() -> Iterator[list[subprocess.Popen[str]]]:
    """The worker processes a test starts; any still running at the end are killed."""
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
            process.communicate()


def assert_stored_once(env: dict[str, str], count: int) -> None:
    """``count`` records, each original once, one custody trail each, no claim written twice."""
    assert query(env, "SELECT count(*), count(DISTINCT sha256) FROM archive_record") == [(count, count)]
    collected = query(env, "SELECT count(*), count(DISTINCT record_id) FROM archive_auditentry WHERE action = 'collected'")
    assert collected == [(count, count)]
    assert query(env, "SELECT count(*) FROM archive_auditentry WHERE action = 'hashed'") == [(count,)]
    repeated = query(env, """SELECT count(*) FROM (SELECT 1 FROM archive_claim
                             GROUP BY record_id, field, value, start, "end", incident_report_id HAVING count(*) > 1) AS twice""")
    assert repeated == [(0,)]
    assert query(env, "SELECT count(*) FROM archive_ingestfailure") == [(0,)]


@pytest.mark.skipif(ON_POSTGRESQL, reason="checks the refusal on SQLite archives")
def test_queues_are_refused_on_sqlite_with_the_reason(tmp_path: Path, environment: dict[str, str]) -> None:  # noqa: F811
    write_notes(tmp_path / "incoming", "sqlite", 2)
    archive = tmp_path / "archive"
    refused = run(environment, archive, "ingest", "--queue", str(tmp_path / "incoming"))
    assert refused.returncode == 2
    assert "queues need PostgreSQL" in refused.stderr and "DHAKIRA_DATABASE_URL" in refused.stderr
    assert not archive.exists()  # nothing made on disk

    assert run(environment, archive, "init").returncode == 0
    worker = run(environment, archive, "worker", "--until-empty")
    assert worker.returncode == 2 and "queues need PostgreSQL" in worker.stderr


@needs_postgresql
def test_two_workers_drain_the_queue_and_store_each_original_once(tmp_path: Path, env: dict[str, str],
                                                                   workers: list[subprocess.Popen[str]]) -> None:
    archive, incoming = tmp_path / "archive", tmp_path / "incoming"
    write_notes(incoming, "queued", 10)
    (incoming / "copy-of-queued-000.txt").write_bytes((incoming / "queued-000.txt").read_bytes())  # same original, another name

    workers += [start_worker(env, archive, "--name", name, *FAST_BEATS) for name in ("first", "second")]
    wait_for(lambda: query(env, "SELECT count(*) FROM procrastinate_workers") == [(2,)], 60, "two workers to start")

    queued = run(env, archive, "ingest", "--queue", str(incoming))
    assert queued.returncode == 0, queued.stderr
    counts = [int(word.rstrip(",")) for word in queued.stdout.split() if word.rstrip(",").isdigit()]
    # The copy is queued once with its original while one waits (queueing lock on the SHA-256), or, if a worker
    # took the first already, queued again and found stored when its turn comes.
    assert counts[0] + counts[2] == 11 and counts[1] == 0, queued.stdout
    wait_for(lambda: query(env, "SELECT count(*) FROM procrastinate_jobs WHERE status IN ('todo', 'doing')") == [(0,)],
             120, "the queue to drain")
    for process in workers:
        process.send_signal(signal.SIGTERM)  # a graceful stop
    logs = [process.communicate(timeout=30)[1] for process in workers]
    assert [process.returncode for process in workers] == [0, 0], logs
    for log in logs:
        assert "Traceback" not in log
        assert "ingest job" in log  # each worker ran jobs

    assert_stored_once(env, 10)
    assert query(env, "SELECT count(*) FROM procrastinate_jobs") == [(0,)]  # done jobs are not kept
    again = run(env, archive, "ingest", "--queue", str(incoming))
    assert "queued 0, already stored 11" in again.stdout


@needs_postgresql
def test_killed_jobs_are_run_again_and_leave_no_duplicate(tmp_path: Path, env: dict[str, str],
                                                          workers: list[subprocess.Popen[str]]) -> None:
    """Two kills: one right after a job's record was written but before the job was marked done, one half-way through
    writing a record.

    Each time a worker started later, or still running, finds the job its dead owner left "doing" and runs it again.
    """
    import psycopg

    archive, incoming = tmp_path / "archive", tmp_path / "incoming"
    write_notes(incoming, "killed", 6)
    assert run(env, archive, "ingest", "--queue", str(incoming)).returncode == 0  # makes the archive too

    # 1. The worker writes the record, then finds the job's row locked (held here) and waits: killed there.
    first = start_worker(env, archive, *FAST_BEATS)
    workers.append(first)
    holder = psycopg.connect(env["DHAKIRA_DATABASE_URL"])
    held: list[tuple] = []

    def hold_a_running_job() -> bool:
        held[:] = holder.execute("SELECT id, args->>'path' FROM procrastinate_jobs WHERE status = 'doing' FOR UPDATE").fetchall()
        if not held:
            holder.rollback()
        return bool(held)

    wait_for(hold_a_running_job, 90, "the first worker to take a job")
    (written_job, written_path), = held
    name = Path(written_path).name
    wait_for(lambda: query(env, f"SELECT count(*) FROM archive_record WHERE source_name = '{name}'") == [(1,)],
             60, "the job's record to be written")
    first.send_signal(signal.SIGKILL)
    first.communicate(timeout=30)
    holder.rollback()
    holder.close()
    assert query(env, f"SELECT status FROM procrastinate_jobs WHERE id = {written_job}") == [("doing",)]

    # 2. Another worker takes that job up again, then is killed in the middle of writing a record: the custody
    # log is locked here, so its transaction waits after the record's row was inserted, uncommitted.
    holder = psycopg.connect(env["DHAKIRA_DATABASE_URL"])
    holder.execute("LOCK TABLE archive_auditentry IN EXCLUSIVE MODE")
    second = start_worker(env, archive, *FAST_BEATS)
    workers.append(second)
    blocked = """SELECT count(*) FROM pg_locks JOIN pg_class ON pg_class.oid = pg_locks.relation
                 WHERE pg_class.relname = 'archive_auditentry' AND NOT pg_locks.granted"""
    wait_for(lambda: query(env, blocked) == [(1,)], 90, "the second worker to be writing a record")
    (interrupted_job,), = query(env, f"SELECT id FROM procrastinate_jobs WHERE status = 'doing' AND id <> {written_job}")
    second.send_signal(signal.SIGKILL)
    _, second_log = second.communicate(timeout=30)
    holder.rollback()
    holder.close()
    assert query(env, "SELECT count(*) FROM archive_record") == [(1,)]  # the interrupted record was never committed

    # 3. A third worker finishes everything: it takes the second's job up again once its heartbeat is stale.
    third = start_worker(env, archive, *FAST_BEATS)
    workers.append(third)
    wait_for(lambda: query(env, "SELECT count(*) FROM procrastinate_jobs WHERE status IN ('todo', 'doing')") == [(0,)],
             120, "the queue to drain")
    third.send_signal(signal.SIGTERM)
    _, log = third.communicate(timeout=30)
    assert third.returncode == 0, log
    assert f"job {interrupted_job} " in log and "queued again" in log
    assert f"job {written_job} " in second_log + log  # put back by whichever worker found it first

    assert_stored_once(env, 6)
    assert query(env, f"SELECT count(*) FROM archive_record WHERE source_name = '{name}'") == [(1,)]
    assert query(env, "SELECT count(*) FROM procrastinate_jobs") == [(0,)]  # every job done (and deleted)


def test_a_process_sees_near_duplicates_that_other_processes_wrote(add_record: Callable[..., Any]) -> None:
    """Near-duplicates are found through the bands stored with each record, never a process's own memory:
    a record written by another worker (its bands written with it, in its transaction) is found all the same."""
    from dhakira.ingest import similarity
    from dhakira_web.archive import services
    from dhakira_web.archive.models import NearDuplicateBand

    text = ("Relatives of detainees held in Saydnaya said on 4 June 2017 that guards had stopped every visit for a month, "
            "and that several prisoners transferred from the military police branch were kept in solitary cells without "
            "being told of any charge. A lawyer who follows the cases said that no court had heard them, and that families "
            "who asked at the gate were sent away each time without news. The prison administration gave no answer.")
    assert not hasattr(services, "_index_state")  # nothing of the index lives in the process
    add_record("Guards at Adra Prison searched the cells of the women's wing on 2 May 2018.", name="earlier.txt")
    elsewhere = add_record(text, name="first.txt")
    stored = set(NearDuplicateBand.objects.filter(record=elsewhere).values_list("key", flat=True))
    assert stored == set(similarity.band_keys(similarity.fingerprint(elsewhere.text)))

    repost = add_record("Share on Facebook\n\n" + text + "\n\nAll rights reserved", name="repost.txt")
    assert repost.duplicate_of == elsewhere and repost.review_state == "needs_review"
    unrelated = add_record("Families in Homs asked for news of 12 men taken from a checkpoint on 9 March 2014.", name="other.txt")
    assert unrelated.duplicate_of is None and unrelated.review_state == "machine_extracted"


@contextmanager
def serving(folder: Path) -> Iterator[int]:
    """A web server on 127.0.0.1 for the files in ``folder``; its port."""
    handler = partial(SimpleHTTPRequestHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def test_every_job_run_twice_leaves_what_one_run_leaves(db: None, tmp_path: Path) -> None:
    """What a worker runs, called here directly: a job run again after a crash changes nothing more."""
    from dhakira_web.archive.jobs import tasks
    from dhakira_web.archive.models import AuditEntry, Claim, IncidentReport, Record
    from tests.web.test_cli import ENGLISH

    original = tmp_path / "hama.txt"
    original.write_text(ENGLISH, encoding="utf-8")
    first = tasks.ingest_file(path=str(original))
    assert first["code"] and not first["duplicate"] and not first["error"]
    assert tasks.ingest_file(path=str(original)) == {**first, "duplicate": True}
    record = Record.objects.get(code=first["code"])
    assert Record.objects.count() == 1 and AuditEntry.objects.filter(action="collected").count() == 1

    def state() -> tuple[list, list]:
        claims = sorted(Claim.objects.filter(record=record).values_list("field", "value", "start", "end"))
        return claims, sorted(IncidentReport.objects.filter(record=record).values_list("position", "decision"))

    made = state()
    assert made[0] and made[1]  # the record has claims and an incident to redo
    for job in (tasks.reextract_record, tasks.relink_record):
        job(code=record.code)
        job(code=record.code)
        assert state() == made

    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "report.txt").write_text(ENGLISH.replace("6 May", "7 May"), encoding="utf-8")
    with serving(tmp_path / "site") as port:
        address = f"http://127.0.0.1:{port}/report.txt"
        fetched = tasks.ingest_address(url=address, allow_hosts=["127.0.0.1"])
        assert fetched["code"] and not fetched["duplicate"]
        assert tasks.ingest_address(url=address, allow_hosts=["127.0.0.1"])["duplicate"]
    assert Record.objects.get(code=fetched["code"]).source_url == address
    assert Record.objects.count() == 2

    output = tmp_path / "exports" / "all.jsonl"
    once, twice = tasks.export_records(output=str(output)), tasks.export_records(output=str(output))
    assert once["records"] == twice["records"] == 2 and once["sha256"] and output.exists()
    assert sorted(path.name for path in output.parent.iterdir()) == ["all.jsonl"]  # nothing half-written left beside it
