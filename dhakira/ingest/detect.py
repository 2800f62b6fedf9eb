"""Tell the format of an original from its content (magic bytes) first, then from its name."""

from __future__ import annotations

import io
import re
import zipfile

from dhakira.ingest.errors import IngestError

TEXT, HTML, PDF, DOCX, ZIP, IMAGE = "text", "html", "pdf", "docx", "zip", "image"

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
DOCX_PART = "word/document.xml"
# Scanned pages that OCR reads, by their magic bytes.
IMAGE_MAGIC = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpeg", b"II*\x00": "tiff", b"MM\x00*": "tiff"}
# Byte-order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one).
BYTE_ORDER_MARKS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

# Formats we recognise but do not read: refuse them with a message that says what they are.
_UNSUPPORTED_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"GIF87a", "a GIF image; save it as PNG to have it read by OCR"),
    (b"GIF89a", "a GIF image; save it as PNG to have it read by OCR"),
    (b"\x1f\x8b", "a gzip file"),
    (b"BZh", "a bzip2 file"),
    (b"\xfd7zXZ\x00", "an xz file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office file (.doc/.xls); save it as DOCX or PDF"),
    (b"{\\rtf", "an RTF file; save it as DOCX or PDF"),
    (b"\x7fELF", "a program (ELF executable)"),
    (b"OggS", "an Ogg media file"),
    (b"fLaC", "a FLAC audio file"),
    (b"ID3", "an MP3 audio file"),
    (b"\x00\x00\x00\x18ftyp", "an MP4 video"),
    (b"\x00\x00\x00\x20ftyp", "an MP4 video"),
    (b"\x1a\x45\xdf\xa3", "a Matroska/WebM video"),
)

_HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*|<\?xml[^>]*>\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b",
    re.IGNORECASE | re.DOTALL,
)
_HTML_ANYWHERE = re.compile(rb"<(?:html|body)\b[^>]*>", re.IGNORECASE)
_HTML_NAMES = (".html", ".htm", ".xhtml", ".shtml")


def _suffix(name: str | None) -> str:
    if not name or "." not in name:
        return ""
    return "." + name.rsplit(".", 1)[1].lower()


def _ascii_prefix(data: bytes, size: int = 4096) -> bytes:
    """The first bytes with a UTF-16/32 byte-order mark decoded away, so ASCII markup can be seen."""
    head = data[: size * 4]
    for bom, encoding in BYTE_ORDER_MARKS:
        if head.startswith(bom):
            if encoding == "utf-8":
                return head[len(bom):size]
            return head[len(bom):].decode(encoding, errors="ignore").encode("ascii", errors="replace")[:size]
    return head[:size]


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise IngestError(f"broken ZIP container: {error}") from error
    if DOCX_PART in names:
        return DOCX
    if "xl/workbook.xml" in names:
        raise IngestError("unsupported format: an Excel workbook (XLSX)")
    if "ppt/presentation.xml" in names:
        raise IngestError("unsupported format: a PowerPoint presentation (PPTX)")
    if "mimetype" in names and "content.xml" in names:
        raise IngestError("unsupported format: an OpenDocument file; save it as DOCX or PDF")
    return ZIP


def detect_format(data: bytes, name: str | None = None) -> str:
    """``text``, ``html``, ``pdf``, ``docx``, ``zip`` or ``image`` (PNG, JPEG, TIFF: read by OCR);
    :class:`IngestError` for anything else.

    The content decides; the name is used only when the content says nothing (plain text vs HTML)
    and to refuse a file whose name promises a format its content does not have.
    """
    suffix = _suffix(name)
    head = data[:1024]
    if b"%PDF-" in head:
        return PDF
    if data.startswith(ZIP_MAGIC):
        return _zip_kind(data)
    if data.startswith(tuple(IMAGE_MAGIC)):
        return IMAGE
    for magic, label in _UNSUPPORTED_MAGIC:
        if data.startswith(magic):
            raise IngestError(f"unsupported format: {label}")
    if suffix == ".pdf":
        raise IngestError(f"{name} is named .pdf but is not a PDF (no %PDF- header)")
    if suffix in (".docx", ".zip"):
        raise IngestError(f"{name} is named {suffix} but is not a ZIP container")
    prefix = _ascii_prefix(data)
    if _HTML_START.match(prefix) or _HTML_ANYWHERE.search(prefix) or suffix in _HTML_NAMES:
        return HTML
    return TEXT
