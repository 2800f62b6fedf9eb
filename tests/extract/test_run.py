"""Running extraction over files and manifests; the eval-dev set as a smoke test when present."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dhakira.extract.run import extract_path, read_manifest
from tests.extract.fixture_texts import HOMS_HUNGER_STRIKE_AR

EVAL_DEV = Path("/work/shared/eval-dev")


def test_unreadable_file_gives_an_error_object(tmp_path: Path) -> None:
    result = extract_path(tmp_path / "missing.txt")
    assert result["error"] and "missing.txt" in result["error"]
    assert result["places"] == result["organisations"] == result["persons"] == result["incidents"] == []
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert extract_path(empty)["error"]


def test_extract_path_reads_and_uses_the_source_url(tmp_path: Path) -> None:
    path = tmp_path / "homs.txt"
    path.write_text(HOMS_HUNGER_STRIKE_AR, encoding="utf-8")
    result = extract_path(path, source_url="https://www.syriahr.com/2017/10/11/1234")
    assert result["error"] is None
    assert result["source"]["path"] == "homs.txt" and len(result["source"]["sha256"]) == 64
    assert result["document"]["issuer"]["canonical_en"] == "Syrian Observatory for Human Rights"
    assert result["document"]["published"] == "2017-10-11"
    json.dumps(result)  # the object is plain JSON


def test_read_manifest_resolves_relative_paths(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("path,source_url\ndocs/a.txt,https://hrw.org/x\n/abs/b.txt,\n\n", encoding="utf-8")
    rows = read_manifest(manifest)
    assert rows == [(tmp_path / "docs" / "a.txt", "https://hrw.org/x"), (Path("/abs/b.txt"), None)]
    bad = tmp_path / "bad.csv"
    bad.write_text("file,url\nx,y\n", encoding="utf-8")
    with pytest.raises(ValueError):
        read_manifest(bad)


@pytest.mark.skipif(not (EVAL_DEV / "manifest.csv").exists(), reason="eval-dev set not available")
def test_eval_dev_documents_extract_with_valid_spans() -> None:
    for path, url in read_manifest(EVAL_DEV / "manifest.csv"):
        result = extract_path(path, source_url=url)
        assert result["error"] is None, path
        text = path.read_text(encoding="utf-8")
        for place in result["places"]:
            assert place["kind"] in {"facility", "city", "governorate", "country", "other"}
            for start, end in place["spans"]:
                assert 0 <= start < end
        for incident in result["incidents"]:
            assert incident["event_types"]
            for count in incident["counts"]:
                assert count["qualifier"] in {"exact", "at_least", "over", "about", "up_to"}
        assert len(text) > 0
