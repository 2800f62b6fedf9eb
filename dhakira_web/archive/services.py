"""What the archive does, as plain functions: the CLI, the pages and the API call these.

Ingesting keeps the original (content-addressed), writes the record, its extracted facts as
claims with spans, and its search entry, all in one transaction: a crash leaves either the whole
record or nothing.
"""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

import dhakira
from dhakira.documents import Document, date_precision
from dhakira.extract import extract_document
from dhakira.ingest import IngestError, read_bytes, similarity
from dhakira.knowledge import knowledge
from dhakira.link.records import DocumentProfile
from dhakira_web.archive import audit, blobs, remembered, search
from dhakira_web.archive.cleaning import templates as site_templates
from dhakira_web.archive.entities.persons import resolve_record_persons
from dhakira_web.archive.entities.search import person_key
from dhakira_web.archive.jobs.models import NearDuplicateBand, RecordEmbedding, RecordFingerprint
from dhakira_web.archive.linking import attach_incidents, keep_blocks
from dhakira_web.archive.models import (
    Assessment,
    Claim,
    IncidentReport,
    IngestFailure,
    Organisation,
    Place,
    Record,
    RecordFacet,
)
from dhakira_web.archive.policy import forget_hidden, hidden_keys, read_hidden_phrases, remember_public_hidden
from dhakira_web.archive.rows import insert_objects, insert_rows
from dhakira_web.archive.search import heads, index_record, refresh_filter_tokens, refresh_filter_tokens_many
from dhakira_web.archive.storage import pack_minhash16, unpack_minhash16

log = logging.getLogger("dhakira.archive")
SYSTEM = "dhakira"


@dataclass
class IngestOutcome:
    """What became of one source: a new record, an exact duplicate of an existing one, or a failure."""

    source: str
    record: Record | None = None
    duplicate: bool = False
    error: str | None = None


@dataclass
class IngestSummary:
    ingested: int = 0
    duplicates: int = 0
    failed: list[dict[str, str]] = field(default_factory=list)

    def add(self, outcome: IngestOutcome) -> None:
        if outcome.error:
            self.failed.append({"path": outcome.source, "error": outcome.error})
        elif outcome.duplicate:
            self.duplicates += 1
        else:
            self.ingested += 1

    def as_json(self) -> dict[str, Any]:
        return {"ingested": self.ingested, "duplicates": self.duplicates, "failed": self.failed}


NEAR_DUPLICATE = 0.85


def near_duplicate_of(fingerprint: list[int]) -> Record | None:
    """The earliest record with nearly the same text (the same report behind other site chrome), if any.

    Candidates share an LSH band with the text (an indexed lookup of ``NearDuplicateBand``: nothing is held
    in the process, and records other writers have stored are seen), then are scored exactly.
    """
    return near_duplicates_of([fingerprint])[0]


def band_sets(fingerprints: list[list[int]]) -> list[set[int] | None]:
    """Each fingerprint's LSH band keys (``similarity.band_keys``), None for one without the full number of values
    or an empty text's (near-duplicate of nothing, so neither looked up nor banded): made once for a write slice,
    whose near-duplicate lookup, own comparisons and stored bands all use them."""
    return [set(similarity.band_keys(fingerprint))
            if len(fingerprint or []) == similarity.PERMUTATIONS and not similarity.empty(fingerprint) else None
            for fingerprint in fingerprints]


