"""The writing process of ``dhakira ingest`` alone: CPU time and SQL statements a file.

    .venv/bin/python bench/ingest_writer.py [--count 400] [--profile FILE] [--json]

The synthetic corpus (seed 7) is prepared once in this process as the worker processes would
(``ingestion.prepare_many``: reading, extraction, fingerprint, search texts, linking profile, lead vectors)
and kept in a cache file under the system's temporary folder; then a new SQLite archive is written from it
in batches exactly as ``dhakira ingest`` writes (``ingestion._write_batch``), timed by this process's CPU
time, which depends much less than files/s on what else the machine runs. With ``--profile`` the writing
is profiled (cProfile) into FILE.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pickle
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=400)
    parser.add_argument("--profile", type=Path)
    parser.add_argument("--json", action="store_true")
    arguments = parser.parse_args()
    work = Path(tempfile.gettempdir()) / f"dhakira-bench-writer-{arguments.count}"
    archive = Path(tempfile.mkdtemp(prefix="dhakira-bench-writer-archive-"))
    from dhakira_web.cli import _setup_django

    _setup_django(str(archive / "a"))
    from django.db import connection

    from dhakira.ingest import Limits
    from dhakira.ingest.batch import iter_sources
    from dhakira.knowledge import knowledge
    from dhakira.synthetic import MANIFEST, write_corpus
    from dhakira_web.archive import blobs, ingestion
    from dhakira_web.archive.services import IngestSummary

    corpus = work / "corpus"
    if not corpus.exists():
        write_corpus(corpus, arguments.count, seed=7, manifest=work / MANIFEST)
    limits = Limits()
    tasks = [ingestion.Task(source) for source in iter_sources([corpus], limits=limits)]
    cache = work / "prepared.pickle"
    if cache.exists():
        results = pickle.loads(cache.read_bytes())  # noqa: S301 - our own file, written below
    else:
        results = [result for start in range(0, len(tasks), ingestion.PREPARE_CHUNK)
                   for result in ingestion.prepare_many(tuple(tasks[start:start + ingestion.PREPARE_CHUNK]), limits)]
        cache.write_bytes(pickle.dumps(results))
    for task in tasks:  # the originals into this archive's blob store, as the workers keep them
        blobs.store(task.source.path.read_bytes())
    knowledge()  # loaded before the workers start in ``dhakira ingest``: not the writer's work
    statements = [0]

    def counted(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements[0] += 1
        return execute(sql, params, many, context)

    summary = IngestSummary()
    pairs = list(zip(tasks, results, strict=True))
    profile = cProfile.Profile() if arguments.profile else None
    with connection.execute_wrapper(counted):
        started, wall = time.process_time(), time.perf_counter()
        if profile:
            profile.enable()
        for start in range(0, len(pairs), ingestion.BATCH_SIZE):
            ingestion._write_batch(pairs[start:start + ingestion.BATCH_SIZE], summary, "public", limits)
        if profile:
            profile.disable()
        cpu, wall = time.process_time() - started, time.perf_counter() - wall
    if profile and arguments.profile:
        profile.dump_stats(str(arguments.profile))
    shutil.rmtree(archive, ignore_errors=True)
    figures = {"files": len(pairs), "ingested": summary.ingested, "failed": len(summary.failed),
               "writer_cpu_ms_per_file": round(cpu * 1000 / len(pairs), 1), "wall_ms_per_file": round(wall * 1000 / len(pairs), 1),
               "statements_per_file": round(statements[0] / len(pairs), 1), "load_average": round(os.getloadavg()[0], 1)}
    if arguments.json:
        print(json.dumps(figures, indent=2))
    else:
        print(f"{figures['ingested']} of {figures['files']} files written: {figures['writer_cpu_ms_per_file']} ms of CPU a file "
              f"({figures['wall_ms_per_file']} ms wall), {figures['statements_per_file']} SQL statements a file, "
              f"load average {figures['load_average']}")


if __name__ == "__main__":
    main()
