"""Block-level boilerplate removal for HTML pages, every removal kept with its reason.

Rules that hold across layouts rather than lists of phrases:

* the page's own regions: ``<nav>``, ``<aside>``, page ``<header>``/``<footer>``, ARIA roles;
* reader comments: ``schema.org/Comment`` microdata, ``comment``/``respond``/``discussion`` classes and
  ids, a "comments" heading with everything under it;
* replies in a thread: a run of sibling blocks built alike (forum posts), the one holding the main
  text kept;
* lists of other articles: blocks whose text is mostly links, and headings that introduce them;
* share bars, cookie and consent banners, newsletter boxes, pop-ups, web-archive toolbars.

The main text (the block with most sentence text and fewest links) and its ancestors are never
removed, so an article's quotes and dateline stay whatever its container is called.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from dhakira.ingest.chrome import COMMENTS_HEADING, RELATED_HEADING

_CLASS_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), reason)
    for pattern, reason in (
        (r"^wm-ipp|^wm-toolbar|^wm-capinfo", "web-archive toolbar"),
        (r"comment|respond|disqus|discussion|wpdiscuz|wpd-|replies|responses", "reader comments"),
        (r"cookie|consent|gdpr", "cookie banner"),
        (r"share|social|sharing|addtoany|sharedaddy", "share bar"),
        (r"newsletter|subscribe|signup|mailing", "newsletter box"),
        (r"related|recommend|more-from|popular|most-?read|trending|yarpp|crp_|read-?also|also-read", "list of other articles"),
        (r"sidebar|widget|breadcrumb|ticker|breaking|pager|pagination|post-nav|nav-links|tags|labels|tagcloud", "page furniture"),
        (r"popup|modal|overlay|banner", "pop-up or banner"),
    )
)
_ROLES = {"navigation": "navigation", "banner": "page header", "contentinfo": "page footer", "search": "search box",
          "complementary": "aside (sidebar)", "dialog": "pop-up or banner", "alertdialog": "pop-up or banner"}
_BLOCK_TAGS = frozenset("div section ul ol dl table tr td li p aside header footer nav article form".split())
_TEXT_TAGS = ("p", "div", "td", "li", "dd", "blockquote", "section", "article", "span", "font")
_SENTENCE = re.compile(r"[.!?؟»\"”]\s*$|[.!?؟]\s")


@dataclasses.dataclass(frozen=True)
class Removal:
    """A block removed from a page: its text (shortened) and why."""

    text: str
    reason: str

    def as_json(self) -> dict[str, str]:
        return {"text": self.text, "reason": self.reason}


def text_of(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


def link_density(element: Any) -> float:
    total = len(text_of(element))
    if not total:
        return 0.0
    linked = sum(len(text_of(link)) for link in element.iter("a"))
    return linked / total


def _own_text(element: Any) -> int:
    """Characters of sentence-like text directly in this element (not in child blocks)."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag not in _BLOCK_TAGS and child.tag != "br":
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    text = " ".join("".join(parts).split())
    return len(text) if len(text) >= 60 or _SENTENCE.search(text) else 0


def main_block(body: Any) -> Any | None:
    """The element whose text is the article: most sentence text in its own paragraphs, few links."""
    scores: dict[Any, float] = {}
    for element in body.iter(*_TEXT_TAGS):
        own = _own_text(element)
        if own < 40:
            continue
        links = sum(len(text_of(link)) for link in element.iter("a") if link.getparent() is element)
        value = own - 2 * links
        if value <= 0:
            continue
        # a paragraph counts for its container: the article is many paragraphs in one parent
        leaf = not any(isinstance(child.tag, str) and child.tag in _BLOCK_TAGS for child in element)
        parent = element.getparent() if element.tag in ("p", "li", "dd", "span", "font") or leaf else element
        if parent is None:
            parent = element
        scores[parent] = scores.get(parent, 0.0) + value
    if not scores:
        return None
    return max(scores, key=lambda element: scores[element])


def _describe(element: Any) -> str:
    text = text_of(element)
    return text if len(text) <= 300 else text[:297] + "…"


def _heading_text(element: Any) -> str | None:
    """The text of an element that works as a heading: h1–h6, or a short bold or title-like line."""
    tag = element.tag if isinstance(element.tag, str) else ""
    text = text_of(element)
    if not text or len(text) > 80:
        return None
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6", "dt", "legend", "caption"):
        return text
    classes = (element.get("class") or "") + " " + (element.get("id") or "")
    if re.search(r"title|head", classes, re.IGNORECASE) and len(element) <= 2:
        return text
    return None


