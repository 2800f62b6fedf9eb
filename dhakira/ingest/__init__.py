"""Read source documents: bytes in, :class:`dhakira.documents.Document` out.

Public API (stable; the archive, the CLI and the extractor call only these):

* :func:`read_bytes` – one original, given as bytes with its file name and/or source URL;
* :func:`read_path` – one file on disk;
* :class:`IngestError` – every refusal (bad, hostile or unreadable input) with a clear message;
* :class:`Limits` – the size and count limits.

Formats (told by content, then by name): plain text in any common encoding, HTML, PDF (text layer,
else OCR), DOCX, scanned images (OCR); ZIP archives through ``archive.read_archive``.

More in the submodules: ``archive.read_archive`` (ZIP files), ``fetch.fetch_url`` / ``fetch.read_url``
(safe URL download), ``batch`` (parallel reading of folders and archives), ``similarity``
(near-duplicates), ``sites`` (site adapters: Syrian Memory records, Wix pages), ``boilerplate`` and
``chrome`` (page furniture removed with its reason, in ``Document.fields["removed"]``), ``pdflayout``
and ``words`` (PDF headers, footers, titles and broken words), ``template`` (site templates learned
across a site's pages), ``ocr`` (what OCR needs here). See docs/cleaning.md.
"""

from __future__ import annotations

from dhakira.ingest.errors import IngestError
from dhakira.ingest.limits import Limits
from dhakira.ingest.reader import read_bytes, read_path

__all__ = ["IngestError", "Limits", "read_bytes", "read_path"]
