"""Size limits are enforced before the whole input is read."""

from __future__ import annotations

from pathlib import Path

import pytest

from dhakira.ingest import IngestError, Limits, read_bytes, read_path


def test_default_limit_is_100_megabytes() -> None:
    assert Limits().max_bytes == 100 * 1024 * 1024


def test_oversized_bytes_are_refused() -> None:
    with pytest.raises(IngestError, match="larger than the limit of 100 bytes"):
        read_bytes(b"a few words " * 20, name="big.txt", limits=Limits(max_bytes=100))


def test_oversized_file_is_refused_without_being_opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"words about detention " * 100)

    def no_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("the oversized file was opened")

    monkeypatch.setattr(Path, "open", no_open)
    monkeypatch.setattr(Path, "read_bytes", no_open)
    with pytest.raises(IngestError, match="larger than the limit"):
        read_path(path, limits=Limits(max_bytes=1000))


def test_file_at_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "exact.txt"
    path.write_bytes(b"x" * 99 + b".")
    assert read_path(path, limits=Limits(max_bytes=100)).size == 100


def test_missing_file() -> None:
    with pytest.raises(IngestError, match="cannot read"):
        read_path("/nonexistent/dhakira/file.txt")
