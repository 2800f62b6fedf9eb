"""Places and organisations: gazetteer and lexicon matches resolved to knowledge-base entries.

Both lexicons run over the same tokens; where a place and an organisation overlap the longer
phrase wins ("Damascus University" is an organisation, "سجن حمص المركزي" a facility, not "حمص").
Weak places (villages, neighbourhoods, names that are common words) need a cue next to them
("village of X", "حي X", "X district"); a name glued to "-based" or "-led" is an adjective, not a place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from dhakira.extract.context import Context
from dhakira.knowledge import Match, Organisation, Place, TextToken

_CUES_BEFORE = {
    "مدينه", "بلده", "قريه", "حي", "منطقه", "ريف", "مخيم", "ناحيه", "مدن", "بلدات", "قرى", "احياء", "ضاحيه",
    "town", "village", "city", "district", "neighbourhood", "neighborhood", "suburb", "camp", "area", "towns",
    "villages",
}
_CUES_OF = {"of", "in"}
_CUES_AFTER = {"town", "village", "district", "neighbourhood", "neighborhood", "suburb", "camp", "area", "city"}


@dataclass(frozen=True)
class PlaceMention:
    """A place named in the text."""

    start: int
    end: int
    text: str
    place: Place
    rule: str


@dataclass(frozen=True)
class OrganisationMention:
    """An organisation named in the text."""

    start: int
    end: int
    text: str
    organisation: Organisation
    rule: str


_Mention = TypeVar("_Mention", PlaceMention, OrganisationMention)
_Entry = TypeVar("_Entry", Place, Organisation)


def _forms(token: TextToken) -> frozenset[str]:
    return token.names


def _cued(context: Context, match: Match[Place]) -> bool:
    toks = context.tokens
    if match.first > 0:
        before = toks[match.first - 1]
        if _forms(before) & _CUES_BEFORE:
            return True
        if match.first > 1 and _forms(before) & _CUES_OF and _forms(toks[match.first - 2]) & _CUES_BEFORE:
            return True
    if match.last + 1 < len(toks) and _forms(toks[match.last + 1]) & _CUES_AFTER:
        return not toks[match.last + 1].arabic
    return False


_ADJECTIVE_SUFFIX = re.compile(r"-(?:based|backed|led|born|made|run|controlled|held|affiliated|linked|allied)\b",
                               re.IGNORECASE)


def find_entities(context: Context) -> tuple[list[PlaceMention], list[OrganisationMention]]:
    """Every place and organisation mention of the text, without overlaps."""
    text, toks = context.text, context.tokens
    candidates: list[tuple[int, int, int, Match[Any], str]] = []
    place_lexicon, organisation_lexicon = context.kb.place_lexicon, context.kb.organisation_lexicon
    for index in sorted({*place_lexicon.starts_in(toks), *organisation_lexicon.starts_in(toks)}):
        for match in place_lexicon.matches_at(toks, index, text):
            if match.payload.weak and not _cued(context, match):
                continue
            if _ADJECTIVE_SUFFIX.match(text, match.end):
                break  # "Britain-based", "US-led": an adjective, not a place
            candidates.append((match.first, match.last, 1, match, "place"))
            break
        for organisation_match in organisation_lexicon.matches_at(toks, index, text):
            candidates.append((organisation_match.first, organisation_match.last, 0, organisation_match, "org"))
            break
    # Longest first; on a tie an organisation wins over a place ("Syria Today", "سوريا اليوم" are outlets).
    candidates.sort(key=lambda item: (-(item[1] - item[0]), item[0], item[2]))
    taken = [False] * len(toks)
    places: list[PlaceMention] = []
    organisations: list[OrganisationMention] = []
    for first, last, _, match, kind in candidates:
        if any(taken[first:last + 1]):
            continue
        for index in range(first, last + 1):
            taken[index] = True
        start = _after_quote(context, match, kind)
        surface = text[start:match.end]
        if kind == "place":
            places.append(PlaceMention(start, match.end, surface, match.payload, "gazetteer:" + match.phrase))
        else:
            organisations.append(
                OrganisationMention(start, match.end, surface, match.payload, "lexicon:" + match.phrase))
    places.sort(key=lambda mention: mention.start)
    organisations.sort(key=lambda mention: mention.start)
    return places, organisations


_QUOTES = "\"“”«»'‘’"


def _after_quote(context: Context, match: Match[Any], kind: str) -> int:
    """Where the name starts once a descriptor before an opening quote is left out.

    'وكالة "فرانس برس"' reads as the name "فرانس برس" when that alone names the same entry.
    """
    text = context.text
    inner = text[match.start:match.end]
    position = max(inner.rfind(quote) for quote in _QUOTES)
    if position <= 0:
        return match.start
    start = match.start + position + 1
    rest = text[start:match.end].strip()
    kb = context.kb
    found = kb.place_by_name(rest) if kind == "place" else kb.organisation_by_name(rest)
    if found is not None and found == match.payload:
        return start
    return match.start


def _best_surface(texts: list[str]) -> str:
    """The first surface form, unless a later one is a fuller name (more words)."""
    best = texts[0]
    for candidate in texts[1:]:
        if len(candidate.split()) > len(best.split()):
            best = candidate
    return best


def _grouped_by_entry(mentions: Sequence[_Mention], entry_of: Callable[[_Mention], _Entry],
                      details: Callable[[_Entry], dict[str, Any]]) -> list[dict[str, Any]]:
    """Mentions grouped per knowledge-base entry, each group as one object of the extraction contract."""
    grouped: dict[str, list[_Mention]] = {}
    for mention in mentions:
        grouped.setdefault(entry_of(mention).id, []).append(mention)
    result = []
    for group in grouped.values():
        entry = entry_of(group[0])
        result.append({
            "text": _best_surface([mention.text for mention in group]),
            "canonical_en": entry.name_en,
            "canonical_ar": entry.name_ar,
            "id": entry.id,
            **details(entry),
            "spans": [[mention.start, mention.end] for mention in group],
            "rule": group[0].rule,
        })
    return result


def places_output(mentions: list[PlaceMention]) -> list[dict[str, Any]]:
    """Place mentions grouped per knowledge-base entry, in the shape of the extraction contract."""
    return _grouped_by_entry(mentions, lambda mention: mention.place, lambda place: {
        "kind": place.kind, "pcode": place.pcode, "lat": place.lat, "lon": place.lon,
    })


def organisations_output(mentions: list[OrganisationMention]) -> list[dict[str, Any]]:
    """Organisation mentions grouped per entry, in the shape of the extraction contract."""
    return _grouped_by_entry(mentions, lambda mention: mention.organisation,
                             lambda organisation: {"category": organisation.category})
