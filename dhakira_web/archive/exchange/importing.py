"""Read our own JSON-lines export into an empty or a living archive.

Codes are kept; a record already present (same code, same SHA-256) is not written again, and rows
already present (same values) are not added twice, so importing the same file twice changes nothing.
A record whose code or original is already catalogued otherwise is a conflict: reported, never
overwritten. Each group of lines (one batch of records with what belongs to them) is written in one
transaction, so an interrupted import leaves whole records only; run it again to finish.

Custody entries carried by the export are appended to this archive's chain as they were (time,
actor, action, details), followed by one ``imported`` entry per new record naming the file's SHA-256.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection, models, transaction

from dhakira.exchange.manifest import digest_file
from dhakira.ingest import similarity
from dhakira.knowledge import knowledge
from dhakira_web.archive import blobs, policy
from dhakira_web.archive.exchange import custody, serial
from dhakira_web.archive.models import (
    AuditEntry,
    Claim,
    Incident,
    IncidentReport,
    Organisation,
    Person,
    Place,
    Record,
    reported_day,
)
from dhakira_web.archive.search import index_records
from dhakira_web.archive.services import keep_fingerprints, refresh_facets_many
from dhakira_web.archive.storage import pack_minhash61

GLOBAL = ("header", "account", "place", "organisation", "person")
# Earlier shapes of a kind, brought up to the current one: {(kind, version): function(data) -> data}.
UPGRADES: dict[tuple[str, int], Any] = {}


class ImportError_(Exception):
    """The file cannot be imported at all (not an export, or written by a newer Dhakira)."""


@dataclass
class ImportReport:
    """What an import did: records added and already present, rows added per kind, what was refused and why."""

    sha256: str = ""
    records_added: int = 0
    records_present: int = 0
    rows_added: Counter[str] = field(default_factory=Counter)
    conflicts: list[str] = field(default_factory=list)
    missing_originals: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skipped_kinds: Counter[str] = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return not (self.conflicts or self.errors)

    def as_json(self) -> dict[str, Any]:
        return {"sha256": self.sha256, "records_added": self.records_added, "records_present": self.records_present,
                "rows_added": dict(sorted(self.rows_added.items())), "conflicts": self.conflicts,
                "missing_originals": self.missing_originals, "errors": self.errors, "skipped_kinds": dict(self.skipped_kinds)}


@contextmanager
def _keeping_times(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let imported rows keep their creation times (``auto_now_add`` fields would stamp now)."""
    changed = []
    for model in model_classes:
        for item in model._meta.concrete_fields:
            if getattr(item, "auto_now_add", False) or getattr(item, "auto_now", False):
                changed.append((item, item.auto_now_add, item.auto_now))  # type: ignore[attr-defined]
                item.auto_now_add = item.auto_now = False  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for item, add, now in changed:
            item.auto_now_add, item.auto_now = add, now  # type: ignore[attr-defined]


def _check_fingerprint(value: Any) -> None:
    """A record line's fingerprint is a list of integers in [0, 2^61) (or absent, or empty): 16-bit values as
    ``similarity`` makes them, or the 61-bit values of an export made before, which are kept narrowed to their low
    16 bits (``similarity.narrowed``, the fingerprint this version makes of the text); else ``ValueError``, and
    the line is refused."""
    if value is not None and not isinstance(value, list):
        raise ValueError(f"a fingerprint is a list of integers, not {type(value).__name__}")
    if value and len(value) != similarity.PERMUTATIONS:
        raise ValueError(f"a fingerprint holds {similarity.PERMUTATIONS} integers, not {len(value)}")
    pack_minhash61(value or [])


def _datetime(value: Any) -> Any:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def signature(values: Iterable[Any]) -> str:
    """Equal rows give equal signatures: values as canonical JSON (datetimes in ISO 8601)."""
    return json.dumps([value.isoformat() if isinstance(value, datetime) else value for value in values],
                      ensure_ascii=False, sort_keys=True, default=str)


