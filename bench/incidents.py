"""Benchmark of incident views computed from visible reports: chronicle, map and incident pages.

A synthetic archive of ``--incidents`` incidents, each reported by 1 to ``--reports`` records (a fifth
restricted), is bulk-inserted on SQLite (records and incident reports written directly, no extraction).
Then, as an anonymous visitor: ``visible_facts`` over every incident, one chronicle month, the map
counts, and the incident page payload of incidents with the most reports.

    .venv/bin/python bench/incidents.py --incidents 5000 --reports 12
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

FACILITIES = [("fac:saydnaya", "Saydnaya Prison", "سجن صيدنايا", "SY03"), ("fac:hama-central", "Hama Central Prison", "سجن حماة المركزي", "SY05"),
              ("fac:adra", "Adra Prison", "سجن عدرا", "SY03"), ("fac:aleppo-central", "Aleppo Central Prison", "سجن حلب المركزي", "SY02")]
KINDS = (["storming", "tear_gas"], ["hunger_strike"], ["death_in_custody", "torture"], ["release", "amnesty"])
PUBLISHERS = ["Levant Wire", "مرصد العاصي", "Detention Watch Syria", "صحيفة البلد", "Justice for Detainees Initiative"]


def build(incidents: int, most: int, seed: int) -> tuple[float, int]:
    from django.db import transaction
    from django.utils import timezone

    from dhakira_web.archive.models import Claim, Incident, IncidentReport, Place, Record

    randomiser = random.Random(seed)
    started = time.perf_counter()
    places = [Place.objects.create(key=key, name_en=en, name_ar=ar, kind="facility", governorate_pcode=pcode)
              for key, en, ar, pcode in FACILITIES]
    now = timezone.now()
    reports_made = 0
    with transaction.atomic():
        for number in range(incidents):
            place = randomiser.choice(places)
            kinds = randomiser.choice(KINDS)
            day = f"{randomiser.randint(2012, 2024)}-{randomiser.randint(1, 12):02d}-{randomiser.randint(1, 28):02d}"
            incident = Incident.objects.create(event_types=kinds, place=place, date=day, date_precision="day")
            count = randomiser.randint(1, most)
            records = []
            for position in range(count):
                text = f"Report {number}-{position}: {kinds[0]} at {place.name_en} on {day}; about {randomiser.randint(5, 90)} detainees."
                records.append(Record(
                    code=f"B-{number}-{position}", title=text[:60], issuer=randomiser.choice(PUBLISHERS), issue_date=day,
                    issue_date_precision="day", language=randomiser.choice(("ar", "en")), captured_at=now,
                    sha256=hashlib.sha256(text.encode()).hexdigest(), size=len(text), media_type="text/plain", text=text,
                    access_level="restricted" if randomiser.random() < 0.2 else "public"))
            Record.objects.bulk_create(records)
            reports = [IncidentReport(incident=incident, record=record, position=0, decision="origin" if index == 0 else "same", day=day,
                                      reported={"event_types": kinds, "place_id": place.key, "date": day,
                                                "counts": [{"what": "detainees", "value": 10, "qualifier": "about"}]})
                       for index, record in enumerate(records)]
            IncidentReport.objects.bulk_create(reports)
            Claim.objects.bulk_create([Claim(record=report.record, incident_report=report, field="count", value="10",
                                             qualifier="about", what="detainees", start=0, end=6, extractor="bench")
                                       for report in reports])
            reports_made += count
    return time.perf_counter() - started, reports_made


def timed(function: Any, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times) * 1000, 1)


def measure() -> dict[str, Any]:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Count

    from dhakira_web.archive import chronicle, geography, payloads, policy
    from dhakira_web.archive.incidents import visible_facts

    visitor = AnonymousUser()
    largest = list(policy.visible_incidents(visitor).annotate(size=Count("reports")).order_by("-size")[:10])
    return {
        "visible_facts_ms": timed(lambda: visible_facts(visitor)),
        "chronicle_month_ms": timed(lambda: chronicle.chronicle_payload(visitor)),
        "map_ms": timed(lambda: geography.map_payload(visitor)),
        "incident_page_ms": round(timed(lambda: [payloads.incident_payload(item, visitor) for item in largest], 3) / max(1, len(largest)), 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, default=2000)
    parser.add_argument("--reports", type=int, default=12, help="most reports of one incident")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    os.environ["DHAKIRA_ARCHIVE"] = tempfile.mkdtemp(prefix="dhakira-bench-incidents-")
    os.environ.pop("DHAKIRA_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dhakira_web.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    build_seconds, reports = build(args.incidents, args.reports, args.seed)
    result = {"incidents": args.incidents, "reports": reports, **measure(), "build_s": round(build_seconds, 1)}
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>20}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