def near_duplicates_of(fingerprints: list[list[int]], band_keys: list[set[int] | None] | None = None) -> list[Record | None]:
    """``near_duplicate_of`` of several texts (a write slice's) against the records stored: two statements for all.
    ``band_keys``: the texts' ``band_sets`` when made already."""
    # Only records sharing enough bands can score NEAR_DUPLICATE (``least_shared_bands``): a grouped count, so
    # that texts sharing a band or two by chance (common phrases) are never loaded.
    # Plain statements (they run for every slice written; the ORM's building of them cost more than the lookup).
    keyed = band_sets(fingerprints) if band_keys is None else band_keys
    positions = [position for position, keys in enumerate(keyed) if keys is not None]
    found: list[Record | None] = [None] * len(fingerprints)
    if not positions:
        return found
    quote = connection.ops.quote_name
    bands, records, kept = (quote(model._meta.db_table) for model in (NearDuplicateBand, Record, RecordFingerprint))
    sharing: dict[int, list[int]] = {}  # a text's position: the records sharing enough of its bands
    with connection.cursor() as cursor:
        for start in range(0, len(positions), 100):  # a text's bands all in one statement, to be counted together
            chunk = [(position, key) for position in positions[start:start + 100]
                     for key in sorted(keyed[position] or ())]
            cursor.execute(
                f"SELECT wanted.column1, band.record_id FROM {bands} band JOIN (VALUES {', '.join(['(%s, %s)'] * len(chunk))}) AS wanted "
                f"ON band.{quote('key')} = wanted.column2 GROUP BY wanted.column1, band.record_id HAVING COUNT(*) >= %s",
                [*(value for pair in chunk for value in pair), similarity.least_shared_bands(NEAR_DUPLICATE)])
            for position, record_id in cursor.fetchall():
                sharing.setdefault(position, []).append(record_id)
        if not sharing:
            return found
        ids = sorted({record_id for held in sharing.values() for record_id in held})
        stored: dict[int, tuple[list[int], int | None]] = {}
        for start in range(0, len(ids), 1000):
            chunk_ids = ids[start:start + 1000]
            cursor.execute(f"SELECT fp.record_id, fp.signature, rec.{quote(Record._meta.get_field('duplicate_of').column)} "
                           f"FROM {kept} fp JOIN {records} rec ON rec.id = fp.record_id "
                           f"WHERE fp.record_id IN ({', '.join(['%s'] * len(chunk_ids))})", chunk_ids)
            stored.update((pk, (unpack_minhash16(fingerprint), duplicate_of)) for pk, fingerprint, duplicate_of in cursor.fetchall())
    for position, held in sharing.items():
        for pk in sorted(held):
            if pk not in stored:  # bands are kept only with a fingerprint; none here, nothing to compare
                continue
            fingerprint, duplicate_of = stored[pk]
            if similarity.similarity(fingerprint, fingerprints[position]) >= NEAR_DUPLICATE:
                found[position] = Record.objects.get(pk=duplicate_of or pk)
                break
    return found


def keep_fingerprints(records: list[tuple[int, list[int]]], *, replace: bool = False, band_keys: list[set[int] | None] | None = None) -> None:
    """Write the fingerprints of records (id, fingerprint: ``RecordFingerprint``, none for an empty one) and their
    near-duplicate bands; ``replace`` drops their old fingerprints and bands first; ``band_keys``: the fingerprints'
    ``band_sets`` when made already. Raises ``ValueError`` for a fingerprint holding anything but integers in
    [0, 2^16) (``similarity.fingerprint``'s values), before anything is written."""
    rows = [(record_id, packed) for record_id, fingerprint in records if (packed := pack_minhash16(fingerprint or [])) is not None]
    if replace:
        ids = [record_id for record_id, _ in records]
        NearDuplicateBand.objects.filter(record_id__in=ids).delete()
        RecordFingerprint.objects.filter(record_id__in=ids).delete()
    insert_rows(RecordFingerprint, ["record_id", "signature"], rows)
    held = band_sets([fingerprint for _, fingerprint in records]) if band_keys is None else band_keys
    insert_rows(NearDuplicateBand, ["record_id", "key"], [
        (record_id, key) for (record_id, _), keys in zip(records, held, strict=True) for key in sorted(keys or ())])


CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32: no I, L, O, U


def archive_code(year: str | None) -> str:
    """``DHK-2016-7KQ3M9TX``: the year of issue, then eight random characters (40 bits).

    Codes are opaque, never sequential, so what the public sees reveals nothing of the hidden records
    between them. A record whose year of issue is unknown is coded ``DHK-0000-…``: never the year it was
    captured in, which it was not issued in (docs/protection.md).
    """
    return archive_codes([year])[0]


def archive_codes(years: list[str | None]) -> list[str]:
    """``archive_code`` for several records at once: codes not yet used, and distinct, checked by one query."""
    prefixes = [year if year and re.fullmatch(r"\d{4}", year) and year != "0000" else "0000" for year in years]
    codes = ["" for _ in prefixes]
    while True:
        for position, prefix in enumerate(prefixes):
            if not codes[position]:
                codes[position] = f"DHK-{prefix}-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        taken = set(Record.objects.filter(code__in=codes).values_list("code", flat=True))
        seen: set[str] = set()
        for position, code in enumerate(codes):
            if code in taken or code in seen:
                codes[position] = ""
            seen.add(code)
        if all(codes):
            return codes


