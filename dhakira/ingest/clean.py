"""Clean text: whitespace, invisible characters, site chrome; paragraphs separated by a blank line."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from dhakira.documents import Paragraph
from dhakira.text.normalise import letter_counts, script_of_letters

# Deleted: control characters (bar tab and newline), zero-width characters, the BOM, soft hyphens and
# bidi controls (invisible, and bidi overrides can disguise text).
_DELETE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u2060\ufeff\u180e\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c\u00ad]+"
)
# A run of spaces becomes one space: only the runs that change (two or more, or one other space) are matched,
# and the pattern starts with a character set, which the regex engine scans for.
_SPACES = re.compile("[ \t\xa0\u1680\u2000-\u200a\u202f\u205f\u3000]"
                     "(?:[ \t\xa0\u1680\u2000-\u200a\u202f\u205f\u3000]+|(?<=[\t\xa0\u1680\u2000-\u200a\u202f\u205f\u3000]))")
_PRESENTATION_FORMS = re.compile("[\ufb00-\ufb06\ufb50-\ufdff\ufe70-\ufefc]+")

_EXACT_CHROME = frozenset(
    line.casefold()
    for line in (
        # page furniture
        "top of page", "bottom of page", "skip to main content", "skip to content", "skip to navigation",
        "skip to main navigation", "back to top", "go to top", "scroll to top", "return to top",
        "menu", "open menu", "close menu", "main menu", "toggle navigation", "search", "search…",
        "log in", "login", "sign in", "sign up", "subscribe", "close", "more", "read more", "continue reading",
        "next", "previous", "next post", "previous post", "older posts", "newer posts", "recent posts",
        "see all", "view all", "all posts", "post not marked as liked", "comments", "0 comments",
        "write a comment", "leave a comment", "leave a reply", "home",
        # sharing
        "share", "share this", "share this post", "share this article", "share this page", "share on",
        "share via", "print", "print this page", "copy link", "link copied", "tweet", "email", "e-mail",
        "facebook", "twitter", "x", "linkedin", "whatsapp", "telegram", "instagram", "youtube", "pinterest",
        # cookie banners
        "accept", "accept all", "accept all cookies", "accept cookies", "reject", "reject all", "decline",
        "manage cookies", "cookie settings", "manage preferences", "got it", "ok", "i agree", "allow all",
        # Arabic equivalents
        "إلى أعلى الصفحة", "أعلى الصفحة", "الانتقال إلى المحتوى", "انتقل إلى المحتوى", "تخطى إلى المحتوى",
        "تخطي إلى المحتوى الرئيسي", "القائمة", "القائمة الرئيسية", "بحث", "ابحث", "شارك", "مشاركة",
        "شارك الخبر", "شارك المقال", "طباعة", "اطبع", "اقرأ المزيد", "اقرأ أيضا", "اقرأ أيضاً",
        "تسجيل الدخول", "اشترك", "اشترك الآن", "موافق", "قبول", "أوافق", "رفض", "نسخ الرابط",
        "تم نسخ الرابط", "الرئيسية", "فيسبوك", "تويتر", "واتساب", "تلغرام", "تيليغرام", "يوتيوب",
    )
)
_SOCIAL = (
    r"facebook|twitter|x|linkedin|whatsapp|telegram|instagram|youtube|pinterest|reddit|e-?mail|print|"
    r"فيسبوك|فيس بوك|تويتر|واتساب|تلغرام|تيليغرام|يوتيوب|البريد الإلكتروني"
)
_PATTERN_CHROME = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        rf"^(?:share|post|send|tweet|pin)(?: this| it)?(?: (?:article|post|page|story))? (?:on|to|via|with) (?:{_SOCIAL})\b",
        rf"^(?:شارك|شاركها|مشاركة|انشر)(?: \S+)? (?:على|عبر|في) (?:{_SOCIAL})",
        rf"^(?:(?:{_SOCIAL})[\s|•·,/]*){{2,}}$",
        r"^(?:©|\(c\)|copyright\b|جميع الحقوق محفوظة|حقوق النشر)",
        r"\ball rights reserved\b|جميع الحقوق محفوظة|proudly (?:created|made) with wix|created with wix\.com",
        r"^powered by \S+",
        r"\b(?:subscribe|sign up)(?: to| for)? (?:our|the) (?:newsletter|mailing list)\b|\bjoin our mailing list\b",
        r"^(?:enter your e-?mail(?: address| here)?|your e-?mail(?: address)?|e-?mail address)\s*\*?$",
        r"^thanks? (?:you )?for (?:subscribing|submitting|signing up)!?$",
        r"اشترك (?:في|ب)(?:ال)?(?:نشرة|قائمة) (?:ال)?بريدية|النشرة البريدية",
        r"^\d+ (?:views?|comments?|likes?)$",
        r"^\d+ min(?:ute)? read$",
    )
)
_COOKIE = re.compile(r"\bcookies?\b|ملفات تعريف الارتباط|ملفات الارتباط|الكوكيز", re.IGNORECASE)
_ONLY_MARKS = re.compile(r"^[\W_]*$")
_LINE_EDGES = re.compile(" \n ?|\n ")  # a space at either side of a line break (a bare line break stays as it is)


def normalise_whitespace(text: str) -> str:
    """Line endings to ``\\n``, no invisible or control characters, one space between words, trimmed lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n").replace("\x0c", "\n\n").replace("\x0b", "\n")
    text = _DELETE.sub("", text)
    text = _PRESENTATION_FORMS.sub(lambda match: unicodedata.normalize("NFKC", match.group()), text)
    text = _SPACES.sub(" ", text)
    return _LINE_EDGES.sub("\n", text).strip(" ")


