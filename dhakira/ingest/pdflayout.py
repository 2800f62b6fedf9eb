"""PDF text by layout (pdfminer.six): lines with their type size and place on the page.

From the layout: running headers and footers (lines in the top or bottom margin in small type, or
repeated on the pages), page numbers, the title (the largest type on the first page, outside the
margins), paragraphs (by the vertical gaps between lines, carried over page breaks mid-sentence),
and words repaired (:mod:`dhakira.ingest.words`). Every removed line is reported with its reason.
"""

from __future__ import annotations

import dataclasses
import io
import logging
import re
from collections import Counter
from statistics import median

from dhakira.ingest.words import WordRepair

_PAGE_NUMBER = re.compile(
    r"^\W*(?:(?:page|p\.|صفحة|الصفحة)\s*)?[\d\u0660-\u0669]+\s*(?:(?:of|/|من|-)\s*[\d\u0660-\u0669]+)?\W*$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"[\d\u0660-\u0669]+")
_SENTENCE_END = re.compile(r"[.!?؟:»\"”]$")


@dataclasses.dataclass
class Line:
    text: str
    size: float
    top: float  # distance from the top of the page
    bottom: float  # distance of the line's lower edge from the top
    page: int
    page_height: float


def layout_lines(data: bytes) -> list[list[Line]]:
    """Lines of every page, top to bottom (pdfminer's layout analysis)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTChar, LTTextContainer, LTTextLine

    from dhakira.ingest.pdf import repair_line

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    pages: list[list[Line]] = []
    for number, page in enumerate(extract_pages(io.BytesIO(data), laparams=LAParams()), start=1):
        lines: list[Line] = []
        height = float(page.height)

        def collect(item: object, lines: list[Line] = lines, height: float = height, number: int = number) -> None:
            if isinstance(item, LTTextLine):
                text = repair_line(item.get_text().strip("\n"))
                if not text.strip():
                    return
                sizes = [char.size for char in item if isinstance(char, LTChar) and char.get_text().strip()]
                size = round(median(sizes), 1) if sizes else 0.0
                lines.append(Line(text.strip(), size, height - float(item.y1), height - float(item.y0), number, height))
            elif isinstance(item, LTTextContainer) or hasattr(item, "__iter__"):
                for child in item:  # type: ignore[attr-defined]
                    collect(child)

        for item in page:
            collect(item)
        lines.sort(key=lambda line: (round(line.top), line.text))
        pages.append(lines)
    return pages


def _key(text: str) -> str:
    return " ".join(_DIGITS.sub("#", text.casefold()).split())


@dataclasses.dataclass
class LayoutText:
    text: str
    title: str | None
    removed: list[dict[str, str]]


def read_layout(pages: list[list[Line]]) -> LayoutText:
    """Clean text, title and removals from the lines of a PDF's pages."""
    all_lines = [line for page in pages for line in page]
    if not all_lines:
        return LayoutText("", None, [])
    weights: Counter[float] = Counter()
    for line in all_lines:
        weights[line.size] += len(line.text)
    body_size = weights.most_common(1)[0][0]
    repeats: Counter[str] = Counter()
    for page in pages:
        repeats.update({_key(line.text) for line in page})
    page_count = len(pages)
    removed: list[dict[str, str]] = []
    kept: list[Line] = []
    for line in all_lines:
        band = min(max(0.08 * line.page_height, 45.0), 72.0)
        in_margin = line.top < band or line.bottom > line.page_height - band
        repeated = page_count >= 2 and repeats[_key(line.text)] >= max(2, (page_count + 1) // 2)
        reason = None
        if _PAGE_NUMBER.match(line.text):
            reason = "page number"
        elif repeated and (in_margin or len(line.text) <= 120):
            reason = "running header or footer (repeats on the pages)"
        elif in_margin and line.size < body_size - 0.4:
            reason = "running header or footer (small type in the page margin)"
        if reason:
            removed.append({"text": line.text, "reason": reason})
        else:
            kept.append(line)
    title = None
    first_page = [line for line in kept if line.page == 1]
    if first_page:
        largest = max(line.size for line in first_page)
        if largest >= body_size * 1.15:
            title_lines: list[str] = []
            for line in first_page:
                if line.size == largest:
                    title_lines.append(line.text)
                elif title_lines:
                    break
            title = " ".join(" ".join(title_lines).split()) or None
    repair = WordRepair("\n".join(line.text for line in kept))
    paragraphs: list[list[str]] = []
    previous: Line | None = None
    gaps = [b.top - a.top for a, b in zip(kept, kept[1:], strict=False) if a.page == b.page and a.size == b.size == body_size and b.top > a.top]
    leading = median(gaps) if gaps else body_size * 1.4
    for line in kept:
        new = previous is None
        if previous is not None:
            if line.page != previous.page:
                new = bool(_SENTENCE_END.search(previous.text)) or line.size != previous.size
            else:
                scale = max(1.0, line.size / body_size)
                new = (line.top - previous.top) > leading * 1.35 * scale or line.size != previous.size
        if new:
            paragraphs.append([])
        paragraphs[-1].append(line.text)
        previous = line
    if title:
        repaired_title = " ".join(repair.repair_paragraph([title]))
        title = repaired_title
    text = "\n\n".join("\n".join(repair.repair_paragraph(lines)) for lines in paragraphs)
    return LayoutText(text, title, removed)
