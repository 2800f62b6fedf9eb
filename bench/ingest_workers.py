"""The worker processes of ``dhakira ingest`` alone: CPU time a file of ``ingestion.prepare_many``.

    .venv/bin/python bench/ingest_workers.py [--count 320] [--chunk 32] [--runs 2] [--profile FILE] [--dump FILE] [--no-freeze] [--json]

The synthetic corpus (seed 7) is written once under the system's temporary folder; this process then
prepares it as a worker process would (reading, blob store, extraction, fingerprint, search texts,
linking profile, lead vectors: ``ingestion.prepare_many`` on chunks of ``--chunk`` sources), timed by its
own CPU time, after one warm-up chunk (the knowledge base and the encoder loaded and frozen for the garbage
collector, as a worker forked by ``dhakira ingest`` has them). The best of ``--runs`` runs is printed. With ``--profile`` the last run is profiled
(cProfile) into FILE; with ``--dump`` what was made (extractions, fingerprints, search texts, profiles, lead
vectors) is pickled into FILE, to compare two versions of the code.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
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


def comparable(result: Any) -> Any:
    """What a prepared source is made of, as plain values (an error as its message)."""
    from dhakira_web.archive.ingestion import Prepared

    if not isinstance(result, Prepared):
        return str(result)
    profile = result.profile
    return {"text": result.document.text, "extraction": result.extraction, "fingerprint": result.fingerprint,
            "shadow": result.shadow, "embedding": result.embedding,
            "profile": None if profile is None else {key: value for key, value in vars(profile).items() if key != "embedding"}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=320)
    parser.add_argument("--chunk", type=int, default=32)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--profile", type=Path)
    parser.add_argument("--dump", type=Path)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-freeze", action="store_true", help="leave the warm-up's objects to the garbage collector "
                        "(as workers did before ``ingestion._loaded_kept_frozen``)")
    arguments = parser.parse_args()
    work = Path(tempfile.gettempdir()) / f"dhakira-bench-workers-{arguments.count}"
    archive = Path(tempfile.mkdtemp(prefix="dhakira-bench-workers-archive-"))
    from dhakira_web.cli import _setup_django

    _setup_django(str(archive / "a"), migrate=False)
    from django.conf import settings

    from dhakira.ingest import Limits
    from dhakira.ingest.batch import iter_sources
    from dhakira.synthetic import MANIFEST, write_corpus
    from dhakira_web.archive import ingestion

    corpus = work / "corpus"
    if not corpus.exists():
        write_corpus(corpus, arguments.count, seed=7, manifest=work / MANIFEST)
    limits = Limits()
    tasks = [ingestion.Task(source) for source in iter_sources([corpus], limits=limits)]
    chunks = [tuple(tasks[start:start + arguments.chunk]) for start in range(0, len(tasks), arguments.chunk)]
    ingestion.prepare_many(chunks[0], limits)  # warm-up: the knowledge base, the encoder
    if not arguments.no_freeze:
        gc.freeze()  # as a worker forked from ``dhakira ingest`` holds them (``ingestion._loaded_kept_frozen``)
    timings: list[float] = []
    results: list[Any] = []
    for run in range(arguments.runs):
        shutil.rmtree(settings.BLOB_DIR, ignore_errors=True)  # every run keeps its originals afresh
        profile = cProfile.Profile() if arguments.profile and run == arguments.runs - 1 else None
        started = time.process_time()
        if profile:
            profile.enable()
        results = [result for chunk in chunks for result in ingestion.prepare_many(chunk, limits)]
        if profile:
            profile.disable()
        timings.append(time.process_time() - started)
        if profile and arguments.profile:
            profile.dump_stats(str(arguments.profile))
    shutil.rmtree(archive, ignore_errors=True)
    if arguments.dump:
        arguments.dump.write_bytes(pickle.dumps([comparable(result) for result in results]))
    figures = {"files": len(tasks), "chunk": arguments.chunk, "runs": arguments.runs,
               "cpu_ms_per_file": round(min(timings) * 1000 / len(tasks), 2),
               "cpu_ms_per_file_runs": [round(seconds * 1000 / len(tasks), 2) for seconds in timings],
               "load_average": round(os.getloadavg()[0], 1)}
    if arguments.json:
        print(json.dumps(figures, indent=2))
    else:
        print(f"{figures['files']} files prepared in chunks of {figures['chunk']}: {figures['cpu_ms_per_file']} ms of CPU a file "
              f"(runs: {figures['cpu_ms_per_file_runs']}), load average {figures['load_average']}")


if __name__ == "__main__":
    main()
