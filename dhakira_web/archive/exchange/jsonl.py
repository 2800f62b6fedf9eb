"""The full-fidelity export: one JSON object per line (schema in docs/export.md).

Lines come in an order an import can follow as it reads: a header, the places, organisations and
persons the records name, then per batch of records: originals (when asked), records, the
incidents they first report, and the rows that belong to them (incident reports, claims,
assessments, custody entries). Memory stays flat: records are read a batch at a time.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from dhakira.text import normalise
from dhakira_web.archive import blobs, policy
from dhakira_web.archive.exchange import serial
from dhakira_web.archive.incidents.facts import as_seen, partly_hidden
from dhakira_web.archive.jobs.models import RecordFingerprint
from dhakira_web.archive.models import Claim, Incident, IncidentReport, Organisation, Person, Place, Record

BATCH = 200


@dataclass
class ExportResult:
    """What an export wrote: its SHA-256 and size, the ids of the records it carried, lines per kind."""

    sha256: str = ""
    size: int = 0
    record_ids: list[int] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)

    def as_json(self) -> dict[str, Any]:
        return {"sha256": self.sha256, "bytes": self.size, "records": len(self.record_ids), "lines": dict(sorted(self.counts.items()))}


class HashingHandle:
    """A binary handle that hashes and counts the bytes written through it (ZIP writers use it too)."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.sha = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.sha.update(data)
        self.size += len(data)
        self.handle.write(data)
        return len(data)

    def tell(self) -> int:
        return self.size

    def flush(self) -> None:
        self.handle.flush()


def _chunks(records: QuerySet[Record], size: int) -> Iterator[list[int]]:
    """The ids of ``records`` in batches, read by keyset so that memory stays flat."""
    last = 0
    while True:
        ids = list(records.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:size])
        if not ids:
            return
        yield ids
        last = ids[-1]


def reports_among(incident_ids: set[int], records: QuerySet[Record], *columns: str) -> list[tuple[Any, ...]]:
    """``columns`` of the reports of ``incident_ids`` whose record is among ``records`` (and ``record_id`` first).

    The reports are read first, then their records checked against ``records`` by id: the work grows with
    the incidents asked about, never with the whole selection (an export asks once per batch).
    """
    rows = list(IncidentReport.objects.filter(incident_id__in=incident_ids).values_list("record_id", *columns))
    kept = set(records.filter(pk__in={row[0] for row in rows}).values_list("pk", flat=True)) if rows else set()
    return [row[1:] for row in rows if row[0] in kept]


def incident_keys(incident_ids: set[int], records: QuerySet[Record]) -> dict[int, str]:
    """The natural key of each incident, from its reports among ``records``: its origin report, else the first by code."""
    chosen: dict[int, tuple[int, str, int, str]] = {}
    rows = reports_among(incident_ids, records, "incident_id", "record__code", "position", "decision")
    for incident_id, code, position, decision in rows:
        rank = (0 if decision == "origin" else 1, code, position, decision)
        if incident_id not in chosen or rank < chosen[incident_id]:
            chosen[incident_id] = rank
    return {incident_id: serial.incident_report_key(code, position, decision) for incident_id, (_, code, position, decision) in chosen.items()}


def catalogue_of(selected: QuerySet[Any]) -> tuple[QuerySet[Place], QuerySet[Organisation]]:
    """The places and organisations the ``selected`` records (a queryset of their ids) or their incidents name.

    Each is found through subqueries of ids, never by joining records: a join through records and
    incidents at once gives one row per pair, which grows with the square of the archive.
    """
    incidents = Incident.objects.filter(pk__in=IncidentReport.objects.filter(record_id__in=selected).values("incident_id"))
    places = Place.objects.filter(Q(pk__in=Record.places.through.objects.filter(record_id__in=selected).values("place_id"))
                                  | Q(pk__in=incidents.values("place_id")))
    organisations = Organisation.objects.filter(
        Q(pk__in=Record.organisations.through.objects.filter(record_id__in=selected).values("organisation_id"))
        | Q(pk__in=Record.objects.filter(pk__in=selected).values("issuer_organisation_id")))
    return places.order_by("key"), organisations.order_by("key")


def _person_claim_allowed(claim: Claim, names: set[str]) -> bool:
    return claim.field != "person" or normalise(claim.value)[:300] in names


def _related_keys(ids: list[int]) -> dict[str, dict[int, list[str]]]:
    """Keys of each record's places and organisations, two queries for a whole batch."""
    related: dict[str, dict[int, list[str]]] = {"places": {}, "organisations": {}}
    for name, through, column in (("places", Record.places.through, "place__key"), ("organisations", Record.organisations.through, "organisation__key")):
        for record_id, key in through.objects.filter(record_id__in=ids).values_list("record_id", column):
            related[name].setdefault(record_id, []).append(key)
    return related


def _fingerprints(ids: list[int]) -> dict[int, list[int]]:
    """The fingerprints of a batch's records (``RecordFingerprint``), one query."""
    return dict(RecordFingerprint.objects.filter(record_id__in=ids).values_list("record_id", "signature"))


def _record_line(record: Record, references: serial.References, user: Any, persons: dict[int, list[str]],
                 related: dict[str, dict[int, list[str]]], fingerprints: dict[int, list[int]]) -> dict[str, Any]:
    item = serial.serialise(serial.RECORD, record, references, lambda text: policy.shown_text(user, record, text))
    data = item["data"]
    data["fingerprint"] = fingerprints.get(record.pk, [])  # kept in a table of its own, carried in the record's line
    allowed = set(persons.get(record.pk, []))
    extraction = data.get("extraction")
    if isinstance(extraction, dict) and extraction.get("persons"):
        extraction["persons"] = [entry for entry in extraction["persons"] if normalise(str(entry.get("text") or ""))[:300] in allowed]
    data["places"] = sorted(related["places"].get(record.pk, []))
    data["organisations"] = sorted(related["organisations"].get(record.pk, []))
    data["persons"] = sorted(allowed)
    return item


