"""Scanned pages sent as images (PNG, JPEG, TIFF): OCR with tesseract when it is installed."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from dhakira.ingest.detect import IMAGE_MAGIC
from dhakira.ingest.draft import Draft
from dhakira.ingest.errors import IngestError
from dhakira.ingest.limits import Limits
from dhakira.ingest.pdf import find_tesseract, page_paragraphs

MEDIA_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "tiff": "image/tiff"}
NO_OCR = "scanned image: no text without OCR"


def image_kind(data: bytes) -> str | None:
    """``png``, ``jpeg`` or ``tiff`` from the magic bytes, else None."""
    return next((kind for magic, kind in IMAGE_MAGIC.items() if data.startswith(magic)), None)


def read_image(data: bytes, *, name: str | None = None, source_url: str | None = None, limits: Limits) -> Draft:
    """OCR an image; :class:`IngestError` when tesseract is missing or finds no text."""
    kind = image_kind(data)
    if kind is None:
        raise IngestError("unsupported image format")
    tesseract, languages = find_tesseract(limits, NO_OCR)
    with tempfile.TemporaryDirectory(prefix="dhakira-ocr-") as folder:
        source = Path(folder) / f"scan.{kind}"
        source.write_bytes(data)
        try:
            result = subprocess.run(
                [tesseract, str(source), "stdout", "-l", languages],
                check=True, capture_output=True, timeout=limits.ocr_timeout,
            )
        except (subprocess.SubprocessError, OSError) as error:
            raise IngestError(f"OCR failed: {error}") from error
    return Draft(
        text=page_paragraphs(result.stdout.decode("utf-8", errors="replace")),
        media_type=MEDIA_TYPES[kind],
        reader="image+ocr",
        source_url=source_url,
        warnings=["text from OCR (tesseract): check it against the original"],
    )
