"""Linking inside the archive: a new record's incidents against earlier records, by the core engine.

Candidates are found in the database (records sharing a place, facility or governorate, closest in
date), then scored by ``dhakira.link.IncidentIndex``, the same engine as ``dhakira link``. A ``same``
report joins the existing incident; a ``possible`` one keeps its own incident and is also listed,
as possible, under the other, for a reviewer. Links are rows, never merges: rejecting one removes
nothing else, and reviewers' decisions survive re-linking.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

from django.db import connection

from dhakira.documents import date_precision
from dhakira.link import IncidentIndex, Link, LinkItem, Report, corroboration, suggest_grade
from dhakira.link.index import lead_vector
from dhakira.link.packing import pack_parts, text_digest, unpack_parts
from dhakira.link.records import DocumentProfile, TextParts, document_profile, text_parts
from dhakira.schema import term
from dhakira_web.archive import remembered
from dhakira_web.archive.jobs.models import LinkBlock, LinkingParts, RecordEmbedding, vector_bytes, vector_of
from dhakira_web.archive.models import (
    Incident,
    IncidentReport,
    Organisation,
    Place,
    Record,
    reported_day,
)
from dhakira_web.archive.protection.identifiers import random_ids
from dhakira_web.archive.rows import insert_objects, insert_rows

MAX_CANDIDATES = 60
LINKED = ("origin", "same")


BLOCKS = ("place", "governorate")  # the facets whose rows are linking's blocks (``LinkBlock``)
PACKED_HEAD = 1 + len(text_digest(""))  # packed parts begin with a format byte and the digest of their text


def candidate_records(record: Record, places: list[Place] | None = None) -> list[tuple[int, str]]:
    """Earlier records that may report the same incidents: a shared place, facility or governorate.

    Only their ids and SHA-256 are loaded (most are in the process's index already, see ``find_links``): those
    dated within a year of the record's year first (latest first), then the others, ``MAX_CANDIDATES`` at most.
    Each block's latest records are read from the ``LinkBlock`` index, at most ``MAX_CANDIDATES`` a block and
    date range, so the work does not grow with the block. ``places``: the record's places when in hand (else read).
    """
    named = [(place.key, place.kind, place.governorate_pcode) for place in places] if places is not None else \
        record.places.values_list("key", "kind", "governorate_pcode")
    keys: set[str] = set()
    governorates: set[str] = set()
    for key, kind, governorate in named:
        if kind == "country":
            continue
        keys.add(key)
        if governorate:
            governorates.add(governorate)
    if not keys:
        return []
    blocks = [("place", key) for key in sorted(keys)] + [("governorate", value) for value in sorted(governorates)]
    year = (record.issue_date or "")[:4]
    near = [str(int(year) + delta) for delta in (-1, 0, 1)] if year.isdigit() else []
    if near and all(len(value) == 4 for value in near):
        # Dates of those years are the strings from the first year up to (not including) the year after the last.
        low, high = near[0], str(int(near[-1]) + 1)
        found = _latest_in_blocks(record, blocks, [("block.issue_date >= %s AND block.issue_date < %s", [low, high])], near)
        if len(found) < MAX_CANDIDATES:
            found = _latest_in_blocks(record, blocks, [("block.issue_date >= %s AND block.issue_date < %s", [low, high]),
                                                       ("block.issue_date >= %s", [high]), ("block.issue_date < %s", [low])], near)
        return found
    # No year, or one without four digits a year apart: the blocks by date alone (or, for the odd year, whole).
    return _latest_in_blocks(record, blocks, [("", [])], near, limited=not near)


def _latest_in_blocks(record: Record, blocks: list[tuple[str, str]], ranges: list[tuple[str, list[str]]], near: list[str], *,
                      limited: bool = True) -> list[tuple[int, str]]:
    """The records of ``blocks`` with an incident report, the record's own left out, each block's latest
    ``MAX_CANDIDATES`` in each of the issue-date ``ranges`` read from the index (all of them unless ``limited``);
    then together ordered as ``candidate_records`` says (those dated in a ``near`` year first) and cut to
    ``MAX_CANDIDATES``."""
    table, block_table, reports = (connection.ops.quote_name(model._meta.db_table) for model in (Record, LinkBlock, IncidentReport))
    parts: list[str] = []
    parameters: list[Any] = []
    for name, value in blocks:
        for condition, bounds in ranges:
            parts.append(
                f"SELECT record_id FROM (SELECT block.record_id FROM {block_table} block WHERE block.name = %s AND block.value = %s "
                f"{'AND ' + condition if condition else ''} AND block.record_id <> %s "
                f"AND EXISTS (SELECT 1 FROM {reports} report WHERE report.record_id = block.record_id) "
                f"ORDER BY block.issue_date DESC, block.code ASC{' LIMIT %s' if limited else ''}) latest{len(parts)}")
            parameters += [name, value, *bounds, record.pk, *([MAX_CANDIDATES] if limited else [])]
    first = f"CASE WHEN {' OR '.join(['candidate.issue_date LIKE %s'] * len(near))} THEN 0 ELSE 1 END, " if near else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT candidate.id, candidate.sha256 FROM {table} candidate WHERE candidate.id IN ({' UNION '.join(parts)}) "
            f"ORDER BY {first}candidate.issue_date DESC, candidate.code ASC LIMIT %s",
            [*parameters, *[f"{year}%" for year in near], MAX_CANDIDATES])
        return [(pk, sha256) for pk, sha256 in cursor.fetchall()]


def keep_blocks(records: list[Record], values: dict[int, set[tuple[str, str]]], *, fresh: bool = False) -> None:
    """The records' blocks (``LinkBlock``) from the facet values just written for them (``values``, by record id);
    a ``fresh`` record has none yet, the others' are replaced."""
    if not fresh:
        LinkBlock.objects.filter(record_id__in=[record.pk for record in records]).delete()
    longest = LinkBlock._meta.get_field("value").max_length
    insert_rows(LinkBlock, ["record_id", "name", "value", "issue_date", "code"],
                [(record.pk, name, value[:longest], record.issue_date or "", record.code)
                 for record in records for name, value in sorted(values[record.pk]) if name in BLOCKS])


_index_state: dict[str, Any] = {}


INDEX_LIMIT = 5000  # records kept in a process's index; beyond, it starts afresh (memory stays flat)


def _index() -> tuple[IncidentIndex, set[str]]:
    """One incident index per process; records enter it once, keyed by the SHA-256 of their original.

    It is a cache of what the database holds: when it reaches ``INDEX_LIMIT`` records it starts again
    empty, and each new record's candidates are loaded again from the database's blocks.
    """
    if "index" not in _index_state or len(_index_state["keys"]) >= INDEX_LIMIT:
        _index_state["index"], _index_state["keys"] = IncidentIndex(), set()
    return _index_state["index"], _index_state["keys"]


def forget_index() -> None:
    """Start the process's incident index afresh (after a write rolled back: it may hold records no longer stored)."""
    _index_state.clear()


def find_links(record: Record, extraction: dict[str, Any], profile: DocumentProfile | None = None,
               places: list[Place] | None = None) -> list[Link]:
    """Links from the record's incidents to incidents of earlier records (``same`` and ``possible``).

    Earlier records sharing a place or governorate are brought into the process's index (each once,
    so its profile and embedding are computed once); the engine's blocking then picks the pairs. ``profile``:
    the record's own profile when it was made where the record was read (an ingestion worker); ``places``: the
    record's places when in hand.
    """
    if not extraction.get("incidents"):
        return []
    index, keys = _index()
    candidates = candidate_records(record, places)
    if record.sha256 in keys:
        # Linked before in this process (re-linking): compare afresh with the candidates alone.
        index, keys = IncidentIndex(), set()
    new = [pk for pk, sha256 in candidates if sha256 not in keys]
    loaded = Record.objects.only("id", "sha256", "extraction", "text").in_bulk(new) if new else {}
    # The record's own vector comes with a profile made where it was read; otherwise it is read back.
    known = profile is not None and profile.key == record.sha256 and profile.embedding is not None
    wanted = new if known else [*new, record.pk]
    vectors = dict(RecordEmbedding.objects.filter(record_id__in=wanted).values_list("record_id", "vector")) if wanted else {}
    kept = dict(LinkingParts.objects.filter(record_id__in=new).values_list("record_id", "packed")) if new else {}
    packed: list[tuple[int, bytes]] = []
    for pk in new:
        other = loaded[pk]
        # What the profile takes from the text is read back as kept; made (and kept) when absent or kept for another text.
        parts = unpack_parts(kept.get(pk), other.text) if other.text else None
        if parts is None and other.text:
            parts = text_parts(other.text)
            packed.append((pk, pack_parts(parts, other.text)))
        # A stored record's own links are stored: it is indexed to be compared with this one, not with the others.
        index.add(LinkItem(key=other.sha256, extraction=other.extraction, text=other.text, embedding=vector_of(vectors.get(pk)),
                           profile=document_profile(other.sha256, other.extraction, other.text, parts=parts)), compare=False)
        keys.add(other.sha256)
    keys.add(record.sha256)
    own = profile.embedding if known and profile is not None else vector_of(vectors.get(record.pk))
    if own is None:  # read in this process (an upload, the demo): made here once and kept for later comparisons
        own = lead_vector(extraction, record.text)
        if own is not None:
            RecordEmbedding.objects.update_or_create(record=record, defaults={"vector": vector_bytes(own)})
    if profile is None or profile.key != record.sha256:
        profile = document_profile(record.sha256, extraction, record.text)
    if record.text:  # kept for when the record is a candidate for later ones
        packed.append((record.pk, pack_parts(TextParts(profile.stems, profile.numbers, profile.years), record.text)))
    keep_parts(packed)
    return index.add(LinkItem(key=record.sha256, extraction=extraction, text=record.text, embedding=own, profile=profile))


def keep_parts(packed: list[tuple[int, bytes]]) -> None:
    """Records' packed linking parts (``dhakira.link.packing``), written or replaced by one statement.

    Parts kept already for the same text (the same format byte and text digest: the first ``PACKED_HEAD`` bytes)
    are left as they are: re-linking a record whose text did not change rewrites no row."""
    if not packed:
        return
    table = connection.ops.quote_name(LinkingParts._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (record_id, packed) VALUES (%s, %s) "
            f"ON CONFLICT (record_id) DO UPDATE SET packed = excluded.packed "
            f"WHERE substr({table}.packed, 1, {PACKED_HEAD}) <> substr(excluded.packed, 1, {PACKED_HEAD})", packed)


class Canonical(NamedTuple):
    """The report a link joins: its incident and its record (never its facts)."""

    pk: int
    incident_id: int
    record_id: int
    position: int


def _canonical_reports(wanted: set[tuple[str, int]]) -> dict[tuple[str, int], Canonical]:
    """For each (record SHA-256, position) linked to, its first unrejected ``origin``/``same`` report: one query for all."""
    if not wanted:
        return {}
    found: dict[tuple[str, int], Canonical] = {}
    # One plain statement (it runs for every record linked; the ORM's building of it cost more than the lookup).
    hashes, positions = sorted({sha256 for sha256, _ in wanted}), sorted({position for _, position in wanted})
    reports, records = (connection.ops.quote_name(model._meta.db_table) for model in (IncidentReport, Record))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT report.id, report.incident_id, report.record_id, report.position, record.sha256 FROM {reports} report "
            f"JOIN {records} record ON record.id = report.record_id WHERE record.sha256 IN ({', '.join(['%s'] * len(hashes))}) "
            f"AND report.position IN ({', '.join(['%s'] * len(positions))}) AND report.decision IN (%s, %s) "
            f"AND report.review <> %s ORDER BY report.id",
            [*hashes, *positions, *LINKED, "rejected"])
        rows = cursor.fetchall()
    for pk, incident_id, record_id, position, sha256 in rows:  # never the reports' facts
        key = (sha256, position)
        if key in wanted and key not in found:
            found[key] = Canonical(pk, incident_id, record_id, position)
    return found


