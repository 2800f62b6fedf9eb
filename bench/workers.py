"""Queue workers against one ingesting process, on PostgreSQL: the same mixed files both ways, into new databases.

    .venv/bin/python bench/workers.py --database-url postgresql://postgres@127.0.0.1:5432/postgres [--count 200] [--workers 1,2]

``dhakira ingest FOLDER`` (its own reading processes, one writer) is timed first; then, for each number
of workers, ``dhakira ingest --queue FOLDER`` and that many ``dhakira worker --until-empty`` processes
started together, timed until the last one leaves. Each run gets a database of its own, made and
dropped here (the URL names a database to connect to for that, not the one measured).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse, urlunparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.ingest import generate  # noqa: E402

DHAKIRA = [sys.executable, "-m", "dhakira_web.cli"]


@contextmanager
def scratch_database(url: str) -> Iterator[str]:
    """A new, empty database on the server of ``url``; its URL; dropped afterwards."""
    import psycopg

    name = f"dhakira_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield urlunparse(urlparse(url)._replace(path=f"/{name}"))
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _environment(database_url: str) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("DHAKIRA_", "DJANGO_"))}
    return {**environment, "DHAKIRA_DATABASE_URL": database_url}


def _records(environment: dict[str, str], archive: Path) -> int:
    done = subprocess.run([*DHAKIRA, "--archive", str(archive), "stats", "--json", "--user", "bench"],
                          env=environment, capture_output=True, text=True, check=False)
    return int(json.loads(done.stdout)["records"]) if done.returncode == 0 else -1


def _prepared(environment: dict[str, str], archive: Path) -> None:
    """Migrations and an account to count with, before the clock starts."""
    for command in (["init"], ["user", "add", "bench", "--role", "admin", "--password", "not-a-secret-9"]):
        subprocess.run([*DHAKIRA, "--archive", str(archive), *command], env=environment, capture_output=True, check=True)


def direct(url: str, folder: Path, count: int) -> dict[str, float]:
    with scratch_database(url) as database, tempfile.TemporaryDirectory(prefix="dhakira-bench-") as scratch:
        environment, archive = _environment(database), Path(scratch) / "archive"
        _prepared(environment, archive)
        started = time.perf_counter()
        subprocess.run([*DHAKIRA, "--archive", str(archive), "ingest", str(folder), "-q"], env=environment, capture_output=True, check=False)
        seconds = time.perf_counter() - started
        return {"how": "dhakira ingest (one process)", "records": _records(environment, archive),
                "seconds": round(seconds, 1), "files_per_second": round(count / seconds, 2)}


def queued(url: str, folder: Path, count: int, workers: int) -> dict[str, float | str]:
    with scratch_database(url) as database, tempfile.TemporaryDirectory(prefix="dhakira-bench-") as scratch:
        environment, archive = _environment(database), Path(scratch) / "archive"
        _prepared(environment, archive)
        started = time.perf_counter()
        subprocess.run([*DHAKIRA, "--archive", str(archive), "ingest", "--queue", str(folder)], env=environment, capture_output=True, check=True)
        enqueued = time.perf_counter() - started
        processes = [subprocess.Popen([*DHAKIRA, "--archive", str(archive), "worker", "--until-empty"], env=environment,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(workers)]
        for process in processes:
            process.wait()
        seconds = time.perf_counter() - started
        return {"how": f"ingest --queue + {workers} worker{'s' if workers > 1 else ''}", "records": _records(environment, archive),
                "seconds": round(seconds, 1), "files_per_second": round(count / seconds, 2), "enqueue_seconds": round(enqueued, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DHAKIRA_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--workers", default="1,2", help="numbers of worker processes to try, comma-separated")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dhakira-bench-files-") as scratch:
        folder = Path(scratch)
        generate(folder, args.count)
        rows: list[dict] = [direct(args.database_url, folder, args.count)]
        rows += [queued(args.database_url, folder, args.count, int(number)) for number in args.workers.split(",")]
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print(f"{'how':34} {'records':>8} {'seconds':>8} {'files/s':>8}  enqueue")
    for row in rows:
        print(f"{row['how']:34} {row['records']:>8} {row['seconds']:>8} {row['files_per_second']:>8}  {row.get('enqueue_seconds', '')}")


if __name__ == "__main__":
    main()