class Importer:
    """One import: resolves natural references to rows of this archive as it reads."""

    def __init__(self, report: ImportReport, actor: str, originals_dir: Path | None) -> None:
        self.report = report
        self.actor = actor
        self.originals_dir = originals_dir
        self.places: dict[str, int] = {}
        self.organisations: dict[str, int] = {}
        self.persons: dict[str, int] = {}
        self.users: dict[str, int] = {}
        # What one group resolved (emptied after each group, so that memory stays flat); misses are read from the archive.
        self.records: dict[str, int] = {}  # code -> id, for the records of this file that are here
        self.new_records: set[int] = set()
        self.imported: list[tuple[str, int]] = []  # (code, id) of the group's new records, in the order read
        self.reports: dict[str, int] = {}
        self.claims: dict[str, int] = {}
        self.new_links: set[tuple[int, int, Any]] = set()  # (incident, record, position) of the group's new reports
        # Incidents by key; kept across groups only until the report their key names is here to find them by.
        self.incidents: dict[str, int] = {}
        self.anchored: set[str] = set()
        self.refused: set[str] = set()
        self.signatures: dict[tuple[str, int], set[str]] = {}
        self.pending_index: list[int] = []
        self.pending_custody: list[dict[str, Any]] = []
        self.pending_duplicates: list[tuple[int, str]] = []
        self.pending_rows: list[tuple[serial.Kind, models.Model, dict[str, Any]]] = []
        self.pending_records: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = []
        self.explicit_ids = False
        self.originals_index: dict[str, Path] | None = None

    # ---------------------------------------------------------------- references

    def _key_id(self, model: type[models.Model], cache: dict[str, int], key: str | None, name: str = "key") -> int | None:
        if not key:
            return None
        if key not in cache:
            found = model.objects.filter(**{name: key}).values_list("pk", flat=True).first()  # type: ignore[attr-defined]
            if found is None:
                return None
            cache[key] = found
        return cache[key]

    def _user_id(self, username: str | None) -> int | None:
        if not username:
            return None
        if username not in self.users:
            user_model = get_user_model()
            user = user_model.objects.filter(username=username).first()
            if user is None:  # the author of a review elsewhere: kept by name, with no role and no password
                user = user_model(username=username, is_active=False)
                user.set_unusable_password()
                user.save()
            self.users[username] = user.pk
        return self.users[username]

    def _record_id(self, code: str | None) -> int | None:
        if not code:
            return None
        if code not in self.records:
            found = Record.objects.filter(code=code).values_list("pk", flat=True).first()
            if found is None:
                return None
            self.records[code] = found
        return self.records[code]

    def _incident_id(self, key: str) -> int | None:
        """The incident an export's key names: the one the report named by the key belongs to here."""
        if key not in self.incidents:
            code, position, decision = key.rsplit("#", 2)
            found = (IncidentReport.objects.filter(record__code=code, position=int(position), decision=decision)
                     .values_list("incident_id", flat=True).first())
            if found is None:
                return None
            self.incidents[key] = found
            self.anchored.add(key)
        return self.incidents[key]

    def _report_id(self, reference: str) -> int | None:
        """The incident report ``incident key|record code#position`` names."""
        if reference not in self.reports:
            incident_key, _, report = reference.rpartition("|")
            code, _, position = report.rpartition("#")
            incident_id = self._incident_id(incident_key) if incident_key else None
            if incident_id is None or not position.isdigit():
                return None
            found = (IncidentReport.objects.filter(incident_id=incident_id, record__code=code, position=int(position))
                     .values_list("pk", flat=True).first())
            if found is None:
                return None
            self.reports[reference] = found
        return self.reports[reference]

    def resolve(self, target: type[models.Model] | None, reference: Any) -> int | None:
        """The id here of the row an export's reference names (None when it is not here)."""
        if reference is None or target is None:
            return None
        if target is Record:
            return self._record_id(reference)
        if target is Place:
            return self._key_id(Place, self.places, reference)
        if target is Organisation:
            return self._key_id(Organisation, self.organisations, reference)
        if target is Person:
            return self._key_id(Person, self.persons, reference, "normalised_name")
        if target is get_user_model():
            return self._user_id(reference)
        if target is Incident:
            return self._incident_id(reference)
        if target is IncidentReport:
            return self._report_id(reference)
        if target is Claim:
            return self.claims.get(reference)
        return None

    def values(self, kind: serial.Kind, data: dict[str, Any]) -> dict[str, Any]:
        """Column values (by attribute name) of a row from its export data; fields the export lacks keep their default."""
        values: dict[str, Any] = {}
        for item in serial.concrete_fields(kind):
            if item.name not in data:
                continue
            value = data[item.name]
            if item.is_relation:
                values[item.attname] = self.resolve(item.related_model, value)  # type: ignore[arg-type]
            elif isinstance(item, models.DateTimeField):
                values[item.attname] = _datetime(value)
            else:
                values[item.attname] = value
        return values

    # ---------------------------------------------------------------- lines

    def catalogue(self, kind: serial.Kind, data: dict[str, Any]) -> None:
        """A place, organisation or person: added when its key is new here, else left as it is."""
        name = "normalised_name" if kind.model is Person else "key"
        values = self.values(kind, data)
        wanted = data.get("id")
        if isinstance(wanted, int) and not kind.model.objects.filter(pk=wanted).exists():  # type: ignore[attr-defined]
            values["id"] = wanted  # the same page address (/places/<id>…) as in the archive it came from
        _, created = kind.model.objects.get_or_create(**{name: values.pop(name)}, defaults=values)  # type: ignore[attr-defined]
        self.report.rows_added[kind.name] += int(created)

    def account(self, data: dict[str, Any]) -> None:
        """An account carried by a whole-archive export: added with its role when its name is new here."""
        from django.contrib.auth.models import Group

        user_model = get_user_model()
        if user_model.objects.filter(username=data["username"]).exists():
            return
        names = {field.name for field in user_model._meta.concrete_fields if not field.primary_key}
        values = {key: (_datetime(value) if key in ("last_login", "date_joined") else value) for key, value in data.items() if key in names}
        user = user_model.objects.create(**values)
        user.groups.set([Group.objects.get_or_create(name=name)[0] for name in data.get("groups") or []])
        self.report.rows_added["account"] += 1

    def original(self, data: dict[str, Any]) -> None:
        content = base64.b64decode(data["base64"])
        if hashlib.sha256(content).hexdigest() != data["sha256"]:
            self.report.errors.append(f"original {data['sha256']}: its bytes do not match its SHA-256; not stored")
            return
        blobs.store(content)

    def _restore_original(self, sha256: str, code: str) -> None:
        if blobs.blob_path(sha256).exists():
            return
        if self.originals_dir is not None:
            for candidate in (self.originals_dir / sha256, self.originals_dir / sha256[:2] / sha256[2:4] / sha256,
                              self._originals_by_hash().get(sha256)):
                if candidate is not None and candidate.is_file():
                    content = candidate.read_bytes()
                    if hashlib.sha256(content).hexdigest() == sha256:
                        blobs.store(content)
                        return
        self.report.missing_originals.append(code)

    def _originals_by_hash(self) -> dict[str, Path]:
        """Files of the originals folder by their SHA-256 (a bundle names them by code), hashed once."""
        if self.originals_index is None:
            self.originals_index = {}
            if self.originals_dir is not None and self.originals_dir.is_dir():
                for path in self.originals_dir.rglob("*"):
                    if path.is_file():
                        self.originals_index[digest_file(path)[0]] = path
        return self.originals_index

    def record(self, data: dict[str, Any]) -> None:
        """A record line: checked as it is read, written with the records read next to it (``write_records``)."""
        if not isinstance(data.get("text"), str):  # the clean text is what a record is: never stored empty unsaid
            raise ValueError(f"a record's text is a string, not {type(data.get('text')).__name__}")
        _check_fingerprint(data.get("fingerprint"))
        self.pending_records.append((data["code"], data["sha256"], self.values(serial.RECORD, data), data))

    def write_records(self) -> None:
        """Write the records read since the last call: a few queries for the lot, one statement per table.

        A record already here (same code, same original) is not written again; one whose code or original is
        catalogued here otherwise is a conflict, reported and never overwritten.
        """
        if not self.pending_records:
            return
        pending, self.pending_records = self.pending_records, []
        present = {code: (pk, sha256) for code, pk, sha256 in
                   Record.objects.filter(code__in=[item[0] for item in pending]).values_list("code", "pk", "sha256")}
        elsewhere = dict(Record.objects.filter(sha256__in=[item[1] for item in pending]).values_list("sha256", "code"))
        numbers = {code: int(found.group(1)) for code, *_ in pending if (found := re.search(r"-(\d+)$", code))}
        taken = set(Record.objects.filter(pk__in=set(numbers.values())).values_list("pk", flat=True))
        new: list[tuple[Record, dict[str, Any]]] = []
        for code, sha256, values, data in pending:
            if code in present:
                if present[code][1] != sha256:
                    self.refused.add(code)
                    self.report.conflicts.append(f"{code}: this archive holds another original under that code; not imported")
                    continue
                self.records[code] = present[code][0]
                self.report.records_present += 1
                self._restore_original(sha256, code)
                continue
            if sha256 in elsewhere:
                self.refused.add(code)
                self.report.conflicts.append(f"{code}: the same original is catalogued here as {elsewhere[sha256]}; not imported")
                continue
            record = Record(**values)
            if code in numbers and numbers[code] not in taken:
                record.pk = numbers[code]  # future codes, made from ids, never meet an imported one
                taken.add(record.pk)
                self.explicit_ids = True
            present[code], elsewhere[sha256] = (0, sha256), code  # a second line of the same record meets the first
            new.append((record, data))
        Record.objects.bulk_create([record for record, _ in new], batch_size=500)
        rows: dict[str, list[models.Model]] = {"places": [], "organisations": [], "persons": []}
        for record, data in new:
            code = record.code
            duplicate_code = data.get("duplicate_of")
            if duplicate_code and record.duplicate_of_id is None:
                self.pending_duplicates.append((record.pk, duplicate_code))
            for name, model in (("places", Place), ("organisations", Organisation), ("persons", Person)):
                through = getattr(Record, name).through
                column = f"{model.__name__.lower()}_id"
                targets = sorted({pk for pk in (self.resolve(model, key) for key in data.get(name) or []) if pk})
                rows[name] += [through(record_id=record.pk, **{column: pk}) for pk in targets]
            self.records[code] = record.pk
            self.new_records.add(record.pk)
            self.imported.append((code, record.pk))
            self.pending_index.append(record.pk)
            self.report.records_added += 1
            self.report.rows_added["record"] += 1
            self._restore_original(record.sha256, code)
        for name, through_rows in rows.items():
            getattr(Record, name).through.objects.bulk_create(through_rows, batch_size=1000)
        # Kept apart from the record's row (``RecordFingerprint``), with the bands later ingests find near-duplicates by.
        keep_fingerprints([(record.pk, similarity.narrowed(data.get("fingerprint") or [])) for record, data in new])

    def incident(self, data: dict[str, Any]) -> None:
        key = data["key"]
        if self._incident_id(key) is not None:
            return
        values = self.values(serial.INCIDENT, data)
        wanted = data.get("id")
        if isinstance(wanted, int) and not Incident.objects.filter(pk=wanted).exists():
            values["id"] = wanted  # the same public identifier as in the archive it came from
        self.incidents[key] = Incident.objects.create(**values).pk
        self.report.rows_added["incident"] += 1

    def _existing(self, kind: serial.Kind, record_id: int, attnames: list[str], parent: str) -> set[str]:
        key = (kind.name, record_id)
        if key not in self.signatures:
            if record_id in self.new_records and parent == "record_id":
                self.signatures[key] = set()
            else:
                rows = kind.model.objects.filter(**{parent: record_id}).values_list(*attnames)  # type: ignore[attr-defined]
                self.signatures[key] = {signature(row) for row in rows}
        return self.signatures[key]

    def child(self, kind: serial.Kind, data: dict[str, Any]) -> None:
        """A row belonging to a record (or to an incident): added unless an equal row is here already."""
        self.write_records()
        code = data.get("record")
        if code in self.refused:
            return
        if code is not None and self._record_id(code) is None:
            self.report.errors.append(f"{kind.name} of {code}: the record is not in the file nor here; skipped")
            return
        if self.pending_rows and self.pending_rows[0][0] is not kind:
            self.write_rows()  # rows read before may be named by this one (a claim names its incident report)
        values = self.values(kind, data)
        if kind.model is IncidentReport:
            self._incident_report(data, values)
            return
        attnames = [item.attname for item in serial.concrete_fields(kind)]
        parent = "record_id" if code is not None else "incident_id"
        owner = values.get(parent)
        if owner is None:
            return
        seen = self._existing(kind, owner, attnames, parent)
        mark = signature(values.get(name, _default(kind, name)) for name in attnames)
        if mark in seen:
            return
        seen.add(mark)
        self.report.rows_added[kind.name] += 1
        if kind.model is AuditEntry:
            self.pending_custody.append({"actor": values["actor"], "action": values["action"], "record_id": values.get("record_id"),
                                         "target": values.get("target", ""), "details": values.get("details") or {}, "at": values.get("at")})
            return
        if self.pending_rows and self.pending_rows[0][0] is not kind:
            self.write_rows()
        self.pending_rows.append((kind, kind.model(**values), data))

    def write_rows(self) -> None:
        """Insert the rows of one kind read since the last call, in one statement per thousand rows."""
        if not self.pending_rows:
            return
        kind = self.pending_rows[0][0]
        rows = [row for _, row, _ in self.pending_rows]
        for row in rows:
            if isinstance(row, IncidentReport):  # their indexed day, as save() keeps it
                row.day = reported_day(row.reported)
        if kind.model is IncidentReport:  # the link's identifier kept where it is free here
            wanted = {data["id"] for _, _, data in self.pending_rows if isinstance(data.get("id"), int)}
            taken = set(IncidentReport.objects.filter(pk__in=wanted).values_list("pk", flat=True))
            for _, row, data in self.pending_rows:
                if data.get("id") in wanted - taken:
                    row.pk = data["id"]
                    taken.add(row.pk)
        kind.model.objects.bulk_create(rows, batch_size=1000)  # type: ignore[attr-defined]
        for _, row, data in self.pending_rows:
            if kind.name == "claim":
                self._remember_claim(data, row.pk)
            elif isinstance(row, IncidentReport):
                self._remember_report(data, row)
        self.pending_rows = []

    def _remember_claim(self, data: dict[str, Any], pk: int | None) -> None:
        if pk is not None:
            self.claims[serial.claim_key(data["record"], data["field"], data["start"], data["end"], data["extractor"], data["value"])] = pk

    def _incident_report(self, data: dict[str, Any], values: dict[str, Any]) -> None:
        incident_key, code = data.get("incident"), data["record"]
        if values.get("incident_id") is None:
            self.report.errors.append(f"incident report of {code}: its incident {incident_key} is not in the file; skipped")
            return
        if values["record_id"] in self.new_records:  # a new record has no reports yet: written in bulk with the others
            link = (values["incident_id"], values["record_id"], values.get("position"))
            if link in self.new_links:
                return
            self.new_links.add(link)
            self.report.rows_added["incident_report"] += 1
            self.pending_rows.append((serial.KINDS["incident_report"], IncidentReport(**values), data))
            return
        self.write_rows()
        wanted = data.get("id")
        if isinstance(wanted, int) and not IncidentReport.objects.filter(pk=wanted).exists():
            values["id"] = wanted
        report, created = IncidentReport.objects.get_or_create(
            incident_id=values.pop("incident_id"), record_id=values.pop("record_id"), position=values.pop("position"), defaults=values)
        self.report.rows_added["incident_report"] += int(created)
        self._remember_report(data, report)

    def _remember_report(self, data: dict[str, Any], report: IncidentReport) -> None:
        code = data["record"]
        self.reports[f"{data.get('incident')}|{code}#{report.position}"] = report.pk
        named = serial.incident_report_key(code, report.position, report.decision)
        if self.incidents.get(named) == report.incident_id:
            self.anchored.add(named)  # found by its report from now on

    # ---------------------------------------------------------------- groups

    def flush(self, file_sha256: str) -> None:
        """Index the group's new records and write its custody entries, inside the group's transaction."""
        self.write_records()
        self.write_rows()
        for pk, code in self.pending_duplicates:
            target = self._record_id(code)
            if pk and target:
                Record.objects.filter(pk=pk).update(duplicate_of_id=target)
        self.pending_duplicates = [(pk, code) for pk, code in self.pending_duplicates if pk and not self._record_id(code)]
        records = list(Record.objects.filter(pk__in=self.pending_index).order_by("pk"))
        refresh_facets_many(records)
        keys = search_keys_many(records)
        # Keys read only from a redacted phrase stay out of the index.
        index_records([(record, [key for key in keys[record.pk] if key not in policy.hidden_keys(None, record)]) for record in records])
        entries = self.pending_custody + [
            {"actor": self.actor, "action": "imported", "record_id": pk, "target": code,
             "details": {"format": "jsonl", "sha256": file_sha256}}
            for code, pk in self.imported
        ]
        custody.append_many(entries)
        self.pending_index, self.pending_custody, self.imported = [], [], []
        self.signatures.clear()
        self.records.clear()
        self.new_records.clear()
        self.reports.clear()
        self.claims.clear()
        self.new_links.clear()
        for key in self.anchored:
            self.incidents.pop(key, None)
        self.anchored.clear()


