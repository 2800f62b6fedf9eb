"""Time each kind of page in one process on an archive: cold (computed) and warm (kept), with query counts.
Each time is given twice: elapsed (wall clock) and the process's CPU time (``cpu``: steadier on a shared machine).

Pages go through Django's whole request path (middleware, session, view, template) with its test client,
as an anonymous visitor and as a signed-in reviewer (the demo's ``reviewer`` / ``reviewer-demo``, which
``bench/served.py`` creates). The addresses are found as a visitor finds them: record codes from searches,
incidents from the chronicle's months, places from the place list. ``cold`` asks each address once with
the cache emptied first; ``warm`` asks the same addresses again.

    .venv/bin/python bench/pages.py --archive /tmp/dhakira-served-100k [--count 20] [--json]

Runs on a copy of nothing: the archive is only read (the cache under it is emptied and filled; with
``--read-only`` nothing under it is written at all, and only anonymous pages are timed; SQLite then reads the
file as immutable, so nothing may write to the archive while it runs: stop its server and ingests first).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import percentile  # noqa: E402  (bench/load.py: the same percentile for every page figure)

QUERIES = ["prison", "سجن", "Saydnaya", "hunger strike", "تعذيب", "detainees"]
FILTERS = ["", "&language=ar", "&sort=date", "&document_type=report"]


def addresses(client: Any, count: int, rng: random.Random) -> dict[str, list[str]]:
    def read(url: str) -> Any:
        return json.loads(client.get(url + ("&" if "?" in url else "?") + "format=json").content)

    codes = [hit["code"] for query in QUERIES[:3] for hit in read(f"/search?q={query}&limit=50")["results"]]
    months = [row["month"] for row in read("/chronicle").get("months", [])][:6]
    incidents = [item["id"] for month in months[:3] for day in read(f"/chronicle?month={month}")["days"] for item in day["incidents"]]
    places = [row["id"] for row in read("/places")["results"]]
    pick = lambda items: rng.sample(items, min(count, len(items)))  # noqa: E731
    return {
        "search": [f"/search?q={rng.choice(QUERIES)}{rng.choice(FILTERS)}" for _ in range(count)],
        "record": [f"/records/{code}" for code in pick(codes)],
        "incident": [f"/incidents/{pk}" for pk in pick(incidents)],
        "place": [f"/places/{pk}" for pk in pick(places)],
        "chronicle": [f"/chronicle?month={month}" for month in months] + ["/chronicle"],
        "map": ["/map"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archive", required=True, help="an archive directory (e.g. made by bench/served.py)")
    parser.add_argument("--count", type=int, default=20, help="addresses per kind of page")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--read-only", action="store_true",
                        help="open a SQLite archive read-only (immutable: nothing else may write it meanwhile) with the cache "
                             "in memory, and time anonymous pages only (signing in writes): for an archive others use")
    args = parser.parse_args(argv)
    os.environ["DHAKIRA_ARCHIVE"] = str(Path(args.archive).resolve())
    os.environ.pop("DHAKIRA_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dhakira_web.settings")
    import warnings

    warnings.filterwarnings("ignore", message="No directory at")
    import django
    from django.conf import settings

    if args.read_only:  # before the first connection: the database and the cache are read from settings then
        database = settings.DATABASES["default"]
        database["NAME"] = f"file:{database['NAME']}?mode=ro&immutable=1"
        database["OPTIONS"] = {"uri": True}
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    readers = [("anonymous", Client())]
    if not args.read_only:
        reviewer = Client()
        if not reviewer.login(username="reviewer", password="reviewer-demo"):
            parser.error("no reviewer / reviewer-demo account in this archive")
        readers.append(("signed_in", reviewer))
    rows = []
    for who, client in readers:
        found = addresses(client, args.count, random.Random(args.seed))
        cache.clear()
        for phase in ("cold", "warm"):
            for kind, urls in found.items():
                times, cpu, queries, sizes = [], [], [], []
                for url in urls:
                    with CaptureQueriesContext(connection) as captured:
                        started, used = time.perf_counter(), time.process_time()
                        response = client.get(url)
                        times.append((time.perf_counter() - started) * 1000)
                        cpu.append((time.process_time() - used) * 1000)
                    status = response.status_code
                    if status != 200:
                        raise SystemExit(f"{url} answered {status}")
                    queries.append(len(captured.captured_queries))
                    sizes.append(len(response.content))
                rows.append({"who": who, "phase": phase, "page": kind, "pages": len(urls), "p50_ms": round(statistics.median(times), 1),
                             "p95_ms": round(percentile(times, 0.95), 1),
                             "cpu_p50_ms": round(statistics.median(cpu), 1), "cpu_p95_ms": round(percentile(cpu, 0.95), 1), "queries_max": max(queries), "kb_max": round(max(sizes) / 1024, 1)})
    load = os.getloadavg()[0]
    if args.json:
        print(json.dumps({"archive": args.archive, "load_average": round(load, 2), "pages": rows}))
        return 0
    print(f"archive {args.archive}, load average {load:.2f}")
    print(f"{'who':10} {'phase':5} {'page':10} {'pages':>5} {'p50 ms':>8} {'p95 ms':>8} {'cpu p50':>8} {'cpu p95':>8} {'queries':>8} {'KB max':>8}")
    for row in rows:
        print(f"{row['who']:10} {row['phase']:5} {row['page']:10} {row['pages']:5} {row['p50_ms']:8.1f} {row['p95_ms']:8.1f} "
              f"{row['cpu_p50_ms']:8.1f} {row['cpu_p95_ms']:8.1f} {row['queries_max']:8} {row['kb_max']:8.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
