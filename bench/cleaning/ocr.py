"""OCR word accuracy on scans of our own pages: a clean 300 dpi scan read through the PDF path
(pdftoppm + tesseract) and a skewed, blurred, noisy phone photo (JPEG) read as an image.

Pages are drawn with Pillow (libraqm shapes the Arabic) in DejaVu Sans from the corpus articles.
"""

from __future__ import annotations

import difflib
import io
import random
import re
import sys
import time
from pathlib import Path

from bench.cleaning.articles import ARTICLES_AR, ARTICLES_EN

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    from dhakira.ingest.clean import normalise_whitespace

    return [word.casefold() for word in _WORD.findall(normalise_whitespace(text).replace("\u0640", ""))]


def word_accuracy(truth: str, found: str) -> float:
    """Share of the true words found in order (difflib's longest matching blocks)."""
    expected, got = words(truth), words(found)
    matcher = difflib.SequenceMatcher(a=expected, b=got, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / (len(expected) or 1)


def render(article: dict, dpi: int = 300):  # type: ignore[no-untyped-def]
    """An A5 page at ``dpi`` with the article's title and paragraphs, 11 pt text."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = int(5.83 * dpi), int(8.27 * dpi)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    rtl = article["id"].startswith("ar")
    body = ImageFont.truetype(FONT, int(11 / 72 * dpi))
    heading = ImageFont.truetype(FONT, int(16 / 72 * dpi))
    margin = int(0.6 * dpi)
    y = margin
    lines: list[tuple[str, object]] = []
    for para, font in [(article["title"], heading), *((para, body) for para in article["paras"])]:
        current = ""
        for word in para.split():
            candidate = f"{current} {word}".strip()
            if draw.textlength(candidate, font=font, direction="rtl" if rtl else None) > width - 2 * margin:  # type: ignore[arg-type]
                lines.append((current, font))
                current = word
            else:
                current = candidate
        lines.append((current, font))
        lines.append(("", body))
    truth = []
    for text, font in lines:
        if text:
            kwargs = {"direction": "rtl", "language": "ar"} if rtl else {}
            length = draw.textlength(text, font=font, **kwargs)  # type: ignore[arg-type]
            x = width - margin - length if rtl else margin
            draw.text((x, y), text, font=font, fill=0, **kwargs)  # type: ignore[arg-type]
            truth.append(text)
        y += int(getattr(font, "size", 40) * 1.5)
        if y > height - margin:
            break
    return page, "\n".join(truth)


def phone_photo(page, seed: int):  # type: ignore[no-untyped-def]
    """The page as a phone photo: lower resolution, skewed, uneven light, blur, noise, JPEG."""
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    small = page.resize((page.width * 55 // 100, page.height * 55 // 100))
    skewed = small.rotate(rng.uniform(2.0, 4.0) * rng.choice([-1, 1]), expand=True, fillcolor=235)
    shade = Image.linear_gradient("L").resize(skewed.size).point(lambda value: 255 - value // 5)
    lit = Image.composite(skewed, shade, Image.new("L", skewed.size, 200))
    blurred = lit.filter(ImageFilter.GaussianBlur(0.9))
    noisy = Image.effect_noise(blurred.size, 22)
    mixed = Image.blend(blurred, noisy, 0.12)
    out = io.BytesIO()
    mixed.convert("RGB").save(out, format="JPEG", quality=60)
    return out.getvalue()


def scan_pdf(page, dpi: int = 300) -> bytes:  # type: ignore[no-untyped-def]
    """A one-page PDF holding the grey page image at ``dpi`` (page size in points), no text layer."""
    import zlib

    from tests.ingest.ingest_makers import assemble_pdf

    width, height = page.size
    points = (width * 72 / dpi, height * 72 / dpi)
    image = zlib.compress(page.tobytes())
    content = b"q %.2f 0 0 %.2f 0 0 cm /Im1 Do Q" % points
    return assemble_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /XObject << /Im1 4 0 R >> >>"
        b" /Contents 5 0 R >>" % points,
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8"
        b" /Filter /FlateDecode /Length %d >>\nstream\n" % (width, height, len(image)) + image + b"\nendstream",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ])


def ocr_bench(count: int = 2) -> None:
    from dhakira.ingest import IngestError, Limits, read_bytes
    from dhakira.ingest.ocr import missing, refusal

    lacking = missing(pdf=True)
    if lacking:
        print(refusal("OCR benchmark skipped", lacking))
        return
    limits = Limits()
    print(f"{'language':8} {'quality':24} {'pages':>5} {'word accuracy':>14} {'seconds/page':>13}")
    for lang, articles in (("en", ARTICLES_EN), ("ar", ARTICLES_AR)):
        chosen = [articles[index] for index in range(1, 30, 30 // count)][:count]
        results: dict[str, list[tuple[float, float]]] = {"scan 300 dpi (PDF)": [], "phone photo (JPEG)": []}
        for number, article in enumerate(chosen):
            page, truth = render(article)
            started = time.perf_counter()
            try:
                document = read_bytes(scan_pdf(page), name="scan.pdf", limits=limits)
                results["scan 300 dpi (PDF)"].append((word_accuracy(truth, document.text), time.perf_counter() - started))
            except IngestError as error:
                print(f"  scan refused: {error}", file=sys.stderr)
                results["scan 300 dpi (PDF)"].append((0.0, time.perf_counter() - started))
            started = time.perf_counter()
            try:
                document = read_bytes(phone_photo(page, number), name="photo.jpg", limits=limits)
                results["phone photo (JPEG)"].append((word_accuracy(truth, document.text), time.perf_counter() - started))
            except IngestError as error:
                print(f"  photo refused: {error}", file=sys.stderr)
                results["phone photo (JPEG)"].append((0.0, time.perf_counter() - started))
        for quality, values in results.items():
            accuracy = sum(value for value, _ in values) / (len(values) or 1)
            seconds = sum(took for _, took in values) / (len(values) or 1)
            print(f"{lang:8} {quality:24} {len(values):>5} {accuracy:>14.1%} {seconds:>13.1f}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    ocr_bench()
