"""DOCX documents and ZIP archives, including hostile archives."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from ingest_makers import make_docx, make_pdf, make_zip

from dhakira.documents import Document
from dhakira.ingest import IngestError, Limits, read_bytes
from dhakira.ingest.archive import read_archive

REPORT = "Witnesses said the prisoners of Saydnaya were moved to Damascus on 3 May 2014."
ARABIC = "قال شهود إن معتقلي صيدنايا نقلوا إلى دمشق في الثالث من أيار 2014."


def test_docx_paragraphs_heading_and_language() -> None:
    document = read_bytes(make_docx([REPORT, "", ARABIC], heading="Transfer from Saydnaya"), name="r.docx")
    assert document.reader == "docx"
    assert document.title == "Transfer from Saydnaya"
    assert document.text == f"Transfer from Saydnaya\n\n{REPORT}\n\n{ARABIC}"
    assert [p.language for p in document.paragraphs] == ["en", "en", "ar"]


def test_docx_core_title_and_tables() -> None:
    import docx

    built = docx.Document()
    built.core_properties.title = "List of the missing"
    built.add_paragraph("The families gave these names.")
    table = built.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Name", "Last seen"
    table.cell(1, 0).text, table.cell(1, 1).text = "Ahmad K.", "Branch 215, 2013"
    out = io.BytesIO()
    built.save(out)
    document = read_bytes(out.getvalue(), name="list.docx")
    assert document.title == "List of the missing"
    assert "Name | Last seen\n\nAhmad K. | Branch 215, 2013" in document.text


def test_broken_docx() -> None:
    data = make_zip({"word/document.xml": b"<not xml", "[Content_Types].xml": b"<x/>"})
    with pytest.raises(IngestError, match="DOCX"):
        read_bytes(data, name="broken.docx")


def test_archive_reads_every_member_and_reports_bad_ones(tmp_path: Path) -> None:
    path = tmp_path / "bundle.zip"
    path.write_bytes(make_zip({
        "statements/one.txt": REPORT.encode("utf-8"),
        "statements/two.txt": ARABIC.encode("cp1256"),
        "report.pdf": make_pdf([["Report on Adra prison"]]),
        "letter.docx": make_docx(["A letter from a mother asking about her son."]),
        "fake.pdf": b"not really a pdf",
        "__MACOSX/._one.txt": b"\x00\x05\x16\x07",
        ".DS_Store": b"\x00\x00\x00\x01Bud1",
    }))
    results = list(read_archive(path))
    assert [name for name, _ in results] == [
        "statements/one.txt", "statements/two.txt", "report.pdf", "letter.docx", "fake.pdf"
    ]
    documents = {name: result for name, result in results}
    assert isinstance(documents["statements/one.txt"], Document) and documents["statements/one.txt"].text == REPORT
    assert isinstance(documents["statements/two.txt"], Document) and documents["statements/two.txt"].text == ARABIC
    assert isinstance(documents["report.pdf"], Document) and documents["report.pdf"].reader == "pdf"
    assert isinstance(documents["letter.docx"], Document)
    assert isinstance(documents["fake.pdf"], IngestError)
    assert documents["statements/one.txt"].source_name == "one.txt"


def _raw_zip(entries: list[tuple[zipfile.ZipInfo, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info, data in entries:
            archive.writestr(info, data)
    return out.getvalue()


@pytest.mark.parametrize("name", ["../escape.txt", "folder/../../escape.txt", "/etc/passwd", "C:/evil.txt", "..\\evil.txt"])
def test_member_paths_outside_the_archive_are_refused(name: str) -> None:
    data = _raw_zip([(zipfile.ZipInfo("fine.txt"), b"fine text"), (zipfile.ZipInfo(name), b"x")])
    with pytest.raises(IngestError, match="outside the archive"):
        read_archive(data)


def test_symlink_member_is_refused() -> None:
    link = zipfile.ZipInfo("link.txt")
    link.external_attr = (0o120777 << 16)
    data = _raw_zip([(zipfile.ZipInfo("fine.txt"), b"fine"), (link, b"/etc/passwd")])
    with pytest.raises(IngestError, match="symbolic link"):
        read_archive(data)


def test_too_many_members() -> None:
    data = make_zip({f"file{index}.txt": b"some text" for index in range(12)})
    with pytest.raises(IngestError, match="members"):
        read_archive(data, limits=Limits(max_members=10))


def test_zip_bomb_by_ratio() -> None:
    data = make_zip({"bomb.txt": b"\x00" * (8 * 1024 * 1024)})
    assert len(data) < 64 * 1024
    with pytest.raises(IngestError, match="zip bomb"):
        read_archive(data)


def test_zip_bomb_by_total_size() -> None:
    data = make_zip({f"part{index}.txt": (b"word %d " % index) * 40_000 for index in range(4)})
    with pytest.raises(IngestError, match="zip bomb|unpacks to more"):
        read_archive(data, limits=Limits(max_archive_bytes=500_000))


def test_member_lying_about_its_size_is_stopped() -> None:
    data = bytearray(make_zip({"small.txt": b"a" * 5000}, compression=zipfile.ZIP_DEFLATED))
    # Shrink the declared uncompressed size in the central directory: reading must stop at the lie.
    central = data.rfind(b"PK\x01\x02")
    data[central + 24:central + 28] = (100).to_bytes(4, "little")
    results = list(read_archive(bytes(data)))
    assert isinstance(results[0][1], IngestError)


def test_oversized_member() -> None:
    data = make_zip({"big.txt": REPORT.encode() * 100, "small.txt": REPORT.encode()})
    results = dict(read_archive(data, limits=Limits(max_bytes=1000)))
    assert isinstance(results["big.txt"], IngestError) and "limit" in str(results["big.txt"])
    assert isinstance(results["small.txt"], Document)


def test_nested_archive_is_not_expanded() -> None:
    data = make_zip({"inner.zip": make_zip({"a.txt": b"deeper"})})
    [(name, result)] = list(read_archive(data))
    assert name == "inner.zip" and isinstance(result, IngestError)


def test_not_a_zip() -> None:
    with pytest.raises(IngestError, match="ZIP"):
        read_archive(b"PK\x03\x04 but nothing else")


def test_missing_archive(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="cannot read"):
        read_archive(tmp_path / "absent.zip")
