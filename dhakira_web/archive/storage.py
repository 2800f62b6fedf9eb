"""How values are laid out in the database, to keep an archive small on disk (see docs/scale.md, "Disk").

* JSON is written as it reads (:class:`CompactJSONEncoder`): characters as themselves and no spaces after
  separators. Python's default escapes every non-ASCII character, so an Arabic letter took six bytes
  (``\\u0627``) where UTF-8 takes two. On PostgreSQL ``jsonb`` stores values parsed, so only SQLite gains.
* A MinHash fingerprint was 128 integers below 2^61: as JSON text about 2,600 bytes, 1,024 bytes as 8 bytes each
  (:class:`MinHashField`, big-endian), 976 bytes as 61 bits each (:class:`MinHash61Field`, in a table of its own
  since migration 0029, four to a 4 KB page). Since migration 0031 it keeps 16 bits a value (b-bit MinHash,
  ``similarity.VALUE_BITS``): 256 bytes (:class:`MinHash16Field`); no fingerprint is NULL rather than ``[]``.
* JSON no query looks into (a record's ``extraction``, an incident report's link ``features``) is kept compressed
  (:class:`CompressedJSONField`): zlib with a preset dictionary of the value's keys, about a quarter of the
  compact JSON (a record of the synthetic corpus: 2.5 KB → 0.6 KB; a report's features: 0.8 KB → 0.13 KB). The
  model gives and takes the value as before.
* Long texts no SQL query reads are kept compressed (:func:`pack_text`: a zstd frame of the UTF-8 after a byte
  naming the form, about a fifth of the text on the synthetic corpus): a record's clean text on both databases
  (:class:`CompressedTextField`), and the search entries' long shadow texts (``body_stem``, ``body_norm``) on
  SQLite (:class:`SqliteCompressedTextField`), where the full-text index reads them through the SQL function
  :data:`UNPACK_TEXT`, registered on every connection of the archive (:func:`register_sqlite_functions`). On
  PostgreSQL those stay text: its trigger makes the search vector from the text in SQL, and TOAST already
  compresses long values.
* The audit log's SHA-256 digests are kept as their 32 bytes (:class:`Sha256Field`, since migration 0030) where
  their hexadecimal took 64 characters; Python reads and writes the same lowercase hex as before, so the chain
  hashes, verifies and is exported exactly as it was.
"""

from __future__ import annotations

import json
import re
import struct
import zlib
from typing import Any

import zstandard
from django.core.exceptions import ValidationError
from django.db import models

from dhakira_web.archive.rows import rows_by_id


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
        return self.unpacked(value)

    def to_python(self, value: Any) -> list[int]:
        if isinstance(value, list):
            return value
        if isinstance(value, str):  # as ``value_to_string`` wrote it
            return [int(item) for item in json.loads(value)]
        return self.unpacked(value)

    @staticmethod
    def unpacked(value: bytes | memoryview | None) -> list[int]:
        return unpack(value)

    def value_to_string(self, obj: Any) -> str:
        return json.dumps(self.value_from_object(obj))


SHA256_BYTES = 32
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


def sha256_bytes(value: Any, blank: bool = False) -> bytes:
    """The 32 bytes a SHA-256 digest given as 64 lowercase hexadecimal characters (or as the 32 bytes themselves)
    stands for; with ``blank``, an empty value is no bytes. ``ValueError`` for anything else: an uppercase digit
    too, since the digest would read back in lowercase, unlike the value written, and the audit chain hashes the
    text of the digests it links."""
    if blank and value in ("", b""):
        return b""
    if isinstance(value, str) and _SHA256_HEX.fullmatch(value):
        return bytes.fromhex(value)
    if isinstance(value, (bytes, bytearray, memoryview)) and len(value) == SHA256_BYTES:
        return bytes(value)
    shown = repr(value) if len(repr(value)) <= 80 else repr(value)[:77] + "..."
    raise ValueError(f"a SHA-256 digest is 64 lowercase hexadecimal characters{' or empty' if blank else ''}, not {shown}")


def sha256_hex(value: bytes | bytearray | memoryview) -> str:
    """The lowercase hexadecimal of a digest :class:`Sha256Field` kept (no bytes: an empty text)."""
    return bytes(value).hex()


