"""Property: read_bytes on anything returns a consistent Document or raises IngestError, nothing else."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_makers import make_pdf

from dhakira.documents import Document
from dhakira.ingest import IngestError, Limits, read_bytes

NAMES = st.sampled_from([None, "a.txt", "a.html", "a.pdf", "a.docx", "a.zip", "a", "a.htm"])
FRAGMENTS = st.sampled_from([
    "<html>", "</html>", "<head>", "<body>", "</body>", "<p>", "</p>", "<div onclick='alert(1)'>", "</div>",
    "<script>", "</script>", "<style>", "<br>", "<h1>", "</h1>", "<title>", "</title>", "<!--", "-->",
    "<![CDATA[", "]]>", "&amp;", "&#0;", "&#xD800;", "&nbsp;", "<?xml version='1.0' encoding='utf-8'?>",
    "<meta charset='utf-16'>", "<meta charset='windows-1256'>", "<time datetime='2019-13-45'>",
    '<meta property="og:title" content="">', '<meta name="date" content="0000-00-00">', "<dl><dt>", "<dd>",
    "تاريخ الصدور", "درجة الموثوقية", "الذاكرة السورية هي ملك لكل السوريين", "top of page", "Share on Facebook",
    "سجن حمص المركزي", "Detainees", " ", "\n", "\n\n", "\u200b", "\u202e", "\x00", "\ufeff", "19 تشرين الأول 2017",
])
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1256", "iso-8859-6", "cp1252"])


def _check(data: bytes, name: str | None, limits: Limits | None = None) -> None:
    try:
        document = read_bytes(data, name=name, limits=limits)
    except IngestError:
        return
    assert isinstance(document, Document)
    assert document.text.strip()
    assert document.language in {"ar", "en", "mixed", "und"}
    previous_end = 0
    for paragraph in document.paragraphs:
        assert previous_end <= paragraph.start < paragraph.end <= len(document.text)
        assert document.text[paragraph.start:paragraph.end].strip()
        previous_end = paragraph.end


COMMON = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@COMMON
@given(st.binary(max_size=3000), NAMES)
def test_arbitrary_bytes(data: bytes, name: str | None) -> None:
    _check(data, name)


@COMMON
@given(st.text(max_size=2000), ENCODINGS, NAMES)
def test_arbitrary_text_encoded(text: str, encoding: str, name: str | None) -> None:
    _check(text.encode(encoding, errors="replace"), name)


@COMMON
@given(st.lists(FRAGMENTS | st.text(max_size=20), max_size=60), ENCODINGS, NAMES)
def test_arbitrary_html_ish(parts: list[str], encoding: str, name: str | None) -> None:
    _check("".join(parts).encode(encoding, errors="replace"), name)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400), st.integers(min_value=0, max_value=2000))
def test_damaged_pdfs(noise: bytes, cut: int) -> None:
    data = make_pdf([["A statement on prison conditions"]])
    position = min(cut, len(data))
    # OCR off: a damaged page without text would otherwise go to tesseract (correct, but slow here).
    _check(data[:position] + noise + data[position + len(noise):], "damaged.pdf", Limits(ocr=False))


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=600))
def test_damaged_containers(noise: bytes) -> None:
    _check(b"PK\x03\x04" + noise, "x.docx")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("abcXYZ سجنحمصًٌ٢٣،؟ـءآ\u0750éß1\n"), max_size=200) | st.text(max_size=200))
def test_script_of_counts_letters_as_a_plain_loop_would(text: str) -> None:
    from dhakira.text import script_of

    arabic = sum(1 for char in text if ("\u0600" <= char <= "\u06ff" or "\u0750" <= char <= "\u077f") and char.isalpha())
    latin = sum(1 for char in text if char.isascii() and char.isalpha())
    total = arabic + latin
    expected = "und" if not total else "ar" if arabic / total >= 0.8 else "en" if latin / total >= 0.8 else "mixed"
    assert script_of(text) == expected
