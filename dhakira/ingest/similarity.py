"""Near-duplicate detection: MinHash fingerprints of word 3-gram shingles and an LSH band index.

The same text behind different site chrome, re-encoded, or with small edits scores close to 1;
unrelated texts close to 0. Fingerprints are stable across processes and machines (the hash is
BLAKE2b and the permutations come from a fixed seed), so they can be stored.

Each value of a fingerprint keeps only the low :data:`VALUE_BITS` bits of its MinHash (b-bit MinHash, Li and
König): 256 bytes a fingerprint instead of 976. Two unequal MinHash values then agree by chance once in 65,536,
which :func:`similarity` takes out of its estimate. Fingerprints made before kept the whole value below 2^61 - 1;
:func:`narrowed` gives the ones this version makes from them.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections import defaultdict
from collections.abc import Hashable

import numpy as np

from dhakira.text import normalised_text

PERMUTATIONS = 128
BANDS = 32  # 32 bands of 4 rows: pairs scoring 0.8 share a band with probability ≈ 1 - 1e-7
ROWS = PERMUTATIONS // BANDS
SHINGLE_WORDS = 3
VALUE_BITS = 16
_PRIME = (1 << 61) - 1
_VALUE_MASK = (1 << VALUE_BITS) - 1
# Every value of an empty text's fingerprint (the low bits of the 2^61 - 1 it was before, so a narrowed old one is
# still recognised); a text's fingerprint is never all of it (``words_fingerprint``).
_EMPTY = _VALUE_MASK
_CHANCE = 1.0 / (1 << VALUE_BITS)  # how often two unequal MinHash values agree in their low bits
_generator = random.Random(20171019)
_PARAMETERS = tuple((_generator.randrange(1, _PRIME), _generator.randrange(0, _PRIME)) for _ in range(PERMUTATIONS))


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    """Word n-grams of the normalised text (all words when the text is shorter than ``size``)."""
    return word_shingles(normalised_text(text).split(), size)


def word_shingles(words: list[str], size: int = SHINGLE_WORDS) -> set[str]:
    """``shingles`` of a text from its normalised words (``text.word_forms``' first parts), when they are at hand."""
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[index:index + size]) for index in range(len(words) - size + 1)}


def fingerprint(text: str) -> list[int]:
    """The b-bit MinHash signature (:data:`PERMUTATIONS` integers below 2^:data:`VALUE_BITS`) of a text."""
    return words_fingerprint(normalised_text(text).split())


def words_fingerprint(words: list[str]) -> list[int]:
    """``fingerprint`` of a text from its normalised words (the same integers; the words made once serve the
    search texts and the linking stems too)."""
    digests = b"".join(hashlib.blake2b(shingle.encode("utf-8"), digest_size=8).digest() for shingle in word_shingles(words))
    if not digests:
        return [_EMPTY] * PERMUTATIONS
    # Each digest read as a big-endian unsigned 64-bit integer, all at once (``int.from_bytes(digest, "big")`` each).
    hashes = np.frombuffer(digests, dtype=">u8").astype(np.uint64)
    values = _signature(_reduced(hashes)) & _LOW_BITS
    if values[0] == _EMPTY and bool((values == _EMPTY).all()):  # once in 2^2048: not to be taken for an empty text
        values[0] = _EMPTY - 1
    return values.tolist()


def narrowed(fingerprint_: list[int]) -> list[int]:
    """A fingerprint as this version keeps it: each value's low :data:`VALUE_BITS` bits. One made before (61-bit
    values, as older exports carry) becomes the one this version makes of the same text; one of this version is
    unchanged."""
    return [value & _VALUE_MASK for value in fingerprint_]


_A = np.array([a for a, _ in _PARAMETERS], dtype=np.uint64)[:, None]
_B = np.array([b for _, b in _PARAMETERS], dtype=np.uint64)[:, None]
_LOW32 = np.uint64(0xFFFFFFFF)
_LOW_BITS = np.uint64(_VALUE_MASK)
_LOW29 = np.uint64((1 << 29) - 1)
_P = np.uint64(_PRIME)
_A_HIGH, _A_LOW = _A >> np.uint64(32), _A & _LOW32  # below 2^29 and 2^32


def _reduced(values: np.ndarray) -> np.ndarray:
    """``values mod p`` for unsigned 64-bit integers (p = 2^61 - 1, so 2^61 ≡ 1)."""
    folded = (values & _P) + (values >> np.uint64(61))  # < 2^61 + 8
    return np.where(folded >= _P, folded - _P, folded)


def _signature(values: np.ndarray) -> np.ndarray:
    """For every permutation at once, the least ``(a·v + b) mod p`` over ``values`` (each below p): the same
    integers as the plain loop ``min((a * v + b) % p for v in values)``, computed exactly in unsigned 64 bits.

    With a and v cut into 32-bit halves (the high halves below 2^29), ``a·v = ah·vh·2^64 + (ah·vl + al·vh)·2^32
    + al·vl``; modulo p, 2^64 ≡ 8 and 2^61 ≡ 1. Every term is then below 2^61 + 2^33, so their sum with b stays
    below 2^64 and one reduction at the end is enough (each step is one operation on the whole
    permutations-by-shingles array, in place, into three arrays of that size)."""
    high, low = values >> np.uint64(32), values & _LOW32
    total = _A_HIGH * high  # below 2^58
    total <<= np.uint64(3)  # · 2^64 ≡ · 8
    middle = _A_HIGH * low
    scratch = _A_LOW * high
    middle += scratch  # below 2^62; · 2^32 = (its bits above 29) · 2^61 + (the rest) · 2^32
    np.right_shift(middle, np.uint64(29), out=scratch)
    total += scratch
    middle &= _LOW29
    middle <<= np.uint64(32)
    total += middle
    product = np.multiply(_A_LOW, low, out=middle)  # below 2^64
    np.right_shift(product, np.uint64(61), out=scratch)
    total += scratch
    product &= _P
    total += product
    total += _B  # the five terms: below 2^61 · 4 + 2^34, so no overflow
    # ``_reduced`` in place: folded once (below 2^61 + 8), then the lesser of it and it − p, which wraps round to a
    # value above 2^63 when it is below p.
    np.right_shift(total, np.uint64(61), out=scratch)
    total &= _P
    total += scratch
    np.subtract(total, _P, out=scratch)
    np.minimum(total, scratch, out=total)
    return total.min(axis=1)


