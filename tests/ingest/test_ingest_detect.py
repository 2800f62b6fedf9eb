"""Format detection by content first, then by name; refusals for empty, junk and unsupported input."""

from __future__ import annotations

import os

import pytest
from ingest_makers import make_docx, make_pdf, make_zip

from dhakira.ingest import IngestError, read_bytes
from dhakira.ingest.detect import detect_format


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"Plain words about a prison.", "note.txt", "text"),
        (b"Plain words about a prison.", None, "text"),
        (b"<!DOCTYPE html><html><body><p>x</p></body></html>", "page.txt", "html"),
        (b"  <!-- c --><html><p>x</p></html>", None, "html"),
        ("\ufeff<html><body>x</body></html>".encode("utf-16"), None, "html"),
        (b"<p>just a fragment</p>", "fragment.htm", "html"),
        (b"<p>just a fragment</p>", "fragment.txt", "text"),
    ],
)
def test_text_and_html_by_content_then_name(data: bytes, name: str | None, expected: str) -> None:
    assert detect_format(data, name) == expected


def test_binary_formats_by_magic_bytes_whatever_the_name() -> None:
    assert detect_format(make_pdf([["x"]]), "report.txt") == "pdf"
    assert detect_format(make_docx(["x"]), "file.bin") == "docx"
    assert detect_format(make_zip({"a.txt": b"x"}), "file.docx") == "zip"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"GIF89a" + b"\x00" * 20, "GIF"),
        (b"\x1f\x8b\x08" + b"\x00" * 20, "gzip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20, "DOCX or PDF"),
    ],
)
def test_unsupported_formats_are_named(data: bytes, message: str) -> None:
    with pytest.raises(IngestError, match=message):
        read_bytes(data, name="scan.bin")


def test_empty_file() -> None:
    with pytest.raises(IngestError, match="empty"):
        read_bytes(b"", name="empty.txt")


@pytest.mark.parametrize("name", ["junk.pdf", "junk.html", "junk.txt", "junk.docx", "junk"])
def test_binary_junk_under_any_name(name: str) -> None:
    junk = bytes(range(256)) * 8 + os.urandom(512)
    with pytest.raises(IngestError):
        read_bytes(junk, name=name)


def test_junk_named_pdf_says_it_is_not_a_pdf() -> None:
    with pytest.raises(IngestError, match="not a PDF"):
        read_bytes(b"hello, this is text in disguise", name="report.pdf")


def test_a_zip_is_not_one_document() -> None:
    with pytest.raises(IngestError, match="read_archive"):
        read_bytes(make_zip({"a.txt": b"one", "b.txt": b"two"}), name="bundle.zip")
