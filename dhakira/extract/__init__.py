"""Extraction: one Document in, one object of the extraction contract out (see docs/extraction.md).

Public API: :func:`extract_document` and :data:`SCHEMA`.
"""

from __future__ import annotations

from typing import Any

from dhakira.documents import Document

SCHEMA = "dhakira.extraction/1"


def extract_document(document: Document) -> dict[str, Any]:
    """Everything the document says happened, as the extraction contract's JSON object."""
    return {
        "schema": SCHEMA,
        "source": {"path": document.source_name, "sha256": document.sha256, "media_type": document.media_type},
        "document": {
            "language": document.language,
            "title": document.title,
            "issuer": None,
            "doc_type": document.doc_type,
            "published": document.published,
        },
        "places": [],
        "organisations": [],
        "persons": [],
        "incidents": [],
        "error": None,
    }
