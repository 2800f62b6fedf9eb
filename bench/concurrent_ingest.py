"""Two ``dhakira ingest`` runs at once into one new archive: both must complete, every file stored once.

Two folders of synthetic reports (``dhakira.synthetic``, different seeds, so no file is in both) and,
with ``--shared N``, N more files copied into both folders, so that both runs meet the same originals.
Both runs start together, each with its own reading workers, into one archive (SQLite by default, or a
new PostgreSQL database on ``--database-url``'s server). Printed: each run's exit status and time, the
records stored against the distinct files, originals stored twice (must be 0), failures, and the audit
chain's verification.

    .venv/bin/python bench/concurrent_ingest.py --count 1000 [--shared 50] [--workers 1] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from search import _drop_database, _with_database  # noqa: E402  (bench/search.py: a bench database made and dropped)


def _environment(database_url: str | None) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("DHAKIRA_", "DJANGO_"))}
    if database_url:
        environment["DHAKIRA_DATABASE_URL"] = database_url
    return environment


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="files of each run's own")
    parser.add_argument("--shared", type=int, default=0, help="files given to both runs")
    parser.add_argument("--workers", type=int, default=1, help="reading workers of each run")
    parser.add_argument("--database-url", help="a postgresql:// URL of a server where a bench database may be created")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    from dhakira.synthetic import write_corpus

    work = Path(tempfile.mkdtemp(prefix="dhakira-bench-concurrent-"))
    folders = [work / "first", work / "second"]
    write_corpus(folders[0], args.count, seed=11, manifest=work / "first.jsonl")
    write_corpus(folders[1], args.count, seed=12, manifest=work / "second.jsonl")
    if args.shared:
        write_corpus(work / "shared", args.shared, seed=13, manifest=work / "shared.jsonl")
        for folder in folders:
            for path in (work / "shared").iterdir():
                shutil.copyfile(path, folder / f"shared-{path.name}")
    distinct = {path.read_bytes() for folder in folders for path in folder.iterdir()}
    database_url, name = _with_database(args.database_url) if args.database_url else (None, "")
    archive = work / "archive"
    environment = _environment(database_url)
    command = [sys.executable, "-m", "dhakira_web.cli", "--archive", str(archive)]
    subprocess.run([*command, "init"], env=environment, check=True, capture_output=True)
    started = time.perf_counter()
    runs = [subprocess.Popen([*command, "ingest", str(folder), "-q", "--workers", str(args.workers), "--report", str(work / f"{folder.name}.report.json")],
                             env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for folder in folders]
    finished = []
    for run in runs:
        _, errors = run.communicate()
        finished.append({"exit": run.returncode, "seconds": round(time.perf_counter() - started, 1), "stderr": errors[-2000:]})
    seconds = time.perf_counter() - started
    reports = [json.loads((work / f"{folder.name}.report.json").read_text()) if (work / f"{folder.name}.report.json").exists() else None
               for folder in folders]
    count_script = ("from dhakira_web.archive.models import Record\n"
                    "from django.db.models import Count\n"
                    "import json\n"
                    "twice = Record.objects.values('sha256').annotate(n=Count('id')).filter(n__gt=1).count()\n"
                    "codes = Record.objects.values('code').annotate(n=Count('id')).filter(n__gt=1).count()\n"
                    "print(json.dumps({'records': Record.objects.count(), 'originals_twice': twice, 'codes_twice': codes}))\n")
    probe = subprocess.run([sys.executable, "-c", "import os, django\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'dhakira_web.settings')\n"
                            f"os.environ['DHAKIRA_ARCHIVE'] = {str(archive)!r}\ndjango.setup()\n" + count_script],
                           env=environment, capture_output=True, text=True, check=True)
    stored = json.loads(probe.stdout.strip().splitlines()[-1])
    audit = subprocess.run([*command, "audit", "verify"], env=environment, capture_output=True, text=True)
    result = {
        "files_per_run": args.count + args.shared, "distinct_files": len(distinct), "workers_per_run": args.workers,
        "runs": [{"exit": run["exit"], "seconds": run["seconds"], "ingested": report["ingested"] if report else None,
                  "duplicates": report["duplicates"] if report else None,
                  "failed": len(report["failed"]) if report else None} for run, report in zip(finished, reports, strict=True)],
        **stored, "audit_verified": audit.returncode == 0, "seconds": round(seconds, 1),
        "files_per_second": round(len(distinct) / seconds, 1), "database": "postgresql" if database_url else "sqlite",
        "load_average": round(os.getloadavg()[0], 1),
    }
    if args.database_url:
        _drop_database(args.database_url, name)
    shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(json.dumps(result))
    else:
        for number, run in enumerate(result["runs"], 1):
            print(f"run {number}: exit {run['exit']}, {run['seconds']} s, ingested {run['ingested']}, "
                  f"duplicates {run['duplicates']}, failed {run['failed']}")
        print(f"{result['records']} records for {result['distinct_files']} distinct files, originals stored twice: "
              f"{result['originals_twice']}, codes twice: {result['codes_twice']}, audit chain verified: {result['audit_verified']}")
        print(f"{result['seconds']} s in all, {result['files_per_second']} files/s, {result['database']}, load average {result['load_average']}")
        for number, run in enumerate(finished, 1):
            if run["exit"] != 0:
                print(f"run {number} stderr:\n{run['stderr']}")
    return 0 if all(run["exit"] == 0 for run in finished) and stored["originals_twice"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
