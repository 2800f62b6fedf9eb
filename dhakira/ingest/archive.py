"""ZIP archives: each member read as one original; hostile archives refused whole.

Refused with :class:`IngestError` before any member is read: member paths with ``..`` or absolute
paths, symbolic links, more members than ``Limits.max_members``, a total uncompressed size over
``Limits.max_archive_bytes``, or a member compressed more than ``Limits.max_ratio`` times (zip bomb).
Reading a member also stops at ``Limits.max_bytes`` whatever its header claims.
"""

from __future__ import annotations

import io
import stat
import zipfile
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path, PurePosixPath

from dhakira.documents import Document
from dhakira.ingest.detect import ZIP, detect_format
from dhakira.ingest.errors import IngestError
from dhakira.ingest.limits import Limits
from dhakira.ingest.reader import read_bytes

_CHUNK = 1024 * 1024
# Below this size a high compression ratio is harmless (e.g. a file of repeated blank lines).
_RATIO_FLOOR = 1024 * 1024


def open_zip(source: str | Path | bytes) -> zipfile.ZipFile:
    """Open a ZIP from a path or bytes; :class:`IngestError` if it is not a readable ZIP."""
    try:
        if isinstance(source, (bytes, bytearray)):
            return zipfile.ZipFile(io.BytesIO(source))
        return zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise IngestError(f"broken ZIP archive: {error}") from error


def is_unsafe_name(name: str) -> bool:
    """True for a member path that could escape a folder: absolute, drive letter, or with ``..``."""
    normalised = name.replace("\\", "/")
    if normalised.startswith("/") or (len(normalised) > 1 and normalised[1] == ":"):
        return True
    return ".." in PurePosixPath(normalised).parts


def check_zip(archive: zipfile.ZipFile, limits: Limits) -> list[zipfile.ZipInfo]:
    """Validate the whole archive; returns its file members (no folders) in archive order."""
    infos = archive.infolist()
    if len(infos) > limits.max_members:
        raise IngestError(f"the archive has {len(infos)} members, more than the limit of {limits.max_members}")
    total = 0
    members = []
    for info in infos:
        if is_unsafe_name(info.filename):
            raise IngestError(f"refused archive: member path {info.filename!r} points outside the archive")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise IngestError(f"refused archive: member {info.filename!r} is a symbolic link")
        if info.is_dir():
            continue
        total += info.file_size
        if total > limits.max_archive_bytes:
            raise IngestError(
                f"refused archive: it unpacks to more than {limits.max_archive_bytes} bytes (zip bomb?)"
            )
        if info.file_size > _RATIO_FLOOR and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise IngestError(
                f"refused archive: member {info.filename!r} is compressed {info.file_size // max(info.compress_size, 1)}"
                f" times (zip bomb?)"
            )
        members.append(info)
    return members


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> bytes:
    """The bytes of one member, never more than ``limits.max_bytes`` (whatever the header says)."""
    if info.file_size > limits.max_bytes:
        raise IngestError(f"{info.filename} is larger than the limit of {limits.max_bytes} bytes")
    if info.flag_bits & 0x1:
        raise IngestError(f"{info.filename} is encrypted in the archive; unpack it with its password first")
    out = io.BytesIO()
    try:
        with archive.open(info) as member:
            while chunk := member.read(_CHUNK):
                out.write(chunk)
                if out.tell() > limits.max_bytes or out.tell() > info.file_size:
                    raise IngestError(f"{info.filename} unpacks to more than its header says (zip bomb?)")
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError) as error:
        raise IngestError(f"cannot unpack {info.filename}: {error}") from error
    return out.getvalue()


def _skipped(name: str) -> bool:
    parts = PurePosixPath(name.replace("\\", "/")).parts
    return any(part.startswith(".") or part == "__MACOSX" for part in parts)


def member_names(source: str | Path | bytes, limits: Limits | None = None) -> list[str]:
    """Names of the members that :func:`read_archive` reads (hidden files and folders skipped)."""
    limits = limits or Limits()
    with open_zip(source) as archive:
        return [info.filename for info in check_zip(archive, limits) if not _skipped(info.filename)]


@lru_cache(maxsize=4)
def _validated(path: str, mtime_ns: int, size: int, limits: Limits) -> tuple[zipfile.ZipFile, dict[str, zipfile.ZipInfo]]:
    """An open, validated archive on disk, kept per process while the file is unchanged.

    Batch reading asks for the members of one archive one by one; this avoids re-reading and
    re-checking its directory for every member.
    """
    archive = open_zip(path)
    try:
        members = {info.filename: info for info in check_zip(archive, limits)}
    except IngestError:
        archive.close()
        raise
    return archive, members


def _read_named(
    archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], member: str, limits: Limits
) -> bytes:
    if member not in members:
        raise IngestError(f"the archive has no member {member!r}")
    return read_member(archive, members[member], limits)


def _member_document(data: bytes, member: str, limits: Limits) -> Document:
    """The Document of one member's bytes; an archive inside the archive is refused."""
    if data and detect_format(data, member) == ZIP:
        raise IngestError(f"{member} is an archive inside the archive; unpack it first")
    return read_bytes(data, name=PurePosixPath(member).name, limits=limits)


def read_archive_member(source: str | Path | bytes, member: str, *, limits: Limits | None = None) -> Document:
    """Read one member of an archive (the archive is validated first)."""
    limits = limits or Limits()
    if isinstance(source, (bytes, bytearray)):
        with open_zip(source) as archive:
            members = {info.filename: info for info in check_zip(archive, limits)}
            data = _read_named(archive, members, member, limits)
    else:
        try:
            status = Path(source).stat()
        except OSError as error:
            raise IngestError(f"cannot read {source}: {error.strerror or error}") from error
        archive, members = _validated(str(source), status.st_mtime_ns, status.st_size, limits)
        data = _read_named(archive, members, member, limits)
    return _member_document(data, member, limits)


def read_archive(
    source: str | Path | bytes, *, limits: Limits | None = None
) -> Iterator[tuple[str, Document | IngestError]]:
    """Read every member of a ZIP archive: ``(member name, Document or IngestError)`` in archive order.

    The archive is validated when this function is called: a hostile archive raises
    :class:`IngestError` at once and nothing is read from it. One unreadable member gives an
    IngestError in its place and reading goes on.
    """
    limits = limits or Limits()
    if isinstance(source, (str, Path)):
        try:
            size = Path(source).stat().st_size
        except OSError as error:
            raise IngestError(f"cannot read {source}: {error.strerror or error}") from error
        if size > limits.max_archive_bytes:
            raise IngestError(f"the archive is larger than the limit of {limits.max_archive_bytes} bytes")
    archive = open_zip(source)
    try:
        members = [info for info in check_zip(archive, limits) if not _skipped(info.filename)]
    except IngestError:
        archive.close()
        raise

    def generate() -> Iterator[tuple[str, Document | IngestError]]:
        with archive:
            for info in members:
                try:
                    yield info.filename, _member_document(read_member(archive, info, limits), info.filename, limits)
                except IngestError as error:
                    yield info.filename, error

    return generate()
