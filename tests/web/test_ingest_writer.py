"""The batch writer (``ingestion.ingest_sources``) stores what writing each file on its own stores.

The batch path takes what worker processes made (extraction, fingerprint, search texts, linking profile
with its lead's vector) and remembers places and organisations for a whole write transaction; the
one-file path (``services.ingest_bytes``) makes everything in the writing process and remembers nothing.
Both must leave the same records, claims, facets, incidents and links, search rows and audit entries.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from dhakira.synthetic import MANIFEST, write_corpus
from dhakira_web.archive import audit, linking, search, services
from dhakira_web.archive.ingestion import ingest_sources
from dhakira_web.archive.jobs.models import (
    LinkingParts,
    NearDuplicateBand,
    RecordEmbedding,
    RecordFingerprint,
    vector_of,
)
from dhakira_web.archive.models import (
    AuditEntry,
    Claim,
    IncidentReport,
    Place,
    Record,
    RecordFacet,
    SearchEntry,
    SearchHead,
    SearchToken,
)


def _corpus(folder: Path, count: int) -> list[Path]:
    write_corpus(folder, count, seed=11, manifest=folder.parent / MANIFEST)
    return sorted(folder.iterdir())


def _snapshot() -> dict[str, Any]:
    """What the archive holds, named by the originals' SHA-256 (codes are random, row ids differ)."""
    sha = dict(Record.objects.values_list("pk", "sha256"))
    records = {
        record.sha256: (record.title, record.issuer, record.issue_date, record.language, record.review_state,
                        record.duplicate_of.sha256 if record.duplicate_of else None, record.extraction, record.text,
                        sorted(record.places.values_list("key", flat=True)),
                        sorted(record.organisations.values_list("key", flat=True)),
                        sorted(record.persons.values_list("name", flat=True)))
        for record in Record.objects.select_related("duplicate_of")
    }
    positions = dict(IncidentReport.objects.values_list("pk", "position"))
    claims = sorted(
        (sha[claim.record_id], claim.field, claim.value, claim.value_id, claim.qualifier, claim.what, claim.start, claim.end,
         claim.extractor, round(claim.confidence, 6), positions.get(claim.incident_report_id))
        for claim in Claim.objects.all())
    incidents: dict[int, list[tuple[str, int, str, float]]] = {}
    for report in IncidentReport.objects.all():
        incidents.setdefault(report.incident_id, []).append((sha[report.record_id], report.position, report.decision, round(report.score, 6)))
    grouped = sorted(
        (tuple(sorted(reports)), incident.title, tuple(incident.event_types), incident.place.key if incident.place else "",
         incident.date, incident.suggested_credibility, incident.status)
        for incident_id, reports in incidents.items()
        for incident in [IncidentReport.objects.get(incident_id=incident_id, position=reports[0][1], record__sha256=reports[0][0]).incident])
    audit_rows = sorted((sha.get(entry.record_id or 0, ""), entry.action, str(sorted(entry.details.items())))
                        for entry in AuditEntry.objects.all())
    return {
        "records": records,
        "claims": claims,
        "facets": sorted((sha[row.record_id], row.name, row.value) for row in RecordFacet.objects.all()),
        "incidents": grouped,
        "search entries": sorted((sha[entry.record_id], entry.title_stem, entry.body_stem, entry.body_norm, entry.keys)
                                 for entry in SearchEntry.objects.all()),
        "tokens": sorted(SearchToken.objects.values_list("token", "documents", "has_head", "head_size")),
        "heads": sorted((row.token, sha[row.record_id], round(row.impact, 6)) for row in SearchHead.objects.all()),
        "fingerprints": sorted((sha[record_id], tuple(kept)) for record_id, kept in RecordFingerprint.objects.values_list("record_id", "signature")),
        "bands": sorted((sha[record_id], key) for record_id, key in NearDuplicateBand.objects.values_list("record_id", "key")),
        "vectors": {sha[record_id]: vector_of(vector) for record_id, vector in RecordEmbedding.objects.values_list("record_id", "vector")},
        "audit": audit_rows,
        "linking parts": sorted((sha[record_id], bytes(packed)) for record_id, packed in LinkingParts.objects.values_list("record_id", "packed")),
    }