def attach_incidents(
    record: Record,
    extraction: dict[str, Any],
    *,
    positions: set[int] | None = None,
    rejected: set[tuple[int, int]] | frozenset[tuple[int, int]] = frozenset(),
    profile: DocumentProfile | None = None,
    places: list[Place] | None = None,
) -> dict[int, IncidentReport]:
    """Create the record's incident reports, joining linked incidents; returns the report per position.

    ``positions`` limits the work to some of the extraction's incidents; ``rejected`` holds
    ``(position, incident id)`` links a reviewer rejected, which are never made again; ``profile``: see ``find_links``;
    ``places``: the record's places when in hand.
    """
    links = find_links(record, extraction, profile, places)
    canonicals = _canonical_reports({(link.b, link.incident_b) for link in links})
    best: dict[int, dict[str, tuple[Link, Canonical]]] = {}
    for link in sorted(links, key=lambda found: -found.score):
        if link.decision in best.get(link.incident_a, {}):
            continue  # a better link of this kind was kept already
        canonical = canonicals.get((link.b, link.incident_b))
        if canonical is None or (link.incident_a, canonical.incident_id) in rejected:
            continue
        best.setdefault(link.incident_a, {})[link.decision] = (link, canonical)
    reports: dict[int, IncidentReport] = {}
    possible: list[IncidentReport] = []
    incidents: list[Incident] = []
    for position, reported in enumerate(extraction.get("incidents") or []):
        if positions is not None and position not in positions:
            continue
        chosen = best.get(position, {})
        if "same" in chosen:
            link, canonical = chosen["same"]
            reports[position] = IncidentReport(incident_id=canonical.incident_id, record=record, position=position, reported=reported,
                                               decision="same", score=link.score, features=_plain(link.features, canonical))
        else:
            incidents.append(incident_for(reported))
            reports[position] = IncidentReport(incident=incidents[-1], record=record, position=position, reported=reported)
        if "possible" in chosen:
            link, other = chosen["possible"]
            if other.incident_id != reports[position].incident_id:
                possible.append(IncidentReport(incident_id=other.incident_id, record=record, position=position, reported=reported,
                                               decision="possible", score=link.score, features=_plain(link.features, other)))
    touched = {report.incident_id for report in possible}
    # Incidents and reports written in bulk (one insert each), with their random ids chosen beforehand.
    for incident, pk in zip(incidents, random_ids(Incident, len(incidents)), strict=True):
        incident.pk = pk
    insert_objects(Incident, incidents)
    if positions is not None and possible:  # re-linking: a possible report may be there already
        there = set(IncidentReport.objects.filter(record=record, position__in={report.position for report in possible})
                    .values_list("position", "incident_id"))
        possible = [report for report in possible if (report.position, report.incident_id) not in there]
    written = [*reports.values(), *possible]
    for report, pk in zip(written, random_ids(IncidentReport, len(written)), strict=True):
        report.pk = pk
        report.incident_id = report.incident.pk if report.incident_id is None else report.incident_id
        report.day = reported_day(report.reported)
    insert_objects(IncidentReport, written)
    touched |= {report.incident_id for report in reports.values()}
    if _deferred is not None:
        _deferred.update(touched)
    else:
        for incident in Incident.objects.filter(pk__in=touched):
            refresh_credibility(incident)
    return reports


