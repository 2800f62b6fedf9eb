"""The mutable intermediate that a format reader fills and the site adapters refine."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dhakira.documents import ExternalId, ImportedAssessment


@dataclass
class Draft:
    """What one format reader found, before cleaning.

    ``text`` may still hold site chrome; lines are separated by ``\\n`` and paragraphs by blank lines.
    ``html`` is the parsed page (an lxml element) for adapters that need the markup.
    """

    text: str
    media_type: str
    reader: str
    source_url: str | None = None
    encoding: str | None = None
    title: str | None = None
    published: str | None = None
    published_precision: str | None = None
    doc_type: str | None = None
    issuer: str | None = None
    geographic_area: str | None = None
    external_ids: list[ExternalId] = field(default_factory=list)
    assessments: list[ImportedAssessment] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    html: Any = None
    adapters: list[str] = field(default_factory=list)
