"""Work beyond one process: ``dhakira ingest --queue`` puts jobs in PostgreSQL, ``dhakira worker`` processes run them.

The queue tests need PostgreSQL (they run in ``make test``'s PostgreSQL pass, each against a database of
its own); on SQLite the commands must refuse with a clear reason and leave nothing behind.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.web.test_cli import dhakira, environment, run  # noqa: F401 - the fixture is used by name
from tests.web.test_concurrent_writers import write_notes

ON_POSTGRESQL = bool(os.environ.get("DHAKIRA_DATABASE_URL"))
needs_postgresql = pytest.mark.skipif(not ON_POSTGRESQL, reason="the job queue lives in PostgreSQL (set DHAKIRA_DATABASE_URL)")
FAST_BEATS = ("--heartbeat", "0.5", "--stalled-after", "2")


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
def test_two_workers_drain_the_queue_and_store_each_original_once(tmp_path: Path, environment: dict[str, str],  # noqa: F811
                                                                   workers: list[subprocess.Popen[str]]) -> None:
    archive, incoming = tmp_path / "archive", tmp_path / "incoming"
    write_notes(incoming, "queued", 24)
    (incoming / "copy-of-queued-000.txt").write_bytes((incoming / "queued-000.txt").read_bytes())  # same original, another name
    assert run(environment, archive, "init").returncode == 0

    workers += [start_worker(environment, archive, "--name", name, *FAST_BEATS) for name in ("first", "second")]
    wait_for(lambda: query(environment, "SELECT count(*) FROM procrastinate_workers") == [(2,)], 60, "two workers to start")

    queued = run(environment, archive, "ingest", "--queue", str(incoming))
    assert queued.returncode == 0, queued.stderr
    assert "queued 24," in queued.stdout and "already queued 1" in queued.stdout  # the copy waits behind its original
    wait_for(lambda: query(environment, "SELECT count(*) FROM procrastinate_jobs WHERE status IN ('todo', 'doing')") == [(0,)],
             120, "the queue to drain")
    for process in workers:
        process.send_signal(signal.SIGTERM)  # a graceful stop
    logs = [process.communicate(timeout=30)[1] for process in workers]
    assert [process.returncode for process in workers] == [0, 0], logs
    for log in logs:
        assert "Traceback" not in log
        assert "ingest job" in log  # each worker ran jobs

    assert_stored_once(environment, 24)
    assert query(environment, "SELECT count(*) FROM procrastinate_jobs") == [(0,)]  # done jobs are not kept
    again = run(environment, archive, "ingest", "--queue", str(incoming))
    assert "queued 0, already stored 25" in again.stdout
    assert run(environment, archive, "audit").returncode == 0


@needs_postgresql
def test_a_job_killed_half_way_is_run_again_and_leaves_no_duplicate(tmp_path: Path, environment: dict[str, str],  # noqa: F811
                                                                     workers: list[subprocess.Popen[str]]) -> None:
    archive, incoming = tmp_path / "archive", tmp_path / "incoming"
    write_notes(incoming, "killed", 12)
    assert run(environment, archive, "init").returncode == 0
    assert run(environment, archive, "ingest", "--queue", str(incoming)).returncode == 0

    doomed = start_worker(environment, archive, *FAST_BEATS)
    workers.append(doomed)

    def busy_after_some_records() -> bool:
        return query(environment, "SELECT count(*) >= 3 FROM archive_record") == [(True,)] and bool(
            query(environment, "SELECT 1 FROM procrastinate_jobs WHERE status = 'doing'"))

    wait_for(busy_after_some_records, 90, "the worker to be in the middle of a job")
    doomed.send_signal(signal.SIGKILL)  # no chance to finish or to say goodbye
    doomed.communicate(timeout=30)
    left = query(environment, "SELECT id, args->>'path' FROM procrastinate_jobs WHERE status = 'doing'")
    assert len(left) == 1  # the job it was running stays "doing": nobody finished it
    stored = query(environment, "SELECT count(*) FROM archive_record")[0][0]
    assert stored < 12

    time.sleep(2.5)  # the dead worker's heartbeat is now older than --stalled-after
    rescuer = start_worker(environment, archive, "--until-empty", *FAST_BEATS)
    workers.append(rescuer)
    _, log = rescuer.communicate(timeout=120)
    assert rescuer.returncode == 0, log
    assert f"job {left[0][0]} " in log and "queued again" in log

    assert_stored_once(environment, 12)
    name = Path(left[0][1]).name
    assert query(environment, f"SELECT count(*) FROM archive_record WHERE source_name = '{name}'") == [(1,)]
    assert query(environment, "SELECT count(*) FROM procrastinate_jobs WHERE status <> 'succeeded'") == [(0,)]
    assert run(environment, archive, "audit").returncode == 0
