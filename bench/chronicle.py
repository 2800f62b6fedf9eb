"""Benchmark of the daily chronicle: time per month page as the archive grows.

Builds the synthetic archive of ``bench/search.py`` (``--records`` records), adds one incident for
every second record (a third dated to the day, a third to the month, a third undated, so that their
day comes from the earliest visible report), a second report from another record for some, then
times ``chronicle_payload`` for random months as an anonymous visitor and as an administrator.

    .venv/bin/python bench/chronicle.py --records 5000 [--database-url postgresql://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import search as search_bench  # noqa: E402 - bench/search.py, the same synthetic archive


def add_incidents(step: int = 2) -> int:
    from dhakira_web.archive.models import Incident, IncidentReport, Place, Record

    places = list(Place.objects.all())
    rng = random.Random(11)
    rows = list(Record.objects.order_by("id").values_list("id", "issue_date"))
    made = 0
    for first in range(0, len(rows), 4000):
        chunk = rows[first:first + 4000:step]
        incidents = []
        for _, issued in chunk:
            kind = rng.randrange(3)
            date = issued if kind == 0 else (issued[:7] if kind == 1 else "")
            incidents.append(Incident(title="bench incident", event_types=["arrest"], place=rng.choice(places), date=date,
                                      date_precision=("day", "month", "unknown")[kind]))
        incidents = Incident.objects.bulk_create(incidents)
        if incidents and incidents[0].pk is None:
            incidents = list(Incident.objects.order_by("-id")[: len(chunk)])[::-1]
        reports = [IncidentReport(incident=incident, record_id=record_id, position=0, reported={}, decision="origin")
                   for incident, (record_id, _) in zip(incidents, chunk, strict=True)]
        reports += [IncidentReport(incident=incident, record_id=rows[rng.randrange(len(rows))][0], position=1, reported={},
                                   decision="same") for incident in incidents[::5]]
        IncidentReport.objects.bulk_create(reports)
        made += len(incidents)
    return made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--pages", type=int, default=30)
    parser.add_argument("--database-url")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    os.environ["DHAKIRA_ARCHIVE"] = tempfile.mkdtemp(prefix="dhakira-bench-chronicle-")
    os.environ.pop("DHAKIRA_DATABASE_URL", None)
    database = None
    if args.database_url:
        url, database = search_bench._with_database(args.database_url)
        os.environ["DHAKIRA_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dhakira_web.settings")
    try:
        import django

        django.setup()
        from django.contrib.auth.models import AnonymousUser
        from django.core.management import call_command
        from django.db import connection

        from dhakira_web.archive.accounts import add_user
        from dhakira_web.archive.chronicle import chronicle_payload
        from dhakira_web.archive.models import Record

        call_command("migrate", verbosity=0)
        search_bench.build(args.records, search_bench.Corpus(7))
        incidents = add_incidents()
        search_bench._analyse()
        add_user("bench-admin", "admin", password="bench-admin-password")
        from django.contrib.auth import get_user_model

        admin = get_user_model().objects.get(username="bench-admin")
        months = sorted({issued[:7] for issued in Record.objects.values_list("issue_date", flat=True) if issued})
        rng = random.Random(5)
        result: dict[str, object] = {"records": args.records, "incidents": incidents, "database": connection.vendor}
        for who, user in (("anonymous", AnonymousUser()), ("admin", admin)):
            chronicle_payload(user, rng.choice(months))  # warm
            times = []
            for _ in range(args.pages):
                started = time.perf_counter()
                chronicle_payload(user, rng.choice(months))
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            result[f"{who}_p50_ms"] = round(statistics.median(times), 1)
            result[f"{who}_p95_ms"] = round(times[min(len(times) - 1, int(0.95 * len(times)))], 1)
        connection.close()
    finally:
        if database and args.database_url:
            search_bench._drop_database(args.database_url, database)
    print(json.dumps(result) if args.json else "\n".join(f"{key:>16}: {value}" for key, value in result.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
