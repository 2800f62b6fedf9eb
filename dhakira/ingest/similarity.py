"""Near-duplicate detection: MinHash fingerprints of word 3-gram shingles and an LSH band index.

The same text behind different site chrome, re-encoded, or with small edits scores close to 1;
unrelated texts close to 0. Fingerprints are stable across processes and machines (the hash is
BLAKE2b and the permutations come from a fixed seed), so they can be stored.
"""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from collections.abc import Hashable

from dhakira.text import normalised_text

PERMUTATIONS = 128
BANDS = 32  # 32 bands of 4 rows: pairs scoring 0.8 share a band with probability ≈ 1 - 1e-7
ROWS = PERMUTATIONS // BANDS
SHINGLE_WORDS = 3
_PRIME = (1 << 61) - 1
_EMPTY = _PRIME
_generator = random.Random(20171019)
_PARAMETERS = tuple((_generator.randrange(1, _PRIME), _generator.randrange(0, _PRIME)) for _ in range(PERMUTATIONS))


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    """Word n-grams of the normalised text (all words when the text is shorter than ``size``)."""
    words = normalised_text(text).split()
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[index:index + size]) for index in range(len(words) - size + 1)}


def fingerprint(text: str) -> list[int]:
    """The MinHash signature (:data:`PERMUTATIONS` integers) of a text."""
    hashes = [
        int.from_bytes(hashlib.blake2b(shingle.encode("utf-8"), digest_size=8).digest(), "big")
        for shingle in shingles(text)
    ]
    if not hashes:
        return [_EMPTY] * PERMUTATIONS
    return [min((a * value + b) % _PRIME for value in hashes) for a, b in _PARAMETERS]


def similarity(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets (0.0 when either text is empty)."""
    if len(a) != len(b) or not a:
        raise ValueError("fingerprints of different lengths")
    if all(value == _EMPTY for value in a) or all(value == _EMPTY for value in b):
        return 0.0
    return sum(1 for left, right in zip(a, b, strict=True) if left == right) / len(a)


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
