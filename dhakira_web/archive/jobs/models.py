"""Rows kept for the ingestion and linking work: each record's lead-sentence vector and MinHash fingerprint."""

from __future__ import annotations

from typing import Any

from django.db import models

from dhakira_web.archive.storage import MinHash16Field


class RecordEmbedding(models.Model):
    """The cross-lingual vector of a record's lead, made once where the record was read (bytes of
    :func:`vector_bytes`: a byte for each dimension and the vector's scale).

    Linking compares a new record with earlier ones through these vectors instead of encoding
    every candidate's lead again in the writing process.
    """

    record = models.OneToOneField("archive.Record", on_delete=models.CASCADE, primary_key=True, related_name="lead_embedding")
    vector = models.BinaryField()

    class Meta:
        app_label = "archive"


class RecordFingerprint(models.Model):
    """A record's MinHash fingerprint (``similarity.fingerprint``: 128 values of 16 bits, 256 bytes since migration
    0031), in a table of its own (migration 0029) so that a record's row, about 1.9 KB without it, shares a 4 KB
    SQLite page with another.

    Only the near-duplicate check reads it (``services.near_duplicates_of``, for the few records sharing enough
    bands) and exports carry it in the record's line; a record without a fingerprint has no row here."""

    record = models.OneToOneField("archive.Record", on_delete=models.CASCADE, primary_key=True, related_name="minhash")
    signature = MinHash16Field()  # never NULL in practice: a record without a fingerprint has no row

    class Meta:
        app_label = "archive"


class LinkingParts(models.Model):
    """What linking takes from a record's text (its stems, numbers and years, ``dhakira.link.packing``: a few
    hundred bytes, tied to the text by a digest), kept when the record is linked so that, as a candidate for later
    records, it is read back instead of made again from the text. Records with no incident have none."""

    record = models.OneToOneField("archive.Record", on_delete=models.CASCADE, primary_key=True, related_name="linking_parts")
    packed = models.BinaryField()

    class Meta:
        app_label = "archive"


class LinkBlock(models.Model):
    """A record's place and governorate facet rows (the blocks linking finds a new record's candidates in) with
    its issue date and code, indexed in the order linking reads a block (newest first, then by code), so that the
    latest records of a block are read from the index instead of sorting the whole block. Written where the
    facet rows are (``services``), so the two always hold the same blocks."""

    record = models.ForeignKey("archive.Record", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=20)
    value = models.CharField(max_length=200)
    issue_date = models.CharField(max_length=10, blank=True)
    code = models.CharField(max_length=32)

    class Meta:
        app_label = "archive"
        indexes = [models.Index(fields=["name", "value", "-issue_date", "code"], name="link_block_by_date")]


# A vector is kept as one signed byte a dimension (int8) after a leading byte naming the form and its scale, a
# float32: ``value = byte * scale``, the scale making the largest component 127. Vectors kept before (migration
# 0028) were float16, two bytes a dimension: always an even length, where the forms below are always odd.
BYTE_FORM = 1  # 1 + 4 + dimensions bytes: an even number of dimensions
PADDED_BYTE_FORM = 2  # the same and one byte more, for an odd number of dimensions
UNIT_TOLERANCE = 0.02  # a kept vector this close to unit length was one (the steps move a norm by about 1e-3)


def vector_bytes(vector: Any) -> bytes | None:
    """A vector as one byte a dimension and its scale (None stays None): a quarter of float32, half of float16, a
    cosine off by about 2e-4 on average and at most about 1e-3 from float32's (linking rounds it to 4 decimals and
    scores it on a ramp), and a row of 512 dimensions takes 517 bytes: seven fit a 4 KB database page."""
    if vector is None:
        return None
    import numpy

    values = numpy.asarray(vector, dtype=numpy.float32).ravel()
    largest = float(numpy.abs(values).max()) if values.size else 0.0
    scale = numpy.float32(largest / 127 if largest > 0 else 1.0)
    quantised = numpy.clip(numpy.rint(values / scale), -127, 127).astype(numpy.int8).tobytes()
    if values.size % 2:
        return bytes([PADDED_BYTE_FORM]) + scale.tobytes() + quantised + b"\0"
    return bytes([BYTE_FORM]) + scale.tobytes() + quantised


def vector_of(data: bytes | memoryview | None) -> Any:
    """The vector kept as bytes (either form, :func:`vector_bytes` or the float16 kept before), as a float32 numpy
    array (None stays None)."""
    if data is None:
        return None
    import numpy

    data = bytes(data)
    if len(data) % 2 == 0:  # float16, as kept before migration 0028
        return numpy.frombuffer(data, dtype=numpy.float16).astype(numpy.float32)
    form, end = data[0], len(data) - (1 if data[0] == PADDED_BYTE_FORM else 0)
    if form not in (BYTE_FORM, PADDED_BYTE_FORM):
        raise ValueError(f"not a kept vector: form {form}")
    scale = numpy.frombuffer(data, dtype=numpy.float32, count=1, offset=1)[0]
    values = numpy.frombuffer(data[5:end], dtype=numpy.int8).astype(numpy.float32) * scale
    norm = float(numpy.linalg.norm(values))
    # A unit vector (a lead's: linking takes the dot product of two for their cosine) is read back as one: the
    # bytes keep its direction, and the same bytes always give the same vector, whatever scale was rounded to.
    return values / norm if abs(norm - 1.0) < UNIT_TOLERANCE else values


def float16_bytes(vector: Any) -> bytes | None:
    """A vector as float16 bytes, as kept before migration 0028 (to migrate an archive back)."""
    if vector is None:
        return None
    import numpy

    return numpy.asarray(vector, dtype=numpy.float16).tobytes()


class NearDuplicateBand(models.Model):
    """One LSH band of a record's MinHash fingerprint (``similarity.band_keys``): near-duplicates are found by
    an indexed lookup of the new text's band keys, so no process holds every fingerprint in memory and
    writers working at once see each other's records."""

    # Keyed by (key, record), without a row id on SQLite (migration 0020): the table is the index ingestion looks
    # keys up in; the record's index serves deleting a record's bands.
    pk = models.CompositePrimaryKey("key", "record")
    record = models.ForeignKey("archive.Record", on_delete=models.CASCADE, related_name="+")
    key = models.BigIntegerField()

    class Meta:
        app_label = "archive"
