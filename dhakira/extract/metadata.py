"""Document-level facts: issuer, document type and publication date.

* issuer: the publisher registry of the knowledge base, from the source URL's domain; else a news
  agency credited in the first lines ("BEIRUT (AP) –", "(North Press)", "ف ب/", a byline line that
  is an outlet); else the organisation behind a "press release" header.
* doc_type: cues in the URL path and in the first lines ("Press release", "بيان صحفي", "report",
  "testimony"), then the publisher's usual type, else ``news_article``.
* published: the date finder's dateline and URL rules.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote, urlsplit

from dhakira.extract.context import Context
from dhakira.extract.entities import OrganisationMention
from dhakira.knowledge import Organisation

_HEAD_CHARS = 600

_URL_TYPES = (
    (re.compile(r"press[-_]?releases?|pressreleases?|/press/|news-release|بيان"), "press_release"),
    (re.compile(r"statements?/|/statement[-_/]|joint-statement"), "statement"),
    (re.compile(r"testimon|شهادة"), "testimony"),
    (re.compile(r"/reports?/|/report[-_]|/research/|/publications?/|/studies/|/documentation/"), "report"),
)
_TEXT_TYPES = (
    (re.compile(r"(?im)^\s*(?:press (?:release|statement)|for immediate release|news release)\b"), "press_release"),
    (re.compile(r"(?m)^\s*(?:بيان صحفي|بيان صحافي|بيانات صحفية|بيان صادر عن|تصريح صحفي)"), "press_release"),
    (re.compile(r"(?im)^\s*(?:joint )?statement\b|^\s*(?:بيان مشترك|بيان)\s*$"), "statement"),
    (re.compile(r"(?im)^\s*(?:testimony|witness account|eyewitness account)\b|^\s*(?:شهادة|شهادات)\b"), "testimony"),
)
# A short header line that names the genre anywhere in it ("Format: News and Press Release", «التحقيق المستقل بيانات صحفية»).
_SHORT_LINE_RELEASE = re.compile(r"(?i)\bpress releases?\b|\bnews release\b|بيانات صحفية|بيان صحفي")
_TESTIMONY_TITLE = re.compile(
    r"(?i)\b(?:testimony|testimonies|recounts?|describes|tells of|tells the story|in (?:his|her) own words|"
    r"survivor'?s? account|eyewitness)\b|(?:شهادة|شهادات|يروي|تروي|يسرد|تسرد|يحكي|تحكي|روى|روت)")
# The text speaks of itself as a report ("this report documents", "يوثق هذا التقرير"); a news story
# that quotes "a report" or "the report" is still a news story.
_REPORT_CUES = re.compile(
    r"(?i)\b(?:this|our|the present) (?:monthly |annual |periodic |special )?report\b|"
    r"(?:هذا التقرير|تقريرنا|التقرير الحالي|يستعرض التقرير|يوثق التقرير)")
# What comes before the outlet on a dateline line: "درعا – ", "Idlib - ".
_OUTLET_DATELINE = re.compile(r"[^\n]{1,40}\s[-–—]\s*")
_AGENCY_CREDIT = re.compile(
    r"\((AFP|AP|Reuters|North Press|SANA|dpa|Anadolu)\)|^\s*(ف ب|ا ف ب|أ ف ب|رويترز|سانا)\s*/", re.MULTILINE)


def _url_path(url: str | None) -> str:
    if not url:
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return unquote(parts.path + "?" + parts.query).lower()


def document_type(context: Context, url: str | None, publisher_type: str | None) -> tuple[str, str]:
    """The document type and the rule that decided it."""
    head = context.text[:_HEAD_CHARS]
    for pattern, doc_type in _TEXT_TYPES:
        if pattern.search(head):
            return doc_type, "text_header:" + doc_type
    for line in head.splitlines()[:6]:
        if len(line.strip()) <= 60 and _SHORT_LINE_RELEASE.search(line):
            return "press_release", "text_header_line:press_release"
    title = title_of(context, None) or ""
    if _TESTIMONY_TITLE.search(title):
        return "testimony", "title_testimony"
    path = _url_path(url)
    for pattern, doc_type in _URL_TYPES:
        if pattern.search(path):
            return doc_type, "url_path:" + doc_type
    if _REPORT_CUES.search(context.text[:2000]):
        return "report", "text_report_cue"
    if publisher_type:
        return publisher_type, "publisher_registry"
    return "news_article", "default"


def issuer(context: Context, url: str | None, organisations: list[OrganisationMention]) -> dict[str, Any] | None:
    """The organisation that published the document, as the contract's issuer object (or ``None``)."""
    from dhakira.extract.issuers import find_issuer

    return find_issuer(context, url, organisations)


def _issuer_object(organisation: Organisation, written: str, rule: str) -> dict[str, Any]:
    return {"text": written, "canonical_en": organisation.name_en, "id": organisation.id, "rule": rule}


def publication(context: Context, url: str | None, title: str | None) -> tuple[str | None, str | None, bool]:
    """The publication date, its precision and whether the text itself gives it (a dateline).

    ``(None, None, False)`` when neither the text nor the URL dates the document.
    """
    from dhakira.text.dates import publication_date

    mention = publication_date(context.text, language=context.language, source_url=url, title=title)
    if mention is None:
        return None, None, False
    return mention.value, mention.precision, mention.end > mention.start


def title_of(context: Context, given: str | None) -> str | None:
    """The headline: the reader's title, else the first non-empty line when it is short.

    Header lines such as "Press release" or "بيان صحفي" are not headlines.
    """
    if given and not any(pattern.fullmatch(given.strip()) for pattern in _HEADER_LINES):
        return given
    for line in context.text.splitlines():
        line = line.strip()
        if not line or any(pattern.fullmatch(line) for pattern in _HEADER_LINES):
            continue
        return line if len(line) <= 200 else None
    return None


_HEADER_LINES = (
    re.compile(r"(?i)(?:press (?:release|statement)|for immediate release|news release|statement)[:.]?"),
    re.compile(r"(?:بيان صحفي|بيان صحافي|بيانات صحفية|بيان)[:.]?"),
)
