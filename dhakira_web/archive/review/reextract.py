"""Re-extraction: run the (new) extractor on stored records, replace the machine's claims, keep every human decision.

Each decision on a machine claim (accepted, rejected, corrected) moves to the new machine claim with the
same field and value at the same span, or, failing that, to one whose span holds the same text nearby, or
one that overlaps it. Reviewers' corrections stay as they are and point at the new claim. A decision that
finds no new claim is not lost: its old claim stays, marked ``stale``, and is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

import dhakira
from dhakira_web.archive import audit
from dhakira_web.archive.linking import LINKED, relink
from dhakira_web.archive.models import Claim, IncidentReport, Record
from dhakira_web.archive.review.claims import apply_to_record, claim_state

NEARBY = 300  # characters: how far a claim's text may have moved and still be the same claim


@dataclass
class Reextracted:
    """What re-extracting one record did."""

    code: str
    claims_before: int
    claims_after: int
    kept: int = 0
    unanchored: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "claims_before": self.claims_before, "claims_after": self.claims_after,
                "decisions_kept": self.kept, "unanchored": self.unanchored}


def extractor_version() -> str:
    return f"dhakira.extract {dhakira.__version__}"


def extraction_for(record: Record) -> dict[str, Any]:
    """The extractor's reading of the record's stored clean text (spans point into ``record.text``)."""
    from dhakira.extract import extract_text

    language = record.language if record.language in ("ar", "en") else None
    result = extract_text(record.text, language=language, source_url=record.source_url or None, title=record.title or None)
    result["source"] = {"path": record.source_name, "sha256": record.sha256, "media_type": record.media_type}
    if record.issue_date and not result["document"].get("published"):
        result["document"]["published"] = record.issue_date
    result["extractor"] = extractor_version()
    return result


def _match(old: Claim, candidates: list[Claim], text: str) -> Claim | None:
    """The new machine claim that is ``old`` again, or None."""
    same = [new for new in candidates if (new.field, new.value, new.value_id, new.what) == (old.field, old.value, old.value_id, old.what)]
    for new in same:
        if (new.start, new.end) == (old.start, old.end):
            return new
    quote = text[old.start:old.end]
    nearby = [new for new in same if text[new.start:new.end] == quote and abs(new.start - old.start) <= NEARBY]
    overlapping = [new for new in same if new.start < old.end and old.start < new.end]
    found = sorted(nearby or overlapping, key=lambda new: abs(new.start - old.start))
    return found[0] if found else None


def reextract(record: Record, *, actor: str = "dhakira", extraction: dict[str, Any] | None = None) -> Reextracted:
    """Re-extract one record (``extraction`` given, or made now) keeping every human decision."""
    from dhakira_web.archive.services import store_extraction

    extraction = extraction if extraction is not None else extraction_for(record)
    with transaction.atomic():
        machine = list(record.claims.filter(author=""))
        corrected = set(Claim.objects.filter(record=record, corrects__isnull=False).values_list("corrects_id", flat=True))
        decided = [claim for claim in machine if claim.review or claim.pk in corrected]
        outcome = Reextracted(record.code, claims_before=len(machine), claims_after=0)
        Claim.objects.filter(pk__in=[claim.pk for claim in machine if claim not in decided]).delete()
        previous = (record.extraction or {}).get("extractor") or "dhakira.extract (earlier)"
        record.extraction = extraction
        record.save(update_fields=["extraction"])
        record.places.clear()
        record.organisations.clear()
        record.persons.clear()
        reports = relink(record)
        incidents = extraction.get("incidents") or []
        for report in IncidentReport.objects.filter(record=record, review="confirmed").order_by("pk"):
            if report.position < len(incidents):
                report.reported = incidents[report.position]
                report.save(update_fields=["reported"])
            if report.position not in reports or report.decision in LINKED:
                reports[report.position] = report
        store_extraction(record, extraction, reports=reports)
        kept_ids = {claim.pk for claim in decided}
        fresh = list(record.claims.filter(author="").exclude(pk__in=kept_ids))
        outcome.claims_after = len(fresh)
        taken: set[int] = set()
        for old in decided:
            new = _match(old, [claim for claim in fresh if claim.pk not in taken], record.text)
            if new is None:
                old.stale = True
                old.save(update_fields=["stale"])
                outcome.unanchored.append({**claim_state(old), "quote": record.text[old.start:old.end]})
                continue
            taken.add(new.pk)
            new.review, new.reviewed_by, new.reviewed_at = old.review, old.reviewed_by, old.reviewed_at
            new.save(update_fields=["review", "reviewed_by", "reviewed_at"])
            Claim.objects.filter(corrects=old).update(corrects=new)
            old.delete()
            outcome.kept += 1
        apply_to_record(record)
        audit.append(actor, "reextracted", record=record, details={
            "before": {"extractor": previous, "claims": outcome.claims_before},
            "after": {"extractor": extraction.get("extractor") or extractor_version(), "claims": outcome.claims_after},
            "decisions_kept": outcome.kept, "unanchored": [item["id"] for item in outcome.unanchored]})
    return outcome


def records_with_codes(codes: list[str] | None) -> QuerySet[Record]:
    """The records with these codes (every record when ``codes`` is None), by id; LookupError names any missing."""
    records = Record.objects.order_by("id")
    if codes is not None:
        found = set(records.filter(code__in=codes).values_list("code", flat=True))
        missing = [code for code in codes if code not in found]
        if missing:
            raise LookupError(f"no record {', '.join(missing)}")
        records = records.filter(code__in=codes)
    return records


def reextract_codes(codes: list[str] | None, *, actor: str = "dhakira") -> list[Reextracted]:
    """Re-extract the records with these codes, or every record when ``codes`` is None."""
    return [reextract(record, actor=actor) for record in records_with_codes(codes).iterator(chunk_size=100)]
