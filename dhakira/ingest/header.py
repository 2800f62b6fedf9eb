"""The header of a press release or statement: its document-type line and the issuer lines under it.

Many releases open with: title, a type line («Press release», «بيان صحفي»), the issuer on one or two
short lines («Syrian Coalition» / «Media Department»), then the date line. When such a type line
stands among the first lines, it gives the document type and the short lines after it the issuer.
"""

from __future__ import annotations

import re

from dhakira.ingest.dates import find_dateline, find_dates
from dhakira.text import is_arabic

TYPE_LINES = {
    "press release": "press_release",
    "press statement": "press_release",
    "news release": "press_release",
    "statement": "statement",
    "joint statement": "statement",
    "public statement": "statement",
    "report": "report",
    "testimony": "testimony",
    "بيان صحفي": "press_release",
    "تصريح صحفي": "press_release",
    "بيان": "statement",
    "بيان مشترك": "statement",
    "تقرير": "report",
    "خبر": "news_article",
    "خبر صحفي": "news_article",
    "شهادة": "testimony",
}
_TOP_LINES = 8
_MAX_ISSUER_LINE = 80
_MAX_ISSUER_LINES = 3


def _key(line: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", line).split()).casefold()


def read_header(text: str, title: str | None = None) -> tuple[str | None, str | None]:
    """(document type id, issuer) from the first lines of a clean text; None where not found.

    A line that repeats the title is not an issuer line.
    """
    folded_title = (title or "").casefold()
    lines = [line.strip() for line in text.split("\n") if line.strip()][:_TOP_LINES]
    for index, line in enumerate(lines):
        kind = TYPE_LINES.get(_key(line))
        if kind is None:
            continue
        issuer_lines: list[str] = []
        for following in lines[index + 1:]:
            if len(following) > _MAX_ISSUER_LINE or find_dates(following) or _key(following) in TYPE_LINES:
                break
            issuer_lines.append(following.rstrip(" .،,"))
            if len(issuer_lines) == _MAX_ISSUER_LINES:
                break
        issuer = None
        repeats_title = any(line.casefold() in folded_title for line in issuer_lines if folded_title)
        if issuer_lines and not repeats_title and len(lines) > index + 1 + len(issuer_lines):
            separator = "، " if is_arabic(issuer_lines[0]) else ", "
            issuer = separator.join(issuer_lines)
        return kind, issuer
    return None, None


def _title_key(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text).split()).casefold()


def date_near_title(text: str, title: str) -> tuple[str, str] | None:
    """The date written nearest under the headline (a page's own date sits by its title, the dates of
    tickers, sidebars and comments elsewhere); else the first date line of the text."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    wanted = _title_key(title)
    for start, line in enumerate(lines):
        joined, index = _title_key(line), start
        while wanted.startswith(joined + " ") and index + 1 < len(lines) and index - start < 4:
            index += 1  # a headline broken over several lines
            joined = f"{joined} {_title_key(lines[index])}"
        if joined == wanted and wanted:
            found = find_dateline("\n".join(lines[index + 1:index + 8]), top_lines=7)
            if found:
                return found
            # a short line just under the headline, then just above it (post meta of many templates)
            for near in [*lines[index + 1:index + 5], *reversed(lines[max(0, start - 3):start])]:
                dates = find_dates(near) if len(near) <= 100 else []
                if dates:
                    return dates[0][2], dates[0][3]
            break
    return find_dateline("\n".join(lines))
