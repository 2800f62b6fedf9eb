"""Benchmark of exports, imports and evidence bundles: records/s, peak memory, seconds and megabytes.

A synthetic archive of ``--records`` records is bulk-inserted (records with their originals, a place,
an organisation, claims with spans, incident reports sharing incidents, three custody entries each;
no extraction run). Then, each in a process of its own so that its peak memory is its own:

* ``export``: the JSON-lines export of every record as an administrator (``--originals`` adds the files);
* ``import``: that file read into an empty archive (records, claims, incidents, custody, search index);
* ``bundle``: an evidence bundle of up to ``--bundle`` records (default 1,000) created and verified.

Peak memory is the process's maximum resident set size. Run at several sizes to see it stay flat:

    nice .venv/bin/python bench/exchange.py                        # 1,000 records, about a minute
    nice .venv/bin/python bench/exchange.py --records 100000 --json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FACILITIES = [("fac:hama-central", "Hama Central Prison", "سجن حماة المركزي", "SY05", 35.129, 36.754),
              ("fac:saydnaya", "Saydnaya Prison", "سجن صيدنايا", "SY03", 33.665, 36.330),
              ("fac:aleppo-central", "Aleppo Central Prison", "سجن حلب المركزي", "SY02", 36.260, 37.185)]
EN = ("On {day} March {year} guards at {facility} beat {count} detainees during a transfer, and families said "
      "that {dead} of them later died in custody. The report lists the names the families gave and asks for access. ")
AR = ("في {day} آذار {year} اعتدى الحراس في {facility} على {count} من المعتقلين أثناء نقلهم، وقالت العائلات إن {dead} "
      "منهم توفوا لاحقاً في الاحتجاز. ويطالب التقرير بالسماح بزيارة المعتقلين. ")


def peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def cpu_seconds() -> float:
    """Processor time of this process so far (user and system): what a shared machine's load leaves unchanged."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def setup(archive: Path) -> None:
    os.environ["DHAKIRA_ARCHIVE"] = str(archive)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dhakira_web.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def store_quickly(blobs: Any, data: bytes) -> str:
    """Put a synthetic original where the blob store keeps it, without the store's flush to disk per file
    (which makes most of the build's time and tells nothing of exports or imports)."""
    sha256 = hashlib.sha256(data).hexdigest()
    path = blobs.blob_path(sha256)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return sha256


