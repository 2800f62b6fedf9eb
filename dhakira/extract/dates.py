"""Dates for extraction: the one date reader of :mod:`dhakira.text.dates`, under its former name."""

from __future__ import annotations

from dhakira.text.dates import DateMention, date_from_url, find_dates, publication_date

__all__ = ["DateMention", "date_from_url", "find_dates", "publication_date"]