class Sha256Field(models.BinaryField):
    """A SHA-256 digest kept as its 32 bytes (``BLOB`` on SQLite, ``bytea`` on PostgreSQL), given and taken as its
    64 lowercase hexadecimal characters: half the room of the text, and the same strings in Python.

    Anything but such a digest is refused when written or looked up (:func:`sha256_bytes`); with ``blank``, the
    empty text is allowed and kept as no bytes (the column stays NOT NULL, as the text's was). Only equality,
    ``in`` and ``isnull`` may be asked in a query: a digest's bytes hold no part of its text to search for."""

    empty_values = [None, "", b""]

    def _check_str_default_value(self) -> list[Any]:
        return []  # the field's values are texts: a default of "" (or a digest's hex) is one

    def get_lookup(self, lookup_name: str) -> Any:
        return super().get_lookup(lookup_name) if lookup_name in ("exact", "in", "isnull") else None

    def get_prep_value(self, value: Any) -> Any:
        return None if value is None else sha256_bytes(value, self.blank)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        return None if value is None else sha256_hex(value)

    def to_python(self, value: Any) -> str | None:
        if value is None:
            return None
        try:
            return sha256_hex(sha256_bytes(value, self.blank))
        except ValueError as error:  # a form or ``full_clean``: said as validation says it
            raise ValidationError(str(error), code="invalid") from error

    def value_to_string(self, obj: Any) -> str:
        return str(self.value_from_object(obj) or "")  # the hex, not BinaryField's base64


def unpack(value: bytes | memoryview | None) -> list[int]:
    """The integers kept by :class:`MinHashField` (``[]`` for NULL)."""
    if not value:
        return []
    data = bytes(value)
    return list(struct.unpack(f">{len(data) // 8}Q", data))


MINHASH_BITS = 61  # ``similarity``'s values are taken modulo the prime 2^61 - 1: each fits 61 bits
_MINHASH_MASK = (1 << MINHASH_BITS) - 1


_MINHASH_GROUP = 8  # values packed together: 8 values of 61 bits are 61 bytes, a whole number


