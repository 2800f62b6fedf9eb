"""Spreadsheets that teams already keep, read through a column-mapping file (YAML).

Each good row becomes a record. Its original is the row itself, kept byte for byte as canonical
JSON (header → cell), so importing the same sheet again changes nothing; when the mapping names a
``file`` column, the file it points to (relative to the sheet) is the original instead. A bad row is
reported with its row number (the header is row 1) and the reason, and the other rows still land.
See docs/export.md for the mapping's keys and a Syrian Memory-style example.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from dhakira.documents import Document, ExternalId, ImportedAssessment, date_precision
from dhakira.ingest import IngestError, read_bytes
from dhakira.ingest.clean import paragraphs_of
from dhakira.knowledge import knowledge
from dhakira.schema import ids, vocabulary
from dhakira.text import script_of
from dhakira_web.archive.search import index_record
from dhakira_web.archive.services import ingest_document, refresh_facets

FIELDS = ("title", "text", "issue_date", "document_type", "governorate", "facility", "code", "reliability_grade",
          "issuer", "source_url", "language", "file")
DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
MAX_ROWS = 1_000_000


class MappingError(Exception):
    """The mapping file cannot be used; the message says what to change."""


@dataclass
class SheetReport:
    added: int = 0
    present: int = 0
    bad_rows: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"added": self.added, "already_present": self.present, "bad_rows": self.bad_rows}


def load_mapping(path: Path) -> dict[str, Any]:
    """Read and check a mapping file: ``columns`` maps our fields to the sheet's headers."""
    try:
        mapping = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise MappingError(f"{path} cannot be read: {error}") from None
    if not isinstance(mapping, dict) or not isinstance(mapping.get("columns"), dict):
        raise MappingError(f"{path} has no 'columns:' section mapping our fields to the sheet's headers")
    unknown = sorted(set(mapping["columns"]) - set(FIELDS))
    if unknown:
        raise MappingError(f"{path} maps unknown fields {unknown}; known fields: {', '.join(FIELDS)}")
    if "title" not in mapping["columns"] and "text" not in mapping["columns"] and "file" not in mapping["columns"]:
        raise MappingError(f"{path} must map at least one of title, text or file")
    if mapping.get("access_level", "public") not in ids("access_levels"):
        raise MappingError(f"access_level must be one of {sorted(ids('access_levels'))}")
    return mapping


def _vocabulary_value(name: str, vocabulary_name: str, raw: str, table: dict[str, Any]) -> str:
    """A cell turned into a vocabulary id: through the mapping's ``values`` table, or an id or label as it is."""
    if not raw:
        return ""
    if raw in table:
        return str(table[raw])
    for entry in vocabulary(vocabulary_name):
        if raw.casefold() in (entry.id.casefold(), entry.en.casefold(), entry.ar):
            return entry.id
    raise ValueError(f"{name} {raw!r} is neither in the mapping's values nor in the {vocabulary_name} vocabulary")


