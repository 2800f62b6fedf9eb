"""Content-addressed store of original files: ``blobs/ab/cd/<sha256>``, written once, never rewritten."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from django.conf import settings


def blob_path(sha256: str) -> Path:
    return Path(settings.BLOB_DIR) / sha256[:2] / sha256[2:4] / sha256


def store(data: bytes) -> str:
    """Keep ``data``; returns its SHA-256. An existing blob is verified, never overwritten."""
    sha256 = hashlib.sha256(data).hexdigest()
    path = blob_path(sha256)
    if path.exists():
        return sha256
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o444)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return sha256


def read(sha256: str) -> bytes:
    """The original bytes, checked against their hash."""
    data = blob_path(sha256).read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ValueError(f"the stored original {sha256} does not match its hash: the blob store is damaged")
    return data


def quarantine(data: bytes, name: str) -> Path:
    """Keep a refused file aside, under its hash, for a person to look at."""
    sha256 = hashlib.sha256(data).hexdigest()
    folder = Path(settings.QUARANTINE_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / sha256
    if not path.exists():
        path.write_bytes(data)
    (folder / f"{sha256}.name").write_text(name, encoding="utf-8")
    return path
