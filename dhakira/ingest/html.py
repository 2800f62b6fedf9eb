"""HTML pages: main text (trafilatura, own lxml walker as fallback), title and publication date.

HTML is only ever turned into text: scripts, styles, frames, forms, event handlers and URLs never
reach the clean text, and nothing is fetched while parsing (no network, no external entities).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from typing import Any

import lxml.etree
import lxml.html
import trafilatura

from dhakira.ingest.boilerplate import Removal, prune_page
from dhakira.ingest.dates import parse_date
from dhakira.ingest.draft import Draft
from dhakira.ingest.errors import IngestError
from dhakira.ingest.header import date_near_title
from dhakira.ingest.text import decode_text, encoding_warnings

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_XML_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]+")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)

# Markup that is never text: removed before our own walk; trafilatura drops it too.
NEVER_TEXT = (
    "script", "style", "noscript", "template", "iframe", "frame", "frameset", "object", "embed", "applet",
    "svg", "math", "canvas", "video", "audio", "source", "track", "picture", "img", "map", "button",
    "input", "select", "option", "textarea", "form", "dialog", "link", "meta", "base", "head",
)
# Page chrome, pruned before extracting the main text (header/footer only at page level, not the
# header of an article, which holds its title and date).
PRUNE_XPATH = [
    "//*[@id='SKIP_TO_CONTENT_BTN']",
    "//a[starts-with(@href, '#') and contains(translate(normalize-space(.), 'SKIPTO', 'skipto'), 'skip to')]",
    "//header[not(ancestor::article) and not(ancestor::main)]",
    "//footer[not(ancestor::article)]",
    "//nav",
    "//*[@role='navigation' or @role='banner' or @role='contentinfo' or @role='search']",
    "//*[@aria-modal='true' or @role='dialog' or @role='alertdialog']",
    "//*[contains(translate(@id, 'COKIE', 'cokie'), 'cookie') or contains(translate(@class, 'COKIE', 'cokie'), 'cookie')]",
    "//*[contains(translate(@id, 'CONSET', 'conset'), 'consent') or contains(translate(@class, 'CONSET', 'conset'), 'consent')]",
    "//*[contains(@class, 'share') or contains(@id, 'share') or contains(@class, 'social')]",
    "//*[contains(@class, 'newsletter') or contains(@id, 'newsletter') or contains(@class, 'subscribe')]",
    "//form",
]
_BLOCKS = frozenset(
    "address article aside blockquote body caption center dd details div dl dt fieldset figcaption figure "
    "h1 h2 h3 h4 h5 h6 header footer hr html li main nav ol p pre section summary table tbody td tfoot th "
    "thead title tr ul".split()
)
_TIME_META = (
    ("property", "article:published_time"),
    ("name", "article:published_time"),
    ("property", "og:published_time"),
    ("name", "pubdate"),
    ("name", "publishdate"),
    ("name", "publish-date"),
    ("name", "publish_date"),
    ("name", "publication_date"),
    ("name", "date"),
    ("name", "dc.date.issued"),
    ("name", "dc.date"),
    ("name", "dcterms.issued"),
    ("name", "dcterms.date"),
    ("name", "dc.date.created"),
    ("itemprop", "datePublished"),
    ("property", "datePublished"),
)


def decode_html(data: bytes) -> tuple[str, str]:
    """Decode page bytes: byte-order mark, then a declared meta charset if it fits, then detection."""
    declared = None
    match = _META_CHARSET.search(data[:4096])
    if match:
        declared = match.group(1).decode("ascii", errors="ignore").lower()
        if declared in ("windows-1256", "x-cp1256"):
            declared = "cp1256"
    return decode_text(data, declared=declared)


def parse_html(text: str) -> Any:
    """Parse a page with lxml; no network, no entities, comments and processing instructions dropped."""
    text = _XML_DECLARATION.sub("", text)
    parser = lxml.html.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, recover=True, huge_tree=False
    )
    try:
        tree = lxml.html.document_fromstring(text, parser=parser)
    except (lxml.etree.ParserError, ValueError) as error:
        raise IngestError(f"not readable as HTML: {error}") from error
    if tree is None:
        raise IngestError("not readable as HTML: empty document")
    return tree


def _clean_value(value: str | None) -> str | None:
    if not value:
        return None
    value = " ".join(value.split())
    return value or None


def _meta(tree: Any, attribute: str, value: str) -> str | None:
    wanted = value.lower()
    for element in tree.iter("meta"):
        if (element.get(attribute) or "").strip().lower() == wanted:
            content = _clean_value(element.get("content"))
            if content:
                return content
    return None


def _text_of(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—·•:«»/]\s+|\s*[|]\s*|\s+::\s+")
_SITE_NAME_PLACES = (
    "//*[contains(concat(' ', translate(@class, 'LOGOSITEBRANDNM', 'logositebrandnm'), ' '), 'logo')]",
    "//*[contains(translate(@class, 'SITE', 'site'), 'site-title') or contains(translate(@class, 'SITE', 'site'), 'site-name')]",
    "//*[contains(translate(@class, 'BRANDING', 'branding'), 'branding')]",
    "//header[not(ancestor::article) and not(ancestor::main)]//h1[not(ancestor::article)]",
    "//*[@id='header-wrapper' or @id='header' or contains(@class, 'headerbar')]//h1",
)


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text).split()).casefold()


def raw_site_names(tree: Any) -> set[str]:
    """Names a page gives its site: og:site_name, application-name, the logo or site-title text."""
    names = {_meta(tree, "property", "og:site_name"), _meta(tree, "name", "application-name"),
             _meta(tree, "name", "twitter:site")}
    for xpath in _SITE_NAME_PLACES:
        for element in tree.xpath(xpath)[:3]:
            text = _text_of(element)
            if 2 <= len(text) <= 80:
                names.add(text)
    return {name for name in names if name}


def site_names(tree: Any) -> set[str]:
    return {_key(name) for name in raw_site_names(tree)}


def _strip_known_name(title: str, raw_names: set[str]) -> str:
    """«Site: Title», «Title | Site»… without the site's name when the page names its site."""
    for name in sorted(raw_names, key=len, reverse=True):
        escaped = re.escape(name)
        stripped = re.sub(rf"^\s*{escaped}\s*[:|\-–—·•»«/]+\s*|\s*[:|\-–—·•»«/]+\s*{escaped}\s*$", "", title,
                          flags=re.IGNORECASE)
        if stripped != title and stripped.strip():
            return stripped.strip()
    return title