def empty(fingerprint_: list[int]) -> bool:
    """Whether a fingerprint is an empty text's (every value the empty marker): it is like no other text, so it needs
    no band; a band of it would be shared by every such text and make each a candidate of every other."""
    return bool(fingerprint_) and all(value == _EMPTY for value in fingerprint_)


def similarity(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets (0.0 when either text is empty).

    The share of equal values, less the chance agreements of b-bit values: a pair of texts with Jaccard
    similarity J has a value equal with probability J + (1 - J)·2^-16, so J is estimated as
    (share - 2^-16) / (1 - 2^-16), and 0 below that. It never exceeds the share, so pairs scoring at least a
    threshold still have at least ``ceil(threshold · PERMUTATIONS)`` equal values (``least_shared_bands``)."""
    if len(a) != len(b) or not a:
        raise ValueError("fingerprints of different lengths")
    if empty(a) or empty(b):
        return 0.0
    share = sum(1 for left, right in zip(a, b, strict=True) if left == right) / len(a)
    return max(0.0, (share - _CHANCE) / (1.0 - _CHANCE))


def band_keys(fingerprint_: list[int]) -> list[int]:
    """One signed 64-bit key per LSH band (band number and its rows hashed), for an indexed table of bands:
    two fingerprints sharing a key share that band (up to a 2^-64 collision, which exact scoring then drops).
    A band's four 16-bit values are 64 bits; each is hashed as 8 bytes, as when values were wider, so the keys
    of a fingerprint's values do not depend on the version reading them."""
    if len(fingerprint_) != PERMUTATIONS:
        raise ValueError(f"a fingerprint has {PERMUTATIONS} values")
    return [
        int.from_bytes(hashlib.blake2b(band.to_bytes(2, "big") + b"".join(value.to_bytes(8, "big") for value in rows),
                                       digest_size=8).digest(), "big", signed=True)
        for band, rows in NearDuplicateIndex._bands(fingerprint_)
    ]


def least_shared_bands(threshold: float) -> int:
    """How many bands two fingerprints scoring at least ``threshold`` share, at the least: each differing value
    spoils at most one band, and such a pair differs in at most ``PERMUTATIONS - ceil(threshold · PERMUTATIONS)``
    values (``similarity``'s estimate is never above the share of equal values). A lookup may ask for this many
    shared bands and still miss no pair at the threshold. (Below about 0.75 the bound falls to one band, where LSH
    itself may miss pairs: the bands are tuned for near-duplicates.)"""
    equal = math.ceil(round(threshold * PERMUTATIONS, 9))
    return max(1, BANDS - (PERMUTATIONS - equal))


class NearDuplicateIndex:
    """Locality-sensitive hashing over fingerprint bands; candidates are then scored exactly."""

    def __init__(self) -> None:
        self._buckets: dict[tuple[int, tuple[int, ...]], set[Hashable]] = defaultdict(set)
        self._fingerprints: dict[Hashable, list[int]] = {}

    def __len__(self) -> int:
        return len(self._fingerprints)

    @staticmethod
    def _bands(fingerprint_: list[int]) -> list[tuple[int, tuple[int, ...]]]:
        return [(band, tuple(fingerprint_[band * ROWS:(band + 1) * ROWS])) for band in range(BANDS)]

    def add(self, key: Hashable, fingerprint_: list[int]) -> None:
        """Index a fingerprint under ``key`` (adding a key again replaces its fingerprint)."""
        if len(fingerprint_) != PERMUTATIONS:
            raise ValueError(f"a fingerprint has {PERMUTATIONS} values")
        if key in self._fingerprints:
            self.remove(key)
        self._fingerprints[key] = list(fingerprint_)
        for band in self._bands(fingerprint_):
            self._buckets[band].add(key)

    def remove(self, key: Hashable) -> None:
        """Forget a key (no error when it is unknown)."""
        fingerprint_ = self._fingerprints.pop(key, None)
        if fingerprint_ is None:
            return
        for band in self._bands(fingerprint_):
            bucket = self._buckets.get(band)
            if bucket is not None:
                bucket.discard(key)
                if not bucket:
                    del self._buckets[band]

    def query(self, fingerprint_: list[int], threshold: float = 0.8) -> list[tuple[Hashable, float]]:
        """Keys whose estimated similarity is at least ``threshold``, best first.

        Thresholds well below 0.5 may miss pairs: the bands are tuned for near-duplicates.
        """
        candidates: set[Hashable] = set()
        for band in self._bands(fingerprint_):
            candidates |= self._buckets.get(band, set())
        scored = [(key, similarity(fingerprint_, self._fingerprints[key])) for key in candidates]
        return sorted(
            ((key, score) for key, score in scored if score >= threshold), key=lambda item: (-item[1], str(item[0]))
        )
