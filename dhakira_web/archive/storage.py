"""How values are laid out in the database, to keep an archive small on disk (see docs/scale.md, "Disk").

* JSON is written as it reads (:class:`CompactJSONEncoder`): characters as themselves and no spaces after
  separators. Python's default escapes every non-ASCII character, so an Arabic letter took six bytes
  (``\\u0627``) where UTF-8 takes two. On PostgreSQL ``jsonb`` stores values parsed, so only SQLite gains.
* A MinHash fingerprint is 128 integers below 2^61: as JSON text about 2,600 bytes, here 1,024 bytes
  (:class:`MinHashField`, 8 bytes each, big-endian); no fingerprint is NULL rather than ``[]``.
* JSON no query looks into (a record's ``extraction``) is kept compressed (:class:`CompressedJSONField`): zlib
  with a preset dictionary of the extraction's keys, about a quarter of the compact JSON (a record of the
  synthetic corpus: 2.5 KB → 0.6 KB). The model gives and takes the value as before.
"""

from __future__ import annotations

import json
import struct
import zlib
from typing import Any

from django.db import models


class CompactJSONEncoder(json.JSONEncoder):
    """JSON without ASCII escapes or spaces; a value holding text UTF-8 cannot carry (a lone surrogate, as in
    a file name read with ``surrogateescape``) is written escaped, as before, so nothing is refused."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ensure_ascii"] = False
        kwargs["separators"] = (",", ":")
        super().__init__(*args, **kwargs)

    def encode(self, o: Any) -> str:
        text = super().encode(o)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return json.dumps(o, separators=(",", ":"))
        return text


class PackedField(models.BinaryField):
    """A value kept as bytes of the field's own layout (:meth:`pack`); an empty value is NULL."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def pack(self, value: Any) -> bytes | None:
        """The bytes kept for ``value`` (None: NULL)."""
        raise NotImplementedError

    def get_prep_value(self, value: Any) -> Any:
        if value is None or isinstance(value, (bytes, bytearray, memoryview)):
            return value or None
        return self.pack(value)

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if not prepared:
            value = self.get_prep_value(value)
        return None if value is None else connection.Database.Binary(bytes(value))


class MinHashField(PackedField):
    """A list of unsigned 64-bit integers kept as 8 bytes each (big-endian); an empty list is NULL."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def pack(self, value: Any) -> bytes | None:
        values = list(value)
        return struct.pack(f">{len(values)}Q", *values) if values else None

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> list[int]:
        return unpack(value)

    def to_python(self, value: Any) -> list[int]:
        if isinstance(value, list):
            return value
        if isinstance(value, str):  # as ``value_to_string`` wrote it
            return [int(item) for item in json.loads(value)]
        return unpack(value)

    def value_to_string(self, obj: Any) -> str:
        return json.dumps(self.value_from_object(obj))


def unpack(value: bytes | memoryview | None) -> list[int]:
    """The integers kept by :class:`MinHashField` (``[]`` for NULL)."""
    if not value:
        return []
    data = bytes(value)
    return list(struct.unpack(f">{len(data) // 8}Q", data))


# The words an extraction (``dhakira.extraction/1``) repeats in every record, as zlib's preset dictionary: the
# compressor finds them here and so small values compress well. Values written with it begin with the byte
# ``PACKED_WITH_KEYS``; the dictionary never changes (another would take another first byte).
EXTRACTION_KEYS = (
    b'{"schema":"dhakira.extraction/1","source":{"path":".txt","sha256":"","media_type":"text/plain"},'
    b'"document":{"language":"ar","title":"","issuer":null,"doc_type":"news_article","doc_type_rule":"default",'
    b'"published":"20","published_precision":"day","published_rule":"dateline"},'
    b'"persons":[{"text":"","spans":[[,]],"rule":"byline","role":"author"}],'
    b'"places":[{"text":"","canonical_en":"","canonical_ar":"","id":"fac:","kind":"facility","pcode":"SY","lat":3,"lon":3,'
    b'"spans":[[,]],"rule":"gazetteer:"}],'
    b'"organisations":[{"text":"","canonical_en":"","canonical_ar":"","id":"org:named:","category":"ngo","spans":[[,]],'
    b'"rule":"lexicon:"},{"rule":"head_noun:"}],'
    b'"error":null,'
    b'"incidents":[{"event_types":["detention"],"place_en":"","place_text":"","place_id":"fac:","date":null,'
    b'"date_precision":null,"perpetrator_en":null,"perpetrator_id":null,'
    b'"counts":[{"what":"prisoners","value":,"qualifier":"exact","span":[,]}],"vague_counts":[],"evidence":[[,]],'
    b'"status":"asserted","triggers":["trigger:"],"rule":["place:same_sentence"]}],'
    b'"event_claims":[{"event_types":["appeal_call"],"status":"advocacy","text":"","span":[,],"rule":"trigger:"}]}'
)
PACKED_WITH_KEYS = 1


def pack_json(value: Any) -> bytes:
    """``value`` as compact JSON (:class:`CompactJSONEncoder`), compressed with the extraction's keys."""
    compressor = zlib.compressobj(9, zdict=EXTRACTION_KEYS)
    data = CompactJSONEncoder().encode(value).encode("utf-8")
    return bytes([PACKED_WITH_KEYS]) + compressor.compress(data) + compressor.flush()


def unpack_json(value: bytes | memoryview) -> Any:
    """The value :func:`pack_json` packed."""
    data = bytes(value)
    if data[:1] != bytes([PACKED_WITH_KEYS]):
        raise ValueError(f"not a packed JSON value (first byte {data[:1]!r})")
    decompressor = zlib.decompressobj(zdict=EXTRACTION_KEYS)
    return json.loads(decompressor.decompress(data[1:]) + decompressor.flush())


class CompressedJSONField(PackedField):
    """A JSON value no query looks into, kept compressed (:func:`pack_json`); read and written as JSON is.

    The default value (an empty dictionary) is kept as NULL and read back as a new default, as
    :class:`MinHashField` keeps no fingerprint: nothing to compress, and a column added with a NULL default
    leaves SQLite's table as it is (a default of another value makes Django copy the whole table, losing the
    planner's statistics of it). Exports and imports see the value itself, as with ``JSONField``; only a
    query into the JSON (``field__key``) is not possible."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("default", dict)
        super().__init__(*args, **kwargs)

    def pack(self, value: Any) -> bytes | None:
        return None if value == self.get_default() else pack_json(value)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return self.get_default() if value is None else unpack_json(value)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, (bytes, bytearray, memoryview)):
            return unpack_json(value) if value else self.get_default()
        if isinstance(value, str):  # as a serialiser wrote it
            return json.loads(value)
        return value

    def value_to_string(self, obj: Any) -> Any:
        return self.value_from_object(obj)  # the value itself, as ``JSONField`` gives it to serialisers
