"""Manifests of evidence bundles and backups: the SHA-256 and size of every file, checked offline.

Nothing here needs Django or a database: ``dhakira bundle verify`` runs on the bundle alone, and a
partner without Dhakira can check a bundle with ``sha256sum`` and the manifest (see docs/export.md).
A bundle is a folder or a ``.zip`` of one; ``manifest.json`` sits at its root and lists every other file.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

MANIFEST = "manifest.json"
CHUNK = 1 << 20


def digest_stream(handle: IO[bytes]) -> tuple[str, int]:
    """SHA-256 (hex) and size of everything read from ``handle``, read in 1 MiB chunks."""
    sha = hashlib.sha256()
    size = 0
    while chunk := handle.read(CHUNK):
        sha.update(chunk)
        size += len(chunk)
    return sha.hexdigest(), size


def digest_file(path: Path) -> tuple[str, int]:
    with path.open("rb") as handle:
        return digest_stream(handle)


def safe_member(name: str) -> bool:
    """A relative path that stays inside the bundle (no ``..``, no absolute path, no drive)."""
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name and ":" not in path.parts[0]


def walk_files(root: Path) -> Iterator[str]:
    """Relative POSIX paths of every file under ``root``, sorted, the manifest excepted."""
    for path in sorted(root.rglob("*")):
        if path.is_file():
            relative = path.relative_to(root).as_posix()
            if relative != MANIFEST:
                yield relative


def build_manifest(root: Path, **about: Any) -> dict[str, Any]:
    """The manifest of the folder ``root``: ``about`` (kind, version, chain head…) and every file's hash and size."""
    files = []
    for relative in walk_files(root):
        sha256, size = digest_file(root / relative)
        files.append({"path": relative, "sha256": sha256, "size": size})
    return {**about, "files": files}


def write_manifest(root: Path, **about: Any) -> str:
    """Write ``manifest.json`` in ``root``; returns the manifest's own SHA-256 (to send apart from the bundle)."""
    manifest = build_manifest(root, **about)
    data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    (root / MANIFEST).write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def zip_folder(root: Path, target: Path) -> None:
    """Zip the folder ``root`` (manifest included) into ``target``, written aside then moved into place."""
    partial = target.with_name(target.name + ".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for relative in [MANIFEST, *walk_files(root)]:
            archive.write(root / relative, relative)
    partial.replace(target)


@dataclass
class Verification:
    """What ``verify`` found: files whose bytes changed, files missing, files not in the manifest."""

    manifest_sha256: str = ""
    about: dict[str, Any] = field(default_factory=dict)
    checked: int = 0
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.changed or self.missing or self.added or self.errors)

    def as_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "manifest_sha256": self.manifest_sha256, "checked": self.checked, "changed": self.changed,
                "missing": self.missing, "added": self.added, "errors": self.errors}


def _compare(result: Verification, listed: dict[str, dict[str, Any]], present: set[str], digest: Any) -> Verification:
    for name, entry in sorted(listed.items()):
        if name not in present:
            result.missing.append(name)
            continue
        sha256, size = digest(name)
        result.checked += 1
        if sha256 != entry.get("sha256") or size != entry.get("size"):
            result.changed.append(name)
    result.added = sorted(present - set(listed))
    return result


def _listed(result: Verification, data: bytes) -> dict[str, dict[str, Any]] | None:
    result.manifest_sha256 = hashlib.sha256(data).hexdigest()
    try:
        manifest = json.loads(data.decode("utf-8"))
        files = manifest["files"]
        listed = {str(entry["path"]): entry for entry in files}
    except (ValueError, KeyError, TypeError) as error:
        result.errors.append(f"{MANIFEST} cannot be read: {error}")
        return None
    result.about = {key: value for key, value in manifest.items() if key != "files"}
    unsafe = [name for name in listed if not safe_member(name)]
    if unsafe:
        result.errors.append(f"{MANIFEST} names paths outside the bundle: {', '.join(sorted(unsafe)[:5])}")
        return None
    return listed


def verify(path: Path) -> Verification:
    """Check a bundle or backup (folder or ``.zip``) against its manifest, offline."""
    result = Verification()
    if path.is_dir():
        manifest = path / MANIFEST
        if not manifest.is_file():
            result.errors.append(f"no {MANIFEST} in {path}")
            return result
        listed = _listed(result, manifest.read_bytes())
        if listed is None:
            return result
        return _compare(result, listed, set(walk_files(path)), lambda name: digest_file(path / name))
    if not zipfile.is_zipfile(path):
        result.errors.append(f"{path} is neither a folder nor a ZIP file")
        return result
    with zipfile.ZipFile(path) as archive:
        names = [info.filename for info in archive.infolist() if not info.is_dir()]
        if MANIFEST not in names:
            result.errors.append(f"no {MANIFEST} in {path}")
            return result
        listed = _listed(result, archive.read(MANIFEST))
        if listed is None:
            return result
        present = {name for name in names if name != MANIFEST}

        def digest(name: str) -> tuple[str, int]:
            with archive.open(name) as handle:
                return digest_stream(handle)

        return _compare(result, listed, present, digest)
