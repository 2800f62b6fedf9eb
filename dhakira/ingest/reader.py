"""Choose a reader by content and name, run the site adapters, clean, and build the Document."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

from dhakira.documents import Document
from dhakira.ingest import detect
from dhakira.ingest.chrome import strip_blocks
from dhakira.ingest.clean import clean_text, normalise_whitespace, paragraphs_and_script
from dhakira.ingest.dates import find_dateline, is_date_line
from dhakira.ingest.draft import Draft
from dhakira.ingest.errors import IngestError, readable_name
from dhakira.ingest.header import date_near_title, read_header
from dhakira.ingest.limits import Limits
from dhakira.ingest.sites import apply_adapters

__all__ = ["Limits", "read_bytes", "read_path", "build_document"]

FormatReader = Callable[[bytes, str | None, str | None, Limits], Draft]


def _read_text(data: bytes, name: str | None, source_url: str | None, limits: Limits) -> Draft:
    from dhakira.ingest.text import read_text

    return read_text(data, name=name, source_url=source_url)


def _read_html(data: bytes, name: str | None, source_url: str | None, limits: Limits) -> Draft:
    from dhakira.ingest.html import read_html

    return read_html(data, name=name, source_url=source_url)


def _read_pdf(data: bytes, name: str | None, source_url: str | None, limits: Limits) -> Draft:
    from dhakira.ingest.pdf import read_pdf

    return read_pdf(data, name=name, source_url=source_url, limits=limits)


def _read_docx(data: bytes, name: str | None, source_url: str | None, limits: Limits) -> Draft:
    from dhakira.ingest.docx import read_docx

    return read_docx(data, name=name, source_url=source_url, limits=limits)


def _read_image(data: bytes, name: str | None, source_url: str | None, limits: Limits) -> Draft:
    from dhakira.ingest.image import read_image

    return read_image(data, name=name, source_url=source_url, limits=limits)


def _refuse_zip(data: bytes, name: str | None, source_url: str | None, limits: Limits) -> Draft:
    raise IngestError(
        f"{name or 'the file'} is a ZIP archive of several documents: read it with "
        "dhakira.ingest.archive.read_archive (or dhakira.ingest.batch)"
    )


READERS: dict[str, FormatReader] = {
    detect.TEXT: _read_text,
    detect.HTML: _read_html,
    detect.PDF: _read_pdf,
    detect.DOCX: _read_docx,
    detect.ZIP: _refuse_zip,
    detect.IMAGE: _read_image,
}

_MAX_TITLE = 300


_BYLINE = re.compile(r"^\W*(?:by|written by|posted by|reported by|author|بقلم|كتب|كتبه|كتبت|إعداد|تحرير|المحرر)\b\s*[:：]?", re.IGNORECASE)
# The lead of a news text: «(Damascus) – …», «DAMASCUS – …», «Damascus, 9 May 2024 – …», «دمشق - …»
_LEAD = re.compile(r"^\W*\(?[^\W\d_][^\n()–—:]{0,40}\)?\s*(?:[,،]\s*[^\n–—]{3,30})?\s+[-–—]\s+\S")


def _first_line(text: str) -> str | None:
    """The headline of a plain text: its first line that is not a date, a byline or a dateline lead
    («(City) – …»); None when the text opens with its body."""
    for line in text.split("\n")[:12]:
        line = line.strip()
        if not line or is_date_line(line) or _BYLINE.match(line):
            continue
        if _LEAD.match(line) and (len(line) > 90 or line[-1:] in ".!?؟"):
            return None  # the text starts with its body: no headline
        if len(line) > _MAX_TITLE or (len(line) > 160 and line[-1:] in ".!?؟"):
            return None
        return line
    return None


def build_document(draft: Draft, data: bytes, *, name: str | None = None) -> Document:
    """Adapters, cleaning, title, date, language and paragraphs: the Document for one draft."""
    draft.text = normalise_whitespace(draft.text)
    adapters_before = len(draft.adapters)
    apply_adapters(draft)
    text = clean_text(draft.text, normalised=len(draft.adapters) == adapters_before)
    text, removed = strip_blocks(text)
    if removed:
        draft.fields["removed"] = [*draft.fields.get("removed", []), *removed]
    if not text.strip():
        raise IngestError(f"no text found in {name or 'the document'}")
    title = normalise_whitespace(draft.title).replace("\n", " ").strip() if draft.title else None
    if not title:
        title = _first_line(text)
    doc_type, issuer = draft.doc_type, draft.issuer
    if doc_type is None or issuer is None:
        found_type, found_issuer = read_header(text, title)
        doc_type, issuer = doc_type or found_type, issuer or found_issuer
    published, precision = draft.published, draft.published_precision
    if not published:
        found = find_dateline(text) or (date_near_title(text, title) if title else None)
        if found:
            published, precision = found
    paragraphs, language = paragraphs_and_script(text)
    return Document(
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        media_type=draft.media_type,
        title=title,
        language=language,
        source_name=name,
        source_url=draft.source_url,
        published=published,
        published_precision=precision,
        doc_type=doc_type,
        issuer=issuer,
        geographic_area=draft.geographic_area,
        paragraphs=paragraphs,
        external_ids=list(draft.external_ids),
        assessments=list(draft.assessments),
        fields=dict(draft.fields),
        warnings=list(draft.warnings),
        reader="+".join([draft.reader, *draft.adapters]),
    )


def read_bytes(
    data: bytes,
    *,
    name: str | None = None,
    source_url: str | None = None,
    limits: Limits | None = None,
) -> Document:
    """Read one original. Raises :class:`IngestError` – and nothing else – for input it cannot read.

    The format is told by content (magic bytes), then by ``name``. A ZIP archive holds several
    documents and is refused here: use :func:`dhakira.ingest.archive.read_archive`.
    """
    limits = limits or Limits()
    data = bytes(data)
    if not data:
        raise IngestError(f"{name or 'the file'} is empty")
    if len(data) > limits.max_bytes:
        raise IngestError(f"{name or 'the file'} is larger than the limit of {limits.max_bytes} bytes")
    try:
        kind = detect.detect_format(data, name)
        draft = READERS[kind](data, name, source_url, limits)
        if draft.source_url is None:
            draft.source_url = source_url
        return build_document(draft, data, name=name)
    except IngestError:
        raise
    except Exception as error:  # noqa: BLE001 - the contract: every failure is an IngestError
        raise IngestError(f"cannot read {name or 'the file'}: {type(error).__name__}: {error}") from error


def read_path(path: str | Path, *, source_url: str | None = None, limits: Limits | None = None) -> Document:
    """Read one file on disk; an oversized file is refused before it is read."""
    path = Path(path)
    limits = limits or Limits()
    name = readable_name(path.name)
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise IngestError(f"{name} is larger than the limit of {limits.max_bytes} bytes")
        with path.open("rb") as handle:
            data = handle.read(limits.max_bytes + 1)
    except OSError as error:
        raise IngestError(f"cannot read {readable_name(str(path))}: {error.strerror or error}") from error
    return read_bytes(data, name=name, source_url=source_url, limits=limits)