def record_failure(source: str, error: str, data: bytes | None = None) -> IngestOutcome:
    """Quarantine a refused source with its reason; nothing stored is touched."""
    sha256 = ""
    if data:
        path = blobs.quarantine(data, source)
        sha256 = path.name
    IngestFailure.objects.create(path=source, sha256=sha256, error=error)
    log.warning("refused %s: %s", source, error)
    return IngestOutcome(source=source, error=error)


def ingest_bytes(
    data: bytes,
    *,
    name: str,
    source_url: str | None = None,
    capture_method: str = "manual_upload",
    access_level: str = "public",
    actor: str = SYSTEM,
) -> IngestOutcome:
    """Read, keep and catalogue one original given as bytes."""
    try:
        document = read_bytes(data, name=Path(name).name, source_url=source_url)
    except IngestError as error:
        return record_failure(name, str(error), data)
    return ingest_document(document, data, capture_method=capture_method, access_level=access_level, actor=actor, source=name)


def ingest_document(
    document: Document,
    data: bytes | None,
    *,
    capture_method: str = "manual_upload",
    access_level: str = "public",
    actor: str = SYSTEM,
    source: str | None = None,
    extraction: dict[str, Any] | None = None,
    fingerprint: list[int] | None = None,
    embedding: bytes | None = None,
    shadow: dict[str, str] | None = None,
    profile: DocumentProfile | None = None,
) -> IngestOutcome:
    """Catalogue a document already read. Exact duplicates (same SHA-256) make no new record.

    ``data`` is the original; ``None`` when the caller has already kept it in the blob store (a worker
    process did). ``extraction``, ``fingerprint`` and the linking ``profile`` are passed when they were made
    elsewhere too.
    """
    source = source or document.source_name or document.sha256
    existing = Record.objects.filter(sha256=document.sha256).first()
    if existing:
        return IngestOutcome(source=source, record=existing, duplicate=True)
    if extraction is None:  # read here: the site's learned template applies before extraction
        document = site_templates.apply(document)
    extraction = extraction if extraction is not None else extract_document(document)
    fingerprint = fingerprint if fingerprint is not None else similarity.fingerprint(document.text)
    original = near_duplicate_of(fingerprint)
    if data is not None:
        blobs.store(data)
    elif not blobs.blob_path(document.sha256).exists():
        raise ValueError(f"the original of {source} was neither given nor stored")
    try:
        with heads.undone_on_error(), remembered.undone_on_error(), transaction.atomic():
            record = record_row(document, extraction, code=archive_code(record_year(document, extraction)), capture_method=capture_method,
                                access_level=access_level, near_duplicate=original is not None)
            record.duplicate_of = original
            record.save(force_insert=True)
            Assessment.objects.bulk_create(assessment_rows(record, document))
            audit.append_many(actor, custody_entries(document, source, capture_method), record=record)
            if embedding is not None:
                insert_rows(RecordEmbedding, ["record_id", "vector"], [(record.pk, embedding)])
            keep_fingerprints([(record.pk, fingerprint)])
            store_extraction(record, extraction, fresh=True, shadow=shadow, profile=profile,
                             assessments=[(assessment.scheme, assessment.value) for assessment in document.assessments])
    except IntegrityError:
        existing = Record.objects.filter(sha256=document.sha256).first()
        if existing:
            return IngestOutcome(source=source, record=existing, duplicate=True)
        raise
    site_templates.observe(document)
    log.info("ingested %s as %s", source, record.code)
    return IngestOutcome(source=source, record=record)


def custody_entries(document: Document, source: str, capture_method: str) -> list[tuple[str, dict[str, Any]]]:
    """The audit entries that open a new record's custody trail: collected, hashed, text extracted."""
    return [
        ("collected", {"source": source, "source_url": document.source_url or "", "method": capture_method}),
        ("hashed", {"sha256": document.sha256, "size": document.size}),
        ("text_extracted", {"reader": document.reader, "tool": f"dhakira {dhakira.__version__}", "characters": len(document.text)}),
    ]


def record_year(document: Document, extraction: dict[str, Any]) -> str | None:
    """The year of issue a new record's code carries (``archive_code``), if known."""
    return (document.published or (extraction.get("document") or {}).get("published") or "")[:4] or None


def assessment_rows(record: Record, document: Document) -> list[Assessment]:
    """The assessments a document came with (a source's own grading), as rows of its new record, not yet written."""
    return [Assessment(record=record, scheme=assessment.scheme, value=assessment.value, assessed_by=assessment.assessed_by or "", imported=True)
            for assessment in document.assessments]


