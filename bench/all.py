"""The default benchmark set in one table: ingestion against reading, search, chronicle and a load test.

    make bench                         # the default, modest sizes (a few minutes on two busy cores)
    .venv/bin/python bench/all.py --records 10000 --files 300 --load-seconds 30 [--database-url postgresql://…]

Each line says what was measured and at which size; the scripts it runs print more with ``--json``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run_json(*arguments: str) -> dict:
    done = subprocess.run([sys.executable, *arguments], capture_output=True, text=True, cwd=HERE.parent)
    if done.returncode != 0:
        raise SystemExit(f"{arguments[0]} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout[done.stdout.index("{"):])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10000, help="synthetic records for search and chronicle")
    parser.add_argument("--files", type=int, default=300, help="synthetic reports (dhakira.synthetic) for the ingestion run")
    parser.add_argument("--load-seconds", type=int, default=20)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--database-url", help="also run search on PostgreSQL (a bench database is made and dropped)")
    args = parser.parse_args()
    rows: list[tuple[str, str, str]] = []

    ingest = run_json(str(HERE / "ingest.py"), "--count", str(args.files), "--archive", "--json")
    reading, archive = ingest["mixed"], ingest["archive"]
    share = archive["files_per_second"] / reading["files_per_second"] if reading["files_per_second"] else 0.0
    rows += [("reading (read_many)", f"{reading['files']} synthetic reports", f"{reading['files_per_second']} files/s"),
             ("dhakira ingest, new SQLite archive", f"{archive['files']} files", f"{archive['files_per_second']} files/s "
              f"({share:.0%} of reading), peak {archive['peak_memory_mb']} MB")]

    databases = [("sqlite", None)] + ([("postgresql", args.database_url)] if args.database_url else [])
    for name, url in databases:
        extra = ["--database-url", url] if url else []
        search = run_json(str(HERE / "search.py"), "--records", str(args.records), "--queries", "100", "--json", *extra)
        rows += [(f"search ({name})", f"{args.records} records", f"p50 {search['p50_ms']} ms, p95 {search['p95_ms']} ms"),
                 (f"search page with facets ({name})", f"{args.records} records", f"p95 {search['with_facets_p95_ms']} ms"),
                 (f"first page vs full ranking ({name})", f"{search['two_phase_queries']} two-phase queries",
                  f"agreement {search['top20_agreement']}")]
    chronicle = run_json(str(HERE / "chronicle.py"), "--records", str(args.records // 2), "--json")
    rows.append(("chronicle month page (sqlite)", f"{chronicle['incidents']} incidents",
                 f"p95 {chronicle['anonymous_p95_ms']} ms anonymous, {chronicle['admin_p95_ms']} ms admin"))

    demo = Path(tempfile.mkdtemp(prefix="dhakira-bench-demo-")) / "archive"
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("DHAKIRA_", "DJANGO_"))}
    subprocess.run([sys.executable, "-m", "dhakira_web.cli", "--archive", str(demo), "demo", "--no-serve"],
                   env=environment, check=True, capture_output=True)
    load = run_json(str(HERE / "load.py"), "--archive", str(demo), "--clients", str(args.clients),
                    "--duration", str(args.load_seconds), "--json")
    worst = max(load["pages"], key=lambda row: row["p95_ms"])
    rows.append(("load test, gunicorn (demo archive)", f"{args.clients} clients, {load['duration_s']} s",
                 f"{load['throughput_per_s']} req/s, {load['errors']} errors, worst p95 {worst['p95_ms']} ms ({worst['page']})"))

    width = max(len(row[0]) for row in rows)
    size_width = max(len(row[1]) for row in rows)
    print(f"{'measure':<{width}}  {'size':<{size_width}}  figure")
    for measure, size, figure in rows:
        print(f"{measure:<{width}}  {size:<{size_width}}  {figure}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