def parse_date(raw: str, formats: list[str]) -> str:
    """``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` from a cell (Arabic-Indic digits read too)."""
    value = raw.translate(DIGITS).strip()
    if not value:
        return ""
    if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        parts = [int(part) for part in value.split("-")]
        datetime(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
        return value
    for pattern in formats:
        try:
            return datetime.strptime(value, pattern).strftime("%Y-%m-%d")
        except ValueError:
            continue
    raise ValueError(f"issue date {raw!r} is not a date (YYYY-MM-DD, or one of {formats})")


def _places(names: list[str]) -> list[dict[str, Any]]:
    found = []
    for name in names:
        place = knowledge().place_by_name(name) if name else None
        if place is not None:
            found.append(place)
    return [{"id": place.id} for place in found]


def row_document(cells: dict[str, str], mapping: dict[str, Any], folder: Path) -> tuple[Document, bytes, list[str]]:
    """The document a row describes, its original's bytes and the place names to resolve (raises ValueError)."""
    columns: dict[str, str] = mapping["columns"]
    value = {name: (cells.get(header) or "").strip() for name, header in columns.items()}
    tables: dict[str, dict[str, Any]] = mapping.get("values") or {}
    title, text = value.get("title", ""), value.get("text", "")
    issue_date = parse_date(value.get("issue_date", ""), list(mapping.get("date_formats") or ["%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d"]))
    document_type = _vocabulary_value("document type", "document_types", value.get("document_type", ""), tables.get("document_type") or {})
    grade = _vocabulary_value("reliability grade", "syrian_memory_grades", value.get("reliability_grade", ""), tables.get("reliability_grade") or {})
    area = " / ".join(part for part in (value.get("governorate", ""), value.get("facility", "")) if part)
    if value.get("file"):
        target = (folder / value["file"]).resolve()
        if folder.resolve() not in target.parents or not target.is_file():
            raise ValueError(f"file {value['file']!r} is not a file beside the sheet")
        data = target.read_bytes()
        try:
            document = read_bytes(data, name=target.name, source_url=value.get("source_url") or None)
        except IngestError as error:
            raise ValueError(f"file {value['file']!r} cannot be read: {error}") from None
    else:
        if not (title or text):
            raise ValueError("no title and no text")
        data = json.dumps({header: cells.get(header, "") for header in sorted(cells) if header}, ensure_ascii=False, sort_keys=True).encode("utf-8")
        body = "\n\n".join(part for part in (title, text) if part)
        document = Document(text=body, sha256=hashlib.sha256(data).hexdigest(), size=len(data), media_type="application/json",
                            paragraphs=paragraphs_of(body), language=value.get("language") or script_of(body), reader="catalogue_row",
                            source_url=value.get("source_url") or None)
    document.title = title or document.title
    document.published = issue_date or document.published
    document.published_precision = date_precision(issue_date) if issue_date else document.published_precision
    document.doc_type = document_type or document.doc_type
    document.issuer = value.get("issuer") or document.issuer
    document.geographic_area = area or document.geographic_area
    document.source_name = document.source_name or (value.get("code") or title)[:200]
    scheme = str(mapping.get("code_scheme") or "syrian_memory_code")
    if value.get("code"):
        document.external_ids.append(ExternalId(scheme, value["code"], value.get("source_url") or None))
    if grade:
        document.assessments.append(ImportedAssessment("syrian_memory_grade", grade, str(mapping.get("grade_by") or "Syrian Memory")))
    document.fields = {**document.fields, **{name: cell for name, cell in value.items() if cell}}
    return document, data, [value.get("facility", ""), value.get("governorate", "")]


def import_sheet(path: Path, mapping_path: Path, *, actor: str = "dhakira") -> SheetReport:
    """Import every good row of the CSV ``path`` through the mapping; bad rows are reported, not imported."""
    mapping = load_mapping(mapping_path)
    report = SheetReport()
    access = str(mapping.get("access_level") or "public")
    with path.open(encoding=str(mapping.get("encoding") or "utf-8-sig"), newline="") as handle:
        reader = csv.DictReader(handle, delimiter=str(mapping.get("delimiter") or ","))
        missing = sorted(set(mapping["columns"].values()) - set(reader.fieldnames or []))
        if missing:
            raise MappingError(f"the sheet has no column {', '.join(repr(name) for name in missing)} (its headers: {reader.fieldnames})")
        for number, cells in enumerate(reader, start=2):
            if number > MAX_ROWS:
                report.bad_rows.append({"row": number, "reason": f"more than {MAX_ROWS} rows; the rest was not read"})
                break
            if None in cells:
                report.bad_rows.append({"row": number, "reason": "more cells than the header has columns"})
                continue
            try:
                document, data, names = row_document(cells, mapping, path.parent)
            except (ValueError, OSError) as error:
                report.bad_rows.append({"row": number, "reason": str(error)})
                continue
            outcome = ingest_document(document, data, capture_method="catalogue_import", access_level=access, actor=actor,
                                      source=f"{path.name} row {number}")
            if outcome.error or outcome.record is None:
                report.bad_rows.append({"row": number, "reason": outcome.error or "not stored"})
            elif outcome.duplicate:
                report.present += 1
            else:
                report.added += 1
                places = _places(names)
                if places:
                    _attach_places(outcome.record, [entry["id"] for entry in places])
    return report


def _attach_places(record: Any, keys: list[str]) -> None:
    """Give a record the governorate and facility its row names (with the knowledge base's hierarchy)."""
    from dhakira_web.archive.exchange.importing import search_keys
    from dhakira_web.archive.services import _place

    known = knowledge()
    for key in keys:
        place = known.places[key]
        record.places.add(_place({"id": key, "canonical_en": place.name_en, "canonical_ar": place.name_ar, "kind": place.kind,
                                  "pcode": place.pcode, "lat": place.lat, "lon": place.lon}))
    refresh_facets(record)
    index_record(record, search_keys(record))
