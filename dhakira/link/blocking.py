"""Blocking: an inverted index that hands a new incident only the earlier incidents worth comparing.

A record is filed under keys made of a place, an event-type family and a time bucket:

* place: its most specific place (``at``) and each larger place that contains it (``in``): a facility is
  filed ``at`` the facility and ``in`` its city, governorate and the country;
* family: each family of its event types (see :data:`dhakira.link.features.TYPE_FAMILIES`);
* bucket: the months its date interval covers, or the years for families whose events last (sieges, hunger
  strikes, disappearances), or ``?`` when it has no date at all.

A new record looks up, for each of its families and for its own and neighbouring buckets (and ``?``): the
records ``at`` its own place, the records ``in`` its own place (finer places inside it), and the records
``at`` each larger place containing it. An undated record also reads a short list of the latest records per
place and family. Every list keeps only its latest :attr:`BlockingIndex.cap` entries and a query returns at
most :attr:`BlockingIndex.max_candidates`, so the cost of a new record does not grow with the archive.
Lists at country level (reports that name no place in Syria, and every record filed ``in`` the country)
are the busiest and the least telling: they keep only :attr:`BlockingIndex.country_cap` entries.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Hashable, Iterable

from dhakira.link.features import families
from dhakira.link.records import IncidentRecord

LASTING_FAMILIES = frozenset({"siege", "unrest", "detention"})
UNDATED = "?"


def _months(start: int, end: int) -> list[tuple[str, int]]:
    first, last = dt.date.fromordinal(start), dt.date.fromordinal(end)
    months = range(first.year * 12 + first.month - 1, last.year * 12 + last.month)
    return [("m", month) for month in months]


def buckets(record: IncidentRecord, family: str) -> list[Hashable]:
    """The time buckets a record is filed under for one family."""
    if record.start is None or record.end is None:
        return [UNDATED]
    months = _months(record.start, record.end)
    if family in LASTING_FAMILIES or len(months) > 14:
        first, last = dt.date.fromordinal(record.start).year, dt.date.fromordinal(record.end).year
        return [("y", year) for year in range(first, last + 1)]
    return list(months)


def neighbours(bucket: Hashable) -> list[Hashable]:
    """A bucket and the ones either side of it (``?`` has none)."""
    if not isinstance(bucket, tuple):
        return [bucket]
    unit, value = bucket
    return [(unit, value - 1), (unit, value), (unit, value + 1)]


class BlockingIndex:
    """Capped posting lists of record serials, keyed by place, type family and time bucket."""

    def __init__(
        self, cap: int = 64, max_candidates: int = 256, recent: int = 32, country_cap: int = 16
    ) -> None:
        self.cap = cap
        self.max_candidates = max_candidates
        self.recent = recent
        self.country_cap = country_cap
        self._postings: dict[Hashable, deque[int]] = {}
        self.queries = 0  # number of calls to candidates(), and candidates returned: for benchmarks
        self.returned = 0

    def __len__(self) -> int:
        return len(self._postings)

    def _post(self, key: Hashable, serial: int, size: int) -> None:
        postings = self._postings.get(key)
        if postings is None:
            postings = self._postings[key] = deque(maxlen=size)
        postings.append(serial)

    def keys_for(self, record: IncidentRecord) -> Iterable[tuple[Hashable, int]]:
        """The (key, cap) pairs a record is filed under."""
        chain = record.place.chain()
        for family in sorted(families(record.types)):
            own = buckets(record, family)
            for position, place in enumerate(chain):
                relation = "at" if position == 0 else "in"
                size = self.country_cap if place.startswith("country:") else self.cap
                for bucket in own:
                    yield (relation, place, family, bucket), size
                yield ("recent-" + relation, place, family), min(size, self.recent)

    def add(self, record: IncidentRecord) -> None:
        """File a record (its ``serial`` must be set) under its keys."""
        for key, size in self.keys_for(record):
            self._post(key, record.serial, size)

    def query_keys(self, record: IncidentRecord) -> list[Hashable]:
        """The keys whose postings a record is compared with, most specific first."""
        chain = record.place.chain()
        keys: list[Hashable] = []
        for family in sorted(families(record.types)):
            own = buckets(record, family)
            wanted: list[Hashable] = []
            for bucket in own:
                for near in neighbours(bucket):
                    if near not in wanted:
                        wanted.append(near)
            if UNDATED not in wanted:
                wanted.append(UNDATED)
            for bucket in wanted:
                keys.append(("at", chain[0], family, bucket))
                keys.append(("in", chain[0], family, bucket))
                keys.extend(("at", place, family, bucket) for place in chain[1:])
            if own == [UNDATED]:
                keys.append(("recent-at", chain[0], family))
                keys.append(("recent-in", chain[0], family))
                keys.extend(("recent-at", place, family) for place in chain[1:])
        return keys

    def candidates(self, record: IncidentRecord) -> list[int]:
        """Serials of earlier records sharing a key with ``record``, newest first per key, capped."""
        self.queries += 1
        found: dict[int, None] = {}
        for key in self.query_keys(record):
            postings = self._postings.get(key)
            if not postings:
                continue
            for serial in reversed(postings):
                if serial not in found:
                    found[serial] = None
                    if len(found) >= self.max_candidates:
                        self.returned += len(found)
                        return list(found)
        self.returned += len(found)
        return list(found)
