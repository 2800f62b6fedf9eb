"""Extraction: one Document in, one object of the extraction contract out (see docs/extraction.md).

Public API: :func:`extract_document`, :func:`extract_text` and :data:`SCHEMA`; :mod:`dhakira.extract.run`
reads files and manifests.

The steps, each a pure function over a shared :class:`~dhakira.extract.context.Context`:
places and organisations (:mod:`.entities`), persons (:mod:`.persons`), issuer, type and date of the
document (:mod:`.metadata`), event triggers (:mod:`.events`), dates (:mod:`.dates`), counts
(:mod:`.counts`) and incidents (:mod:`.incidents`). Every output item keeps the rule that produced it.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from dhakira.documents import Document
from dhakira.extract.context import Context
from dhakira.extract.entities import find_entities, organisations_output, places_output
from dhakira.extract.events import find_events, mark_background, salient
from dhakira.extract.incidents import DateInfo, appeal_of_the_document, build_incidents, figure_sentences
from dhakira.extract.metadata import document_type, issuer, publication, title_of
from dhakira.extract.named_organisations import find_named_organisations
from dhakira.extract.named_places import find_named_places
from dhakira.extract.persons import find_persons, persons_output

SCHEMA = "dhakira.extraction/1"

__all__ = ["SCHEMA", "empty_result", "extract_document", "extract_text"]


def empty_result(*, path: str | None = None, sha256: str | None = None, media_type: str | None = None,
                 error: str | None = None) -> dict[str, Any]:
    """The contract object with nothing found (and ``error`` set when the file could not be read)."""
    return {
        "schema": SCHEMA,
        "source": {"path": path, "sha256": sha256, "media_type": media_type},
        "document": {"language": None, "title": None, "issuer": None, "doc_type": None, "published": None},
        "places": [],
        "organisations": [],
        "persons": [],
        "incidents": [],
        "error": error,
    }


def _anchor(value: str | None, precision: str | None, from_text: bool) -> datetime.date | None:
    if not value or precision != "day" or not from_text:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


_BOUND_BEFORE = re.compile(
    r"(?:\b(?:before|until|till|prior to|no later than|by)|(?:^|\s)(?:قبل|حتى|لغاية|وحتى|لحين))\s+(?:the\s+)?$",
    re.IGNORECASE)


_PERIOD_OPEN = re.compile(r"(?:\b(?:from|between)|(?:^|\s)(?:من|بين|منذ|ما\s+بين))\s+(?:the\s+)?$", re.IGNORECASE)
_PERIOD_JOIN = re.compile(r"^\s*(?:to|until|till|through|and|[-–—]|الى|إلى|حتى|و|ولغاية|وحتى)\s*$", re.IGNORECASE)


def _period_bounds(text: str, mentions: list[Any]) -> set[int]:
    """Indexes of the dates that bound a period ("from 10 March 2011 to 30 November 2015", «بين … و…»).

    A period a report covers is not the date of one event.
    """
    bounds: set[int] = set()
    for index in range(len(mentions) - 1):
        first, second = mentions[index], mentions[index + 1]
        if _PERIOD_JOIN.match(text[first.end:second.start]) and \
                _PERIOD_OPEN.search(text[max(0, first.start - 20):first.start]):
            bounds.update((index, index + 1))
    return bounds


# The date and count finders are imported on first use: compiling their patterns takes a large share of
# a second, which importing dhakira.extract (as the web application does at start-up) should not pay.
def _date_mentions(context: Context, anchor: datetime.date | None) -> list[Any]:
    from dhakira.text.dates import find_dates

    return find_dates(context.text, language=context.language, anchor=anchor)


def _incident_dates(context: Context, anchor: datetime.date | None, mentions: list[Any]) -> list[DateInfo]:
    result = []
    periods = _period_bounds(context.text, mentions)
    for index, mention in enumerate(mentions):
        if mention.precision == "year" or index in periods:
            continue
        if mention.relative and anchor is None:
            continue
        if _BOUND_BEFORE.search(context.text[max(0, mention.start - 20):mention.start]):
            continue  # "committed before 30 April 2022": a bound, not the date of an event
        result.append(DateInfo(mention.start, mention.end, mention.value, mention.precision,
                               publication=anchor is not None and mention.value == anchor.isoformat()))
    return result


def _counts(context: Context, date_mentions: list[Any]) -> list[Any]:
    from dhakira.extract.counts import find_counts
    from dhakira.extract.quantities import find_duals, find_vague

    counts: list[Any] = find_counts(context.text, language=context.language, dates=date_mentions)
    if context.language == "ar":
        counts += [dual for dual in find_duals(context.text)
                   if not any(dual.start < c.end and c.start < dual.end for c in counts)]
    counts += find_vague(context.text)
    return sorted(counts, key=lambda c: c.start)


def _usual_type(context: Context, found: dict[str, Any] | None) -> str | None:
    """The usual document type of the organisation the text names as its author (SNHR publishes reports)."""
    if not found or not found.get("id"):
        return None
    for publisher in context.kb.publishers.values():
        if publisher.organisation.id == found["id"] and publisher.doc_type:
            return publisher.doc_type
    return None


_REPUBLISHED_STATEMENT = re.compile(r"(?i)(?:نص\s+)?البيان\s+الذي|نص\s+البيان|(?:text\s+of\s+)?the\s+(?:joint\s+)?statement\s+"
                                   r"(?:issued|released|published)\s+by")
_OWN_TEXT_RULES = ("letterhead", "signature", "self_report")
_ISSUING_CATEGORIES = frozenset({"ngo", "un", "humanitarian", "intergovernmental"})


def _issued_by_an_organisation(context: Context, found: dict[str, Any] | None) -> bool:
    """True when the text is a rights organisation's own (its letterhead, its signature, or its voice in the
    lead: "RSF condemns …"): with no other cue, such a text is the organisation's press release."""
    if not found or not any(rule in (found.get("rule") or "") for rule in _OWN_TEXT_RULES):
        return False
    organisation = context.kb.organisations.get(found.get("id") or "")
    return organisation is not None and organisation.category in _ISSUING_CATEGORIES


