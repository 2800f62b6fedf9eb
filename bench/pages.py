"""Time the record, incident and place pages of a built archive (``bench/served.py``), in process.

Each page kind is fetched ``--pages`` times through Django's test client as an anonymous visitor (the
whole view: policy, queries, template), for records, incidents and facilities drawn at random; prints
p50 and p95 in milliseconds and the most SQL queries one page took, per kind.

    nice .venv/bin/python bench/served.py --records 100000 --output /tmp/dhakira-served-100k
    nice .venv/bin/python bench/pages.py --archive /tmp/dhakira-served-100k --json
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


def measure(pages: int, seed: int) -> dict[str, Any]:
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from dhakira_web.archive import policy
    from dhakira_web.archive.models import Incident, Place, Record

    rng = random.Random(seed)
    highest = Record.objects.order_by("-id").values_list("id", flat=True).first() or 0
    codes = list(policy.visible_records(AnonymousUser()).filter(id__in=[rng.randint(1, highest) for _ in range(pages * 3)])
                 .values_list("code", flat=True)[:pages])
    visible = policy.visible_incidents(AnonymousUser()).values_list("id", flat=True)
    highest_incident = Incident.objects.order_by("-id").values_list("id", flat=True).first() or 0
    incidents = list(visible.filter(id__in=[rng.randint(1, highest_incident) for _ in range(pages * 3)])[:pages])
    places = list(Place.objects.filter(kind="facility").values_list("id", flat=True))
    urls = {"record": [f"/records/{code}" for code in codes], "incident": [f"/incidents/{pk}" for pk in incidents],
            "place": [f"/places/{rng.choice(places)}" for _ in range(pages)] if places else []}
    client = Client()
    result: dict[str, Any] = {}
    for kind, listed in urls.items():
        if not listed:
            continue
        client.get(listed[0])  # warm: templates, knowledge base, kept counts
        timings, queries = [], []
        for url in listed:
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, url
            queries.append(len(captured.captured_queries))
        ordered = sorted(timings)
        result[kind] = {"pages": len(listed), "p50_ms": round(statistics.median(timings), 1),
                        "p95_ms": round(ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)], 1),
                        "most_queries": max(queries)}
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archive", required=True, help="an archive directory built by bench/served.py")
    parser.add_argument("--pages", type=int, default=100, help="pages of each kind")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    os.environ["DHAKIRA_ARCHIVE"] = args.archive
    os.environ.pop("DHAKIRA_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dhakira_web.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = False
    result = measure(args.pages, args.seed)
    if args.json:
        print(json.dumps(result))
    else:
        for kind, figures in result.items():
            print(f"{kind:>10}: {figures}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