_deferred: set[int] | None = None


@contextmanager
def credibility_deferred() -> Iterator[None]:
    """Within a batch, recount each touched incident once at the end instead of after every record."""
    global _deferred
    outer, _deferred = _deferred, set()
    try:
        yield
        refresh_credibility_many(list(Incident.objects.filter(pk__in=_deferred)))
    finally:
        _deferred = outer


def _plain(features: dict[str, Any], compared: Canonical) -> dict[str, Any]:
    """Link features as JSON values, with the id of the record compared (pages show them only to who may see it)."""
    plain = {name: (value if isinstance(value, (int, float, str, bool)) or value is None else str(value)) for name, value in features.items()}
    return {**plain, "compared_record": compared.record_id}


def refresh_credibility(incident: Incident) -> None:
    """Recount independent sources and suggest (never set) an information grade, with reasons."""
    refresh_credibility_many([incident])


def refresh_credibility_many(incidents: list[Incident]) -> None:
    """``refresh_credibility`` of several incidents: their counted reports read in one query per chunk."""
    for start in range(0, len(incidents), 500):
        chunk = incidents[start:start + 500]
        reports: dict[int, list[Report]] = {}
        for incident_id, reported, code, issuer, language, organisation_key, original in _counted_reports(chunk):
            reported = json.loads(reported) if isinstance(reported, (str, bytes)) else reported
            reports.setdefault(incident_id, []).append(Report(
                key=code,
                issuer_id=organisation_key if organisation_key is not None else (issuer or None),
                duplicate_of=original,
                counts=list((reported or {}).get("counts") or []),
                language=language,
            ))
        changed = [incident for incident in chunk if incident.pk in reports and _graded(incident, reports[incident.pk])]
        _write_grades(changed)