def extract_document(document: Document) -> dict[str, Any]:
    """Everything the document says happened, as the extraction contract's JSON object."""
    language = document.language if document.language in ("ar", "en") else None
    result = extract_text(document.text, language=language, source_url=document.source_url, title=document.title)
    result["source"] = {"path": document.source_name, "sha256": document.sha256, "media_type": document.media_type}
    meta = result["document"]
    if document.published and not meta.get("published"):
        meta["published"] = document.published
    if document.doc_type and meta.get("doc_type_rule") in (None, "default"):
        meta["doc_type"] = document.doc_type
    return result


def extract_text(text: str, *, language: str | None = None, source_url: str | None = None,
                 title: str | None = None) -> dict[str, Any]:
    """Extract from a clean text (``language`` ar/en, guessed when ``None``)."""
    context = Context.of(text, language)
    places, organisations = find_entities(context)
    named = find_named_places(context, places, organisations)
    places = sorted([*(mention for mention in places if not any(mention.start < other.end and other.start < mention.end
                                                                  for other in named)), *named],
                    key=lambda mention: mention.start)
    organisations = sorted([*organisations, *find_named_organisations(context, places, organisations)],
                           key=lambda mention: mention.start)
    persons = find_persons(context, places, organisations)
    # "By Lina Haddad and Omar Khatib": a word of a byline's name is no place.
    bylines = [person for person in persons if person.rule in ("byline", "alias")]
    places = [mention for mention in places
              if not any(person.start <= mention.start and mention.end <= person.end for person in bylines)]
    title = title_of(context, title)
    published, precision, from_text = publication(context, source_url, title)
    anchor = _anchor(published, precision, from_text)
    publisher = context.kb.publisher_for_url(source_url)
    the_issuer = issuer(context, source_url, organisations)
    usual_type = publisher.doc_type if publisher else _usual_type(context, the_issuer)
    doc_type, doc_type_rule = document_type(context, source_url, usual_type)
    if doc_type_rule == "default" and _issued_by_an_organisation(context, the_issuer):
        doc_type, doc_type_rule = "press_release", "issuer_own_text"
    if the_issuer and "republished" in (the_issuer.get("rule") or "") and \
            _REPUBLISHED_STATEMENT.search(context.text[:600]) and not doc_type_rule.startswith("url_path"):
        # «تنشر عنب بلدي نص البيان الذي أصدرته …», "publishes the statement issued by …": the text is that statement.
        doc_type, doc_type_rule = "statement", "republished_statement"
    date_mentions = _date_mentions(context, anchor)
    dates = _incident_dates(context, anchor, date_mentions)
    counts = _counts(context, date_mentions)
    anchors = [m.start for m in [*places, *organisations, *persons, *dates, *counts]]
    year = int(published[:4]) if published and published[:4].isdigit() else None
    claims = mark_background(context, salient(context, find_events(context, places, organisations), anchors), year,
                             figure_sentences(context, counts))
    events = [event for event in claims if event.status in ("asserted", "background")]
    unasserted = [event for event in claims if event.status not in ("asserted", "background", "advocacy")]
    incidents = build_incidents(context, events, places, organisations, dates, counts, unasserted)
    if not any("appeal_call" in incident["event_types"] for incident in incidents):
        calls = [event for event in claims if event.status == "advocacy"]
        appeal = appeal_of_the_document(context, calls, dates, published, precision)
        if appeal is not None:
            incidents.append(appeal)
    result = empty_result()
    result["document"] = {
        "language": context.language,
        "title": title,
        "issuer": the_issuer,
        "doc_type": doc_type,
        "doc_type_rule": doc_type_rule,
        "published": published,
        "published_precision": precision,
        "published_rule": ("dateline" if from_text else "source_url") if published else None,
    }
    result["places"] = places_output(places)
    result["organisations"] = organisations_output(organisations)
    result["persons"] = persons_output(persons, context.text)
    result["incidents"] = incidents
    result["event_claims"] = [
        {"event_types": list(claim.event_types), "status": claim.status, "text": claim.text,
         "span": [claim.start, claim.end], "rule": claim.rule}
        for claim in claims if claim.status not in ("asserted", "background")]
    return result
