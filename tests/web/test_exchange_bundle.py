"""Evidence bundles made from the archive: originals byte for byte, verified offline, imported back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from dhakira.exchange import verify
from dhakira_web.archive import audit, blobs
from dhakira_web.archive.exchange.bundle import create_bundle
from dhakira_web.archive.exchange.custody import chain_head
from dhakira_web.archive.exchange.importing import import_jsonl
from dhakira_web.archive.models import AuditEntry, Record
from tests.web.test_exchange_jsonl import empty_the_archive


def test_bundle_holds_originals_texts_records_custody_and_the_chain_head(demo_archive: list[Record], tmp_path: Path) -> None:
    admin = get_user_model().objects.get(username="admin")
    codes = [demo_archive[0].code, demo_archive[-1].code]
    head = chain_head()
    result = create_bundle(tmp_path / "bundle", admin, codes=codes)
    folder = result.path
    checked = verify(folder)
    assert checked.ok and result.records == 2
    assert checked.about["audit_chain_head"] == head and checked.about["records"] == sorted(codes, key=lambda code: Record.objects.get(code=code).pk)
    for record in Record.objects.filter(code__in=codes):
        original = next((folder / "originals").glob(f"{record.code}.*"))
        assert original.read_bytes() == blobs.read(record.sha256)
        assert (folder / "texts" / f"{record.code}.txt").read_text(encoding="utf-8") == record.text
        assert json.loads((folder / "records" / f"{record.code}.json").read_text(encoding="utf-8"))["sha256"] == record.sha256
    custody = [json.loads(line) for line in (folder / "custody.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {entry["record"] for entry in custody} == set(codes) and {"collected", "hashed"} <= {entry["action"] for entry in custody}
    exported = AuditEntry.objects.filter(action="exported", details__format="bundle")
    assert sorted(exported.values_list("target", flat=True)) == sorted(codes)
    assert {entry.details["sha256"] for entry in exported} == {checked.manifest_sha256}
    assert audit.verify() == (True, None)


def test_a_visitor_bundle_leaves_restricted_records_out(demo_archive: list[Record], tmp_path: Path) -> None:
    every = [record.code for record in demo_archive]
    result = create_bundle(tmp_path / "visitor.zip", AnonymousUser(), codes=every)
    public = [record.code for record in demo_archive if record.access_level == "public"]
    assert result.records == len(public) < len(every)
    assert verify(result.path).ok


def test_a_changed_byte_in_a_zipped_bundle_is_caught(demo_archive: list[Record], tmp_path: Path) -> None:
    import zipfile

    result = create_bundle(tmp_path / "b.zip", AnonymousUser(), query="prison")
    tampered = tmp_path / "t.zip"
    with zipfile.ZipFile(result.path) as source, zipfile.ZipFile(tampered, "w") as target:
        names = [info.filename for info in source.infolist()]
        victim = next(name for name in names if name.startswith("originals/"))
        for name in names:
            data = source.read(name)
            target.writestr(name, (bytes([data[0] ^ 1]) + data[1:]) if name == victim else data)
    assert verify(tampered).changed == [victim]


def test_a_bundle_imports_into_an_empty_archive_with_its_originals(demo_archive: list[Record], tmp_path: Path, settings: Any) -> None:
    admin = get_user_model().objects.get(username="admin")
    result = create_bundle(tmp_path / "all", admin, query="", codes=[record.code for record in demo_archive])
    originals = {record.code: blobs.read(record.sha256) for record in demo_archive}
    empty_the_archive(tmp_path / "blobs", settings)
    report = import_jsonl(result.path / "export.jsonl", originals_dir=result.path / "originals")
    assert report.ok and not report.missing_originals and report.records_added == len(demo_archive)
    for record in Record.objects.all():
        assert blobs.read(record.sha256) == originals[record.code]
