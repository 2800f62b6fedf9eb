"""Pages made with Wix (many small Syrian organisations publish press releases there).

Besides the generic chrome (skip link, «top of page», share buttons, newsletter, copyright), Wix blog
pages add a post header (writer's picture, «2 min read», «Updated:»), counters and, after the post,
a «Recent Posts» list of other articles: all dropped. The date of the post header is kept when the
page has no other date.
"""

from __future__ import annotations

import re

from dhakira.ingest.dates import find_dates
from dhakira.ingest.draft import Draft

NAME = "wix"
_MARKERS = ("top of page", "bottom of page", "proudly created with wix")
_POST_META = re.compile(
    r"^(?:writer'?s picture|writer:.*|admin|updated:.*|\d+ min read|\d+ views?|\d+ comments?|"
    r"post not marked as liked|\d+ views? \d+ comments?)$",
    re.IGNORECASE,
)
_DATE_AND_READ = re.compile(r"^(?P<date>.{4,40}?)\s*[·•]\s*\d+ min read$", re.IGNORECASE)
_AFTER_POST = ("recent posts", "related posts", "see all")


class WixAdapter:
    """Site adapter for Wix pages and text copied from them."""

    name = NAME

    def matches(self, draft: Draft) -> bool:
        if draft.html is not None:
            generator = draft.html.xpath("//meta[@name='generator']/@content")
            if any("wix" in value.lower() for value in generator):
                return True
            if draft.html.xpath("//*[@id='SKIP_TO_CONTENT_BTN' or @id='SITE_HEADER' or @id='SITE_FOOTER']"):
                return True
        lines = draft.text.split("\n")
        edges = {line.strip().casefold() for line in lines[:20] + lines[-20:]}
        return any(marker in edges for marker in _MARKERS)

    def apply(self, draft: Draft) -> None:
        lines = draft.text.split("\n")
        kept: list[str] = []
        for index, line in enumerate(lines):
            stripped = line.strip()
            folded = stripped.casefold()
            if folded in _AFTER_POST and index > len(lines) // 2:
                break
            dated = _DATE_AND_READ.match(stripped)
            if dated:
                found = find_dates(dated.group("date"))
                if found and not draft.published:
                    draft.published, draft.published_precision = found[0][2], found[0][3]
                continue
            if _POST_META.match(stripped):
                continue
            kept.append(line)
        draft.text = "\n".join(kept)


ADAPTER = WixAdapter()
