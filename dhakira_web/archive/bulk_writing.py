"""New records of a write slice written in bulk: one insert per table for the slice where order does not matter.

``dhakira ingest`` writes what its worker processes prepared in slices of up to ``ingestion.BATCH_SIZE`` files.
Writing them one by one (``services.ingest_document``) built about 33 SQL statements a file through the ORM.
Here the slice's records, assessments, custody entries, lead vectors, near-duplicate bands, place and
organisation links, claims and search entries go in one statement per table, while what later records of the
slice depend on stays in order, record by record: exact and near duplicates are found among the slice's earlier
records as among stored ones; each record's persons, incident reports (linked to stored records and to the
slice's earlier ones) and facet rows (the blocks later records' linking candidates are found by) are written
before the next record is linked. The result is what writing the files one by one leaves.

Anything unexpected raises: the caller rolls the slice back and writes it one record at a time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from dhakira.documents import Document
from dhakira.ingest import similarity
from dhakira.link.records import DocumentProfile
from dhakira_web.archive import audit, blobs, remembered, search
from dhakira_web.archive.cleaning import templates as site_templates
from dhakira_web.archive.jobs.models import RecordEmbedding
from dhakira_web.archive.models import (
    Assessment,
    Claim,
    Incident,
    IncidentReport,
    Organisation,
    Place,
    Record,
)
from dhakira_web.archive.protection.identifiers import reserved
from dhakira_web.archive.rows import insert_objects, insert_rows
from dhakira_web.archive.services import (
    NEAR_DUPLICATE,
    SYSTEM,
    IngestOutcome,
    archive_codes,
    assessment_rows,
    band_sets,
    custody_entries,
    keep_fingerprints,
    link_named,
    named_in,
    near_duplicates_of,
    record_row,
    record_year,
)

log = logging.getLogger("dhakira.archive")


@dataclass
class NewDocument:
    """A document read and prepared elsewhere (its original already in the blob store), to be catalogued."""

    source: str
    document: Document
    extraction: dict[str, Any]
    fingerprint: list[int]
    embedding: bytes | None = None
    shadow: dict[str, str] | None = None
    profile: DocumentProfile | None = None


class NotInBulk(Exception):
    """The slice cannot be written in bulk (an original missing from the blob store): write it one by one."""


def _near_in_slice(fingerprint: list[int], bands: set[int] | None, earlier: list[tuple[list[int], set[int] | None]]) -> int | None:
    """The first of the slice's earlier records that ``near_duplicate_of`` would find, had it been written already."""
    if bands is None:
        return None
    least = similarity.least_shared_bands(NEAR_DUPLICATE)
    for position, (other, other_bands) in enumerate(earlier):
        if other_bands is not None and len(bands & other_bands) >= least and similarity.similarity(other, fingerprint) >= NEAR_DUPLICATE:
            return position
    return None


def _recall_named(extractions: list[dict[str, Any]], *, issuers: bool = False) -> None:
    """The stored places and organisations the slice names, read by one query each and remembered for the write
    transaction (``remembered``), so that ``services`` looks up only those not stored yet, each once."""
    if issuers:
        places: set[str] = set()
        organisations = {str(issuer["id"]) for extraction in extractions
                         if (issuer := (extraction.get("document") or {}).get("issuer") or {}).get("id")}
    else:
        places = {entry["id"] for extraction in extractions for entry in extraction.get("places") or [] if entry.get("id")}
        organisations = {entry["id"] for extraction in extractions for entry in extraction.get("organisations") or [] if entry.get("id")}
    for kind, model, keys in (("place", Place, places), ("organisation", Organisation, organisations)):
        wanted = sorted(key for key in keys if remembered.recall(kind, key) is None)
        for row in model.objects.filter(key__in=wanted) if wanted else []:
            remembered.remember(kind, row.key, row)