def _counted_reports(incidents: list[Incident]) -> list[tuple[Any, ...]]:
    """The reports that count towards the incidents' credibility (linked or confirmed, not rejected), in order, with
    what corroboration reads of their records, by one plain statement (never the records' texts and extractions):
    incident id, reported facts, record code, issuer, language, issuing organisation's key, original's code."""
    quote = connection.ops.quote_name
    reports, records, organisations = (quote(model._meta.db_table) for model in (IncidentReport, Record, Organisation))
    ids = [incident.pk for incident in incidents]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT report.incident_id, report.reported, record.code, record.issuer, record.language, "
            f"organisation.{quote('key')}, original.code FROM {reports} report JOIN {records} record ON record.id = report.record_id "
            f"LEFT JOIN {organisations} organisation ON organisation.id = record.issuer_organisation_id "
            f"LEFT JOIN {records} original ON original.id = record.duplicate_of_id "
            f"WHERE report.incident_id IN ({', '.join(['%s'] * len(ids))}) AND (report.decision IN (%s, %s) OR report.review = %s) "
            f"AND report.review <> %s ORDER BY report.id",
            [*ids, *LINKED, "confirmed", "rejected"])
        return cursor.fetchall()


def _write_grades(incidents: list[Incident]) -> None:
    """The incidents' grades, reasons and statuses by one prepared statement (``bulk_update`` builds a
    ``CASE`` per column, which cost the ORM more than the database spends)."""
    if not incidents:
        return
    reasons = Incident._meta.get_field("credibility_reasons")
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {quote(Incident._meta.db_table)} SET {quote('suggested_credibility')} = %s, "
            f"{quote(reasons.column)} = %s, {quote('status')} = %s WHERE id = %s",
            [(incident.suggested_credibility, reasons.get_db_prep_save(incident.credibility_reasons, connection), incident.status, incident.pk)
             for incident in incidents])


