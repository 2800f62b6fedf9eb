"""Tiny builders for test originals: PDFs written byte by byte, DOCX via python-docx, ZIPs."""

from __future__ import annotations

import io
import zipfile
import zlib


def assemble_pdf(objects: list[bytes]) -> bytes:
    """Assemble numbered objects (1..n, object 1 = catalog) into a PDF with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _escape(text: str) -> bytes:
    return text.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def make_pdf(pages: list[list[str]], *, font_size: int = 12) -> bytes:
    """A PDF with one Helvetica text line per string, one list of lines per page."""
    count = len(pages)
    page_ids = [4 + 2 * index for index in range(count)]
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % pid for pid in page_ids) + b"] /Count %d >>" % count,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for page_id, lines in zip(page_ids, pages, strict=True):
        stream = b"BT /F1 %d Tf 50 780 Td %d TL\n" % (font_size, font_size + 4)
        for line in lines:
            stream += b"(" + _escape(line) + b") Tj T*\n"
        stream += b"ET"
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >>"
            b" /Contents %d 0 R >>" % (page_id + 1)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    return assemble_pdf(objects)


def make_image_pdf(width: int, height: int, pixels: bytes) -> bytes:
    """A one-page PDF holding only an 8-bit grey image (no text layer): what a scanner makes."""
    image = zlib.compress(pixels)
    content = b"q %d 0 0 %d 0 0 cm /Im1 Do Q" % (width, height)
    return assemble_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /XObject << /Im1 4 0 R >> >>"
        b" /Contents 5 0 R >>" % (width, height),
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8"
        b" /Filter /FlateDecode /Length %d >>\nstream\n" % (width, height, len(image)) + image + b"\nendstream",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ])


def make_docx(paragraphs: list[str], *, title: str | None = None, heading: str | None = None) -> bytes:
    """A DOCX with an optional heading and core-properties title, then the given paragraphs."""
    import docx

    document = docx.Document()
    if title:
        document.core_properties.title = title
    if heading:
        document.add_heading(heading, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_zip(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A ZIP archive with the given members, in order."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def make_cmap_pdf(lines: list[str]) -> bytes:
    """A one-page PDF whose font maps one-byte codes to any characters (e.g. Arabic) through a ToUnicode
    CMap: each line is written glyph by glyph in the order given, like a producer writing visual order."""
    chars = sorted({char for line in lines for char in line})
    code = {char: 0x21 + index for index, char in enumerate(chars)}
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Custom def "
        f"1 begincodespacerange <00> <FF> endcodespacerange\n{len(chars)} beginbfchar\n"
        + "".join(f"<{code[char]:02X}> <{ord(char):04X}>\n" for char in chars)
        + "endbfchar endcmap CMapName currentdict /CMap defineresource pop end end"
    ).encode()
    stream = b"BT /F1 12 Tf 50 780 Td 16 TL\n" + b"".join(
        b"<" + "".join(f"{code[char]:02X}" for char in line).encode() + b"> Tj T*\n" for line in lines
    ) + b"ET"
    return assemble_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >>"
        b" /Contents 5 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
    ])
