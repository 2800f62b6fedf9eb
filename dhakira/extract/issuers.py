"""The issuer of a document: who published it, and whose text it carries.

Two parties can stand behind one document: the *publisher* (the site or outlet it was taken from)
and the *origin* (the agency or organisation whose text it is: "Dawn" republishing an AFP story, an
outlet printing an NGO's statement). The evidence, strongest first:

1. the source URL's domain, through the publisher registry (``publishers.csv``);
2. a republication note: "originally published by X", "Source: X", «تنشر Y نص البيان الذي أصدرته X»;
3. a credit in the first lines: an agency tag on the dateline ("BEIRUT (AP) —", «حماة (سمارت) -»,
   "Daraa, SANA –", «نيويورك/ الأناضول», «روزنة - دمشق»), a byline ("By Reuters staff", "FRANCE 24
   with AFP") or a line that is only an outlet's name;
4. a letterhead: one of the first lines is an organisation's name (any kind of organisation);
5. a signature: one of the last lines is an organisation's name ("— Syrian Network for Human Rights",
   "Reporters Without Borders");
6. the organisation speaking of its own release in the lead: "X said in a report published today",
   "X released its monthly report today", «أصدرت X اليوم تقريرها».

With a registry publisher and a different origin found by rules 2, 3 or 5, the issuer is written
"Publisher (Origin)", the way the evaluation set names republications; otherwise the publisher alone,
or the origin alone when there is no URL. A story copied onto a blog platform (blogspot, wordpress …)
is "Origin (reposted on blog)". The object keeps both parties and the rule that decided.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from dhakira.extract.context import Context
from dhakira.extract.entities import OrganisationMention
from dhakira.knowledge import Organisation

_HEAD_CHARS = 700
_HEAD_LINES = 8
_TAIL_LINES = 4
_MEDIA = frozenset({"media", "platform"})
_BLOG_HOSTS = (".blogspot.com", ".wordpress.com", ".tumblr.com", "medium.com", ".blogger.com", ".livejournal.com")

# "(AFP) –", "(سمارت) -": a credit in brackets followed by a dash or a colon.
_AFTER_TAG = re.compile(r"\s*\)\s*[-–—:]")
# What may stand on a dateline line around an outlet's name: a place, a date, dashes, slashes.
_DATELINE_REST = re.compile(r"[\w\s.,،'’\-–—ـ/|:«»\"]{0,45}")
_DASH_OR_SLASH = re.compile(r"[-–—ـ/|]")
# A wire agency's credit ending a line of the head: "… after the assault. — AFP", "(Photo: AFP)".
_WIRE_CREDIT_AFTER = re.compile(r"\s*\)?\s*$")
_WIRE_CREDIT_BEFORE = re.compile(r"(?:[—–]\s*|\(\s*photo\s*:\s*)$", re.IGNORECASE)
_WIRES = frozenset({"org:afp", "org:ap", "org:reuters"})
# An agency abbreviation opening the text: «ف ب/ نجحت …», «أ ف ب - …».
_LEADING_AGENCY = re.compile(r"^\s*(ف ب|ا ف ب|أ ف ب|رويترز|سانا|الأناضول)\s*[/-]")
_BY_STAFF = re.compile(r"(?i)^\s*(?:by\s+)?$")
_STAFF_AFTER = re.compile(r"(?i)^\s*(?:staff|team|reporters?|correspondents?|newsroom|desk)?\s*$")
_WITH_AGENCY = re.compile(r"(?i)^\s*(?:with|and|/)\s*$")
_REPUBLISHED = re.compile(
    r"(?i)(?:originally (?:published|issued) by|first published by|republished (?:here )?(?:with permission )?from|"
    r"^\s*source\s*:)")
_AR_REPUBLISHED = re.compile(r"(?:نص البيان|نص التقرير|نص الرسالة)\s+(?:الذي|التي)\s+(?:أصدرته|اصدرته|أصدرها|نشرته)|"
                             r"(?:البيان|التقرير)\s+الصادر\s+عن")
_SELF_EN = re.compile(
    r"(?i)\b(?:today|this week)\b|\b(?:welcomes|condemns|calls on|calls for|urges|documented|documents)\b|"
    r"\b(?:we|our|has learned|have learned)\b")
_SELF_EN_RELEASE = re.compile(r"(?i)\b(?:report|statement|release|briefing|study|findings)\b|"
                              r"\b(?:welcomes|condemns|we|our|has learned|have learned)\b")
_SELF_AR = re.compile(r"اليوم|\b(?:تدين|ترحب|يدين|يرحب)\b")
_SELF_AR_RELEASE = re.compile(r"(?:أصدر|اصدر|تقرير|بيان|وثق|وثّق|قالت|قال|تدين|ترحب|يدين|يرحب)")


_OWN_DOCUMENT_EN = re.compile(
    r"(?i)\b(?:report|statement|briefing|study|press\s+release)\s+(?:\w+\s+){0,2}(?:released|published|issued)\b|"
    r"\b(?:released|published|issued)\s+(?:\w+\s+){0,3}(?:report|statement|briefing|study)\b")
_OWN_DOCUMENT_AR = re.compile(r"(?:أصدر|اصدر|نشر)\w*\s+(?:\S+\s+){0,3}(?:تقرير|بيان)|(?:تقرير|بيان)\w*\s+(?:\S+\s+){0,2}"
                              r"(?:أصدر|اصدر|نشر)")


def _own_document(context: Context, organisations: list[OrganisationMention], organisation_id: str) -> bool:
    """True when a sentence of the lead has the organisation speak of a document it released."""
    pattern = _OWN_DOCUMENT_AR if context.language == "ar" else _OWN_DOCUMENT_EN
    limit = min(len(context.text), _HEAD_CHARS + 300)
    for sentence_start, sentence_end in context.sentences[:6]:
        if sentence_start > limit:
            break
        if pattern.search(context.text, sentence_start, sentence_end) and any(
                mention.organisation.id == organisation_id for mention in _in(organisations, sentence_start,
                                                                                 sentence_end)):
            return True
    return False


@dataclass(frozen=True)
class Found:
    """An organisation the text names as its author; ``via`` is the outlet the text says carries it."""

    organisation: Organisation
    written: str
    rule: str
    via: OrganisationMention | None = None


def find_issuer(context: Context, url: str | None, organisations: list[OrganisationMention]) -> dict[str, Any] | None:
    """The issuer object of the extraction contract (with ``publisher``, ``origin`` and ``rule``), or ``None``."""
    publisher = context.kb.publisher_for_url(url)
    found = origin_from_text(context, organisations)
    if publisher is not None:
        host = urlsplit(url or "").hostname or publisher.domain
        site = publisher.organisation
        rule = "publisher_registry:" + publisher.domain
        if found is not None:
            origin, written, text_rule = found.organisation, found.written, found.rule
            combinable = text_rule in ("republished", "credit", "signature") or (
                text_rule in ("letterhead", "self_report") and site.category in _MEDIA and
                origin.category not in _MEDIA)
            if origin.id != site.id and combinable and site.category in _MEDIA:
                return {
                    "text": written,
                    "name": f"{site.name_en} ({written})",
                    "canonical_en": f"{site.name_en} ({origin.name_en})",
                    "id": site.id,
                    "publisher": _party(site, host),
                    "origin": _party(origin, written),
                    "rule": rule + "+" + text_rule,
                }
            if origin.id != site.id and site.category not in _MEDIA and origin.category not in _MEDIA and \
                    text_rule in ("letterhead", "self_report", "signature"):
                # An organisation's site carrying a body it hosts (OHCHR and the Commission of Inquiry).
                return {**_party(origin, written), "publisher": _party(site, host), "origin": _party(origin, written),
                        "rule": rule + "+" + text_rule}
        if _own_document(context, organisations, site.id):
            # The site's organisation speaks of its own document in the lead ("said in a report released today"):
            # its own text, not news it carries.
            rule += "+self_report"
        return {**_party(site, host), "publisher": _party(site, host), "origin": None, "rule": rule}
    if found is None:
        return None
    origin, written = found.organisation, found.written
    host = (urlsplit(url).hostname or "") if url else ""
    if host.endswith(_BLOG_HOSTS):
        # A story copied onto a personal blog: the origin, marked as a repost.
        return {"text": written, "name": f"{written} (reposted on blog)",
                "canonical_en": f"{origin.name_en} (reposted on blog)", "id": origin.id,
                "publisher": {"text": host, "canonical_en": None, "id": None}, "origin": _party(origin, written),
                "rule": "blog_repost+" + found.rule}
    if found.via is not None and found.via.organisation.id != origin.id:
        site = found.via.organisation
        return {
            "text": written,
            "name": f"{site.name_en} ({written})",
            "canonical_en": f"{site.name_en} ({origin.name_en})",
            "id": site.id,
            "publisher": _party(site, found.via.text),
            "origin": _party(origin, written),
            "rule": found.rule,
        }
    return {**_party(origin, written), "publisher": None, "origin": _party(origin, written), "rule": found.rule}


def _party(organisation: Organisation, written: str) -> dict[str, Any]:
    return {"text": written, "canonical_en": organisation.name_en, "id": organisation.id}


def origin_from_text(context: Context, organisations: list[OrganisationMention]) -> Found | None:
    """The organisation the text itself names as its author, with the words and the rule that say so."""
    text = context.text
    lines = _lines(text)
    head_lines = [line for line in lines if line[0] < _HEAD_CHARS][:_HEAD_LINES]
    tail_lines = lines[-_TAIL_LINES:] if len(lines) > _HEAD_LINES else []
    for rule in (_republished, _credit, _letterhead, _signature, _self_report):
        found = rule(context, organisations, head_lines, tail_lines)
        if found is not None:
            return found
    return None


def _lines(text: str) -> list[tuple[int, int]]:
    spans = []
    position = 0
    for raw in text.split("\n"):
        start, end = position, position + len(raw)
        position = end + 1
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans


def _in(organisations: list[OrganisationMention], start: int, end: int) -> list[OrganisationMention]:
    return [m for m in organisations if start <= m.start and m.end <= end]


def _republished(context: Context, organisations: list[OrganisationMention], head: list[tuple[int, int]],
                 tail: list[tuple[int, int]]) -> Found | None:
    text = context.text
    for start, end in [*head, *tail]:
        line = text[start:end]
        match = _REPUBLISHED.search(line)
        if match:
            after = _in(organisations, start + match.end(), end)
            if after:
                return Found(after[0].organisation, after[0].text, "republished")
    for match in _AR_REPUBLISHED.finditer(text, 0, min(len(text), _HEAD_CHARS)):
        after = [m for m in organisations if match.end() <= m.start < match.end() + 80]
        if after:
            sentence = context.sentences[context.sentence_of(match.start())]
            outlets = [m for m in _in(organisations, sentence[0], match.start()) if m.organisation.category in _MEDIA]
            return Found(after[0].organisation, after[0].text, "republished", via=outlets[0] if outlets else None)
    return None


def _credit(context: Context, organisations: list[OrganisationMention], head: list[tuple[int, int]],
            tail: list[tuple[int, int]]) -> Found | None:
    text = context.text
    for start, end in head:
        for mention in _in(organisations, start, end):
            before, after = text[start:mention.start], text[mention.end:end]
            # "BEIRUT (AP) —", "Geneva/Damascus (ICRC) –", "حماة (سمارت) -"
            if before.rstrip().endswith("(") and _AFTER_TAG.match(after):
                return Found(mention.organisation, mention.text, "credit")
            # A paragraph that opens with the organisation and a dash or colon: "Daraa, SANA – Twenty-four …",
            # "Syrian Observatory for Human Rights: SOHR sources have reported …".
            if re.match(r"\s*[-–—ـ:]", after) and len(before) <= 30 and _DATELINE_REST.fullmatch(before) and \
                    (mention.organisation.category in _MEDIA or not before.strip()):
                return Found(mention.organisation, mention.text, "credit")
            if mention.organisation.category not in _MEDIA:
                continue
            bare_before, bare_after = before.strip(" «»\"“”'"), after.strip(" «»\"“”'")
            # A byline: "By Reuters staff", "FRANCE 24 with AFP", a line that is the outlet's name.
            if _BY_STAFF.match(bare_before) and _STAFF_AFTER.match(bare_after):
                return Found(mention.organisation, mention.text, "credit")
            later = [m for m in _in(organisations, mention.end, end)]
            if not bare_before and later and _WITH_AGENCY.match(text[mention.end:later[0].start]):
                return Found(later[0].organisation, later[0].text, "credit", via=mention)
            if mention.organisation.id in _WIRES and _WIRE_CREDIT_BEFORE.search(before) and \
                    _WIRE_CREDIT_AFTER.fullmatch(after):
                return Found(mention.organisation, mention.text, "credit")
            # A dateline: "Daraa, SANA –", «دمشق-سانا», «نيويورك/ الأناضول», «روزنة - دمشق», «عنب بلدي – حماة».
            if _DATELINE_REST.fullmatch(before) and _DATELINE_REST.fullmatch(after) and (
                    _DASH_OR_SLASH.search(before[-3:] + after[:3]) or before.rstrip().endswith((",", "،"))):
                return Found(mention.organisation, mention.text, "credit")
        # A byline "Name - Organisation" («مايا علي - مع العدالة») names the organisation of any kind.
        inside = _in(organisations, start, end)
        if inside and inside[-1].end >= end - 1 and end - start <= 60 and \
                _DASH_OR_SLASH.search(text[max(start, inside[-1].start - 3):inside[-1].start]):
            return Found(inside[-1].organisation, inside[-1].text, "credit")
    leading = _LEADING_AGENCY.match(text)
    if leading:
        organisation = context.kb.organisation_by_name(leading.group(1))
        if organisation is not None:
            return Found(organisation, leading.group(1), "credit")
    return None


def _whole_line(context: Context, organisations: list[OrganisationMention], start: int,
                end: int) -> OrganisationMention | None:
    """The organisation a line consists of (an acronym, a city or "International Secretariat" may follow)."""
    text = context.text
    inside = _in(organisations, start, end)
    if not inside:
        return None
    first = inside[0]
    before = text[start:first.start].strip(" —–-«»\"")
    after = text[first.end:end].strip(" .،,")
    if before:
        return None
    if not after or len(after) <= 40 and not re.search(r"(?i)\b(?:said|says|is|are|was|calls?|welcomes|condemns)\b", after) \
            and not re.search(r"[.:؟?!]", after):
        return first
    return None


def _letterhead(context: Context, organisations: list[OrganisationMention], head: list[tuple[int, int]],
                tail: list[tuple[int, int]]) -> Found | None:
    for start, end in head[:3]:
        mention = _whole_line(context, organisations, start, end)
        if mention is not None:
            return Found(mention.organisation, mention.text, "letterhead")
    return None


def _signature(context: Context, organisations: list[OrganisationMention], head: list[tuple[int, int]],
               tail: list[tuple[int, int]]) -> Found | None:
    for start, end in reversed(tail):
        mention = _whole_line(context, organisations, start, end)
        if mention is not None:
            return Found(mention.organisation, mention.text, "signature")
    return None


def _self_report(context: Context, organisations: list[OrganisationMention], head: list[tuple[int, int]],
                 tail: list[tuple[int, int]]) -> Found | None:
    """The organisation that, in the lead, speaks of its own release ("said in a report published today")."""
    text = context.text
    limit = min(len(text), _HEAD_CHARS + 300)
    arabic = context.language == "ar"
    for sentence_start, sentence_end in context.sentences[:6]:
        if sentence_start > limit:
            break
        sentence = text[sentence_start:sentence_end]
        if arabic:
            if not (_SELF_AR.search(sentence) and _SELF_AR_RELEASE.search(sentence)):
                continue
        elif not (_SELF_EN.search(sentence) and _SELF_EN_RELEASE.search(sentence)):
            continue
        for mention in _in(organisations, sentence_start, sentence_end):
            if mention.organisation.category in ("ngo", "humanitarian", "un", "intergovernmental"):
                return Found(mention.organisation, mention.text, "self_report")
    return None
