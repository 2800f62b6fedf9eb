"""Claim review: a reviewer accepts, rejects or corrects each claim read from a record.

A machine claim is never overwritten. Accepting or rejecting marks it (``review``, ``reviewed_by``,
``reviewed_at``); correcting marks it ``corrected`` and adds a new claim, written by the reviewer with a
reason, that points at it (``corrects``). The record's places and organisations follow the decisions.
Every action is an audit entry whose ``details`` hold the claim before and after.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils import timezone

from dhakira.knowledge import knowledge
from dhakira.schema import ids
from dhakira_web.archive import audit
from dhakira_web.archive.models import Claim, IncidentReport, Organisation, Place, Record

DECISIONS = ("accepted", "rejected")
HUMAN = "reviewer"  # the ``extractor`` of a claim written by a person
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class ReviewError(ValueError):
    """A review action that cannot be done as asked; the message says why."""


def claim_state(claim: Claim) -> dict[str, Any]:
    """The claim as history and the API show it."""
    return {"id": claim.pk, "field": claim.field, "value": claim.value, "value_id": claim.value_id or None,
            "qualifier": claim.qualifier or None, "what": claim.what or None, "span": [claim.start, claim.end],
            "review": claim.review or None, "author": claim.author or None, "corrects": claim.corrects_id}


def field_of(claim: Claim) -> str:
    """The kind of fact a claim is, as reviewers see it: places at a detention facility are ``facility``."""
    if claim.field == "place" and claim.value_id.startswith("fac:"):
        return "facility"
    return claim.field


def decide(claim: Claim, decision: str, actor: str, reason: str = "") -> Claim:
    """Accept or reject a machine claim."""
    if decision not in DECISIONS:
        raise ReviewError(f"a decision is one of {', '.join(DECISIONS)} (or a correction)")
    if claim.author:
        raise ReviewError("this claim was written by a reviewer; correct it instead")
    with transaction.atomic():
        before = claim_state(claim)
        claim.review, claim.reviewed_by, claim.reviewed_at = decision, actor, timezone.now()
        claim.save(update_fields=["review", "reviewed_by", "reviewed_at"])
        apply_to_record(claim.record)
        audit.append(actor, f"claim_{decision}", record=claim.record,
                     details={"claim": claim.pk, "field": field_of(claim), "before": before, "after": claim_state(claim),
                              "reason": reason, **_incident_of(claim)})
    return claim


def correct(claim: Claim, actor: str, reason: str, value: str, *, what: str | None = None,
            qualifier: str | None = None) -> Claim:
    """A reviewer's correction of ``claim``: a new claim beside it; the machine's stays, marked ``corrected``."""
    if not reason.strip():
        raise ReviewError("a correction needs a reason")
    machine = claim.corrects if claim.author and claim.corrects_id else claim
    fields = _corrected_fields(machine, value.strip(), what, qualifier)
    with transaction.atomic():
        before = claim_state(machine)
        now = timezone.now()
        correction = Claim.objects.create(
            record=machine.record, field=machine.field, start=machine.start, end=machine.end, extractor=HUMAN,
            confidence=1.0, corrects=machine, author=actor, reason=reason.strip(), reviewed_by=actor, reviewed_at=now,
            review="correction", **fields)
        # An earlier correction of the same claim is superseded, never deleted.
        machine.corrections.exclude(pk=correction.pk).filter(review="correction").update(review="superseded")
        machine.review, machine.reviewed_by, machine.reviewed_at = "corrected", actor, now
        machine.save(update_fields=["review", "reviewed_by", "reviewed_at"])
        apply_to_record(machine.record)
        audit.append(actor, "claim_corrected", record=machine.record,
                     details={"claim": machine.pk, "correction": correction.pk, "field": field_of(machine),
                              "before": before, "after": claim_state(correction), "reason": reason.strip(),
                              **_incident_of(machine)})
    return correction


def _incident_of(claim: Claim) -> dict[str, Any]:
    report_id = claim.incident_report_id
    if report_id is None:
        return {}
    incident_id = IncidentReport.objects.filter(pk=report_id).values_list("incident_id", flat=True).first()
    return {"incident": incident_id} if incident_id else {}


def _corrected_fields(claim: Claim, value: str, what: str | None, qualifier: str | None) -> dict[str, Any]:
    """The value, value id, qualifier and counted thing of a correction, checked for the claim's kind."""
    if not value:
        raise ReviewError("a correction needs a value")
    fields: dict[str, Any] = {"value": value[:500], "value_id": "", "qualifier": claim.qualifier, "what": claim.what}
    if claim.field == "count":
        if not value.isdigit():
            raise ReviewError("a count is a whole number")
        fields["value"] = str(int(value))
        if what is not None and what.strip():
            fields["what"] = what.strip()[:60]
        if qualifier is not None and qualifier.strip():
            if qualifier not in ids("count_qualifiers"):
                raise ReviewError(f"a qualifier is one of {', '.join(sorted(ids('count_qualifiers')))}")
            fields["qualifier"] = qualifier
    elif claim.field == "place":
        place = place_for(value)
        fields.update(value=place.name_en, value_id=place.key)
    elif claim.field == "organisation":
        organisation = organisation_for(value)
        fields.update(value=organisation.name_en if organisation else value[:500], value_id=organisation.key if organisation else "")
    elif claim.field == "date":
        if not _DATE.match(value):
            raise ReviewError("a date is written YYYY, YYYY-MM or YYYY-MM-DD")
    elif claim.field == "event":
        kinds = [kind.strip() for kind in value.split(",") if kind.strip()]
        unknown = [kind for kind in kinds if kind not in ids("event_types")]
        if unknown or not kinds:
            raise ReviewError(f"unknown event types: {', '.join(unknown) or value}")
        fields["value"] = ",".join(kinds)
    elif claim.field == "perpetrator":
        organisation = organisation_for(value)
        fields["value_id"] = organisation.key if organisation else ""
    return fields


