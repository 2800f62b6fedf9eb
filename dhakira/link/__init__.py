"""Linking reports of the same incident across sources and languages, and corroboration of their claims.

Public API:

* :func:`link_extractions` (batch: items -> :class:`LinkResult` with clusters and links),
* :class:`IncidentIndex` (incremental: ``add(item) -> list[Link]``, through blocking only),
* :class:`LinkItem`, :class:`Link`, :class:`LinkResult`,
* :func:`corroboration`, :func:`reports_from_items`, :class:`Report`, :class:`Corroboration`,
  :func:`suggest_grade`, :class:`GradeSuggestion`.

Modules: ``records`` (extraction -> incident records), ``blocking`` (inverted index), ``features``
(explainable pair features), ``scoring`` (weights, thresholds, decision), ``clustering`` (documents into
clusters without chaining), ``embedding`` (optional cross-lingual encoder), ``corroboration`` (independent
sources, figures side by side, Admiralty information grade suggestion), ``evaluation`` (pairwise F1),
``run`` (files and manifests end to end, for ``dhakira link``).
"""

from __future__ import annotations

from dhakira.link.corroboration import (
    Corroboration,
    Figure,
    GradeSuggestion,
    Report,
    corroboration,
    reports_from_items,
    suggest_grade,
)
from dhakira.link.index import IncidentIndex, Link, LinkItem, LinkResult, link_extractions

__all__ = [
    "Corroboration",
    "Figure",
    "GradeSuggestion",
    "IncidentIndex",
    "Link",
    "LinkItem",
    "LinkResult",
    "Report",
    "corroboration",
    "link_extractions",
    "reports_from_items",
    "suggest_grade",
]