class Pruner:
    """Removes boilerplate blocks from a parsed page (in place) and remembers each removal."""

    def __init__(self, body: Any) -> None:
        self.body = body
        self.removed: list[Removal] = []
        main = main_block(body)
        self.protected: set[Any] = set()
        self.main = main
        while main is not None:
            self.protected.add(main)
            main = main.getparent()
        self.inside_main = set(self.main.iter()) if self.main is not None else set()

    def drop(self, element: Any, reason: str) -> None:
        if element in self.protected or element.getparent() is None or element.tag in ("body", "html", "main"):
            return
        text = _describe(element)
        if text:
            self.removed.append(Removal(text, reason))
        element.drop_tree()

    def run(self) -> list[Removal]:
        self.structural()
        self.by_class()
        self.comment_headings()
        self.thread_replies()
        self.link_lists()
        return self.removed

    def structural(self) -> None:
        for element in list(self.body.iter("nav", "aside", "header", "footer", "menu")):
            if element.getparent() is None:
                continue
            tag = element.tag
            if tag == "header" and (element in self.protected or self._holds_main_heading(element)):
                continue
            reason = {"nav": "navigation", "menu": "navigation", "aside": "aside (sidebar)",
                      "header": "page header", "footer": "footer"}[tag]
            self.drop(element, reason)
        for element in list(self.body.xpath("//*[@role]")):
            role = _ROLES.get((element.get("role") or "").strip().lower())
            if role and element.getparent() is not None:
                self.drop(element, role)
        for element in list(self.body.xpath("//*[@itemtype]")):
            if "comment" in (element.get("itemtype") or "").lower() and element.getparent() is not None:
                self.drop(element, "reader comments (schema.org/Comment)")

    def _holds_main_heading(self, element: Any) -> bool:
        return any(h1 in self.inside_main or self.main is None for h1 in element.iter("h1")) and len(text_of(element)) < 400

    def by_class(self) -> None:
        for element in list(self.body.iter()):
            if not isinstance(element.tag, str) or element.getparent() is None or element in self.protected:
                continue
            names = f"{element.get('class') or ''} {element.get('id') or ''}".strip()
            if not names:
                continue
            for pattern, reason in _CLASS_RULES:
                if pattern.search(names):
                    if reason == "page furniture" and (
                        (element in self.inside_main and link_density(element) < 0.5)
                        or (link_density(element) < 0.25 and len(text_of(element)) >= 150)
                    ):
                        break  # a text block in a "widget" or "sidebar" box can be the article's own
                    self.drop(element, reason)
                    break

    def comment_headings(self) -> None:
        """A "comments" heading and every block after it in its container (the comment thread)."""
        for element in list(self.body.iter()):
            if element.getparent() is None or element in self.protected:
                continue
            text = _heading_text(element)
            if not text or not COMMENTS_HEADING.search(text):
                continue
            parent = element.getparent()
            following = [sibling for sibling in element.itersiblings() if sibling not in self.protected]
            self.drop(element, "comments heading")
            for sibling in following:
                self.drop(sibling, "reader comments (under a comments heading)")
            if parent is not None and parent not in self.protected and not text_of(parent):
                parent.drop_tree()

    def thread_replies(self) -> None:
        """Runs of three or more sibling blocks built alike (a forum thread): keep the main one only."""
        if self.main is None:
            return
        for parent in list(self.body.iter()):
            if parent.getparent() is None and parent is not self.body:
                continue
            children = [child for child in parent if isinstance(child.tag, str)]
            groups: dict[tuple[str, str], list[Any]] = {}
            for child in children:
                groups.setdefault((child.tag, child.get("class") or ""), []).append(child)
            for (tag, _), members in groups.items():
                if len(members) < 3 or tag not in ("div", "article", "li", "table", "section"):
                    continue
                if not all(sum(1 for child in member if isinstance(child.tag, str)) >= 2 for member in members):
                    continue  # paragraphs written as divs, not posts
                holders = [member for member in members if member in self.protected]
                if len(holders) != 1:
                    continue
                for member in members:
                    if member not in self.protected:
                        self.drop(member, "reply in a thread (blocks built like the main post)")

    def link_lists(self) -> None:
        """Blocks that are mostly links (lists of other articles, menus) and the headings above them."""
        for element in list(self.body.iter("ul", "ol", "dl", "div", "table", "section", "p", "td")):
            if element.getparent() is None or element in self.protected:
                continue
            text = text_of(element)
            if not text:
                continue
            links = list(element.iter("a"))
            density = link_density(element)
            many = len(links) >= 2 and density >= 0.5
            single = len(links) == 1 and density >= 0.6 and len(text) < 200
            if not (many or single):
                continue
            previous = element.getprevious()
            heading = _heading_text(previous) if previous is not None else None
            if previous is not None and heading and previous not in self.protected:
                if many or RELATED_HEADING.search(heading):
                    self.drop(previous, "heading of a list of other articles")
            self.drop(element, "list of links (other articles or menus)" if many else "link to another article")
        for element in list(self.body.iter("h1", "h2", "h3", "h4", "h5", "h6")):
            if element.getparent() is not None and element not in self.protected and RELATED_HEADING.search(text_of(element)):
                following = element.getnext()
                self.drop(element, "heading of a list of other articles")
                if following is not None and following not in self.protected and link_density(following) >= 0.3:
                    self.drop(following, "list of other articles")


def prune_page(body: Any) -> list[Removal]:
    """Remove boilerplate blocks from ``body`` (a parsed page, changed in place); the removals."""
    return Pruner(body).run()