def _empty_archive() -> None:
    call_command("flush", interactive=False, verbosity=0)
    linking._index_state.clear()  # the process's incident index caches what the database held


def _scores_to(incidents: list[Any], places: int) -> list[Any]:
    """The snapshot's incidents with each report's link score rounded to ``places``."""
    return [(tuple((sha, position, decision, round(score, places)) for sha, position, decision, score in reports), *rest)
            for reports, *rest in incidents]


def test_the_batch_writer_stores_what_writing_each_file_alone_stores(transactional_db: None, tmp_path: Path) -> None:
    paths = _corpus(tmp_path / "corpus", 14)
    _empty_archive()
    summary = ingest_sources([str(tmp_path / "corpus")], workers=2)
    assert summary.ingested == len(paths) and not summary.failed
    assert audit.verify()[0]
    batched = _snapshot()
    assert batched["incidents"] and any(len(group[0]) > 1 for group in batched["incidents"])  # reports were linked
    assert batched["linking parts"]

    _empty_archive()
    for path in paths:  # the same files in the same order, each read, extracted and written here
        outcome = services.ingest_bytes(path.read_bytes(), name=str(path))
        assert outcome.record is not None, outcome.error
    assert audit.verify()[0]
    alone = _snapshot()
    # Leads encoded 32 at a time differ from one at a time in the last bits of a float only; kept a byte a dimension
    # (``vector_bytes``), each is off by up to half a step, a cosine by about 1e-3 at most.
    vectors = batched.pop("vectors"), alone.pop("vectors")
    assert vectors[0].keys() == vectors[1].keys() and vectors[0]
    assert all(float(vectors[0][key] @ vectors[1][key]) > 0.998 for key in vectors[0])
    # Link scores are made from those cosines (a point on a ramp): they agree to 2 decimals, and every decision the same.
    batched["incidents"], alone["incidents"] = _scores_to(batched["incidents"], 2), _scores_to(alone["incidents"], 2)
    for part in batched:
        assert batched[part] == alone[part], part