def title_parts(title: str) -> list[str]:
    """A <title> or og:title split at its separators (« | », « - », « – », « — », « :: »)."""
    return [part.strip() for part in _TITLE_SEPARATORS.split(title) if part and part.strip()]


def strip_site_name(title: str, names: set[str]) -> str:
    """The title without the site name before or after a separator (and without "by Author" parts)."""
    parts = title_parts(title)
    if len(parts) < 2:
        return title.strip()
    kept = [part for part in parts if _key(part) not in names and not any(name and name in _key(part) and
            len(_key(part)) <= len(name) + 12 for name in names) and not re.match(r"^(?:by|بقلم)\s", part, re.I)]
    if not kept:
        return title.strip()
    if len(kept) == 1:
        return kept[0]
    # no site name known: the longest part is the headline, short parts are the site or section
    return max(kept, key=len)


def page_title(tree: Any, content: Any | None = None) -> str | None:
    """The page's headline: h1 and title-like headings weighed against og:title and <title>.

    A heading that is also a part of og:title or <title> wins; then og:title, then the first heading,
    then <title>, titles without the site name (" | Site", "Site - ", «| الموقع»). Headings are
    looked for in ``content`` (the page without its chrome) when given.
    """
    raw_names = raw_site_names(tree)
    names = {_key(name) for name in raw_names}
    og_titles = [value for value in (_meta(tree, "property", "og:title"), _meta(tree, "name", "og:title"),
                 _meta(tree, "name", "twitter:title")) if value]
    page_titles = [text for text in (_text_of(element) for element in tree.iter("title")) if text][:1]
    headings: list[str] = []
    for element in (content if content is not None else tree).xpath(
        "//h1 | //*[self::h2 or self::h3][contains(translate(@class, 'TITLE', 'title'), 'title') or "
        "contains(translate(@class, 'HEADLINE', 'headline'), 'headline')]"
        " | //*[@itemprop='headline']"
    ):
        text = _text_of(element)
        if text and _key(text) not in names and len(text) <= 300:
            headings.append(text)
    declared = [_strip_known_name(value, raw_names) for value in og_titles + page_titles]
    declared_parts = {_key(part) for value in declared for part in [value, *title_parts(value)]}
    matching = [heading for heading in headings if _key(heading) in declared_parts]
    if matching:
        return max(matching, key=len)
    for value in declared[: len(og_titles)]:
        stripped = strip_site_name(value, names)
        if stripped and _key(stripped) not in names:
            return stripped
    if headings:
        return headings[0]
    for value in declared[len(og_titles):]:
        stripped = strip_site_name(value, names)
        if stripped and _key(stripped) not in names:
            return stripped
    return None


def _json_ld_dates(tree: Any) -> Iterator[str]:
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                value = item.get("datePublished")
                if isinstance(value, str):
                    yield value
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)


def page_date(tree: Any, content: Any | None = None) -> tuple[str, str] | None:
    """Publication date from page metadata: meta tags, JSON-LD, <time datetime> outside footers
    (and, with ``content``, the page without its chrome, outside comments and lists of other articles)."""
    for attribute, value in _TIME_META:
        content = _meta(tree, attribute, value)
        if content:
            parsed = parse_date(content)
            if parsed:
                return parsed
    for value in _json_ld_dates(tree):
        parsed = parse_date(value)
        if parsed:
            return parsed
    for element in (content if content is not None else tree).xpath("//time[@datetime][not(ancestor::footer)]"):
        parsed = parse_date(element.get("datetime") or "")
        if parsed:
            return parsed
    return None


