"""Choose a reader by content and name, and build the Document."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from dhakira.documents import Document, Paragraph
from dhakira.ingest.errors import IngestError
from dhakira.text import script_of


@dataclass(frozen=True)
class Limits:
    """Limits on what ingestion accepts."""

    max_bytes: int = 100 * 1024 * 1024


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise IngestError("the text is not valid in any encoding we read")


def _paragraphs(text: str) -> list[Paragraph]:
    result, start = [], 0
    for block in text.split("\n\n"):
        end = start + len(block)
        if block.strip():
            result.append(Paragraph(start, end, script_of(block)))
        start = end + 2
    return result


def read_bytes(
    data: bytes,
    *,
    name: str | None = None,
    source_url: str | None = None,
    limits: Limits | None = None,
) -> Document:
    """Read one original. Raises :class:`IngestError` for empty, oversized or unreadable input."""
    limits = limits or Limits()
    if not data:
        raise IngestError("the file is empty")
    if len(data) > limits.max_bytes:
        raise IngestError(f"the file is larger than the limit of {limits.max_bytes} bytes")
    text = _decode(data).replace("\r\n", "\n").strip()
    if not text:
        raise IngestError("the file holds no text")
    title = next((line.strip() for line in text.splitlines() if line.strip()), None)
    return Document(
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        media_type="text/plain",
        title=title,
        language=script_of(text),
        source_name=name,
        source_url=source_url,
        paragraphs=_paragraphs(text),
    )


def read_path(path: str | Path, *, source_url: str | None = None, limits: Limits | None = None) -> Document:
    """Read one file on disk."""
    path = Path(path)
    limits = limits or Limits()
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise IngestError(f"{path.name} is larger than the limit of {limits.max_bytes} bytes")
        data = path.read_bytes()
    except OSError as error:
        raise IngestError(f"cannot read {path}: {error.strerror}") from error
    return read_bytes(data, name=path.name, source_url=source_url, limits=limits)
