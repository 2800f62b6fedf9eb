"""A document's text parts for linking (``records.TextParts``: stems, numbers, years) packed into a few hundred
bytes, so that an archive keeps them with the record and reads them back instead of cutting its text again
each time the record is a candidate for a new one.

Layout: one format byte, the first 8 bytes of the text's BLAKE2b digest (so that parts packed for another
text are never used: the text was cleaned again, or edited), then the zlib-compressed UTF-8 of three lines:
the sorted stems, the sorted numbers and the sorted years, each separated by spaces (stems and numbers are
runs of word characters, never holding a space or a line break).
"""

from __future__ import annotations

import hashlib
import sys
import zlib

from dhakira.link.records import TextParts

FORMAT = 1
_DIGEST = 8


def text_digest(text: str) -> bytes:
    """What ties packed parts to the text they were made from."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=_DIGEST).digest()


def pack_parts(parts: TextParts, text: str) -> bytes:
    """``parts`` of ``text`` as bytes to keep (``unpack_parts`` reads them back)."""
    lines = (" ".join(sorted(parts.stems)), " ".join(sorted(parts.numbers)), " ".join(str(year) for year in sorted(parts.years)))
    if any(" " in word or "\n" in word for word in (*parts.stems, *parts.numbers)):
        raise ValueError("a stem or number holds a space or a line break")
    return bytes([FORMAT]) + text_digest(text) + zlib.compress("\n".join(lines).encode("utf-8", "surrogatepass"), 9)


def unpack_parts(packed: bytes | memoryview | None, text: str) -> TextParts | None:
    """The parts kept in ``packed`` when they were packed for this very ``text`` (and in this format); else None,
    and the caller makes them from the text."""
    if not packed:
        return None
    data = bytes(packed)
    if data[0] != FORMAT or data[1:1 + _DIGEST] != text_digest(text):
        return None
    stems, numbers, years = zlib.decompress(data[1 + _DIGEST:]).decode("utf-8", "surrogatepass").split("\n")
    # Interned: the stems of the many profiles a process's index holds are one string each, as when cut from texts.
    return TextParts(frozenset(map(sys.intern, stems.split())), frozenset(map(sys.intern, numbers.split())),
                     frozenset(int(year) for year in years.split()))