def _graded(incident: Incident, reports: list[Report]) -> bool:
    """Set the incident's suggested grade, reasons and status from its counted reports; whether any changed."""
    before = (incident.suggested_credibility, incident.credibility_reasons, incident.status)
    evidence = corroboration(reports)
    grade = suggest_grade(evidence, specific=bool(incident.place_id and incident.date))
    incident.suggested_credibility = str(grade.grade)
    incident.credibility_reasons = [{"en": en, "ar": ar} for en, ar in zip(grade.reasons_en, grade.reasons_ar, strict=False)]
    if evidence.independent_sources >= 2 and incident.status == "alleged":
        incident.status = "corroborated"
    return (incident.suggested_credibility, incident.credibility_reasons, incident.status) != before


def review_report(report: IncidentReport, decision: str, user: Any) -> IncidentReport:
    """A reviewer confirms or rejects a link; the decision is kept through later re-linking."""
    if decision not in ("confirmed", "rejected"):
        raise ValueError("a review decision is 'confirmed' or 'rejected'")
    report.review = decision
    report.reviewed_by = user if getattr(user, "is_authenticated", False) else None
    report.save(update_fields=["review", "reviewed_by"])
    refresh_credibility(report.incident)
    return report


def relink(record: Record) -> dict[int, IncidentReport]:
    """Link a record again (e.g. after a better extractor): unreviewed links are redone, reviewed ones kept."""
    reports = IncidentReport.objects.filter(record=record)
    confirmed = set(reports.filter(review="confirmed").values_list("position", flat=True))
    rejected = set(reports.filter(review="rejected").values_list("position", "incident_id"))
    for report in reports.filter(review="").select_related("incident"):
        incident = report.incident
        report.delete()
        if not incident.reports.exists():
            incident.delete()
    count = len(record.extraction.get("incidents") or [])
    todo = {position for position in range(count) if position not in confirmed}
    return attach_incidents(record, record.extraction, positions=todo, rejected=rejected)


def incident_for(reported: dict[str, Any]) -> Incident:
    """The incident one extracted incident makes, not yet written."""
    key = reported.get("place_id") or ""
    place = remembered.recall("place", key) or Place.objects.filter(key=key).first()
    if place is not None:
        remembered.remember("place", key, place)
    date = reported.get("date") or ""
    return Incident(
        title=_incident_title(reported),
        event_types=list(reported.get("event_types") or []),
        place=place,
        date=date,
        date_precision=reported.get("date_precision") or date_precision(date),
        perpetrator=reported.get("perpetrator_en") or "",
    )


def _incident_title(reported: dict[str, Any]) -> str:
    kinds = [term("event_types", kind).en for kind in reported.get("event_types") or [] if kind != "other"][:3]
    where = reported.get("place_en") or ""
    when = reported.get("date") or ""
    return " · ".join(part for part in (", ".join(kinds), where, when) if part)[:500]
