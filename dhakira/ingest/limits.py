"""Limits on what ingestion accepts, so that one hostile or huge source cannot exhaust the machine."""

from __future__ import annotations

from dataclasses import dataclass

MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Configurable limits; every one of them, when exceeded, gives an :class:`IngestError`.

    * ``max_bytes`` – one original (a file, a download, one archive member);
    * ``max_pages`` – pages of one PDF;
    * ``max_members`` – files in one ZIP archive;
    * ``max_archive_bytes`` – total uncompressed size of one ZIP archive;
    * ``max_ratio`` – uncompressed / compressed size of one archive member (zip-bomb guard);
    * ``ocr`` – run OCR (tesseract) on PDFs without a text layer when it is installed;
    * ``max_ocr_pages`` and ``ocr_timeout`` – OCR at most that many pages, seconds per page.
    """

    max_bytes: int = 100 * MEGABYTE
    max_pages: int = 2000
    max_members: int = 10_000
    max_archive_bytes: int = 2048 * MEGABYTE
    max_ratio: float = 200.0
    ocr: bool = True
    max_ocr_pages: int = 50
    ocr_timeout: float = 120.0