def _default(kind: serial.Kind, name: str) -> Any:
    if kind.name not in _FIELDS:
        _FIELDS[kind.name] = {item.attname: item for item in serial.concrete_fields(kind)}
    return _FIELDS[kind.name][name].get_default()


_FIELDS: dict[str, dict[str, models.Field[Any, Any]]] = {}


def search_keys(record: Record) -> list[str]:
    """The knowledge-base keys a record is indexed under, as ingestion gives them (places with their ancestors)."""
    return search_keys_many([record])[record.pk]


def search_keys_many(records: list[Record]) -> dict[int, list[str]]:
    """``search_keys`` of many records, by id: three queries for the lot."""
    ids = [record.pk for record in records]
    keys: dict[int, list[str]] = {pk: [] for pk in ids}
    for record_id, key in Record.places.through.objects.filter(record_id__in=ids).values_list("record_id", "place__key"):
        keys[record_id].append(key)
        keys[record_id] += knowledge().ancestors(key)
    for record_id, key in Record.organisations.through.objects.filter(record_id__in=ids).values_list("record_id", "organisation__key"):
        keys[record_id].append(key)
    for record_id, reported in IncidentReport.objects.filter(record_id__in=ids).values_list("record_id", "reported"):
        keys[record_id] += [f"event:{kind}" for kind in (reported or {}).get("event_types") or []]
    return keys