def record_row(document: Document, extraction: dict[str, Any], *, code: str, capture_method: str, access_level: str,
               near_duplicate: bool) -> Record:
    """A new record of a document, not yet written (its ``duplicate_of`` is set by the caller)."""
    found = extraction.get("document") or {}
    published = document.published or found.get("published") or ""
    issuer = found.get("issuer") or {}
    issuer_name = document.issuer or issuer.get("canonical_en") or issuer.get("text") or ""
    issuer_organisation = None
    if issuer.get("id"):
        # A republication ("Dawn (AFP)") names the organisation of its id through its publisher or origin part.
        party = next((part for part in (issuer.get("publisher"), issuer.get("origin"))
                      if isinstance(part, dict) and part.get("id") == issuer["id"]), issuer)
        issuer_organisation = _organisation(str(issuer["id"]), party.get("canonical_en") or issuer_name, issuer.get("canonical_ar", ""))
    precision = document.published_precision or found.get("published_precision") or date_precision(published)
    languages = sorted({paragraph.language for paragraph in document.paragraphs if paragraph.language in ("ar", "en")}) or [document.language]
    return Record(
        code=code,
        title=(document.title or found.get("title") or document.source_name or "")[:1000],
        issuer=issuer_name[:300],
        issuer_organisation=issuer_organisation,
        document_type=document.doc_type or found.get("doc_type") or "other",
        issue_date=published,
        issue_date_precision=precision,
        language=document.language,
        languages=languages,
        geographic_area=document.geographic_area or "",
        source_url=document.source_url or "",
        source_name=document.source_name or "",
        captured_at=timezone.now(),
        capture_method=capture_method,
        reader=document.reader,
        sha256=document.sha256,
        size=document.size,
        media_type=document.media_type,
        text=document.text,
        access_level=access_level,
        review_state="needs_review" if near_duplicate else "machine_extracted",
        external_ids=[{"scheme": item.scheme, "value": item.value, "url": item.url} for item in document.external_ids],
        fields=document.fields,
        paragraphs=[[p.start, p.end, p.language] for p in document.paragraphs],
        extraction=extraction,
    )


def governorate_of(entry: dict[str, Any]) -> str:
    """The governorate p-code (``SY05``) of an extracted place, from the knowledge base's hierarchy."""
    known = knowledge().places.get(entry.get("id") or "")
    if known is not None and known.admin1:
        return known.admin1
    pcode = entry.get("governorate_pcode") or entry.get("pcode") or ""
    return pcode if re.fullmatch(r"SY\d\d", pcode) else ""


def _place(entry: dict[str, Any]) -> Place:
    known = remembered.recall("place", entry["id"])
    if known is not None:
        return known  # type: ignore[no-any-return]
    place, _ = Place.objects.get_or_create(
        key=entry["id"],
        defaults={
            "name_en": entry.get("canonical_en") or entry.get("text", ""),
            "name_ar": entry.get("canonical_ar") or "",
            "kind": entry.get("kind") or "other",
            "pcode": entry.get("pcode") or "",
            "governorate_pcode": governorate_of(entry),
            "latitude": entry.get("lat"),
            "longitude": entry.get("lon"),
        },
    )
    remembered.remember("place", place.key, place)
    return place


def _organisation(key: str, name_en: str, name_ar: str = "", kind: str = "") -> Organisation:
    known = remembered.recall("organisation", key)
    if known is not None:
        return known  # type: ignore[no-any-return]
    organisation, _ = Organisation.objects.get_or_create(key=key, defaults={"name_en": name_en, "name_ar": name_ar or "", "kind": kind or ""})
    remembered.remember("organisation", key, organisation)
    return organisation


def _rule(name: str) -> str:
    """The rule that read a claim, cut to what its column holds (rules may carry the phrase they matched)."""
    return name[:Claim._meta.get_field("extractor").max_length]


def _claims_for(record: Record, field_name: str, entry: dict[str, Any], value_id: str = "", extractor: str = "dhakira.extract") -> list[Claim]:
    return [
        Claim(record=record, field=field_name, value=(entry.get("canonical_en") or entry.get("text") or "")[:500], value_id=value_id,
              start=start, end=end, extractor=_rule(entry.get("rule") or extractor), confidence=float(entry.get("confidence", 0.7)))
        for start, end in entry.get("spans") or []
    ]


@dataclass
class Named:
    """What a record names, looked up before it is linked: places, organisations, their claims and search keys."""

    places: list[Place]
    organisations: list[Organisation]
    claims: list[Claim]
    keys: list[str]
    facets: set[tuple[str, str]] = field(default_factory=set)


