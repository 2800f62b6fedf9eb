"""DOCX (Word) documents with python-docx: paragraphs and tables in document order, core title."""

from __future__ import annotations

import io
from typing import Any

from dhakira.ingest.archive import check_zip, open_zip
from dhakira.ingest.draft import Draft
from dhakira.ingest.errors import IngestError
from dhakira.ingest.limits import Limits

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _block_texts(document: Any) -> list[str]:
    """Text of each paragraph and each table row, in the order they stand in the body."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    blocks: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == f"{_W}p":
            blocks.append(Paragraph(child, document).text)
        elif child.tag == f"{_W}tbl":
            for row in Table(child, document).rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = " ".join(cell.text.split())
                    if text and (not cells or cells[-1] != text):
                        cells.append(text)
                blocks.append(" | ".join(cells))
    return blocks


def read_docx(data: bytes, *, name: str | None = None, source_url: str | None = None, limits: Limits) -> Draft:
    """Read a DOCX; the container is checked like any ZIP (bombs, hostile paths) before it is opened."""
    import docx

    with open_zip(data) as archive:
        check_zip(archive, limits)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # noqa: BLE001 - python-docx raises many types for broken files
        raise IngestError(f"broken DOCX: {type(error).__name__}: {error}") from error
    blocks = _block_texts(document)
    title = None
    core_title = (document.core_properties.title or "").strip()
    if core_title:
        title = core_title
    else:
        for paragraph in document.paragraphs:
            style = (paragraph.style.name if paragraph.style is not None else "") or ""
            if paragraph.text.strip() and (style == "Title" or style.startswith("Heading")):
                title = paragraph.text.strip()
                break
    return Draft(
        text="\n\n".join(blocks),
        media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        reader="docx",
        source_url=source_url,
        title=title,
    )