def _groups(lines: Iterable[tuple[int, str]]) -> Iterator[list[tuple[int, dict[str, Any]]]]:
    """Lines in groups: the catalogue first, then one batch of records with what belongs to them."""
    group: list[tuple[int, dict[str, Any]]] = []
    last = "header"
    for number, text in lines:
        if not text.strip():
            continue
        try:
            item = json.loads(text)
        except ValueError as error:
            item = {"type": "invalid", "error": f"not JSON ({error})"}
        if not isinstance(item, dict) or not isinstance(item.get("data", {}), dict):
            item = {"type": "invalid", "error": "not an object with a data object"}
        kind = item.get("type", "")
        starts = (kind in ("record", "original") and last not in ("record", "original")) or (kind not in GLOBAL and last in GLOBAL)
        if group and starts:
            yield group
            group = []
        group.append((number, item))
        last = kind
    if group:
        yield group


def _upgrade(kind: str, version: int, data: dict[str, Any], current: int) -> dict[str, Any]:
    while version < current:
        data = UPGRADES[(kind, version)](data)
        version += 1
    return data


def import_jsonl(path: Path, *, actor: str = "dhakira", originals_dir: Path | None = None) -> ImportReport:
    """Import an export file; see the module's description for what is kept and what is refused."""
    report = ImportReport(sha256=serial_sha256(path))
    importer = Importer(report, actor, originals_dir)
    with path.open(encoding="utf-8") as handle:
        first = handle.readline()
        try:
            header = json.loads(first)
        except ValueError as error:
            raise ImportError_(f"{path} is not a Dhakira export: its first line is not JSON ({error})") from None
        if header.get("type") != "header" or header.get("format") != serial.FORMAT:
            raise ImportError_(f"{path} is not a Dhakira export (no {serial.FORMAT} header)")
        if int(header.get("version", 0)) > serial.FORMAT_VERSION:
            raise ImportError_(f"{path} was written in export format {header['version']}; this Dhakira reads up to {serial.FORMAT_VERSION}")
        with _keeping_times(Record, Incident, *[kind.model for kind in serial.KINDS.values()]):
            for group in _groups(enumerate(handle, start=2)):
                with transaction.atomic():
                    for number, item in group:
                        _one(importer, report, number, item)
                    importer.flush(report.sha256)
    if connection.vendor == "postgresql":  # rows given their ids: the sequences move past them
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), [Place, Organisation, Person] + ([Record] if importer.explicit_ids else [])):
                cursor.execute(statement)
    return report


