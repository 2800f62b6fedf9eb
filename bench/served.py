"""A large archive to serve for the load test: records with their search index and facets, incidents, accounts.

The records, their search entries and facets are those of ``bench/search.py`` (bulk-inserted, searchable,
a tenth of them restricted or confidential). Records of one facility and month are then grouped into
incidents of one to six reports (the first the origin), each report giving the incident's event types,
place, day and a count, with the count's claim, as linking would have left them; each record is named with
its facility's place (what place pages list). Accounts: the demo's
``reviewer`` / ``reviewer-demo`` (what ``bench/load.py`` signs in with by default) and an administrator.

    nice .venv/bin/python bench/served.py --records 100000 --output /tmp/dhakira-served-100k
    .venv/bin/python bench/load.py --archive /tmp/dhakira-served-100k --clients 32 --duration 60 --workers 5

Prints the build time, the number of records, incidents and reports, and the size on disk.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

BATCH = 5000


def attach_incidents(seed: int) -> tuple[int, int]:
    """Group the records of each (facility, month) into incidents; returns (incidents, reports) made."""
    from django.db import transaction

    from dhakira_web.archive.models import (
        Claim,
        Incident,
        IncidentReport,
        Place,
        Record,
        RecordFacet,
        reported_day,
    )

    rng = random.Random(seed)
    places = dict(Place.objects.values_list("key", "pk"))
    keys = {pk: key for key, pk in places.items()}
    facility = dict(RecordFacet.objects.filter(name="facility").values_list("record_id", "value"))
    kinds: dict[int, list[str]] = defaultdict(list)
    for record_id, kind in RecordFacet.objects.filter(name="event_type").values_list("record_id", "value"):
        kinds[record_id].append(kind)
    groups: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    for record_id, issued in Record.objects.values_list("pk", "issue_date").iterator(chunk_size=BATCH):
        groups[(facility.get(record_id, ""), issued[:7])].append((record_id, issued))
    made_incidents = made_reports = 0
    pending: list[tuple[Incident, list[tuple[int, str]]]] = []

    def flush() -> None:
        nonlocal made_reports
        with transaction.atomic():
            Incident.objects.bulk_create([incident for incident, _ in pending])
            reports = []
            for incident, members in pending:
                for position, (record_id, _) in enumerate(members):
                    reported: dict[str, Any] = {"event_types": incident.event_types, "place_id": keys.get(incident.place_id, ""),
                                                "date": incident.date, "counts": [{"what": "detainees", "value": 10, "qualifier": "about"}]}
                    reports.append(IncidentReport(incident=incident, record_id=record_id, position=0, reported=reported,
                                                  day=reported_day(reported), decision="origin" if position == 0 else "same"))
            IncidentReport.objects.bulk_create(reports)
            Claim.objects.bulk_create([Claim(record_id=report.record_id, incident_report=report, field="count", value="10",
                                             qualifier="about", what="detainees", start=0, end=2, extractor="bench")
                                       for report in reports])
            made_reports += len(reports)
        pending.clear()

    for (key, _month), members in sorted(groups.items()):
        rng.shuffle(members)
        while members:
            size = min(len(members), rng.randint(1, 6))
            chunk, members = members[:size], members[size:]
            chunk.sort(key=lambda item: item[1])
            first = chunk[0][0]
            place_pk = places.get(key)
            pending.append((Incident(event_types=kinds.get(first, [])[:2], date=chunk[0][1], date_precision="day",
                                     place_id=place_pk), chunk))
            made_incidents += 1
            if len(pending) >= BATCH // 5:
                flush()
    if pending:
        flush()
    return made_incidents, made_reports


def link_places() -> int:
    """Each record named with its facility's place (the record-place rows place and entity pages read)."""
    from django.db import transaction

    from dhakira_web.archive.models import Place, Record, RecordFacet

    places = dict(Place.objects.values_list("key", "pk"))
    through = Record.places.through
    rows = [through(record_id=record_id, place_id=places[value])
            for record_id, value in RecordFacet.objects.filter(name="facility").values_list("record_id", "value").iterator(chunk_size=BATCH)
            if value in places]
    with transaction.atomic():
        through.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--output", required=True, help="a new archive directory")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    folder = Path(args.output)
    if folder.exists() and any(folder.iterdir()):
        parser.error(f"{folder} is not empty")
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["DHAKIRA_ARCHIVE"] = str(folder)
    os.environ.pop("DHAKIRA_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dhakira_web.settings")
    import django

    django.setup()
    import search as search_bench  # bench/search.py: the same searchable records
    from django.core.management import call_command

    from dhakira_web.archive.accounts import add_user

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    search_bench.build(args.records, search_bench.Corpus(args.seed))
    incidents, reports = attach_incidents(args.seed)
    link_places()
    search_bench._analyse()
    add_user("reviewer", "reviewer", password="reviewer-demo")
    add_user("admin", "admin", password="admin-demo")
    size = sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())
    print(json.dumps({"records": args.records, "incidents": incidents, "reports": reports,
                      "build_s": round(time.perf_counter() - started, 1), "disk_mb": round(size / 2**20, 1), "archive": str(folder)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
