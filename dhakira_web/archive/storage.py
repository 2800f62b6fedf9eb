"""How values are laid out in the database, to keep an archive small on disk (see docs/scale.md, "Disk").

* JSON is written as it reads (:class:`CompactJSONEncoder`): characters as themselves and no spaces after
  separators. Python's default escapes every non-ASCII character, so an Arabic letter took six bytes
  (``\\u0627``) where UTF-8 takes two. On PostgreSQL ``jsonb`` stores values parsed, so only SQLite gains.
* A MinHash fingerprint is 128 integers below 2^61: as JSON text about 2,600 bytes, here 1,024 bytes
  (:class:`MinHashField`, 8 bytes each, big-endian); no fingerprint is NULL rather than ``[]``.
"""

from __future__ import annotations

import json
import struct
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


class MinHashField(models.BinaryField):
    """A list of unsigned 64-bit integers kept as 8 bytes each (big-endian); an empty list is NULL."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def get_prep_value(self, value: Any) -> Any:
        if value is None or isinstance(value, (bytes, bytearray, memoryview)):
            return value or None
        values = list(value)
        return struct.pack(f">{len(values)}Q", *values) if values else None

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if not prepared:
            value = self.get_prep_value(value)
        return None if value is None else connection.Database.Binary(bytes(value))

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
