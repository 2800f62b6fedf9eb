"""PDFs of the cleaning corpus: positioned lines, a large title, running headers and footers,
page numbers, letter-spaced and split words, hyphenated line ends; Arabic through a ToUnicode CMap.

Written byte by byte with the tests' PDF assembler (``tests/ingest/ingest_makers.py``), so that the text
layer is exactly what we put in (the glyphs are not drawn for Arabic: the OCR benchmark renders its own images).
"""

from __future__ import annotations

from typing import Any

from tests.ingest.ingest_makers import assemble_pdf

AR_MONTHS = "كانون الثاني،شباط،آذار،نيسان،أيار،حزيران،تموز،آب،أيلول،تشرين الأول،تشرين الثاني،كانون الأول".split("،")
EN_MONTHS = "January February March April May June July August September October November December".split()


def long_date(iso: str, lang: str) -> str:
    year, month, day = (int(part) for part in iso.split("-"))
    return f"{day} {AR_MONTHS[month - 1]} {year}" if lang == "ar" else f"{day} {EN_MONTHS[month - 1]} {year}"

HEADERS = {
    "en": [("{org} – Press Archive", "Not for redistribution – {email}"), ("{org} · Documentation Unit", "Internal copy – do not forward · {email}")],
    "ar": [("{org} – أرشيف البيانات", "يمنع إعادة النشر – {email}"), ("{org} · وحدة التوثيق", "نسخة داخلية لا تعمم · {email}")],
}
PAGE_LABEL = {"en": ["Page {n} of {m}", "{n}/{m}"], "ar": ["صفحة {n} من {m}", "الصفحة {n} / {m}"]}
TYPE_LINE = {"en": "PRESS RELEASE", "ar": "بيان صحفي"}


