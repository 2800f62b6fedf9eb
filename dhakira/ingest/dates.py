"""Publication dates for ingestion: the one date reader of :mod:`dhakira.text.dates`.

Kept so that ingestion code can import its date functions from here; ``find_dates`` is the list of
``(start, end, value, precision)`` of every full date of a text.
"""

from __future__ import annotations

from dhakira.text.dates import find_date_spans as find_dates
from dhakira.text.dates import find_dateline, is_date_line, parse_date

__all__ = ["find_dateline", "find_dates", "is_date_line", "parse_date"]