def named_in(record: Record, extraction: dict[str, Any]) -> Named:
    """The places and organisations a record names (found or made), with their claims and search keys."""
    claims: list[Claim] = []
    keys: list[str] = []
    places: list[Place] = []
    for entry in extraction.get("places") or []:
        if not entry.get("id"):
            continue
        places.append(_place(entry))
        keys.append(entry["id"])
        keys += knowledge().ancestors(entry["id"])  # a record on Hama Central Prison is found by "Hama" too
        claims += _claims_for(record, "place", entry, entry["id"])
    organisations: list[Organisation] = []
    for entry in extraction.get("organisations") or []:
        if entry.get("id"):
            organisations.append(_organisation(entry["id"], entry.get("canonical_en") or entry.get("text", ""), entry.get("canonical_ar", ""), entry.get("type", "")))
            keys.append(entry["id"])
        claims += _claims_for(record, "organisation", entry, entry.get("id") or "")
    for entry in extraction.get("persons") or []:
        if entry.get("text"):
            claims += _claims_for(record, "person", entry)
    return Named(places, organisations, claims, keys)


def store_extraction(record: Record, extraction: dict[str, Any], reports: dict[int, IncidentReport] | None = None,
                     *, fresh: bool = False, shadow: dict[str, str] | None = None, profile: DocumentProfile | None = None,
                     assessments: list[tuple[str, str]] | None = None) -> None:
    """Keep every extracted fact as a claim with its span; link places, organisations, persons, incidents.

    ``reports`` are the record's incident reports when they were made already (re-extraction relinks first).
    ``fresh``: the record was just made (no facets, no search entry yet), so nothing is read back to be
    replaced; ``shadow``: its search texts made where it was read (``search.shadow_texts``); ``profile``: its
    linking profile made there too (``dhakira.link.records.document_profile``); ``assessments``: its
    (scheme, value) assessments, just written.
    """
    named = named_in(record, extraction)
    record.places.add(*named.places)  # before linking: candidates are the records sharing a place
    record.organisations.add(*named.organisations)
    link_named(record, extraction, named, reports, fresh=fresh, profile=profile, assessments=assessments)
    insert_objects(Claim, named.claims)
    if not fresh:
        refresh_facets(record)
        index_record(record, named.keys)
        return
    search.index_new_records([(record, named.keys, named.facets, shadow)])


def link_named(record: Record, extraction: dict[str, Any], named: Named, reports: dict[int, IncidentReport] | None = None, *,
               fresh: bool = False, profile: DocumentProfile | None = None, assessments: list[tuple[str, str]] | None = None,
               in_batch: bool = False) -> None:
    """After a record's places and organisations are linked: its persons and incident reports (linked to earlier
    records), their claims and keys added to ``named``; for a ``fresh`` record, its facet rows written (the next
    record's linking candidates are found by them) and kept in ``named.facets``. ``in_batch``: see
    ``resolve_record_persons``."""
    from dhakira_web.archive.review.claims import incident_claims

    # Persons matched across records and scripts (protection applied); each a key, so either spelling finds the record.
    persons = resolve_record_persons(record, extraction, in_batch=in_batch)
    named.keys += [person_key(person.pk) for person in persons]
    reports = attach_incidents(record, extraction, profile=profile, places=named.places) if reports is None else reports
    for report in reports.values():
        reported = report.reported
        named.keys += [f"event:{kind}" for kind in reported.get("event_types") or []]
        for count in reported.get("counts") or []:
            span = count.get("span") or [0, 0]
            named.claims.append(Claim(record=record, incident_report=report, field="count", value=str(count.get("value")), qualifier=count.get("qualifier") or "",
                                      what=(count.get("what") or "")[:60], start=span[0], end=span[1], extractor=_rule(count.get("rule") or "dhakira.extract")))
        for start, end in reported.get("evidence") or []:
            named.claims.append(Claim(record=record, incident_report=report, field="event", value=",".join(reported.get("event_types") or []),
                                      start=start, end=end, extractor="dhakira.extract"))
        named.claims += incident_claims(record, report)
    if not fresh:
        return
    # Nothing of a new record is redacted yet: what the public may not read of it is the names of its protected persons.
    remember_public_hidden(record, persons)
    # A "possible" report holds the facts of its position's report: the event types are all in hand.
    named.facets = facet_values(record, named.places, [organisation.key for organisation in named.organisations],
                                [report.reported for report in reports.values()], hidden_known=True, assessments=assessments)
    _write_facets(record, named.facets, fresh=True)