def pack_minhash61(value: Any) -> bytes | None:
    """A MinHash fingerprint as :class:`MinHash61Field` keeps it: its integers' 61 bits each, one after another
    (big-endian, zero bits before the first to fill a byte) — 128 values in 976 bytes where 8 bytes each took
    1,024 (None for an empty list). ``ValueError`` for anything but integers in [0, 2^61), before anything is kept.
    Packed eight values (61 bytes) at a time, so that the time grows with the length, not with its square."""
    values = list(value)
    for item in values:
        if type(item) is not int or not 0 <= item <= _MINHASH_MASK:
            raise ValueError(f"a fingerprint holds integers in [0, 2^61), not {item!r}")
    if not values:
        return None
    head = len(values) % _MINHASH_GROUP  # the first, shorter group carries the filling bits
    groups = [values[:head]] if head else []
    groups += [values[start:start + _MINHASH_GROUP] for start in range(head, len(values), _MINHASH_GROUP)]
    parts = []
    for position, group in enumerate(groups):
        number = 0
        for item in group:
            number = number << MINHASH_BITS | item
        size = -(-len(group) * MINHASH_BITS // 8) if position == 0 and head else MINHASH_BITS
        parts.append(number.to_bytes(size, "big"))
    return b"".join(parts)


def unpack_minhash61(value: bytes | memoryview | None) -> list[int]:
    """The integers kept by :func:`pack_minhash61` (``[]`` for NULL): as many as 61-bit values the bytes hold (the
    filling bits are fewer than 8, so the count is the bytes' bits divided by 61, rounded down)."""
    if not value:
        return []
    data = bytes(value)
    count = len(data) * 8 // MINHASH_BITS
    head = count % _MINHASH_GROUP
    first = len(data) - (count - head) // _MINHASH_GROUP * MINHASH_BITS  # the bytes of the shorter first group
    values: list[int] = []
    for start, size, many in ([(0, first, head)] if head else []) + [
            (offset, MINHASH_BITS, _MINHASH_GROUP) for offset in range(first, len(data), MINHASH_BITS)]:
        number = int.from_bytes(data[start:start + size], "big")
        values += [number >> (MINHASH_BITS * (many - 1 - position)) & _MINHASH_MASK for position in range(many)]
    return values


class MinHash61Field(MinHashField):
    """A MinHash fingerprint in 61 bits a value (:func:`pack_minhash61`): 976 bytes a fingerprint, so that four
    rows of ``RecordFingerprint`` fit a 4 KB SQLite page where three of 1,024 bytes did."""

    def pack(self, value: Any) -> bytes | None:
        return pack_minhash61(value)

    @staticmethod
    def unpacked(value: bytes | memoryview | None) -> list[int]:
        return unpack_minhash61(value)


MINHASH16_BITS = 16  # ``similarity.VALUE_BITS``: a fingerprint's values since migration 0031


def pack_minhash16(value: Any) -> bytes | None:
    """A fingerprint as :class:`MinHash16Field` keeps it: each value as two bytes, big-endian (256 bytes for 128
    values; None for an empty list). ``ValueError`` for anything but integers in [0, 2^16), before anything is kept
    (a 61-bit value of an older fingerprint is narrowed by ``similarity.narrowed`` first, never cut here)."""
    values = list(value)
    for item in values:
        if type(item) is not int or not 0 <= item < 1 << MINHASH16_BITS:
            raise ValueError(f"a fingerprint holds integers in [0, 2^16), not {item!r}")
    return struct.pack(f">{len(values)}H", *values) if values else None


def unpack_minhash16(value: bytes | memoryview | None) -> list[int]:
    """The integers kept by :func:`pack_minhash16` (``[]`` for NULL)."""
    if not value:
        return []
    data = bytes(value)
    return list(struct.unpack(f">{len(data) // 2}H", data))


class MinHash16Field(MinHashField):
    """A b-bit MinHash fingerprint, 16 bits a value (:func:`pack_minhash16`): 256 bytes a fingerprint, where 61 bits
    a value (:class:`MinHash61Field`, which migration 0029 still names) took 976."""

    def pack(self, value: Any) -> bytes | None:
        return pack_minhash16(value)

    @staticmethod
    def unpacked(value: bytes | memoryview | None) -> list[int]:
        return unpack_minhash16(value)


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

# The words an incident report's link features (``dhakira.link.features`` and ``scoring``, with the compared
# record's id) repeat: the rarer values first, then a whole value in the order linking writes its keys (zlib finds
# the nearest words in fewer bits). Values written with it begin with the byte ``PACKED_WITH_FEATURE_KEYS``.
LINK_FEATURE_KEYS = (
    b'conflict_country conflict_governorate conflict_facility conflict_city facility_in_city other_spot same_city '
    b'same_governorate "type_relation":"family","perpetrator":"different","date_source":"published",'
    b'"date_precision":"month","year","cap":"no date on either side and no support from text or figures","veto":"'
    b'{"place":"contains","place_a":"","place_b":"","country_level":1.0,"national_types":0.0,"date_gap_days":0.0,'
    b'"date_tolerance_days":366.0,"lasting":1.0,"date_precision":"day","date_source":"incident","published_gap_days":.0,'
    b'"same_day":0.0,"type_jaccard":0.,"type_specificity":0.6,"type_relation":"shared","counts_agree":0.0,'
    b'"counts_disagree":0.0,"rare_values_shared":0.0,"perpetrator":"unknown","text_jaccard":0.,"numbers_jaccard":0.0,'
    b'"years_shared":1.0,"entities_shared":0,"lead_cosine":0.,"same_issuer":0.0,"points_place":0.0,"points_date":1.,'
    b'"points_types":0.,"points_counts":0.0,"points_perpetrator":0.0,"points_text":2.5,"points_numbers":0.0,'
    b'"points_lead":0.,"points_entities":0.0,"compared_record":'
)
PACKED_WITH_FEATURE_KEYS = 2

# Each preset dictionary by the first byte of the values packed with it; a dictionary, once used, never changes.
DICTIONARIES = {PACKED_WITH_KEYS: EXTRACTION_KEYS, PACKED_WITH_FEATURE_KEYS: LINK_FEATURE_KEYS}


def pack_json(value: Any, dictionary: int = PACKED_WITH_KEYS) -> bytes:
    """``value`` as compact JSON (:class:`CompactJSONEncoder`), compressed with a preset dictionary (by its first
    byte: the extraction's keys unless told)."""
    compressor = zlib.compressobj(9, zdict=DICTIONARIES[dictionary])
    data = CompactJSONEncoder().encode(value).encode("utf-8")
    return bytes([dictionary]) + compressor.compress(data) + compressor.flush()


def unpack_json(value: bytes | bytearray | memoryview) -> Any:
    """The value :func:`pack_json` packed (its first byte names the dictionary it was packed with)."""
    data = bytes(value)
    if not data or data[0] not in DICTIONARIES:
        raise ValueError(f"not a packed JSON value (first byte {data[:1]!r})")
    decompressor = zlib.decompressobj(zdict=DICTIONARIES[data[0]])
    return json.loads(decompressor.decompress(data[1:]) + decompressor.flush())


class CompressedJSONField(PackedField):
    """A JSON value no query looks into, kept compressed (:func:`pack_json`); read and written as JSON is.

    The default value (an empty dictionary) is kept as NULL and read back as a new default, as
    :class:`MinHashField` keeps no fingerprint: nothing to compress, and a column added with a NULL default
    leaves SQLite's table as it is (a default of another value makes Django copy the whole table, losing the
    planner's statistics of it). Exports and imports see the value itself, as with ``JSONField``; only a
    query into the JSON (``field__key``) is not possible. ``dictionary``: the preset dictionary values are packed
    with (:data:`DICTIONARIES`); values packed with any of them are read."""

    def __init__(self, *args: Any, dictionary: int = PACKED_WITH_KEYS, **kwargs: Any) -> None:
        if dictionary not in DICTIONARIES:
            raise ValueError(f"no preset dictionary {dictionary}")
        self.dictionary = dictionary
        kwargs.setdefault("default", dict)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.dictionary != PACKED_WITH_KEYS:
            kwargs["dictionary"] = self.dictionary
        return name, path, args, kwargs

    def pack(self, value: Any) -> bytes | None:
        return None if value == self.get_default() else pack_json(value, self.dictionary)

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


# A packed text begins with one of these bytes (never one of :data:`DICTIONARIES`' keys, so a packed JSON value is
# never read as text): a zstd frame of the UTF-8, or the UTF-8 itself where packing would not make it smaller (a
# few words). zstd at level 6 keeps as much of the synthetic corpus as zlib's level 6 (about a fifth), packs in half
# its time and unpacks in half its time (about 5 µs a 4 KB text against 10; docs/scale.md, "Disk"). No dictionary:
# a trained one would fit one corpus.
TEXT_PACKED = 3
TEXT_PLAIN = 4
TEXT_LEVEL = 6
UNPACK_TEXT = "dhakira_unpack_text"  # the SQL function giving a packed text back (SQLite)
_text_compressor = zstandard.ZstdCompressor(level=TEXT_LEVEL, write_checksum=False, write_content_size=True)
_text_decompressor = zstandard.ZstdDecompressor()


def pack_text(text: str) -> bytes:
    """``text`` as the compressed text fields keep it: a first byte naming the form, then a zstd frame of its UTF-8
    (or the UTF-8 itself when that is no longer); an empty text, no bytes. A lone surrogate (a file name read with
    ``surrogateescape``) is kept as it is and read back the same."""
    data = text.encode("utf-8", "surrogatepass")
    if not data:
        return b""
    packed = _text_compressor.compress(data)
    if len(packed) < len(data):
        return bytes([TEXT_PACKED]) + packed
    return bytes([TEXT_PLAIN]) + data


def unpack_text(value: bytes | bytearray | memoryview | str | None) -> str:
    """The text :func:`pack_text` packed (NULL or no bytes: ``""``; a text not packed, as PostgreSQL gives a
    :class:`SqliteCompressedTextField`, as it is). Any other first byte is refused, never shown as text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    data = bytes(value)
    if not data:
        return ""
    try:
        if data[0] == TEXT_PACKED:
            return _text_decompressor.decompress(data[1:]).decode("utf-8", "surrogatepass")
        if data[0] == TEXT_PLAIN:
            return data[1:].decode("utf-8", "surrogatepass")
    except (zstandard.ZstdError, UnicodeDecodeError) as error:  # a damaged value: said so, never shown as text
        raise ValueError(f"a packed text that cannot be read ({len(data)} bytes, form {data[0]}): {error}") from error
    raise ValueError(f"not a packed text (first byte {data[:1]!r})")


class PackedTextLookups:
    """Only ``isnull`` may be asked of a packed text in a query: a comparison or a search in SQL (``contains``,
    ``Substr``) would meet compressed bytes, so any other lookup is refused rather than answered wrongly."""

    def get_lookup(self, lookup_name: str) -> Any:
        return super().get_lookup(lookup_name) if lookup_name == "isnull" else None  # type: ignore[misc]


class CompressedTextField(PackedTextLookups, PackedField):
    """A long text no query reads in SQL, kept compressed (:func:`pack_text`); read and written as text is.

    An empty text is NULL and reads back as ``""`` (a column added with a NULL default leaves SQLite's table as
    it is, as for :class:`CompressedJSONField`). Exports and imports see the text itself. Only ``isnull`` may be
    asked of it in a query: a comparison or a search in SQL (``contains``, ``Substr``) would meet compressed
    bytes, so a lookup other than ``isnull`` is refused rather than answered wrongly."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("default", str)  # callable: a text default is refused by BinaryField's checks
        super().__init__(*args, **kwargs)

    def get_default(self) -> str:
        return ""  # BinaryField's would be ``b""``

    def pack(self, value: Any) -> bytes | None:
        return pack_text(str(value)) if value else None

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str:
        return unpack_text(value)

    def to_python(self, value: Any) -> str:
        if isinstance(value, (bytes, bytearray, memoryview)):
            return unpack_text(value)
        return "" if value is None else str(value)  # as a serialiser wrote it: the text itself

    def value_to_string(self, obj: Any) -> str:
        return str(self.value_from_object(obj) or "")


def compressed_json_operations(model_name: str, table: str, name: str, dictionary: int = PACKED_WITH_KEYS) -> list[Any]:
    """A migration's operations keeping the JSON field ``name`` of ``model_name`` (its table ``table``) compressed
    (:class:`CompressedJSONField` with ``dictionary``), every value read back the same; backwards as it was
    (:func:`packed_column_operations`)."""
    field = CompressedJSONField(dictionary=dictionary)

    def packed_value(value: Any, connection: Any) -> Any:
        # SQLite gives the JSON's text; PostgreSQL's jsonb may come parsed or as text. JSON null is the empty value.
        parsed = json.loads(value) if isinstance(value, str) else value
        return field.get_db_prep_save(field.get_default() if parsed is None else parsed, connection)

    def unpacked_value(value: Any) -> Any:
        return CompactJSONEncoder().encode({} if value is None else unpack_json(value))

    added = CompressedJSONField(blank=True, default=dict, null=True, dictionary=dictionary)
    return packed_column_operations(model_name, table, name, added, packed_value, unpacked_value, "jsonb")


def compressed_text_operations(model_name: str, table: str, name: str) -> list[Any]:
    """A migration's operations keeping the text field ``name`` of ``model_name`` (its table ``table``) compressed
    (:class:`CompressedTextField`), every text read back the same; backwards as it was
    (:func:`packed_column_operations`)."""
    field = CompressedTextField()

    def packed_value(value: Any, connection: Any) -> Any:
        return field.get_db_prep_save(value or "", connection)

    # The text column has no default; made blank first (no change in the database), the column Django adds again
    # going backwards is filled with empty texts, then with the texts themselves.
    return packed_column_operations(model_name, table, name, CompressedTextField(blank=True, default=str, null=True),
                                    packed_value, unpack_text, "text", models.TextField(blank=True))


def packed_column_operations(model_name: str, table: str, name: str, added: PackedField, packed_value: Any,
                             unpacked_value: Any, old_type: str, altered: Any = None) -> list[Any]:
    """A migration's operations changing the column ``name`` of ``model_name`` (its table ``table``) into the packed
    field ``added``: ``packed_value(value, connection)`` packs a value as the old column gave it, and
    ``unpacked_value(value)`` makes the old column's value again going backwards (cast to ``old_type`` on PostgreSQL).
    ``altered``: the old field as it is first altered to, where that changes nothing in the database but gives
    the column Django adds again going backwards a value for the rows it holds (a blank text: empty).

    No table is copied on SQLite going forwards: a nullable column is added (its default, the empty value, is
    NULL), filled, the old one dropped and the new one renamed in place. Going backwards Django makes the table
    again on SQLite (the old column's default is not NULL); the planner's statistics of the table
    (``sqlite_stat1``) are then made again when the archive held statistics. The table's triggers raising the
    archive's generation are off while its rows are rewritten (on PostgreSQL their deferred events would forbid
    the ALTER TABLE after) and made again at the end; nothing a page shows changes, so the generation stays."""
    from django.db import migrations

    packed = f"{name}_packed"

    def pack(apps: Any, schema_editor: Any) -> None:
        connection = schema_editor.connection
        _convert_column(connection, table, name, packed, "%s", lambda value: packed_value(value, connection))

    def unpack(apps: Any, schema_editor: Any) -> None:
        connection = schema_editor.connection
        placeholder = f"CAST(%s AS {old_type})" if connection.vendor == "postgresql" else "%s"
        _convert_column(connection, table, packed, name, placeholder, unpacked_value)

    first = [migrations.AlterField(model_name=model_name, name=name, field=altered)] if altered is not None else []
    return first + [
        migrations.RunPython(generation_triggers(table, made=False), generation_triggers(table, made=True, analyse=True)),
        migrations.AddField(model_name=model_name, name=packed, field=added),
        migrations.RunPython(pack, unpack),
        migrations.RemoveField(model_name=model_name, name=name),
        migrations.RenameField(model_name=model_name, old_name=packed, new_name=name),
        migrations.RunPython(generation_triggers(table, made=True), generation_triggers(table, made=False)),
    ]


def generation_triggers(table: str, made: bool, analyse: bool = False) -> Any:
    """A migration step dropping the triggers of ``table`` that raise the archive's generation, and making them again
    when ``made`` (off while a migration rewrites its rows); with ``analyse``, the table analysed again if SQLite's
    planner lost its statistics of it meanwhile."""
    def run(apps: Any, schema_editor: Any) -> None:
        from dhakira_web.archive.counts.kept import table_statements

        create, drop = table_statements(schema_editor.connection.vendor, (table,))
        for statement in drop + (create if made else []):
            schema_editor.execute(statement)
        if analyse and _statistics_lost(schema_editor.connection, table):
            schema_editor.execute(f"ANALYZE {table}")
    return run


def planner_statistics(connection: Any, table: str) -> tuple[bool, bool]:
    """Whether SQLite's planner holds statistics (``sqlite_stat1``) of any table, and of ``table`` itself.
    PostgreSQL keeps its own for every table: (True, True)."""
    if connection.vendor != "sqlite":
        return True, True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return False, False
        cursor.execute("SELECT count(*), sum(tbl = %s) FROM sqlite_stat1", [table])
        rows, own = cursor.fetchone()
    return bool(rows), bool(own)


def _statistics_lost(connection: Any, table: str) -> bool:
    """Whether SQLite's planner holds statistics of other tables but none of ``table`` (made again by a migration)."""
    held, own = planner_statistics(connection, table)
    return held and not own


def _free_names(schema_editor: Any, table: str) -> None:
    """Drop the keys and indexes of a table about to be dropped: their names are the remade table's."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    quote = schema_editor.quote_name
    for name, details in constraints.items():
        if connection.vendor == "postgresql" and (details["primary_key"] or details["unique"] or details["foreign_key"]
                                                 or details["check"]):
            schema_editor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        elif details["index"] and not name.startswith("sqlite_autoindex") and not details["primary_key"]:
            schema_editor.execute(f"DROP INDEX {quote(name)}")


def remake_table(schema_editor: Any, model: Any, columns: tuple[str, ...], without_rowid: bool,
                 converted: dict[str, str] | None = None, every_row: bool = False) -> None:
    """Make ``model``'s table again, keyed by its columns without a row id on SQLite or as ``model`` says, and copy the
    rows' ``columns`` into it (a row repeating another's key is kept once), each column in ``converted`` as its SQL
    expression there gives it from the old table; analysed again if it was. Its triggers go with the old table.
    With ``every_row``, a table none of whose rows may be lost (the audit log), the old table is dropped only when
    the new one holds as many rows: else ``ValueError``, and the migration's transaction leaves both as they were.
    (Migrations 0020, 0023 and 0030.)"""
    connection, quote = schema_editor.connection, schema_editor.quote_name
    table = model._meta.db_table
    old = f"{table}__old"
    analysed = planner_statistics(connection, table)[1]
    schema_editor.execute(f"ALTER TABLE {quote(table)} RENAME TO {quote(old)}")
    _free_names(schema_editor, old)
    if connection.vendor == "sqlite" and without_rowid:
        sql, params = schema_editor.table_sql(model)
        schema_editor.execute(sql + " WITHOUT ROWID", params or None)
        for statement in schema_editor._model_indexes_sql(model):
            schema_editor.execute(statement)
    else:
        schema_editor.create_model(model)
    names = ", ".join(quote(column) for column in columns)
    selected = ", ".join((converted or {}).get(column, quote(column)) for column in columns)
    keys = ", ".join(quote(field.column) for field in model._meta.pk_fields) if without_rowid else "1"
    ignore, conflict = ("OR IGNORE", "") if connection.vendor == "sqlite" else ("", " ON CONFLICT DO NOTHING")
    schema_editor.execute(f"INSERT {ignore} INTO {quote(table)} ({names}) SELECT {selected} FROM {quote(old)} "
                          f"ORDER BY {keys}{conflict}")
    if every_row:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT (SELECT count(*) FROM {quote(old)}), (SELECT count(*) FROM {quote(table)})")
            before, after = cursor.fetchone()
        if before != after:
            raise ValueError(f"{table}: {before} rows, but {after} could be copied; nothing was changed")
    schema_editor.execute(f"DROP TABLE {quote(old)}")
    if analysed:  # statistics of the new table and its indexes, as the old one had: the planner picks by them
        schema_editor.execute(f"ANALYZE {quote(table)}")


def _convert_column(connection: Any, table: str, source: str, target: str, placeholder: str, convert: Any, chunk: int = 1000) -> None:
    for rows in rows_by_id(connection, table, source, chunk):
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {table} SET {target} = {placeholder} WHERE id = %s", [(convert(value), pk) for pk, value in rows])


class SqliteCompressedTextField(PackedTextLookups, models.TextField):
    """A long text no SQL query reads on SQLite, kept compressed there (:func:`pack_text`, a ``blob`` column) and as
    text on PostgreSQL (where a trigger reads it in SQL and TOAST compresses it); read and written as text.
    SQL reads it on SQLite through :data:`UNPACK_TEXT`. Lookups into the text (``__contains``) are not possible."""

    def get_internal_type(self) -> str:
        return "SqliteCompressedTextField"  # not "TextField": bulk writers (``rows.insert_objects``) must prepare the value

    def db_type(self, connection: Any) -> str | None:
        return "blob" if connection.vendor == "sqlite" else "text"

    def cast_db_type(self, connection: Any) -> str | None:
        return self.db_type(connection)

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if not prepared:
            value = self.get_prep_value(value)
        if value is None or connection.vendor != "sqlite":
            return value
        return connection.Database.Binary(pack_text(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return value if value is None else unpack_text(value)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, (bytes, bytearray, memoryview)):
            return unpack_text(value)
        return super().to_python(value)


def register_sqlite_functions(connection: Any) -> None:
    """Register on a Django connection to a SQLite archive the SQL functions its schema uses (the full-text index's
    view and triggers read the packed texts through :data:`UNPACK_TEXT`); other databases are left alone."""
    if connection.vendor == "sqlite" and connection.connection is not None:
        add_sqlite_functions(connection.connection)


def add_sqlite_functions(database: Any) -> None:
    """:func:`register_sqlite_functions` for a connection of Python's ``sqlite3`` module (a backup's copy)."""
    database.create_function(UNPACK_TEXT, 1, unpack_text, deterministic=True)
