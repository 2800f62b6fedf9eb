"""Batch reading: folders walked in order, archives expanded, bad files reported, never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_makers import make_pdf, make_zip

from dhakira.documents import Document
from dhakira.ingest import IngestError, Limits
from dhakira.ingest import batch as batch_module
from dhakira.ingest.batch import Source, iter_sources, read_many, read_source


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    (tmp_path / "b").mkdir()
    (tmp_path / "a.txt").write_text("First statement about Adra prison.", encoding="utf-8")
    (tmp_path / "b" / "c.html").write_bytes(b"<html><body><p>A page about the prison in Homs.</p></body></html>")
    (tmp_path / "b" / "d.pdf").write_bytes(make_pdf([["A PDF about Hama"]]))
    (tmp_path / "b" / "junk.pdf").write_bytes(b"\x00\x01junk")
    (tmp_path / ".hidden.txt").write_text("secret")
    (tmp_path / "e.zip").write_bytes(make_zip({"one.txt": b"Zipped text one.", "two.txt": b"Zipped text two."}))
    (tmp_path / "f.zip").write_bytes(make_zip({"../evil.txt": b"escape"}))
    return tmp_path


def test_iter_sources_sorted_hidden_skipped_archives_expanded(tree: Path) -> None:
    sources = list(iter_sources([tree]))
    assert sources == [
        Source(tree / "a.txt"),
        Source(tree / "b" / "c.html"),
        Source(tree / "b" / "d.pdf"),
        Source(tree / "b" / "junk.pdf"),
        Source(tree / "e.zip", "one.txt"),
        Source(tree / "e.zip", "two.txt"),
        Source(tree / "f.zip"),
    ]


@pytest.mark.parametrize("workers", [1, 2])
def test_read_many_keeps_order_and_reports_errors(tree: Path, workers: int) -> None:
    sources = list(iter_sources([tree]))
    results = list(read_many(sources, workers=workers, window=3))
    assert [source for source, _ in results] == sources
    outcome = {str(source.path.name) + (f"!{source.member}" if source.member else ""): result for source, result in results}
    assert isinstance(outcome["a.txt"], Document) and outcome["a.txt"].text == "First statement about Adra prison."
    assert isinstance(outcome["d.pdf"], Document) and outcome["d.pdf"].reader == "pdf"
    assert isinstance(outcome["e.zip!two.txt"], Document) and outcome["e.zip!two.txt"].text == "Zipped text two."
    assert isinstance(outcome["junk.pdf"], IngestError)
    assert isinstance(outcome["f.zip"], IngestError) and "outside the archive" in str(outcome["f.zip"])


def test_unexpected_exceptions_become_ingest_errors(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: object, **kwargs: object) -> Document:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(batch_module, "read_path", explode)
    result = read_source(Source(tree / "a.txt"))
    assert isinstance(result, IngestError) and "disk on fire" in str(result)


def test_limits_reach_the_workers(tree: Path) -> None:
    results = list(read_many([Source(tree / "a.txt")], workers=2, limits=Limits(max_bytes=10)))
    assert isinstance(results[0][1], IngestError) and "limit" in str(results[0][1])