def refresh_facets(record: Record) -> None:
    """Rewrite the record's facet rows from its catalogue fields, places, organisations and incidents."""
    refresh_facets_many([record])


def refresh_facets_many(records: list[Record]) -> None:
    """``refresh_facets`` for many records at once: a few queries for the lot, whatever their number."""
    if not records:
        return
    ids = [record.pk for record in records]
    values: dict[int, set[tuple[str, str]]] = {record.pk: _catalogue_values(record) for record in records}
    linked = Record.places.through.objects.filter(record_id__in=ids)
    for record_id, key, kind, governorate in linked.values_list("record_id", "place__key", "place__kind", "place__governorate_pcode"):
        values[record_id] |= _place_values(key, kind, governorate)
    for record_id, key in Record.organisations.through.objects.filter(record_id__in=ids).values_list("record_id", "organisation__key"):
        values[record_id].add(("organisation", key))
    for record_id, reported in IncidentReport.objects.filter(record_id__in=ids).values_list("record_id", "reported"):
        values[record_id].update(("event_type", kind) for kind in (reported or {}).get("event_types") or [])
    for record_id, scheme, value in Assessment.objects.filter(record_id__in=ids).values_list("record_id", "scheme", "value"):
        values[record_id].add(("reliability", f"{scheme}:{value}"))
    for record in records:
        forget_hidden(record)
    read_hidden_phrases(None, records)
    rows: list[RecordFacet] = []
    shown = {record.pk: _shown_values(record, values[record.pk]) for record in records}
    for record in records:
        rows += [RecordFacet(record=record, name=name, value=value[:200]) for name, value in sorted(shown[record.pk])]
    RecordFacet.objects.filter(record_id__in=ids).delete()
    RecordFacet.objects.bulk_create(rows, batch_size=1000)
    keep_blocks(records, shown)
    refresh_filter_tokens_many(records)


def _catalogue_values(record: Record) -> set[tuple[str, str]]:
    values = {("language", record.language), ("document_type", record.document_type), ("review_state", record.review_state)}
    if record.issue_date:
        values.add(("year", record.issue_date[:4]))
    if record.issuer:
        values.add(("issuer", record.issuer))
    return values


def _place_values(key: str, kind: str, governorate: str) -> set[tuple[str, str]]:
    values = {("place", key)}
    if kind == "facility":
        values.add(("facility", key))
    if governorate:
        values.add(("governorate", governorate))
    return values


def _shown_values(record: Record, values: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """``values`` without places and organisations named only inside hidden phrases (the public's view)."""
    hidden = hidden_keys(None, record)
    return {(name, value) for name, value in values if not (name in ("place", "facility", "organisation") and value in hidden)}


def facet_values(record: Record, places: list[Place], organisation_keys: list[str], reported: list[dict[str, Any]], *,
                 hidden_known: bool = False, assessments: list[tuple[str, str]] | None = None) -> set[tuple[str, str]]:
    """The record's facet values (name, value) from its catalogue fields and what it is linked to, as the
    public may see them: places and organisations named only inside hidden phrases are left out.
    ``hidden_known``: what the public may not read of the record is remembered on it already (not read again);
    ``assessments``: its (scheme, value) assessments when in hand (else read)."""
    values = _catalogue_values(record)
    for place in places:
        values |= _place_values(place.key, place.kind, place.governorate_pcode)
    values.update(("organisation", key) for key in organisation_keys)
    for facts in reported:
        values.update(("event_type", kind) for kind in (facts or {}).get("event_types") or [])
    if assessments is None:
        assessments = list(record.assessments.values_list("scheme", "value"))
    values.update(("reliability", f"{scheme}:{value}") for scheme, value in assessments)
    if not hidden_known:
        forget_hidden(record)
    return _shown_values(record, values)


def _write_facets(record: Record, values: set[tuple[str, str]], *, fresh: bool = False) -> None:
    """Facet rows and filter tokens; a ``fresh`` record (being ingested) has neither yet, nor a search entry."""
    if not fresh:
        RecordFacet.objects.filter(record=record).delete()
    insert_rows(RecordFacet, ["record_id", "name", "value"], [(record.pk, name, value[:200]) for name, value in sorted(values)])
    keep_blocks([record], {record.pk: values}, fresh=fresh)
    if not fresh:
        refresh_filter_tokens(record)