class Encoder:
    """One-byte codes for every character used, with a ToUnicode CMap (Arabic and Latin alike)."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {" ": 0x20}

    def encode(self, text: str) -> bytes:
        out = bytearray()
        for char in text:
            if char not in self.codes:
                code = 0x21 + len(self.codes) - 1
                if code > 0xFF:
                    raise ValueError("too many distinct characters for one font")
                self.codes[char] = code
            out.append(self.codes[char])
        return bytes(out)

    def cmap(self) -> bytes:
        entries = "".join(f"<{code:02X}> <{ord(char):04X}>\n" for char, code in self.codes.items())
        return (
            "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Custom def "
            f"1 begincodespacerange <00> <FF> endcodespacerange\n{len(self.codes)} beginbfchar\n{entries}"
            "endbfchar endcmap CMapName currentdict /CMap defineresource pop end end"
        ).encode()


def _wrap(words: list[str], width: int, hyphenate: bool) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if len(candidate) <= width:
            current = candidate
            continue
        room = width - len(current) - 2
        if hyphenate and word.isalpha() and len(word) >= 8 and room >= 4:
            cut = min(room, len(word) - 3)
            lines.append(f"{current} {word[:cut]}-".strip())
            current = word[cut:]
            continue
        lines.append(current)
        current = word
    if current:
        lines.append(current)
    return lines


def make_article_pdf(page: Any, paras: list[str]) -> tuple[bytes, list[str], int]:
    """(PDF bytes, chrome phrases, page count) for one article; ``page`` is a make_corpus Page."""
    lang, part, rng, site, article = page.lang, page.part, page.rng, page.site, page.article
    width_pt, height_pt = rng.choice([(595, 842), (420, 595), (420, 420), (360, 300)])
    size, leading = 11, 15
    chars_per_line = int((width_pt - 100) / (size * 0.5))
    email = f"archive@{site['domain']}"
    top, bottom = HEADERS[lang][part]
    top, bottom = top.format(org=site["name"]), bottom.format(email=email)
    label = PAGE_LABEL[lang][part]
    chrome = [top, bottom]
    ref = page.fill("ref")
    chrome.append(ref)
    contact = [page.words["contact_heading"], *(line.format(org=site["name"], domain=site["domain"]) for line in page.words["contact_lines"])]
    about = page.fill("about")
    chrome.extend(contact)
    chrome.append(about)
    # The flow of the document: (kind, text) with kind title / type / ref / body / end.
    title_lines = _wrap(article["title"].split(), int((width_pt - 100) / (20 * 0.52)), False)
    flow: list[tuple[str, str]] = [("ref", ref)]
    flow.append(("type", TYPE_LINE[lang]))
    flow.extend(("title", line) for line in title_lines)
    if not article.get("dateline"):
        flow.append(("body", page.fill("posted") if rng.random() < 0.5 else long_date(article["date"], lang)))
    flow.append(("gap", ""))
    for para in paras:
        words = para.split()
        if lang == "ar" and len(words) > 6:
            # a word split by letter spacing (a gap inside the word), as some producers write it
            index = rng.randrange(2, len(words) - 1)
            word = words[index]
            if len(word) >= 6 and word.isalpha():
                words[index] = word[:3] + "\x01" + word[3:]
        elif lang == "en" and len(words) > 6:
            index = rng.randrange(2, len(words) - 1)
            word = words[index]
            if len(word) >= 5 and word.isalpha():
                words[index] = word[:2] + "\x01" + word[2:] if rng.random() < 0.5 else "\x02".join(word)
        for line in _wrap(words, chars_per_line, lang == "en"):
            flow.append(("body", line))
        flow.append(("gap", ""))
    for line in contact:
        flow.append(("end", line))
    flow.append(("gap", ""))
    for line in _wrap(about.split(), chars_per_line, False):
        flow.append(("end", line))
    # Paginate.
    usable = height_pt - 2 * 50 - 30
    pages: list[list[tuple[str, str]]] = [[]]
    used = 0
    for kind, text in flow:
        step = 28 if kind == "title" else leading
        if used + step > usable:
            pages.append([])
            used = 0
        pages[-1].append((kind, text))
        used += step
    total = len(pages)
    encoder = Encoder()
    streams: list[bytes] = []
    right = lang == "ar"
    for number, items in enumerate(pages, start=1):
        ops = bytearray()

        def put(text: str, x: float, y: float, font_size: int, spaced: bool = False, ops: bytearray = ops) -> None:
            if right:
                x = max(30.0, width_pt - 50 - len(text) * font_size * 0.5)
            segments = []
            for chunk in text.split("\x01"):
                letters = chunk.split("\x02")
                segments.append(b" -450 ".join(b"<" + encoder.encode(letter).hex().encode() + b">" for letter in letters))
            body = b" -550 ".join(segments)
            if spaced:
                body = b" -420 ".join(b"<" + encoder.encode(char).hex().encode() + b">" for char in text)
            ops.extend(b"BT /F1 %d Tf %.1f %.1f Td [" % (font_size, x, y) + body + b"] TJ ET\n")

        put(top, 50, height_pt - 30, 8)
        put(bottom, 50, 20, 8)
        put(label.format(n=number, m=total), width_pt / 2 - 20 if not right else 0, 34, 8)
        y = height_pt - 70
        for kind, text in items:
            if kind == "gap":
                y -= leading / 2
                continue
            if kind == "title":
                put(text, 50, y, 20)
                y -= 28
            elif kind == "type":
                put(text, 50, y, 10, spaced=True)
                y -= leading
            elif kind == "ref":
                put(text, 50, y, 9)
                y -= leading
            else:
                put(text, 50, y, size)
                y -= leading
        streams.append(bytes(ops))
    chrome.extend(label.format(n=n, m=total) for n in range(1, total + 1) if len(label.format(n=n, m=total)) >= 8)
    page_ids = [5 + 2 * index for index in range(total)]
    cmap = encoder.cmap()
    first, last = 0x20, 0x20 + len(encoder.codes)
    widths = b" ".join(b"500" for _ in range(first, last + 1))
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % pid for pid in page_ids) + b"] /Count %d >>" % total,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /DhakiraSans /FirstChar %d /LastChar %d /Widths [%s] /ToUnicode 4 0 R >>" % (first, last, widths),
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
    ]
    for page_id, stream in zip(page_ids, streams, strict=True):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 3 0 R >> >>"
            b" /Contents %d 0 R >>" % (width_pt, height_pt, page_id + 1)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    return assemble_pdf(objects), [text for text in chrome if len(text) >= 8], total
