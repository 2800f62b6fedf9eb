"""PDF: pypdf's text layer, reversed Arabic lines repaired, OCR (tesseract) when there is no text layer.

Arabic comes out of PDFs in logical or in visual (reversed) order depending on the producer and the
extractor. Per line: strip bidi controls, count words that look like reversed Arabic (article «ال»
at the end, reversed function words) against forward ones, and reverse the line when reversed words
win – before NFKC, so that lam-alef ligatures unfold in the right order.
"""

from __future__ import annotations

import io
import logging
import re
import shutil
import subprocess
import tempfile
import unicodedata
from pathlib import Path

from dhakira.ingest import ocr
from dhakira.ingest.draft import Draft
from dhakira.ingest.errors import IngestError
from dhakira.ingest.limits import Limits
from dhakira.ingest.pdflayout import LayoutText, layout_lines, read_layout

NO_TEXT_LAYER = "scanned PDF: no text layer"
OCR_OFF = "scanned PDF: no text layer, and OCR is switched off"
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")
_ARABIC_WORD = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufefc]+")
_FORWARD_WORDS = frozenset("في من على إلى الى عن أن ان التي الذي مع هذا هذه كان قد لم".split())
_REVERSED_WORDS = frozenset(word[::-1] for word in _FORWARD_WORDS) - _FORWARD_WORDS
_LTR_RUN = re.compile(r"[0-9A-Za-z\u0660-\u0669][0-9A-Za-z\u0660-\u0669.,:/%\-]*[0-9A-Za-z\u0660-\u0669]|[0-9A-Za-z]")
_MIRROR = str.maketrans("()[]{}<>«»", ")(][}{><»«")


def _arabic_direction_votes(line: str) -> tuple[int, int]:
    forward = reversed_ = 0
    folded = unicodedata.normalize("NFKC", line)
    for word in _ARABIC_WORD.findall(folded):
        if word in _FORWARD_WORDS or (word.startswith("ال") and len(word) > 3):
            forward += 1
        if word in _REVERSED_WORDS or (word.endswith("لا") and len(word) > 3):
            reversed_ += 1
    return forward, reversed_


def is_reversed_arabic(line: str) -> bool:
    """True when a line reads like Arabic in visual (reversed) order."""
    forward, reversed_ = _arabic_direction_votes(line)
    return reversed_ > forward and reversed_ >= 1


def repair_line(line: str) -> str:
    """Strip bidi controls; reverse a visual-order Arabic line (keeping digit and Latin runs); NFKC."""
    line = _BIDI_CONTROLS.sub("", line)
    if is_reversed_arabic(line):
        line = line[::-1].translate(_MIRROR)
        line = _LTR_RUN.sub(lambda match: match.group()[::-1], line)
    return unicodedata.normalize("NFKC", line)


def page_paragraphs(page_text: str) -> str:
    """Lines of one page into paragraphs: a short line ending a sentence ends its paragraph."""
    lines = [repair_line(line).strip() for line in page_text.split("\n")]
    longest = max((len(line) for line in lines), default=0)
    out: list[str] = []
    for line in lines:
        if not line:
            out.append("")
            continue
        out.append(line)
        if line[-1] in ".!?؟:" and len(line) < 0.8 * longest:
            out.append("")
    return "\n".join(out)


def _check_complete(data: bytes) -> None:
    if b"%%EOF" not in data[-4096:]:
        raise IngestError("truncated PDF: the file ends before its end-of-file marker (%%EOF); get a complete copy")


def find_tesseract(limits: Limits, what: str, *, pdf: bool = False) -> tuple[str, str]:
    """The tesseract program and its languages (``ara+eng``, or whichever of the two is installed).

    :class:`IngestError` when OCR is switched off, or naming exactly what is missing (program or
    language data, with its Debian package) when tesseract, pdftoppm or both languages are absent.
    """
    if not limits.ocr:
        raise IngestError(f"{what}, and OCR is switched off")
    lacking = ocr.missing(pdf=pdf)
    tesseract = shutil.which("tesseract")
    available = ocr.tesseract_languages(tesseract) if tesseract else set()
    languages = "+".join(language for language in ("ara", "eng") if language in available)
    blocking = [item for item in lacking if not item[0].endswith(("(ara)", "(eng)"))]
    if blocking or not tesseract or not languages:
        raise IngestError(ocr.refusal(what, lacking))
    return tesseract, languages