def is_chrome_line(line: str) -> bool:
    """True for a line that is site furniture: skip links, share widgets, cookie banners, copyright…"""
    stripped = line.strip().strip("|•·»«>-–—:").strip()
    if not stripped:
        return bool(line.strip())
    folded = stripped.casefold()
    if folded in _EXACT_CHROME:
        return True
    if len(stripped) >= 300:
        return False
    if _COOKIE.search(stripped):
        return True
    if len(stripped) > 200:
        return False
    return any(pattern.search(stripped) for pattern in _PATTERN_CHROME)


def clean_text(text: str, *, drop: Iterable[str] = (), normalised: bool = False) -> str:
    """The clean text: whitespace normalised, chrome lines dropped, paragraphs separated by ``\\n\\n``.

    Lines in one paragraph stay separated by ``\\n``; a dropped line ends its paragraph. ``drop``
    adds exact lines to remove (e.g. a site's own boilerplate); ``normalised=True`` says the text has
    already been through :func:`normalise_whitespace`.
    """
    extra = {line.strip().casefold() for line in drop}
    paragraphs: list[str] = []
    current: list[str] = []
    for line in (text if normalised else normalise_whitespace(text)).split("\n"):
        if not line or is_chrome_line(line) or line.casefold() in extra or _ONLY_MARKS.match(line):
            if current:
                paragraphs.append("\n".join(current))
                current = []
            continue
        current.append(line)
    if current:
        paragraphs.append("\n".join(current))
    return "\n\n".join(paragraphs)


def paragraphs_of(text: str) -> list[Paragraph]:
    """Spans of the paragraphs of a clean text (blocks separated by blank lines) with their language."""
    return paragraphs_and_script(text)[0]


def paragraphs_and_script(text: str) -> tuple[list[Paragraph], str]:
    """``paragraphs_of(text)`` and ``script_of(text)`` in one pass: the blank lines between paragraphs hold no
    letter, so the whole text's letters are those of its paragraphs, counted once."""
    result: list[Paragraph] = []
    position = 0
    arabic = latin = 0
    for block in re.split(r"\n[ \t]*\n", text):
        start = text.find(block, position) if block else position
        end = start + len(block)
        stripped = block.strip()
        if stripped:
            lead = len(block) - len(block.lstrip())
            counts = letter_counts(stripped)
            arabic += counts[0]
            latin += counts[1]
            result.append(Paragraph(start + lead, start + lead + len(stripped), script_of_letters(*counts)))
        position = end
    return result, script_of_letters(arabic, latin)
