"""Scanned pages sent as images (PNG, JPEG, TIFF): OCR with tesseract when it is installed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from dhakira.ingest.draft import Draft
from dhakira.ingest.errors import IngestError
from dhakira.ingest.limits import Limits

MEDIA_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "tiff": "image/tiff"}
NO_OCR = "scanned image: install tesseract-ocr and tesseract-ocr-ara (make ocr) to read it"


def image_kind(data: bytes) -> str | None:
    """``png``, ``jpeg`` or ``tiff`` from the magic bytes, else None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    return None


def ocr_languages(tesseract: str) -> str:
    """``ara+eng`` (or whichever of the two is installed); empty when neither is."""
    listed = subprocess.run([tesseract, "--list-langs"], capture_output=True, text=True, timeout=30)
    available = set(listed.stdout.split())
    return "+".join(language for language in ("ara", "eng") if language in available)


def read_image(data: bytes, *, name: str | None = None, source_url: str | None = None, limits: Limits) -> Draft:
    """OCR an image; :class:`IngestError` when tesseract is missing or finds no text."""
    kind = image_kind(data)
    if kind is None:
        raise IngestError("unsupported image format")
    tesseract = shutil.which("tesseract")
    if not limits.ocr or not tesseract:
        raise IngestError(NO_OCR)
    languages = ocr_languages(tesseract)
    if not languages:
        raise IngestError(NO_OCR)
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
    from dhakira.ingest.pdf import _paragraphs

    return Draft(
        text=_paragraphs(result.stdout.decode("utf-8", errors="replace")),
        media_type=MEDIA_TYPES[kind],
        reader="image+ocr",
        source_url=source_url,
        warnings=["text from OCR (tesseract): check it against the original"],
    )
