"""Rows as JSON and back: every table an export carries, serialised by its concrete fields.

A row becomes ``{"type": KIND, "v": VERSION, "data": {field: value}}``. Fields are read from the
model's ``_meta``, so a column added later travels without code; a foreign key is written as the
*natural reference* of the row it points to (a record's code, a place's key, an incident's key…),
never as a database id, so that an export loads into any archive.

To carry a new table whose rows belong to a record (a foreign key named ``record``), add one line to
``RECORD_KINDS``; rows belonging to an incident go in ``INCIDENT_KINDS``. If other tables point to the
new one, give it a natural reference in ``REFERENCES``. See docs/export.md.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models

from dhakira_web.archive.models import (
    Assessment,
    AuditEntry,
    Claim,
    Incident,
    IncidentReport,
    Organisation,
    Person,
    PersonMention,
    Place,
    Record,
    Redaction,
    ReviewStep,
)

FORMAT = "dhakira-export"
FORMAT_VERSION = 1


def everyone(user: Any) -> bool:
    return True


def signed_in_roles(user: Any) -> bool:
    """Users with a role (not anonymous visitors): custody entries name staff and source paths."""
    from dhakira_web.archive.policy import role_of

    return role_of(user) is not None


def reviewers_only(user: Any) -> bool:
    """Reviewers and administrators: redactions name the very phrases they hide."""
    from dhakira_web.archive.policy import sees_redacted

    return sees_redacted(user)


@dataclass(frozen=True)
class Kind:
    """One kind of line: its name, its model, the version of its shape, the fields it leaves out, and who
    may receive its rows (``visible_to(user)``; rows of records the user may see, in any case)."""

    name: str
    model: type[models.Model]
    version: int = 1
    exclude: tuple[str, ...] = ()
    visible_to: Callable[[Any], bool] = everyone


# Tables of the archive's own catalogue, read once per export.
PLACE = Kind("place", Place)
ORGANISATION = Kind("organisation", Organisation)
PERSON = Kind("person", Person)
RECORD = Kind("record", Record)
INCIDENT = Kind("incident", Incident)
# Rows that belong to one record (a ``record`` foreign key); exported with their record, in this order.
# The audit chain's own hashes stay behind: an importing archive chains the entries anew.
RECORD_KINDS: list[Kind] = [
    Kind("incident_report", IncidentReport, exclude=("day",)),  # derived from ``reported`` on import
    Kind("claim", Claim),
    Kind("assessment", Assessment),
    Kind("custody", AuditEntry, exclude=("previous_hash", "entry_hash", "details_hash"), visible_to=signed_in_roles),
    Kind("review_step", ReviewStep, visible_to=signed_in_roles),
    Kind("redaction", Redaction, visible_to=reviewers_only),
    Kind("person_mention", PersonMention, visible_to=signed_in_roles),
]
# Rows that belong to an incident and to no record (a grade given to the incident itself).
INCIDENT_KINDS: list[Kind] = [Kind("incident_assessment", Assessment)]
KINDS: dict[str, Kind] = {kind.name: kind for kind in [PLACE, ORGANISATION, PERSON, RECORD, INCIDENT, *RECORD_KINDS, *INCIDENT_KINDS]}

# Text fields passed through the access policy's ``shown_text`` (redactions); JSON fields are walked.
TEXT_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    Record: ("title", "text", "issuer", "geographic_area", "source_name", "fields", "extraction"),
    Claim: ("value",),
    IncidentReport: ("reported",),
    Incident: ("title",),
    Assessment: ("rationale",),
    PersonMention: ("name", "quote"),
    ReviewStep: ("reason",),
}


def incident_report_key(record_code: str, position: int, decision: str) -> str:
    """The natural key of an incident: the report that names it (``DHK-2016-000012#0#origin``)."""
    return f"{record_code}#{position}#{decision}"


def claim_key(record_code: str, field: str, start: int, end: int, extractor: str, value: str) -> str:
    """A claim's natural reference: its record, field, span, extractor and value, hashed."""
    text = json.dumps([record_code, field, start, end, extractor, value], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


# Natural references of the rows others point to: the model, and how to read the reference of ids in bulk.
def _by_field(model: type[models.Model], name: str) -> Callable[[Iterable[int]], dict[int, str]]:
    def read(ids: Iterable[int]) -> dict[int, str]:
        return dict(model.objects.filter(pk__in=list(ids)).values_list("pk", name))  # type: ignore[attr-defined]

    return read


def _claim_refs(ids: Iterable[int]) -> dict[int, str]:
    rows = Claim.objects.filter(pk__in=list(ids)).values_list("pk", "record__code", "field", "start", "end", "extractor", "value")
    return {pk: claim_key(code, field, start, end, extractor, value) for pk, code, field, start, end, extractor, value in rows}


REFERENCES: dict[type[models.Model], Callable[[Iterable[int]], dict[int, str]]] = {
    Record: _by_field(Record, "code"),
    Place: _by_field(Place, "key"),
    Organisation: _by_field(Organisation, "key"),
    Person: _by_field(Person, "normalised_name"),
    get_user_model(): _by_field(get_user_model(), "username"),
    Claim: _claim_refs,
}


def concrete_fields(kind: Kind) -> list[models.Field[Any, Any]]:
    """The fields a kind carries: every concrete field but the primary key and the excluded ones."""
    return [field for field in kind.model._meta.concrete_fields if not field.primary_key and field.name not in kind.exclude]


def plain(value: Any) -> Any:
    """A column value as JSON: datetimes in ISO 8601, the rest as the database gave it."""
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def walk_strings(value: Any, change: Callable[[str], str]) -> Any:
    """``value`` (JSON) with ``change`` applied to every string in it, keys excepted."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, list):
        return [walk_strings(item, change) for item in value]
    if isinstance(value, dict):
        return {key: walk_strings(item, change) for key, item in value.items()}
    return value


class References:
    """Natural references of foreign keys, read in bulk and kept for the whole export."""

    def __init__(self, incidents: dict[int, str] | None = None) -> None:
        self.known: dict[type[models.Model], dict[int, str]] = {}
        self.incidents: dict[int, str] = incidents if incidents is not None else {}
        self.report_keys: dict[int, str] = {}

    def prepare(self, kind: Kind, rows: list[models.Model]) -> None:
        """Read the references of every foreign key in ``rows`` not read yet, one query per table."""
        for field in concrete_fields(kind):
            if not field.is_relation:
                continue
            target = field.related_model
            if target is Incident or target is IncidentReport:
                continue
            known = self.known.setdefault(target, {})  # type: ignore[arg-type]
            wanted = {getattr(row, field.attname) for row in rows} - {None} - set(known)
            if wanted:
                known.update(REFERENCES[target](wanted))  # type: ignore[index]

    def of(self, field: models.Field[Any, Any], value: int | None, row: models.Model) -> str | None:
        if value is None:
            return None
        if field.related_model is Incident:
            return self.incidents.get(value)
        if field.related_model is IncidentReport:
            return self.report_keys.get(value)
        return self.known.get(field.related_model, {}).get(value)  # type: ignore[arg-type]


def serialise(kind: Kind, row: models.Model, references: References, shown: Callable[[str], str] | None = None) -> dict[str, Any]:
    """One row as an export line (``shown`` masks what the reader may not see in text fields)."""
    texts = TEXT_FIELDS.get(kind.model, ())
    data: dict[str, Any] = {}
    for field in concrete_fields(kind):
        if field.is_relation:
            data[field.name] = references.of(field, getattr(row, field.attname), row)
            continue
        value = plain(getattr(row, field.attname))
        if shown is not None and field.name in texts:
            value = walk_strings(value, shown)
        data[field.name] = value
    return {"type": kind.name, "v": kind.version, "data": data}


def line(item: dict[str, Any]) -> str:
    """One JSON line: keys sorted, non-ASCII kept, so that equal rows give equal bytes."""
    return json.dumps(item, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