def _prune(tree: Any, xpaths: list[str]) -> None:
    for xpath in xpaths:
        for element in tree.xpath(xpath):
            parent = element.getparent()
            if parent is not None:
                element.drop_tree()


def html_to_text(tree: Any, *, prune: bool = True) -> str:
    """Own text walker: block elements become paragraphs (blank line), <br> a line break.

    Works on a copy; drops everything in :data:`NEVER_TEXT` and, with ``prune``, page chrome.
    """
    tree = copy.deepcopy(tree)
    for element in list(tree.iter(*NEVER_TEXT)):
        if element.getparent() is not None:
            element.drop_tree()
    body = tree.find("body")
    if body is None:
        body = tree
    if prune:
        _prune(body, PRUNE_XPATH)
    parts: list[str] = []

    def walk(element: Any) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        block = tag in _BLOCKS
        if block:
            parts.append("\n\n")
        elif tag == "br":
            parts.append("\n")
        if element.text and tag:
            parts.append(element.text)
        for child in element:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append("\n\n")

    walk(body)
    text = "".join(parts)
    return re.sub(r"\n[ \t\n]*\n", "\n\n", text).strip()


def main_text(html_text: str, tree: Any, source_url: str | None = None) -> str:
    """The main text of a page: trafilatura with our chrome pruning, else our own walker."""
    extracted = None
    try:
        extracted = trafilatura.extract(
            html_text,
            url=source_url,
            output_format="txt",
            include_comments=False,
            include_tables=True,
            include_links=False,
            include_images=False,
            deduplicate=False,
            prune_xpath=PRUNE_XPATH,
        )
    except Exception:  # noqa: BLE001 - trafilatura failing on odd markup falls back to our walker
        extracted = None
    if extracted and extracted.strip():
        return "\n\n".join(line for line in extracted.split("\n") if line.strip())
    return html_to_text(tree)


# Never-text elements that a forgiving parser may wrap around the rest of a page (an unclosed
# <embed> or <object>): their text-holding descendants are kept when the element goes.
_MAY_WRAP = frozenset({"embed", "object", "applet", "picture", "map", "canvas", "video", "audio", "form", "dialog"})


def drop_never_text(tree: Any) -> None:
    """Remove :data:`NEVER_TEXT` elements in place, keeping paragraphs a parser nested inside them."""
    for element in list(tree.iter(*NEVER_TEXT)):
        if element.getparent() is None:
            continue
        if element.tag in _MAY_WRAP and any(child.tag in _BLOCKS for child in element.iter() if child is not element):
            for name in list(element.attrib):
                del element.attrib[name]
            element.drop_tag()
        else:
            element.drop_tree()


def pruned_page(tree: Any) -> tuple[Any, list[Removal]]:
    """A copy of the page without never-text markup and without boilerplate blocks; the removals."""
    tree = copy.deepcopy(tree)
    drop_never_text(tree)
    body = tree.find("body")
    return tree, prune_page(body if body is not None else tree)


def clean_main_text(pruned: Any, source_url: str | None = None) -> str:
    """The main text of a page already rid of its boilerplate blocks (see :func:`pruned_page`)."""
    markup = lxml.html.tostring(pruned, encoding="unicode")
    text = main_text(markup, pruned, source_url)
    walked = html_to_text(pruned, prune=False)
    if len(text) < 0.5 * len(walked):
        # trafilatura kept too little of a page already rid of its chrome: keep the whole rest
        text = walked
    return text


def read_html(data: bytes, *, name: str | None = None, source_url: str | None = None) -> Draft:
    """Read an HTML page into a draft (main text, title, metadata date, the parsed tree)."""
    text, encoding = decode_html(data)
    text = _XML_CONTROLS.sub("", text)
    tree = parse_html(text)
    pruned, removed = pruned_page(tree)
    body_text = clean_main_text(pruned, source_url)
    names = site_names(tree)
    if names:  # the site's own name on a line of its own is not the article
        lines = body_text.split("\n")
        body_text = "\n".join(line for line in lines if _key(line) not in names or not line.strip())
        removed.extend(Removal(line.strip(), "site name") for line in lines if line.strip() and _key(line) in names)
    draft = Draft(
        text=body_text,
        media_type="text/html",
        reader="html",
        source_url=source_url,
        encoding=encoding,
        title=page_title(tree, pruned),
        html=tree,
    )
    draft.warnings.extend(encoding_warnings(encoding))
    dated = page_date(tree, pruned)
    if dated is None and draft.title:
        dated = date_near_title(html_to_text(pruned, prune=False), draft.title)
    if dated:
        draft.published, draft.published_precision = dated
    if removed:
        draft.fields["removed"] = [removal.as_json() for removal in removed]
    site_name = _meta(tree, "property", "og:site_name")
    if site_name:
        draft.fields["site_name"] = site_name
    return draft
