"""Benchmark of re-extraction: how fast ``dhakira reextract`` runs and how many reviewers' decisions it keeps.

A temporary SQLite archive is filled with ``--copies`` copies of the bundled demo documents (each copy
made distinct by a numbered line at its end, so each is a record of its own) and with the synthetic
reports written below. A reviewer then decides on every claim: accepts a third, rejects a third and
corrects the rest (counts to their value plus one, places to Adra Prison, other kinds to their own
value). Every record is re-extracted twice: once with the same extractor (every decision should be
re-anchored) and once with every count read one character later than it was (as a changed extractor
might), which tests re-anchoring by nearby text. Figures printed: records, claims and decisions,
seconds and records per second, decisions kept and not re-anchored.

    .venv/bin/python bench/reextract.py --copies 3 [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SYNTHETIC = [
    "On {day} March 2023, at least {count} detainees in Saydnaya Prison went on hunger strike, their families said.",
    "أفاد ذوو المعتقلين بأن {count} معتقلاً في سجن حماة المركزي بدأوا إضراباً عن الطعام في {day} أيار 2021.",
    "Guards at Adra Prison beat {count} prisoners on {day} June 2020 after a protest over visits.",
]


def build(copies: int) -> int:
    from dhakira_web.archive.demo import demo_documents
    from dhakira_web.archive.services import ingest_bytes

    made = 0
    for copy in range(copies):
        for name, data, source_url, access in demo_documents():
            outcome = ingest_bytes(data + f"\n\n({copy})".encode(), name=f"{copy}-{name}", source_url=source_url, access_level=access)
            made += outcome.record is not None and not outcome.duplicate
        for number, text in enumerate(SYNTHETIC):
            body = text.format(day=copy % 27 + 1, count=10 + copy + number)
            made += ingest_bytes(body.encode(), name=f"synthetic-{copy}-{number}.txt").record is not None
    return made


def decide_everything() -> int:
    from dhakira_web.archive.models import Claim
    from dhakira_web.archive.review import claims as review

    decided = 0
    for index, claim in enumerate(Claim.objects.filter(author="").order_by("pk")):
        if index % 3 == 0:
            review.decide(claim, "accepted", "bench")
        elif index % 3 == 1:
            review.decide(claim, "rejected", "bench")
        else:
            value = str(int(claim.value) + 1) if claim.field == "count" and claim.value.isdigit() else \
                ("Adra Prison" if claim.field == "place" else claim.value)
            try:
                review.correct(claim, "bench", "benchmark correction", value)
            except review.ReviewError:
                review.decide(claim, "accepted", "bench")
        decided += 1
    return decided


def shifted(extraction: dict[str, Any]) -> dict[str, Any]:
    """The extraction with every count's span one character later (a changed extractor's reading)."""
    changed = json.loads(json.dumps(extraction))
    for incident in changed.get("incidents") or []:
        for count in incident.get("counts") or []:
            start, end = count.get("span") or [0, 0]
            count["span"] = [start + 1, end + 1]
    return changed


def run_pass(label: str, shift: bool) -> dict[str, Any]:
    from dhakira_web.archive.models import Record
    from dhakira_web.archive.review.reextract import extraction_for, reextract

    started = time.perf_counter()
    kept = unanchored = records = 0
    for record in Record.objects.order_by("id"):
        extraction = extraction_for(record)
        outcome = reextract(record, actor="bench", extraction=shifted(extraction) if shift else extraction)
        kept += outcome.kept
        unanchored += len(outcome.unanchored)
        records += 1
    seconds = time.perf_counter() - started
    return {"pass": label, "records": records, "seconds": round(seconds, 2), "records_per_second": round(records / seconds, 2),
            "decisions_kept": kept, "not_reanchored": unanchored}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    folder = tempfile.mkdtemp(prefix="dhakira-bench-reextract-")
    os.environ["DHAKIRA_ARCHIVE"] = folder
    os.environ.pop("DHAKIRA_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dhakira_web.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    from dhakira_web.archive.models import Claim

    records = build(args.copies)
    claims = Claim.objects.count()
    decided = decide_everything()
    passes = [run_pass("same extractor", shift=False), run_pass("counts read one character later", shift=True)]
    result = {"records": records, "machine_claims": claims, "decisions": decided, "passes": passes, "archive": folder}
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"{records} records, {claims} machine claims, {decided} decisions")
        for item in passes:
            print(f"  {item['pass']:34} {item['seconds']:8.2f} s  {item['records_per_second']:7.2f} records/s  "
                  f"kept {item['decisions_kept']}  not re-anchored {item['not_reanchored']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
