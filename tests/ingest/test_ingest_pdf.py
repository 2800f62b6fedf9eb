"""PDF: text layer, paragraphs, reversed Arabic repair, encrypted/truncated/broken files, OCR."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from ingest_makers import make_cmap_pdf, make_image_pdf, make_pdf

from dhakira.ingest import IngestError, Limits, read_bytes
from dhakira.ingest.pdf import NO_TEXT_LAYER, is_reversed_arabic, repair_line


def test_text_layer_pages_and_paragraphs() -> None:
    data = make_pdf([
        ["Detention conditions in Adra", "A report published in 2018 on the women's wing.",
         "Visits were banned for months."],
        ["Second page: recommendations (urgent)."],
    ])
    document = read_bytes(data, name="report.pdf")
    assert document.media_type == "application/pdf"
    assert document.reader == "pdf"
    assert document.title == "Detention conditions in Adra"
    assert "Visits were banned for months." in document.text
    assert document.text.endswith("Second page: recommendations (urgent).")
    texts = [document.text[p.start:p.end] for p in document.paragraphs]
    assert texts == [
        "Detention conditions in Adra\nA report published in 2018 on the women's wing.\n"
        "Visits were banned for months.",
        "Second page: recommendations (urgent).",
    ]


def _encrypted(user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf([["Names of the detainees"]]))))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_encrypted_pdf_needs_a_password() -> None:
    with pytest.raises(IngestError, match="encrypted PDF"):
        read_bytes(_encrypted("open-sesame"), name="locked.pdf")


def test_pdf_with_only_an_owner_password_opens() -> None:
    assert read_bytes(_encrypted(""), name="restricted.pdf").text == "Names of the detainees"


def test_truncated_pdf() -> None:
    data = make_pdf([["A long statement about the prison"]] * 3)
    with pytest.raises(IngestError, match="truncated PDF"):
        read_bytes(data[: len(data) // 2], name="cut.pdf")


def test_broken_pdf() -> None:
    with pytest.raises(IngestError, match="PDF"):
        read_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage garbage\n%%EOF\n", name="broken.pdf")


def test_too_many_pages() -> None:
    with pytest.raises(IngestError, match="pages"):
        read_bytes(make_pdf([["page"]] * 5), name="long.pdf", limits=Limits(max_pages=4))


def test_no_text_layer_without_tesseract(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(IngestError) as caught:
        read_bytes(make_image_pdf(40, 20, bytes([255]) * 800), name="scan.pdf")
    message = str(caught.value)
    assert message.startswith(NO_TEXT_LAYER)
    for named in ("tesseract", "tesseract-ocr", "pdftoppm", "poppler-utils", "make ocr"):
        assert named in message


def test_scanned_pdf_names_pdftoppm_when_only_it_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    real = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name: None if name == "pdftoppm" else real(name))
    with pytest.raises(IngestError) as caught:
        read_bytes(make_image_pdf(40, 20, bytes([255]) * 800), name="scan.pdf")
    assert "pdftoppm (Debian package poppler-utils)" in str(caught.value)
    if real("tesseract"):
        assert "the program tesseract" not in str(caught.value)


def test_no_text_layer_with_ocr_switched_off() -> None:
    with pytest.raises(IngestError, match="no text layer"):
        read_bytes(make_image_pdf(40, 20, bytes([255]) * 800), name="scan.pdf", limits=Limits(ocr=False))


@pytest.mark.skipif(not (shutil.which("tesseract") and shutil.which("pdftoppm")), reason="tesseract not installed")
def test_scanned_pdf_is_read_by_ocr(tmp_path: Path) -> None:
    text_pdf = tmp_path / "text.pdf"
    text_pdf.write_bytes(make_pdf([["DETAINEES RELEASED 2019"]], font_size=28))
    subprocess.run(
        ["pdftoppm", "-r", "100", "-gray", "-singlefile", "-W", "827", "-H", "160", str(text_pdf),
         str(tmp_path / "page")],
        check=True,
    )
    _, size, _, pixels = (tmp_path / "page.pgm").read_bytes().split(b"\n", 3)
    width, height = map(int, size.split())
    document = read_bytes(make_image_pdf(width, height, pixels), name="scan.pdf")
    assert document.reader == "pdf+ocr"
    assert "DETAINEES RELEASED 2019" in document.text
    assert any("OCR" in warning for warning in document.warnings)


def test_image_without_tesseract(monkeypatch: pytest.MonkeyPatch) -> None:
    from dhakira.ingest.image import NO_OCR

    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(IngestError) as caught:
        read_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, name="scan.png")
    assert str(caught.value).startswith(NO_OCR)
    assert "tesseract (Debian package tesseract-ocr)" in str(caught.value)
    assert "pdftoppm" not in str(caught.value)  # images need no pdftoppm


@pytest.mark.skipif(not shutil.which("tesseract"), reason="tesseract not installed")
def test_broken_image_is_refused() -> None:
    with pytest.raises(IngestError):
        read_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 64, name="scan.jpg")


@pytest.mark.skipif(not (shutil.which("tesseract") and shutil.which("pdftoppm")), reason="tesseract not installed")
def test_scanned_png_is_read_by_ocr(tmp_path: Path) -> None:
    text_pdf = tmp_path / "text.pdf"
    text_pdf.write_bytes(make_pdf([["FAMILIES ASK FOR NEWS"]], font_size=28))
    subprocess.run(
        ["pdftoppm", "-r", "100", "-png", "-singlefile", "-W", "827", "-H", "160", str(text_pdf), str(tmp_path / "page")],
        check=True,
    )
    document = read_bytes((tmp_path / "page.png").read_bytes(), name="scan.png")
    assert document.reader == "image+ocr" and document.media_type == "image/png"
    assert "FAMILIES ASK FOR NEWS" in document.text


LOGICAL = "أعلن الائتلاف في بيان عن اقتحام السجن المركزي في حمص"


def test_reversed_arabic_line_is_repaired() -> None:
    visual = LOGICAL[::-1]
    assert is_reversed_arabic(visual)
    assert not is_reversed_arabic(LOGICAL)
    assert repair_line(visual) == LOGICAL
    assert repair_line(LOGICAL) == LOGICAL


def test_digits_and_latin_keep_their_order_in_a_repaired_line() -> None:
    logical = "اعتقل 25 شخصا من السجن في 2017 قرب Homs"
    # Visual order: the Arabic reversed, digit and Latin runs still left to right.
    visual = re.sub(r"[0-9A-Za-z]+", lambda match: match.group()[::-1], logical[::-1])
    assert visual.startswith("Homs برق 2017")
    assert repair_line(visual) == logical


def test_bidi_controls_are_stripped_and_presentation_forms_folded() -> None:
    assert repair_line("\u202bسجن حمص\u202c") == "سجن حمص"
    assert repair_line("\ufeb3\ufea0\ufee6") == "سجن"


def test_lam_alef_ligature_unfolds_after_reversal() -> None:
    # «الأول» in visual order with the lam-alef-hamza ligature (U+FEF7) as one glyph.
    visual = "ﻝﻭﻷﺍ ﻦﺠﺴﻟﺍ ﻲﻓ"
    assert repair_line(visual) == "في السجن الأول"


def test_arabic_pdf_lines_come_out_in_logical_order_whatever_the_producer_wrote() -> None:
    second = "ونقل المعتقلون من السجن إلى جهة مجهولة"
    # One line written in visual order, one in logical order: pypdf turns each the other way round.
    document = read_bytes(make_cmap_pdf([LOGICAL[::-1], second]), name="arabic.pdf")
    assert document.text.split("\n") == [LOGICAL, second]
    assert document.language == "ar"
