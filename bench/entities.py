"""Benchmark of the place pages: the facility page of a prison with ten reports, on a large archive.

The synthetic archive of bench/search.py (``--records`` bilingual records, bulk-inserted) gets its
place links and one incident with a figure for every 25th record; then a prison of its own receives
ten reports (records, incidents over ten months, a figure each). The page ``/places/<id>`` is fetched
through Django's test client as an anonymous visitor (policy, payload, template: the whole page),
``--repeat`` times, after one warm-up; p50 and p95 are printed, with the query count of one page.
``busy_*`` times the page of a facility of the synthetic corpus, which has about one record in eight.

    .venv/bin/python bench/entities.py --records 10000 [--repeat 50] [--json]
    .venv/bin/python bench/entities.py --records 100000 --database-url postgresql://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from search import Corpus, _drop_database, _with_database, build  # noqa: E402


def add_places_and_incidents(every: int = 25, batch: int = 5000) -> int:
    """Place links for every synthetic record (from its facility facet), and an incident for every ``every``-th."""
    from dhakira_web.archive.models import Claim, Incident, IncidentReport, Place, Record, RecordFacet

    places = dict(Place.objects.values_list("key", "pk"))
    through = Record.places.through
    rows = RecordFacet.objects.filter(name="facility").order_by("record_id").values_list("record_id", "value")
    links = [through(record_id=record_id, place_id=places[value]) for record_id, value in rows.iterator() if value in places]
    for start in range(0, len(links), batch):
        through.objects.bulk_create(links[start:start + batch])
    made = 0
    for record_id, value in rows[::every]:
        record = Record.objects.only("id", "issue_date").get(pk=record_id)
        incident = Incident.objects.create(title="bench", event_types=["torture"], place_id=places[value],
                                           date=record.issue_date, date_precision="day")
        report = IncidentReport.objects.create(incident=incident, record_id=record_id, reported={"event_types": ["torture"]})
        Claim.objects.create(record_id=record_id, incident_report=report, field="count", value="3", what="killed",
                             start=0, end=5, extractor="bench")
        made += 1
    return made


def prison_with_ten_reports() -> int:
    """A prison of its own reported by ten records; returns its place id."""
    import hashlib

    from django.utils import timezone

    from dhakira_web.archive.models import Claim, Incident, IncidentReport, Place, Record

    prison = Place.objects.create(key="fac:bench-ten-reports", name_en="Bench Ten Reports Prison", name_ar="سجن التقارير العشرة",
                                  kind="facility", governorate_pcode="SY05", latitude=35.13, longitude=36.75)
    for number in range(10):
        text = f"Report {number}: at least {10 + number} detainees were tortured in Bench Ten Reports Prison."
        record = Record.objects.create(code=f"BENCH-TEN-{number}", title=f"Ten reports, report {number}", language="en",
                                       issue_date=f"2016-{number + 1:02d}-15", captured_at=timezone.now(),
                                       sha256=hashlib.sha256(f"ten-{number}".encode()).hexdigest(), size=len(text),
                                       media_type="text/plain", text=text, access_level="public")
        record.places.add(prison)
        incident = Incident.objects.create(title="torture", event_types=["torture", "death_in_custody"], place=prison,
                                           date=record.issue_date, date_precision="day")
        report = IncidentReport.objects.create(incident=incident, record=record, reported={"event_types": ["torture"]})
        Claim.objects.create(record=record, incident_report=report, field="count", value=str(10 + number), what="tortured",
                             qualifier="at_least", start=10, end=30, extractor="bench")
    return prison.pk


def time_page(url: str, repeat: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client

    client = Client()
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    executed: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    times.sort()
    return {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
            "queries": len(executed), "bytes": len(response.content)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", help="a postgresql:// URL of a server where a bench database may be created")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    os.environ["DHAKIRA_ARCHIVE"] = tempfile.mkdtemp(prefix="dhakira-bench-entities-")
    os.environ.pop("DHAKIRA_DATABASE_URL", None)
    database = None
    if args.database_url:
        bench_url, database = _with_database(args.database_url)
        os.environ["DHAKIRA_DATABASE_URL"] = bench_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dhakira_web.settings")
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection

        settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        build(args.records, Corpus(args.seed))
        incidents = add_places_and_incidents()
        prison = prison_with_ten_reports()
        build_seconds = time.perf_counter() - started
        from dhakira_web.archive.models import Place

        busy = Place.objects.get(key="fac:hama-central").pk
        ten = time_page(f"/places/{prison}", args.repeat)
        ten_json = time_page(f"/places/{prison}?format=json", args.repeat)
        crowded = time_page(f"/places/{busy}", max(5, args.repeat // 5))
        result = {"records": args.records, "database": connection.vendor, "incidents": incidents + 10,
                  "facility_p50_ms": ten["p50_ms"], "facility_p95_ms": ten["p95_ms"], "facility_queries": ten["queries"],
                  "facility_json_p95_ms": ten_json["p95_ms"], "busy_p50_ms": crowded["p50_ms"],
                  "busy_p95_ms": crowded["p95_ms"], "busy_queries": crowded["queries"], "page_kb": round(ten["bytes"] / 1024), "build_s": round(build_seconds, 1)}
        connection.close()
    finally:
        if database and args.database_url:
            _drop_database(args.database_url, database)
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>22}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