def account_line(user: Any) -> dict[str, Any]:
    """An account with its role and password hash: only in exports that move a whole archive (``--all``)."""
    data = {field.name: serial.plain(getattr(user, field.attname)) for field in user._meta.concrete_fields if not field.primary_key}
    data["groups"] = sorted(user.groups.values_list("name", flat=True))
    return {"type": "account", "v": 1, "data": data}


def write_jsonl(handle: IO[bytes], user: Any, records: QuerySet[Record], *, originals: bool = False,
                about: dict[str, Any] | None = None, batch: int = BATCH, accounts: bool = False) -> ExportResult:
    """Write ``records`` (already limited by the policy and the filters) as JSON lines to ``handle``."""
    result = ExportResult()

    def emit(item: dict[str, Any]) -> None:
        handle.write((serial.line(item) + "\n").encode("utf-8"))
        result.counts[item["type"]] += 1

    emit({"type": "header", "format": serial.FORMAT, "version": serial.FORMAT_VERSION,
          "kinds": {name: kind.version for name, kind in serial.KINDS.items()},
          "created_at": timezone.now().isoformat(), **(about or {})})
    if accounts:
        from django.contrib.auth import get_user_model

        for account in get_user_model().objects.order_by("username"):
            emit(account_line(account))
    selected = records.order_by().values("pk")
    references = serial.References()
    visible_persons = policy.visible_persons(user)
    places, organisations = catalogue_of(selected)
    named = Record.persons.through.objects.filter(record_id__in=selected).values("person_id")
    persons = Person.objects.filter(pk__in=visible_persons.values("pk")).filter(pk__in=named).order_by("normalised_name")
    for kind, rows in ((serial.PLACE, places), (serial.ORGANISATION, organisations), (serial.PERSON, persons)):
        for row in rows.iterator(chunk_size=2000):
            item = serial.serialise(kind, row, references)
            item["data"]["id"] = row.pk  # the address of its page, kept by an import where free
            emit(item)
    for ids in _chunks(records, batch):
        result.record_ids += ids
        batch_records = list(Record.objects.filter(pk__in=ids).order_by("pk"))
        references.prepare(serial.RECORD, batch_records)
        person_names: dict[int, list[str]] = {}
        for record_id, name in visible_persons.filter(records__in=ids).values_list("records", "normalised_name"):
            if record_id in ids:
                person_names.setdefault(record_id, []).append(name)
        by_id = {record.pk: record for record in batch_records}
        related = _related_keys(ids)
        fingerprints = _fingerprints(ids)
        for record in batch_records:
            if originals and policy.may_download_original(user, record) and blobs.blob_path(record.sha256).exists():
                emit({"type": "original", "v": 1, "data": {"sha256": record.sha256, "size": record.size,
                                                            "base64": base64.b64encode(blobs.read(record.sha256)).decode("ascii")}})
            emit(_record_line(record, references, user, person_names, related, fingerprints))
        # Incidents first reported in this batch, then the rows that belong to the batch's records.
        # Incidents this batch reports; those reported by an earlier batch's record were written with it.
        reported = set(IncidentReport.objects.filter(record_id__in=ids).values_list("incident_id", flat=True))
        earlier = {incident_id for incident_id, record_id in reports_among(reported, records, "incident_id", "record_id")
                   if record_id < ids[0]}
        new = reported - earlier
        emitted_incidents = references.incidents = incident_keys(reported, records)
        if new:
            # An incident with reports the reader may not see: as its visible reports tell it.
            incidents = as_seen(user, list(Incident.objects.filter(pk__in=new).order_by("pk")))
            references.prepare(serial.INCIDENT, incidents)
            for incident in incidents:
                item = serial.serialise(serial.INCIDENT, incident, references, lambda text: text)
                item["data"]["key"] = emitted_incidents[incident.pk]
                item["data"]["id"] = incident.pk  # its public identifier: pages and citations keep their address
                emit(item)
            for kind in serial.INCIDENT_KINDS:
                if not kind.visible_to(user):
                    continue
                rows = list(kind.model.objects.filter(incident_id__in=new, record__isnull=True).order_by("pk"))  # type: ignore[attr-defined]
                references.prepare(kind, rows)
                for row in rows:
                    emit(serial.serialise(kind, row, references))
        partial_reports = partly_hidden(user, reported)
        for kind in serial.RECORD_KINDS:
            if not kind.visible_to(user):
                continue
            rows = list(kind.model.objects.filter(record_id__in=ids).order_by("record_id", "pk"))  # type: ignore[attr-defined]
            if kind.model is Claim:
                rows = [row for row in rows if _person_claim_allowed(row, set(person_names.get(row.record_id, [])))]
            references.prepare(kind, rows)
            if kind.model is IncidentReport:
                for row in rows:
                    record = by_id[row.record_id]
                    references.report_keys[row.pk] = f"{emitted_incidents[row.incident_id]}|{record.code}#{row.position}"
            for row in rows:
                record = by_id[row.record_id]
                item = serial.serialise(kind, row, references, lambda text, record=record: policy.shown_text(user, record, text))
                if kind.model is IncidentReport:
                    item["data"]["id"] = row.pk  # the link's identifier (reviewers' forms), kept by an import where free
                    if row.incident_id in partial_reports:
                        item["data"]["features"] = {}  # link features describe the record it was compared with
                emit(item)
        references.report_keys.clear()
        for model in (Record, Claim):  # read again when a later batch names them: memory stays flat
            references.known.pop(model, None)
    return result
