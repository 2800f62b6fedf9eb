"""Site templates: lines that recur across the pages of one site are the site's furniture.

A reader sees one page at a time; a batch or an archive sees many pages of the same site. Counting, per
site, on how many pages each line occurs tells the site's template apart from its articles: a menu, a
footer, a newsletter box or a «most read» list recurs on every page, an article's sentences on one.

:class:`SiteTemplates` keeps the counts (as JSON, to be stored with an archive and updated as pages
arrive) and removes the recurring lines from a :class:`~dhakira.documents.Document`, recording each
removal in ``document.fields["removed"]``.
"""

from __future__ import annotations

import dataclasses
import math
import re
import unicodedata
from collections import Counter
from typing import Any
from urllib.parse import urlsplit

from dhakira.documents import Document
from dhakira.ingest.clean import paragraphs_of
from dhakira.text import script_of

MIN_PAGES = 3
_DIGITS = re.compile(r"[0-9\u0660-\u0669\u06f0-\u06f9]+")
_MAX_LINE = 400


def site_of(document: Document) -> str | None:
    """The site a document came from: the host of its URL (without ``www.``), else its site name."""
    if document.source_url:
        host = (urlsplit(document.source_url).hostname or "").lower()
        if host.startswith("www."):
            host = host[4:]
        if host:
            return host
    name = document.fields.get("site_name")
    return str(name).strip().casefold() if name else None


def line_key(line: str) -> str:
    """A line compared across pages: NFKC, case-folded, digits as one mark, single spaces."""
    line = unicodedata.normalize("NFKC", line).casefold()
    return " ".join(_DIGITS.sub("#", line).split())


@dataclasses.dataclass
class SiteTemplate:
    """Per-site counts: pages seen and, per line key, on how many of them it occurred."""

    pages: int = 0
    lines: Counter[str] = dataclasses.field(default_factory=Counter)

    def observe(self, text: str) -> None:
        self.pages += 1
        self.lines.update({line_key(line) for line in text.split("\n") if line.strip() and len(line) <= _MAX_LINE})

    # A line is template when it recurs on at least MIN_PAGES pages (and a third of them): the same
    # article stored twice (a page and its PDF, a re-post) never makes its own sentences template.

    def threshold(self) -> int:
        return max(MIN_PAGES, math.ceil(self.pages / 3))

    def is_template(self, line: str) -> bool:
        """True for a line seen on enough of the site's pages (at least :data:`MIN_PAGES` pages seen)."""
        if self.pages < MIN_PAGES:
            return False
        return self.lines.get(line_key(line), 0) >= self.threshold()


class SiteTemplates:
    """Templates of many sites, learned from documents as they arrive."""

    def __init__(self, sites: dict[str, SiteTemplate] | None = None) -> None:
        self.sites: dict[str, SiteTemplate] = sites or {}

    def observe_document(self, document: Document) -> None:
        """Count a page's lines for its site (web pages only: a PDF's running lines are its own)."""
        site = site_of(document)
        if site and document.media_type == "text/html":
            self.sites.setdefault(site, SiteTemplate()).observe(document.text)

    def apply(self, document: Document) -> Document:
        """The document without the lines of its site's template (a new Document; removals recorded)."""
        site = site_of(document)
        template = self.sites.get(site) if site else None
        if document.media_type != "text/html" or template is None or template.pages < MIN_PAGES:
            return document
        removed: list[dict[str, str]] = []
        paragraphs: list[str] = []
        for block in document.text.split("\n\n"):
            kept = []
            for line in block.split("\n"):
                if len(line) <= _MAX_LINE and template.is_template(line):
                    removed.append({"text": line, "reason": f"recurs on the pages of {site} (site template)"})
                else:
                    kept.append(line)
            if kept:
                paragraphs.append("\n".join(kept))
        if not removed or not paragraphs:
            return document
        text = "\n\n".join(paragraphs)
        fields = dict(document.fields)
        fields["removed"] = [*fields.get("removed", []), *removed]
        return dataclasses.replace(document, text=text, paragraphs=paragraphs_of(text), language=script_of(text), fields=fields)

    def as_json(self) -> dict[str, Any]:
        return {site: {"pages": template.pages, "lines": {key: count for key, count in template.lines.items() if count > 1}}
                for site, template in self.sites.items()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SiteTemplates:
        return cls({site: SiteTemplate(int(value.get("pages", 0)), Counter(value.get("lines", {})))
                    for site, value in (data or {}).items()})
