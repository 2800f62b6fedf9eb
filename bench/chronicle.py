"""Benchmark of the pages that gather incidents: a chronicle month, the map, an incident page.

Builds the synthetic archive of ``bench/incidents.py`` (``--incidents`` incidents, each reported by 1 to
``--reports`` records, a fifth of them restricted; dates over 13 years), then times, as an anonymous
visitor and as an administrator, ``chronicle_payload`` for random months, ``map_payload`` and
``incident_payload`` for random visible incidents, and prints p50 and p95 in milliseconds. The month
list and the map's counts are kept until the archive changes (``counts.kept``): ``*_kept`` times the
pages as readers meet them between changes, ``*_cold`` the first page after a change (cache emptied
before each).

    nice .venv/bin/python bench/chronicle.py --incidents 2000 [--incidents 20000] [--pages 30]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def percentiles(function: Any, arguments: list[Any]) -> tuple[float, float]:
    function(arguments[0])  # warm
    times = []
    for argument in arguments:
        started = time.perf_counter()
        function(argument)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return round(statistics.median(times), 1), round(times[min(len(times) - 1, int(0.95 * len(times)))], 1)


def run(incidents: int, most: int, pages: int) -> dict[str, Any]:
    os.environ["DHAKIRA_ARCHIVE"] = tempfile.mkdtemp(prefix="dhakira-bench-chronicle-")
    os.environ.pop("DHAKIRA_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dhakira_web.settings")
    import django

    django.setup()
    import incidents as incidents_bench  # bench/incidents.py, the same synthetic archive
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection

    from dhakira_web.archive import chronicle, geography, payloads, policy
    from dhakira_web.archive.accounts import add_user
    from dhakira_web.archive.models import Incident, Record

    call_command("migrate", verbosity=0)
    build_seconds, reports = incidents_bench.build(incidents, most, 7)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    add_user("bench-admin", "admin", password="bench-admin-password")
    admin = get_user_model().objects.get(username="bench-admin")
    rng = random.Random(5)
    months = sorted({issued[:7] for issued in Record.objects.values_list("issue_date", flat=True) if issued})
    result: dict[str, Any] = {"incidents": incidents, "reports": reports, "build_s": round(build_seconds, 1)}
    for who, user in (("anonymous", AnonymousUser()), ("admin", admin)):
        ids = list(policy.visible_incidents(user).values_list("pk", flat=True))
        chosen = [Incident.objects.get(pk=pk) for pk in rng.sample(ids, min(pages, len(ids)))]
        chosen_months = [rng.choice(months) for _ in range(pages)]
        for state, forget in (("cold", True), ("kept", False)):

            def month_page(month: str, user: Any = user, forget: bool = forget) -> Any:
                if forget:
                    cache.clear()
                return chronicle.chronicle_payload(user, month)

            def map_page(_: int, user: Any = user, forget: bool = forget) -> Any:
                if forget:
                    cache.clear()
                return geography.map_payload(user)

            result[f"{who}_chronicle_month_{state}_ms"] = percentiles(month_page, chosen_months)
            result[f"{who}_map_{state}_ms"] = percentiles(map_page, list(range(max(5, pages // 3))))
        result[f"{who}_incident_page_ms"] = percentiles(lambda incident, user=user: payloads.incident_payload(incident, user), chosen)
    connection.close()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, action="append", help="archive sizes (default 2000)")
    parser.add_argument("--reports", type=int, default=12, help="most reports of one incident")
    parser.add_argument("--pages", type=int, default=30, help="pages timed per kind")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)  # one size, in this process
    args = parser.parse_args()
    sizes = args.incidents or [2000]
    if args.one:
        print(json.dumps(run(sizes[0], args.reports, args.pages)))
        return 0
    results = []
    for size in sizes:  # each size in a fresh process (Django is set up once per process)
        output = subprocess.run([sys.executable, __file__, "--one", "--incidents", str(size), "--reports", str(args.reports),
                                 "--pages", str(args.pages)], check=True, capture_output=True, text=True).stdout
        results.append(json.loads(output.strip().splitlines()[-1]))
    if args.json:
        print(json.dumps(results))
        return 0
    for result in results:
        print(f"incidents {result['incidents']}, reports {result['reports']} (built in {result['build_s']} s); p50 / p95 ms")
        for key, value in result.items():
            if key.endswith("_ms"):
                print(f"  {key[:-3]:>26}: {value[0]:>8} / {value[1]:>8}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
