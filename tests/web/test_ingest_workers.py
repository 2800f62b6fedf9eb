"""What the worker processes of ``dhakira ingest`` make once and share, and how they keep a chunk's originals."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from dhakira.ingest import similarity
from dhakira.link.records import document_profile
from dhakira.text.normalise import word_forms
from dhakira_web.archive import blobs
from dhakira_web.archive.search import shadow_texts

TEXTS = [
    ("Hama Central Prison", "Hama Central Prison\n\nGuards fired tear gas on 6 May 2016; 25 prisoners (aged 19-60) suffocated."),
    ("سجن حماة المركزي", "أطلقت قوات النظامِ الغازَ المسيل للدموع داخل سجن حماة المركزي في ٦ أيار ٢٠١٦، وأصيب ٢٥ سجيناً."),
    ("word", "word-joined text: the title's last word and the text's first"),
    ("", "no title at all, numbers 1990 2011 120 and 07"),
    ("a title", ""),
]


@pytest.mark.parametrize(("title", "text"), TEXTS)
def test_words_cut_once_give_the_fingerprint_search_texts_and_profile_of_the_text(title: str, text: str) -> None:
    forms = word_forms(text)
    assert similarity.words_fingerprint([norm for norm, _ in forms]) == similarity.fingerprint(text)
    assert shadow_texts(title, text, forms) == shadow_texts(title, text)
    extraction = {"document": {"title": title, "language": "en"}}
    assert document_profile("key", extraction, text, forms) == document_profile("key", extraction, text)


def test_a_chunks_originals_are_kept_together_each_under_its_hash(settings: Any, tmp_path: Path) -> None:
    settings.BLOB_DIR = str(tmp_path / "blobs")
    kept_before = blobs.store(b"kept before")
    originals = [b"first", b"second", b"first", b"kept before", os.urandom(5000)]
    digests = blobs.store_many(originals)
    assert digests[0] == digests[2] and digests[3] == kept_before and len(set(digests)) == 4
    for data, sha256 in zip(originals, digests, strict=True):
        assert blobs.read(sha256) == data
        assert blobs.blob_path(sha256).stat().st_mode & 0o222 == 0  # read-only
    stored = [path for path in (tmp_path / "blobs").rglob("*") if path.is_file()]
    assert len(stored) == 4 and not [path for path in stored if path.name.startswith(".incoming-")]


def test_an_original_gone_before_it_is_kept_fails_alone(settings: Any, tmp_path: Path) -> None:
    from dhakira.documents import Document
    from dhakira.ingest import Limits
    from dhakira.ingest.batch import Source, read_source
    from dhakira_web.archive.ingestion import Task, _originals_kept

    settings.BLOB_DIR = str(tmp_path / "blobs")
    paths = [tmp_path / "kept.txt", tmp_path / "gone.txt", tmp_path / "also-kept.txt"]
    for number, path in enumerate(paths):
        path.write_text(f"Report {number}: detainees were moved from Adra prison.", encoding="utf-8")
    tasks = tuple(Task(Source(path)) for path in paths)
    read = [read_source(task.source, Limits()) for task in tasks]
    paths[1].unlink()  # read, then gone before its original is kept
    failures = _originals_kept(tasks, read, Limits())
    assert failures[0] is None and failures[2] is None and failures[1] is not None
    for position in (0, 2):
        document = read[position]
        assert isinstance(document, Document) and blobs.read(document.sha256) == paths[position].read_bytes()