def test_a_record_failing_mid_slice_leaves_nothing_and_its_places_do_not_haunt_the_next(
        transactional_db: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = _corpus(tmp_path / "corpus", 6)
    _empty_archive()
    from dhakira.extract import extract_document
    from dhakira.ingest import Limits
    from dhakira.ingest.batch import Source, read_source

    def named(path: Path) -> tuple[str, set[str]]:
        document = read_source(Source(path), Limits())
        assert not isinstance(document, Exception)
        extraction = extract_document(document)
        return document.sha256, {entry["id"] for part in ("places", "organisations") for entry in extraction.get(part) or [] if entry.get("id")}

    # The first file fails at its very last step, after its places and organisations were created (and remembered);
    # a later file of the same write transaction names one of them too.
    failing, (failing_sha, failing_names) = paths[0], named(paths[0])
    assert any(failing_names & named(path)[1] for path in paths[1:])
    real = search.index_new_records

    def index_or_fail(new: list[tuple[Record, Any, Any, Any]]) -> None:
        if any(record.sha256 == failing_sha for record, *_ in new):
            raise RuntimeError("the disk is full")
        real(new)

    # The slice written in bulk fails, is rolled back whole and written again one by one, where the first file fails.
    monkeypatch.setattr(search, "index_new_records", index_or_fail)
    summary = ingest_sources([str(tmp_path / "corpus")], workers=1)
    assert summary.ingested == len(paths) - 1
    assert [failure["path"] for failure in summary.failed] == [str(failing)]
    assert not Record.objects.filter(sha256=failing_sha).exists()
    kept = set(Record.objects.values_list("pk", flat=True))
    for model in (Claim, RecordFacet, SearchEntry, NearDuplicateBand, RecordEmbedding, IncidentReport):
        assert set(model.objects.values_list("record_id", flat=True)) <= kept, model.__name__
    assert not AuditEntry.objects.filter(details__sha256=failing_sha).exists()
    assert audit.verify()[0]
    # The other records are linked to the very places and organisations they name (none to a row rolled back
    # with the failed record, nor to another row that took its id).
    for record in Record.objects.all():
        for part, linked in (("places", record.places), ("organisations", record.organisations)):
            wanted = {entry["id"] for entry in record.extraction.get(part) or [] if entry.get("id")}
            assert wanted == set(linked.values_list("key", flat=True)), part
    assert set(Place.objects.values_list("pk", flat=True)) >= set(Record.places.through.objects.values_list("place_id", flat=True))


def test_duplicates_within_one_write_slice_are_found_as_one_by_one(transactional_db: None, tmp_path: Path) -> None:
    """Exact and near duplicates of records written in the same bulk slice: the same outcome as one by one."""
    paths = _corpus(tmp_path / "made", 3)
    folder = tmp_path / "corpus"
    folder.mkdir()
    first, other, third = (path.read_text(encoding="utf-8") for path in paths)
    files = {
        "a.txt": first,
        "b.txt": first + "\n\nShared by the monitoring network.",  # a near duplicate of a
        "c.txt": first,  # an exact copy of a
        "d.txt": other,
        "e.txt": first + "\n\nShared by the monitoring network.\n\nSee also our earlier reports.",  # near b, and so a
        "f.txt": third,
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    _empty_archive()
    summary = ingest_sources([str(folder)], workers=1)
    assert (summary.ingested, summary.duplicates, summary.failed) == (5, 1, [])
    batched = _snapshot()
    by_name = {record.source_name: record for record in Record.objects.select_related("duplicate_of")}
    assert by_name["b.txt"].duplicate_of == by_name["a.txt"] and by_name["b.txt"].review_state == "needs_review"
    assert by_name["e.txt"].duplicate_of == by_name["a.txt"]
    assert by_name["d.txt"].duplicate_of is None and by_name["a.txt"].duplicate_of is None

    _empty_archive()
    outcomes = [services.ingest_bytes((folder / name).read_bytes(), name=str(folder / name)) for name in sorted(files)]
    assert [outcome.duplicate for outcome in outcomes] == [False, False, True, False, False, False]
    alone = _snapshot()
    batched.pop("vectors"), alone.pop("vectors")
    for part in batched:
        assert batched[part] == alone[part], part


def test_a_restricted_ingest_written_in_bulk_is_restricted_and_hidden_from_visitors_as_one_by_one(
        transactional_db: None, tmp_path: Path) -> None:
    from django.contrib.auth.models import AnonymousUser

    from dhakira_web.archive.payloads import search_payload

    paths = _corpus(tmp_path / "corpus", 6)
    words = ("prison", "سجن")  # every synthetic report names a facility in its language

    def visible() -> tuple[int, dict[str, Any]]:
        found = [search_payload(word, AnonymousUser(), facets=True) for word in words]
        return sum(result["total"] for result in found), {word: result.get("facets") for word, result in zip(words, found, strict=True)}

    _empty_archive()
    summary = ingest_sources([str(tmp_path / "corpus")], workers=1, access_level="restricted")
    assert summary.ingested == len(paths) and not summary.failed
    assert set(Record.objects.values_list("access_level", flat=True)) == {"restricted"}
    total, facets = visible()
    assert total == 0, facets
    assert not any(entry["count"] for panel in facets.values() for entries in (panel or {}).values() for entry in entries)
    batched = _snapshot()

    _empty_archive()
    for path in paths:
        assert services.ingest_bytes(path.read_bytes(), name=str(path), access_level="restricted").record is not None
    assert set(Record.objects.values_list("access_level", flat=True)) == {"restricted"}
    alone = _snapshot()
    batched.pop("vectors"), alone.pop("vectors")
    for part in batched:
        assert batched[part] == alone[part], part

    _empty_archive()  # the same files made public are found: the search above could have found them
    ingest_sources([str(tmp_path / "corpus")], workers=1)
    total, facets = visible()
    assert total > 0 and any(entry["count"] for panel in facets.values() for entries in (panel or {}).values() for entry in entries)