def write_documents(items: list[NewDocument], *, access_level: str = "public", capture_method: str = "manual_upload",
                    actor: str = SYSTEM) -> list[IngestOutcome]:
    """Catalogue the documents in this order, as ``ingest_document`` one after another would; call it inside a
    transaction (with ``heads.deferred()`` and ``linking.credibility_deferred()`` around it, as a write slice has)."""
    outcomes: list[IngestOutcome | None] = [None] * len(items)
    stored = {record.sha256: record for record in Record.objects.filter(sha256__in={item.document.sha256 for item in items})}
    new: list[tuple[int, NewDocument]] = []
    first: dict[str, int] = {}
    for index, item in enumerate(items):
        sha256 = item.document.sha256
        if sha256 in stored:
            outcomes[index] = IngestOutcome(source=item.source, record=stored[sha256], duplicate=True)
        elif sha256 not in first:
            if not blobs.blob_path(sha256).exists():
                raise NotInBulk(f"the original of {item.source} was not stored")
            first[sha256] = index
            new.append((index, item))
    # Near duplicates: stored records first (they are older), then the slice's earlier records.
    earlier: list[tuple[list[int], set[int] | None]] = []
    originals: list[Record | int | None] = []  # a stored record, or the position in ``new`` of the slice's record
    slice_bands = band_sets([item.fingerprint for _, item in new])  # made once: the lookups and the stored bands
    stored_originals = near_duplicates_of([item.fingerprint for _, item in new], slice_bands)
    for (_, item), stored_original, bands in zip(new, stored_originals, slice_bands, strict=True):
        original: Record | int | None = stored_original
        if original is None:
            found = _near_in_slice(item.fingerprint, bands, earlier)
            original = originals[found] if found is not None and originals[found] is not None else found
        originals.append(original)
        earlier.append((item.fingerprint, bands))
    _recall_named([item.extraction for _, item in new], issuers=True)
    codes = archive_codes([record_year(item.document, item.extraction) for _, item in new])
    records = [record_row(item.document, item.extraction, code=code, capture_method=capture_method, access_level=access_level,
                          near_duplicate=original is not None)
               for (_, item), code, original in zip(new, codes, originals, strict=True)]
    for record, original in zip(records, originals, strict=True):
        record.duplicate_of = original if isinstance(original, Record) else None
    Record.objects.bulk_create(records)
    for record, original in zip(records, originals, strict=True):
        if isinstance(original, int):  # a near duplicate of a record written just now, in the same statement
            record.duplicate_of = records[original]
            Record.objects.filter(pk=record.pk).update(duplicate_of=records[original])
    Assessment.objects.bulk_create([row for (_, item), record in zip(new, records, strict=True) for row in assessment_rows(record, item.document)])
    audit.append_entries([(actor, action, details, record, "") for (_, item), record in zip(new, records, strict=True)
                          for action, details in custody_entries(item.document, item.source, capture_method)])
    insert_rows(RecordEmbedding, ["record_id", "vector"],
                [(record.pk, item.embedding) for (_, item), record in zip(new, records, strict=True) if item.embedding is not None])
    keep_fingerprints([(record.pk, item.fingerprint) for (_, item), record in zip(new, records, strict=True)], band_keys=slice_bands)
    _recall_named([item.extraction for _, item in new])
    named = [named_in(record, item.extraction) for (_, item), record in zip(new, records, strict=True)]
    for relation, part in (("places", "places"), ("organisations", "organisations")):
        through = getattr(Record, relation).through
        columns = [field.column for field in through._meta.concrete_fields if not field.primary_key]  # record_id, then the other
        insert_rows(through, columns, [(record.pk, pk) for record, held in zip(records, named, strict=True)
                                       for pk in dict.fromkeys(row.pk for row in getattr(held, part))])
    incidents = sum(len(item.extraction.get("incidents") or []) for _, item in new)
    with reserved({Incident: incidents, IncidentReport: 2 * incidents}):  # a "same" or new report, and a "possible" one
        for (_, item), record, held in zip(new, records, named, strict=True):  # in order: each is linked to the ones before
            link_named(record, item.extraction, held, fresh=True, profile=item.profile,
                       assessments=[(assessment.scheme, assessment.value) for assessment in item.document.assessments], in_batch=True)
    insert_objects(Claim, [claim for held in named for claim in held.claims])
    search.index_new_records([(record, held.keys, held.facets, item.shadow) for (_, item), record, held in zip(new, records, named, strict=True)])
    for (index, item), record in zip(new, records, strict=True):
        site_templates.observe(item.document)
        log.info("ingested %s as %s", item.source, record.code)
        outcomes[index] = IngestOutcome(source=item.source, record=record)
    for index, item in enumerate(items):  # the same original twice in the slice: the second is a duplicate of the first
        if outcomes[index] is None:
            outcomes[index] = IngestOutcome(source=item.source, record=outcomes[first[item.document.sha256]].record, duplicate=True)  # type: ignore[union-attr]
    return [outcome for outcome in outcomes if outcome is not None]