def _one(importer: Importer, report: ImportReport, number: int, item: dict[str, Any]) -> None:
    name = item.get("type", "")
    if name == "invalid":
        report.errors.append(f"line {number}: {item['error']}; skipped")
        return
    if name == "original":
        importer.original(item["data"])
        return
    if name == "account":
        importer.account(item["data"])
        return
    kind = serial.KINDS.get(name)
    if kind is None:
        report.skipped_kinds[name] += 1  # written by a later Dhakira with a table this one lacks
        return
    version = int(item.get("v", 1))
    if version > kind.version:
        report.errors.append(f"line {number}: {name} in version {version}, newer than this Dhakira reads ({kind.version}); skipped")
        return
    data = _upgrade(name, version, item["data"], kind.version)
    try:
        if name in {child.name for child in (*serial.RECORD_KINDS, *serial.INCIDENT_KINDS)}:
            importer.child(kind, data)  # checked in Python first; written in bulk by kind
            return
        if name == "record":
            importer.record(data)  # checked as it is read; written with the records next to it
            return
        importer.write_records()
        importer.write_rows()
        with transaction.atomic():
            if name in ("place", "organisation", "person"):
                importer.catalogue(kind, data)
            else:
                importer.incident(data)
    except (KeyError, ValueError, TypeError) as error:
        report.errors.append(f"line {number}: {name}: {error!r}")


def serial_sha256(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            sha.update(chunk)
    return sha.hexdigest()