def ocr_pdf(data: bytes, *, pages: int, limits: Limits) -> str:
    """OCR every page (at most ``limits.max_ocr_pages``) with pdftoppm + tesseract (Arabic and English)."""
    tesseract, languages = find_tesseract(limits, NO_TEXT_LAYER, pdf=True)
    pdftoppm = shutil.which("pdftoppm") or "pdftoppm"
    last = min(pages, limits.max_ocr_pages)
    texts: list[str] = []
    with tempfile.TemporaryDirectory(prefix="dhakira-ocr-") as folder:
        source = Path(folder) / "source.pdf"
        source.write_bytes(data)
        for page in range(1, last + 1):
            stem = Path(folder) / f"page{page}"
            try:
                subprocess.run(
                    [pdftoppm, "-r", "300", "-gray", "-png", "-singlefile", "-f", str(page), "-l", str(page),
                     str(source), str(stem)],
                    check=True, capture_output=True, timeout=limits.ocr_timeout,
                )
                result = subprocess.run(
                    [tesseract, f"{stem}.png", "stdout", "-l", languages],
                    check=True, capture_output=True, timeout=limits.ocr_timeout,
                )
            except (subprocess.SubprocessError, OSError) as error:
                raise IngestError(f"OCR failed on page {page}: {error}") from error
            texts.append(result.stdout.decode("utf-8", errors="replace"))
    text = "\n\n".join(page_paragraphs(page_text) for page_text in texts)
    if pages > last:
        text += f"\n\n[OCR stopped after {last} of {pages} pages]"
    return text


def read_pdf(data: bytes, *, name: str | None = None, source_url: str | None = None, limits: Limits) -> Draft:
    """Read a PDF's text layer (or OCR it); :class:`IngestError` for encrypted, truncated or broken files."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    _check_complete(data)
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception as error:  # noqa: BLE001 - any failure here means we cannot open it
                raise IngestError(f"encrypted PDF: cannot open it ({error}); remove the password first") from error
            if not opened:
                raise IngestError("encrypted PDF: it needs a password; remove the password and add it again")
        count = len(reader.pages)
    except IngestError:
        raise
    except (FileNotDecryptedError, PdfReadError, ValueError, KeyError, TypeError, OSError, AssertionError) as error:
        raise IngestError(f"broken PDF: {error}") from error
    if count == 0:
        raise IngestError("broken PDF: it has no pages")
    if count > limits.max_pages:
        raise IngestError(f"the PDF has {count} pages, more than the limit of {limits.max_pages}")
    pages: list[str] = []
    warnings: list[str] = []
    for number, page in enumerate(reader.pages, start=1):
        try:
            pages.append(page.extract_text() or "")
        except Exception as error:  # noqa: BLE001 - one bad page does not lose the others
            warnings.append(f"page {number}: no text ({type(error).__name__})")
            pages.append("")
    if len(warnings) == count:
        raise IngestError(f"broken PDF: no page could be read ({warnings[0]})")
    reader_name = "pdf"
    if not any(page.strip() for page in pages):
        text = ocr_pdf(data, pages=count, limits=limits)
        reader_name = "pdf+ocr"
        warnings.append("text from OCR (tesseract): check it against the original")
    else:
        text = "\n\n".join(page_paragraphs(page) for page in pages)
    layout = _by_layout(data, warnings) if reader_name == "pdf" else None
    if layout is not None and layout.text.strip() and not _letters_scattered(layout.text, text):
        text = layout.text
    else:
        layout = None
    title = None
    try:
        metadata = reader.metadata
        if metadata and metadata.title and str(metadata.title).strip():
            title = str(metadata.title).strip()
            if re.match(r"^(?:microsoft word - |untitled)", title, re.IGNORECASE) or title.lower().endswith(
                (".doc", ".docx", ".pdf")
            ):
                title = None
    except Exception:  # noqa: BLE001 - broken metadata is not a reason to refuse the text
        title = None
    if layout is not None and layout.title:
        title = layout.title
    draft = Draft(
        text=text, media_type="application/pdf", reader=reader_name, source_url=source_url,
        title=title, warnings=warnings,
    )
    if layout is not None and layout.removed:
        draft.fields["removed"] = layout.removed
    return draft


_SINGLE_LETTER = re.compile(r"(?<!\S)[^\W\d_](?!\S)")


def _letters_scattered(layout_text: str, plain_text: str) -> bool:
    """True when the layout reader split words into letters that pypdf kept whole (fonts whose
    glyph widths pdfminer cannot know): then pypdf's text is the better one."""
    def share(text: str) -> float:
        words = len(text.split()) or 1
        return len(_SINGLE_LETTER.findall(text)) / words

    return share(layout_text) > 0.2 and share(layout_text) > 2 * share(plain_text)


def _by_layout(data: bytes, warnings: list[str]) -> LayoutText | None:
    """The text by layout (pdfminer.six); None, with a warning, when pdfminer cannot read the file."""
    try:
        return read_layout(layout_lines(data))
    except Exception as error:  # noqa: BLE001 - pypdf's text stays when the layout reader fails
        warnings.append(f"layout analysis failed ({type(error).__name__}); text read without it")
        return None
