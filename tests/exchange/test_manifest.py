"""Bundle manifests, checked offline without Django: every changed byte, missing file and added file is named."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from dhakira.exchange import MANIFEST, verify, write_manifest, zip_folder


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    folder = tmp_path / "bundle"
    (folder / "originals").mkdir(parents=True)
    (folder / "originals" / "DHK-2016-000001.txt").write_bytes("تقرير عن سجن حماة المركزي\n".encode())
    (folder / "originals" / "DHK-2016-000002.pdf").write_bytes(b"%PDF-1.4 not really a pdf\x00\xff")
    (folder / "custody.jsonl").write_text('{"action": "collected"}\n', encoding="utf-8")
    write_manifest(folder, kind="test", audit_chain_head="ab" * 32)
    return folder


def test_an_untouched_bundle_verifies_and_lists_sizes_and_hashes(bundle: Path) -> None:
    result = verify(bundle)
    assert result.ok and result.checked == 3
    manifest = json.loads((bundle / MANIFEST).read_text(encoding="utf-8"))
    entry = next(item for item in manifest["files"] if item["path"] == "originals/DHK-2016-000002.pdf")
    data = (bundle / entry["path"]).read_bytes()
    assert entry == {"path": "originals/DHK-2016-000002.pdf", "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    assert result.about["audit_chain_head"] == "ab" * 32
    assert result.manifest_sha256 == hashlib.sha256((bundle / MANIFEST).read_bytes()).hexdigest()


def test_one_changed_byte_a_missing_and_an_added_file_are_each_named(bundle: Path) -> None:
    target = bundle / "originals" / "DHK-2016-000002.pdf"
    data = bytearray(target.read_bytes())
    data[5] ^= 1
    target.write_bytes(bytes(data))
    (bundle / "custody.jsonl").unlink()
    (bundle / "originals" / "planted.txt").write_text("added later", encoding="utf-8")
    result = verify(bundle)
    assert not result.ok
    assert result.changed == ["originals/DHK-2016-000002.pdf"]
    assert result.missing == ["custody.jsonl"]
    assert result.added == ["originals/planted.txt"]


def test_zipped_bundles_are_checked_the_same(bundle: Path, tmp_path: Path) -> None:
    packed = tmp_path / "bundle.zip"
    zip_folder(bundle, packed)
    assert verify(packed).ok
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(packed) as source, zipfile.ZipFile(tampered, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "originals/DHK-2016-000001.txt":
                data = data.replace("حماة".encode(), "حمص".encode())
            if info.filename != "custody.jsonl":
                target.writestr(info.filename, data)
        target.writestr("extra/note.txt", "x")
    result = verify(tampered)
    assert (result.changed, result.missing, result.added) == (["originals/DHK-2016-000001.txt"], ["custody.jsonl"], ["extra/note.txt"])


def test_a_manifest_naming_paths_outside_the_bundle_is_refused(bundle: Path) -> None:
    manifest = json.loads((bundle / MANIFEST).read_text(encoding="utf-8"))
    manifest["files"].append({"path": "../../etc/passwd", "sha256": "0" * 64, "size": 1})
    (bundle / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    result = verify(bundle)
    assert not result.ok and "outside" in result.errors[0]


def test_the_command_verifies_without_any_archive_or_database(bundle: Path, tmp_path: Path) -> None:
    environment = {"PATH": "/usr/bin:/bin", "DHAKIRA_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"}
    command = [sys.executable, "-m", "dhakira_web.cli", "--archive", str(tmp_path / "no-archive"), "bundle", "verify", str(bundle)]
    intact = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=60)
    assert intact.returncode == 0, intact.stderr
    assert "intact" in intact.stdout
    (bundle / "originals" / "DHK-2016-000001.txt").write_bytes(b"changed")
    broken = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=60)
    assert broken.returncode == 1 and "changed: originals/DHK-2016-000001.txt" in broken.stdout
    assert not (tmp_path / "no-archive").exists()