def place_for(value: str) -> Place:
    """The place a reviewer names: a knowledge-base id (``fac:adra``) or a name in Arabic or English."""
    kb = knowledge()
    known = kb.places.get(value) or kb.place_by_name(value)
    if known is None:
        existing = Place.objects.filter(key=value).first() or Place.objects.filter(name_en__iexact=value).first()
        if existing is None:
            raise ReviewError(f"no known place {value!r}: name a place of the gazetteer")
        return existing
    place, _ = Place.objects.get_or_create(key=known.id, defaults={
        "name_en": known.name_en, "name_ar": known.name_ar or "", "kind": known.kind or "other", "pcode": known.pcode or "",
        "governorate_pcode": known.admin1 or "", "latitude": known.lat, "longitude": known.lon})
    return place


def organisation_for(value: str) -> Organisation | None:
    """The organisation a reviewer names, when the knowledge base knows it (by id or name)."""
    kb = knowledge()
    known = kb.organisations.get(value) or kb.organisation_by_name(value)
    if known is None:
        return Organisation.objects.filter(key=value).first()
    organisation, _ = Organisation.objects.get_or_create(key=known.id, defaults={
        "name_en": known.name_en, "name_ar": known.name_ar or "", "kind": known.category or ""})
    return organisation


def effective(claims: list[Claim]) -> list[Claim]:
    """The claims that hold after review: machine claims not rejected or corrected, and current corrections."""
    return [claim for claim in claims
            if not claim.stale and claim.review not in ("rejected", "corrected", "superseded")]


def apply_to_record(record: Record) -> None:
    """Make the record's places and organisations follow the reviewed claims, then refresh facets and index."""
    claims = list(record.claims.filter(field__in=("place", "organisation")))
    for field_name, relation, model in (("place", record.places, Place), ("organisation", record.organisations, Organisation)):
        held = {claim.value_id for claim in effective(claims) if claim.field == field_name and claim.value_id}
        dropped = {claim.value_id for claim in claims if claim.field == field_name and claim.value_id} - held
        relation.remove(*model.objects.filter(key__in=dropped))
        relation.add(*model.objects.filter(key__in=held))
    reindex(record)


def reindex(record: Record) -> None:
    """Facets and search keys from the record's current places, organisations and incidents."""
    from dhakira_web.archive.search import index_record
    from dhakira_web.archive.services import refresh_facets

    keys: list[str] = []
    for key in record.places.values_list("key", flat=True):
        keys += [key, *knowledge().ancestors(key)]
    keys += list(record.organisations.values_list("key", flat=True))
    for reported in record.incident_reports.values_list("reported", flat=True):
        keys += [f"event:{kind}" for kind in (reported or {}).get("event_types") or []]
    refresh_facets(record)
    index_record(record, keys)


def incident_claims(record: Record, report: IncidentReport) -> list[Claim]:
    """Claims of an incident as the record reports it that ingestion keeps beside counts: its date and perpetrator."""
    reported = report.reported or {}
    evidence = [span for span in reported.get("evidence") or [] if len(span) == 2]
    if not evidence:
        return []
    claims = []
    date = reported.get("date") or ""
    span = _date_span(record, evidence, date) if date else None
    if span is not None:
        claims.append(Claim(record=record, incident_report=report, field="date", value=date,
                            qualifier=reported.get("date_precision") or "", start=span[0], end=span[1],
                            extractor="dhakira.extract"))
    perpetrator = reported.get("perpetrator_en") or ""
    if perpetrator:
        start, end = evidence[0]
        claims.append(Claim(record=record, incident_report=report, field="perpetrator", value=perpetrator[:500],
                            value_id=reported.get("perpetrator_id") or "", start=start, end=end, extractor="dhakira.extract"))
    return claims


def _date_span(record: Record, evidence: list[list[int]], date: str) -> tuple[int, int] | None:
    """Where in the evidence the incident's date is written (None when it was inferred, not written)."""
    from dhakira.extract.dates import find_dates

    for start, end in evidence:
        for mention in find_dates(record.text[start:end], language=record.language if record.language in ("ar", "en") else "mixed"):
            if mention.value == date:
                return start + mention.start, start + mention.end
    return None
