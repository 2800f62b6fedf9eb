"""Spreadsheet exports: records, incidents and claims as three CSV files (and the readers they share).

Headers are in English, values in their own language; files are UTF-8 with a byte-order mark so that
spreadsheet programs open Arabic correctly. The full text stays out (a cell holds 32,767 characters
at most); the JSON-lines export carries it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db.models import QuerySet

from dhakira.text import normalise
from dhakira_web.archive import policy
from dhakira_web.archive.exchange.jsonl import ExportResult, _chunks, incident_keys
from dhakira_web.archive.incidents.facts import as_seen
from dhakira_web.archive.models import Assessment, Claim, Incident, IncidentReport, Record

RECORD_COLUMNS = ["code", "title", "issue_date", "issue_date_precision", "document_type", "language", "issuer", "geographic_area",
                  "governorates", "facilities", "places", "organisations", "persons", "reliability", "incidents", "access_level",
                  "review_state", "source_url", "source_name", "captured_at", "sha256", "size", "media_type"]
INCIDENT_COLUMNS = ["incident", "title", "event_types", "date", "date_precision", "place", "place_ar", "governorate_pcode",
                    "latitude", "longitude", "perpetrator", "status", "suggested_credibility", "reports", "records"]
CLAIM_COLUMNS = ["record", "field", "value", "value_id", "qualifier", "what", "start", "end", "quote", "extractor", "confidence",
                 "review", "incident"]


def joined(values: list[str]) -> str:
    return "; ".join(value for value in values if value)


class Batch:
    """One batch of selected records with what the exports read of them, in a few queries."""

    def __init__(self, user: Any, ids: list[int], records: QuerySet[Record], keys: dict[int, str]) -> None:
        self.user = user
        self.selected = records.order_by().values("pk")
        self.records = list(Record.objects.filter(pk__in=ids).order_by("pk").prefetch_related("places", "organisations"))
        self.by_id = {record.pk: record for record in self.records}
        self.persons: dict[int, list[str]] = {}
        self.person_keys: dict[int, set[str]] = {}
        for record_id, name, key in policy.visible_persons(user).filter(records__in=ids).values_list("records", "name", "normalised_name"):
            if record_id in self.by_id:
                self.persons.setdefault(record_id, []).append(name)
                self.person_keys.setdefault(record_id, set()).add(key)
        self.reports = list(IncidentReport.objects.filter(record_id__in=ids).order_by("record_id", "position", "pk"))
        new = {report.incident_id for report in self.reports} - set(keys)
        if new:
            keys.update(incident_keys(new, records))
        self.new_incidents = sorted(new)
        self.keys = keys
        self.assessments: dict[int, list[str]] = {}
        for record_id, scheme, value in Assessment.objects.filter(record_id__in=ids).values_list("record_id", "scheme", "value"):
            self.assessments.setdefault(record_id, []).append(f"{scheme}:{value}")

    def shown(self, record: Record, text: str) -> str:
        return policy.shown_text(self.user, record, text)

    def claims(self) -> Iterator[tuple[Record, Claim]]:
        for claim in Claim.objects.filter(record_id__in=list(self.by_id)).order_by("record_id", "start", "end", "pk"):
            if claim.field == "person" and normalise(claim.value)[:300] not in self.person_keys.get(claim.record_id, set()):
                continue
            yield self.by_id[claim.record_id], claim


def batches(user: Any, records: QuerySet[Record], size: int = 200) -> Iterator[Batch]:
    keys: dict[int, str] = {}
    for ids in _chunks(records, size):
        yield Batch(user, ids, records, keys)


def incidents_of(batch: Batch) -> Iterator[tuple[Incident, list[str]]]:
    """The incidents first reported in ``batch``, each with the codes of its reports among the selected records."""
    if not batch.new_incidents:
        return
    codes: dict[int, list[str]] = {}
    for incident_id, code in (IncidentReport.objects.filter(incident_id__in=batch.new_incidents)
                              .filter(record__in=batch.selected)
                              .order_by("record__code").values_list("incident_id", "record__code")):
        if code not in codes.setdefault(incident_id, []):
            codes[incident_id].append(code)
    incidents = Incident.objects.filter(pk__in=batch.new_incidents).select_related("place").order_by("pk")
    for incident in as_seen(batch.user, list(incidents)):  # one with reports the reader may not see: as the visible ones tell it
        yield incident, codes.get(incident.pk, [])


def write_csv_folder(folder: Path, user: Any, records: QuerySet[Record]) -> ExportResult:
    """Write records.csv, incidents.csv and claims.csv into ``folder``."""
    result = ExportResult()
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "records.csv").open("w", encoding="utf-8-sig", newline="") as record_file, \
         (folder / "incidents.csv").open("w", encoding="utf-8-sig", newline="") as incident_file, \
         (folder / "claims.csv").open("w", encoding="utf-8-sig", newline="") as claim_file:
        record_rows, incident_rows, claim_rows = csv.writer(record_file), csv.writer(incident_file), csv.writer(claim_file)
        record_rows.writerow(RECORD_COLUMNS)
        incident_rows.writerow(INCIDENT_COLUMNS)
        claim_rows.writerow(CLAIM_COLUMNS)
        for batch in batches(user, records):
            reports_of: dict[int, list[str]] = {}
            for report in batch.reports:
                key = batch.keys[report.incident_id]
                if key not in reports_of.setdefault(report.record_id, []):
                    reports_of[report.record_id].append(key)
            report_key = {report.pk: batch.keys[report.incident_id] for report in batch.reports}
            for record in batch.records:
                result.record_ids.append(record.pk)
                places = list(record.places.all())
                record_rows.writerow([
                    record.code, batch.shown(record, record.title), record.issue_date, record.issue_date_precision, record.document_type,
                    record.language, batch.shown(record, record.issuer), batch.shown(record, record.geographic_area),
                    joined(sorted({place.governorate_pcode for place in places})),
                    joined([place.name_en for place in places if place.kind == "facility"]),
                    joined([place.key for place in places]), joined([organisation.name_en for organisation in record.organisations.all()]),
                    joined(sorted(batch.persons.get(record.pk, []))), joined(batch.assessments.get(record.pk, [])),
                    joined(reports_of.get(record.pk, [])), record.access_level, record.review_state, record.source_url,
                    batch.shown(record, record.source_name), record.captured_at.isoformat(), record.sha256, record.size, record.media_type,
                ])
            result.counts["records"] += len(batch.records)
            for incident, codes in incidents_of(batch):
                place = incident.place
                incident_rows.writerow([
                    batch.keys[incident.pk], incident.title, joined(incident.event_types), incident.date, incident.date_precision,
                    place.name_en if place else "", place.name_ar if place else "", place.governorate_pcode if place else "",
                    place.latitude if place and place.latitude is not None else "", place.longitude if place and place.longitude is not None else "",
                    incident.perpetrator, incident.status, incident.suggested_credibility, len(codes), joined(codes),
                ])
                result.counts["incidents"] += 1
            for record, claim in batch.claims():
                claim_rows.writerow([
                    record.code, claim.field, batch.shown(record, claim.value), claim.value_id, claim.qualifier, claim.what, claim.start,
                    claim.end, batch.shown(record, record.text[claim.start:claim.end]), claim.extractor, claim.confidence, claim.review,
                    report_key.get(claim.incident_report_id or 0, ""),
                ])
                result.counts["claims"] += 1
    return result
