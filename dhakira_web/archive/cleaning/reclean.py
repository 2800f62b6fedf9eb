"""Re-clean stored records from their untouched originals: new clean text, title and date where the
machine gave them, extraction again; the record's code and every reviewed decision stay.

Reviewed claims and reviewed incident links are kept; their character spans are moved to where the
same words stand in the new text. Unreviewed machine claims and links are made again.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.db import transaction

from dhakira.extract import extract_document
from dhakira.ingest import IngestError, read_bytes, similarity
from dhakira_web.archive import audit, blobs
from dhakira_web.archive.cleaning import templates
from dhakira_web.archive.models import Incident, Record

SYSTEM = "system"


@dataclasses.dataclass
class RecleanOutcome:
    code: str
    changed: bool
    error: str | None = None
    removed: int = 0
    characters_before: int = 0
    characters_after: int = 0

    def as_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def _moved_span(old_text: str, new_text: str, start: int, end: int) -> tuple[int, int] | None:
    """Where the words at ``old_text[start:end]`` stand in ``new_text`` (the occurrence nearest to
    the same relative place); None when they are gone."""
    words = old_text[start:end]
    if not words:
        return None
    positions = []
    found = new_text.find(words)
    while found != -1:
        positions.append(found)
        found = new_text.find(words, found + 1)
    if not positions:
        return None
    wanted = start / max(1, len(old_text)) * len(new_text)
    best = min(positions, key=lambda position: abs(position - wanted))
    return best, best + len(words)


def reclean_record(record: Record, *, actor: str = SYSTEM) -> RecleanOutcome:
    """Read the record's original again with today's readers and its site template, and store the
    result when the clean text changed."""
    outcome = RecleanOutcome(code=record.code, changed=False, characters_before=len(record.text))
    try:
        data = blobs.blob_path(record.sha256).read_bytes()
    except OSError as error:
        outcome.error = f"original missing: {error}"
        return outcome
    try:
        document = read_bytes(data, name=record.source_name or None, source_url=record.source_url or None)
    except IngestError as error:
        outcome.error = str(error)
        return outcome
    document = templates.apply(document)
    outcome.characters_after = len(document.text)
    outcome.removed = len(document.fields.get("removed", []))
    if document.text == record.text and record.fields.get("removed") == document.fields.get("removed"):
        return outcome
    old_text = record.text
    extraction = extract_document(document)
    with transaction.atomic():
        kept_claims = list(record.claims.exclude(review=""))
        record.claims.filter(review="").delete()
        loose = list(record.incident_reports.filter(review="").values_list("incident_id", flat=True))
        record.incident_reports.filter(review="").delete()
        Incident.objects.filter(pk__in=loose, reports__isnull=True).delete()
        for claim in kept_claims:
            moved = _moved_span(old_text, document.text, claim.start, claim.end)
            if moved:
                claim.start, claim.end = moved
                claim.save(update_fields=["start", "end"])
        machine = record.review_state == "machine_extracted"
        if machine and document.title:
            record.title = document.title[:1000]
        if machine and document.published:
            record.issue_date = document.published
            record.issue_date_precision = document.published_precision or record.issue_date_precision
        fields = {key: value for key, value in record.fields.items() if key != "removed"}
        fields.update(document.fields)
        record.fields = fields
        record.text = document.text
        record.paragraphs = [[p.start, p.end, p.language] for p in document.paragraphs]
        record.language = document.language
        record.reader = document.reader
        record.extraction = extraction
        record.save()
        audit.append(actor, "text_extracted", record=record, details={
            "reader": document.reader, "recleaned": True, "characters_before": len(old_text),
            "characters": len(document.text), "removed_blocks": outcome.removed,
        })
        from dhakira_web.archive.services import keep_fingerprints, store_extraction

        keep_fingerprints([(record.pk, similarity.fingerprint(document.text))], replace=True)
        store_extraction(record, extraction)
    outcome.changed = True
    return outcome


def reclean(codes: list[str] | None = None, *, actor: str = SYSTEM) -> list[RecleanOutcome]:
    """Re-clean the records with these codes (all records when ``codes`` is None)."""
    records = Record.objects.order_by("id")
    if codes is not None:
        records = records.filter(code__in=codes)
        missing = set(codes) - set(records.values_list("code", flat=True))
    else:
        missing = set()
    outcomes = [RecleanOutcome(code=code, changed=False, error="no such record") for code in sorted(missing)]
    for record in records.iterator():
        outcomes.append(reclean_record(record, actor=actor))
    return outcomes

