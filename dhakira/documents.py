"""The typed values that pass between the stages of the pipeline.

ingest → :class:`Document` → extract → extraction object (``dhakira.extract``, see the extraction
contract) → link. These types hold no database or framework state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of the clean text, ``text[start:end]``, with its language (ar, en, mixed, und)."""

    start: int
    end: int
    language: str


@dataclass(frozen=True)
class ExternalId:
    """An identifier that another archive gives the same document (e.g. a Syrian Memory code)."""

    scheme: str
    value: str
    url: str | None = None


@dataclass(frozen=True)
class ImportedAssessment:
    """A reliability grade given by a third party, kept as they gave it (never our own grade)."""

    scheme: str
    value: str
    assessed_by: str | None = None


@dataclass
class Document:
    """One source document as ingestion read it.

    ``text`` is the clean text: every character span in the archive points into it. ``sha256``
    and ``size`` describe the original bytes, which the archive keeps untouched.
    """

    text: str
    sha256: str
    size: int
    media_type: str
    title: str | None = None
    language: str = "und"
    source_name: str | None = None
    source_url: str | None = None
    published: str | None = None
    published_precision: str | None = None
    doc_type: str | None = None
    issuer: str | None = None
    geographic_area: str | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)
    external_ids: list[ExternalId] = field(default_factory=list)
    assessments: list[ImportedAssessment] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    reader: str = "text"


def date_precision(value: str | None) -> str:
    """``day``, ``month``, ``year`` or ``unknown`` for a date written ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``."""
    return {10: "day", 7: "month", 4: "year"}.get(len(value or ""), "unknown")