def build(archive: Path, count: int) -> dict[str, Any]:
    """Bulk-insert ``count`` synthetic records with what belongs to them."""
    setup(archive)
    from django.db import transaction
    from django.utils import timezone

    from dhakira_web.archive import blobs
    from dhakira_web.archive.accounts import add_user
    from dhakira_web.archive.exchange.custody import append_many
    from dhakira_web.archive.models import Claim, Incident, IncidentReport, Organisation, Place, Record

    started = time.perf_counter()
    add_user("admin", "admin", password="bench-admin")
    places = [Place.objects.get_or_create(key=key, defaults={"name_en": en, "name_ar": ar, "kind": "facility", "governorate_pcode": gov,
                                                             "latitude": lat, "longitude": lon})[0]
              for key, en, ar, gov, lat, lon in FACILITIES]
    organisation, _ = Organisation.objects.get_or_create(key="org:bench-monitor", defaults={"name_en": "Bench Monitor", "name_ar": "مرصد القياس"})
    generator = random.Random(7)
    now = timezone.now()
    for start in range(0, count, 1000):
        with transaction.atomic():
            rows = []
            for number in range(start, min(count, start + 1000)):
                facility = FACILITIES[number % len(FACILITIES)]
                arabic = number % 2 == 1
                template = AR if arabic else EN
                text = "".join(template.format(day=1 + (number + k) % 28, year=2012 + number % 10, facility=facility[2 if arabic else 1],
                                               count=3 + generator.randrange(60), dead=generator.randrange(5)) for k in range(6))
                data = f"{number}\n{text}".encode()
                sha256 = store_quickly(blobs, data)
                rows.append(Record(code=f"DHK-{2012 + number % 10}-{number + 1:06d}", title=text[:90], document_type="report",
                                   issue_date=f"{2012 + number % 10}-03-{1 + number % 28:02d}", issue_date_precision="day",
                                   language="ar" if arabic else "en", languages=["ar" if arabic else "en"], captured_at=now,
                                   sha256=sha256, size=len(data), media_type="text/plain", text=text, reader="text",
                                   access_level="restricted" if number % 10 == 0 else "public", issuer_organisation=organisation,
                                   issuer=organisation.name_en, fields={"bench": number}, paragraphs=[[0, len(text), "ar" if arabic else "en"]],
                                   extraction={"incidents": [{"event_types": ["torture"], "place_id": facility[0]}]}))
            Record.objects.bulk_create(rows)
            records = list(Record.objects.filter(code__in=[row.code for row in rows]).order_by("id"))
            through = Record.places.through
            through.objects.bulk_create([through(record_id=record.pk, place_id=places[index % len(places)].pk) for index, record in enumerate(records)])
            incidents = Incident.objects.bulk_create([Incident(title=f"Torture · bench {start + index}", event_types=["torture"],
                                                                place=places[index % len(places)], date=record.issue_date, date_precision="day")
                                                       for index, record in enumerate(records) if index % 3 == 0])
            reports = IncidentReport.objects.bulk_create([
                IncidentReport(incident=incidents[index // 3], record=record, position=0, decision="origin" if index % 3 == 0 else "same",
                               reported={"event_types": ["torture"], "counts": [{"what": "dead", "value": index % 5}]})
                for index, record in enumerate(records)])
            Claim.objects.bulk_create([
                Claim(record=record, incident_report=report if field == "count" else None, field=field, value=value, value_id=value_id,
                      start=offset, end=offset + 12, extractor="bench", confidence=0.7)
                for record, report in zip(records, reports, strict=True)
                for offset, (field, value, value_id) in enumerate([("place", "Hama Central Prison", "fac:hama-central"), ("count", "12", ""),
                                                                   ("event", "torture", ""), ("date", record.issue_date, ""),
                                                                   ("organisation", "Bench Monitor", "org:bench-monitor"),
                                                                   ("count", "3", ""), ("event", "death_in_custody", ""), ("place", "Syria", "")])])
            append_many({"actor": "dhakira", "action": action, "record_id": record.pk, "target": record.code, "details": {"step": action}}
                        for record in records for action in ("collected", "hashed", "text_extracted"))
    return {"records": count, "seconds": round(time.perf_counter() - started, 2)}


def export(archive: Path, target: Path, originals: bool) -> dict[str, Any]:
    setup(archive)
    from django.contrib.auth import get_user_model

    from dhakira_web.archive.exchange.exporting import export_to_path

    started, processor = time.perf_counter(), cpu_seconds()
    result = export_to_path(target, "jsonl", get_user_model().objects.get(username="admin"), originals=originals)
    seconds, processor = time.perf_counter() - started, cpu_seconds() - processor
    return {"records": len(result.record_ids), "seconds": round(seconds, 2), "records_per_second": round(len(result.record_ids) / seconds, 1),
            "cpu_seconds": round(processor, 2), "records_per_cpu_second": round(len(result.record_ids) / processor, 1),
            "megabytes": round(result.size / 1e6, 1), "peak_memory_mb": peak_mb()}


def import_file(archive: Path, source: Path) -> dict[str, Any]:
    setup(archive)
    from dhakira_web.archive.exchange.importing import import_jsonl

    started, processor = time.perf_counter(), cpu_seconds()
    report = import_jsonl(source)
    seconds, processor = time.perf_counter() - started, cpu_seconds() - processor
    assert report.ok, report.as_json()
    return {"records": report.records_added, "seconds": round(seconds, 2), "records_per_second": round(report.records_added / seconds, 1),
            "cpu_seconds": round(processor, 2), "records_per_cpu_second": round(report.records_added / processor, 1),
            "peak_memory_mb": peak_mb()}


def bundle(archive: Path, target: Path, limit: int) -> dict[str, Any]:
    setup(archive)
    from django.contrib.auth import get_user_model

    from dhakira.exchange import verify
    from dhakira_web.archive.exchange.bundle import create_bundle
    from dhakira_web.archive.models import Record

    codes = list(Record.objects.order_by("id").values_list("code", flat=True)[:limit])
    started = time.perf_counter()
    made = create_bundle(target, get_user_model().objects.get(username="admin"), codes=codes)
    created = time.perf_counter() - started
    started = time.perf_counter()
    checked = verify(target)
    verified = time.perf_counter() - started
    assert checked.ok
    return {"records": made.records, "create_seconds": round(created, 2), "verify_seconds": round(verified, 2),
            "megabytes": round(made.size / 1e6, 1), "files": checked.checked, "peak_memory_mb": peak_mb()}


def stage(*args: str) -> dict[str, Any]:
    """Run one stage in a process of its own; returns what it printed (JSON)."""
    environment = {key: value for key, value in os.environ.items() if key != "DHAKIRA_DATABASE_URL"}
    done = subprocess.run([sys.executable, __file__, "--stage", *args], capture_output=True, text=True, env=environment)
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, action="append", help="archive size (several times for several sizes; default 1000)")
    parser.add_argument("--bundle", type=int, default=1000, help="records in the evidence bundle (0: none)")
    parser.add_argument("--originals", action="store_true", help="export the original files too")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--stage", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        name, *rest = args.stage
        if name == "build":
            result = build(Path(rest[0]), int(rest[1]))
        elif name == "export":
            result = export(Path(rest[0]), Path(rest[1]), rest[2] == "1")
        elif name == "import":
            result = import_file(Path(rest[0]), Path(rest[1]))
        else:
            result = bundle(Path(rest[0]), Path(rest[1]), int(rest[2]))
        print(json.dumps(result))
        return
    results = []
    for size in args.records or [1000]:
        scratch = Path(tempfile.mkdtemp(prefix="dhakira-bench-exchange-"))
        try:
            source, target, file = scratch / "source", scratch / "target", scratch / "export.jsonl"
            row: dict[str, Any] = {"records": size, "build": stage("build", str(source), str(size))}
            row["export"] = stage("export", str(source), str(file), "1" if args.originals else "0")
            if not args.originals:
                shutil.copytree(source / "blobs", target / "blobs")  # the originals are there already; the import finds them
            row["import"] = stage("import", str(target), str(file))
            if args.bundle:
                row["bundle"] = stage("bundle", str(source), str(scratch / "bundle"), str(args.bundle))
            digest = hashlib.sha256(file.read_bytes()).hexdigest()[:16]
            row["export"]["sha256_prefix"] = digest
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        results.append(row)
        if not args.json:
            exported, imported = row["export"], row["import"]
            print(f"{size:>7} records  export {exported['records_per_second']:>8} rec/s  {exported['megabytes']:>7} MB  peak {exported['peak_memory_mb']} MB"
                  f"   import {imported['records_per_second']:>7} rec/s  peak {imported['peak_memory_mb']} MB")
            if "bundle" in row:
                made = row["bundle"]
                print(f"         bundle of {made['records']} records: created in {made['create_seconds']} s, verified in {made['verify_seconds']} s, "
                      f"{made['megabytes']} MB, {made['files']} files")
    if args.json:
        print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
