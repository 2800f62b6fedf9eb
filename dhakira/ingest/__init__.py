"""Read source documents: bytes in, :class:`dhakira.documents.Document` out.

Public API (stable; the archive, the CLI and the extractor call only these):

* :func:`read_bytes` – one original, given as bytes with its file name and/or source URL;
* :func:`read_path` – one file on disk;
* :class:`IngestError` – every refusal (bad, hostile or unreadable input) with a clear message.
"""

from __future__ import annotations

from dhakira.ingest.errors import IngestError
from dhakira.ingest.reader import Limits, read_bytes, read_path

__all__ = ["IngestError", "Limits", "read_bytes", "read_path"]
