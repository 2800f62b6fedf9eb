"""Event mentions: trigger words and phrases of the taxonomy found in the text.

A trigger inside the name of a place or an organisation does not count ("Amnesty International",
"Military Field Court" as the court's name). A trigger right after a word of wish, purpose, fear or
negation ("until they are freed", "لم تطلق سراحهم") does not count either. A weak trigger ("died",
"نقل") counts only in a sentence about detention: one that names a facility or holds a word of the
``_context`` list.
"""

from __future__ import annotations

from dataclasses import dataclass

from dhakira.extract.context import Context
from dhakira.extract.entities import OrganisationMention, PlaceMention


@dataclass(frozen=True)
class EventMention:
    """A trigger found in the text, with every event type it signals."""

    start: int
    end: int
    text: str
    event_types: tuple[str, ...]
    sentence: int
    rule: str


def detention_sentences(context: Context, places: list[PlaceMention]) -> set[int]:
    """Indexes of the sentences that speak about detention, and of their neighbours in the same paragraph."""
    cores = {context.sentence_of(mention.start) for mention in places if mention.place.kind == "facility"}
    for match in context.kb.context_lexicon.find(context.tokens, context.text):
        cores.add(context.sentence_of(match.start))
    result = set(cores)
    for sentence in cores:
        paragraph = context.paragraph_of(context.sentences[sentence][0])
        for neighbour in (sentence - 1, sentence + 1):
            if 0 <= neighbour < len(context.sentences) and \
                    context.paragraph_of(context.sentences[neighbour][0]) == paragraph:
                result.add(neighbour)
    return result


def find_events(context: Context, places: list[PlaceMention],
                organisations: list[OrganisationMention]) -> list[EventMention]:
    """Every trigger of the text that counts, in text order."""
    covered = bytearray(len(context.text))
    spans = [(m.start, m.end) for m in places] + [(m.start, m.end) for m in organisations]
    for start, end in spans:
        covered[start:end] = b"\x01" * (end - start)
    detention = detention_sentences(context, places)
    irrealis_ends = {m.last for m in context.kb.irrealis_lexicon.find(context.tokens, context.text)}
    result: list[EventMention] = []
    for match in context.kb.trigger_lexicon.find(context.tokens, context.text):
        if covered.find(1, match.start, match.end) >= 0:
            continue
        sentence = context.sentence_of(match.start)
        trigger = match.payload
        if trigger.needs_context and sentence not in detention:
            continue
        declared = context.kb.trigger_types(trigger.phrase)
        if "appeal_call" not in declared and _irrealis_before(context, match.first, sentence, irrealis_ends):
            continue
        types = declared or (trigger.event_type,)
        result.append(EventMention(match.start, match.end, context.text[match.start:match.end], types, sentence,
                                   "trigger:" + trigger.phrase))
    return _under_torture(context, result)


def _under_torture(context: Context, events: list[EventMention]) -> list[EventMention]:
    """A killing followed within a few words by "under torture" is a death in custody, not a killing."""
    kept = []
    for index, event in enumerate(events):
        following = events[index + 1] if index + 1 < len(events) else None
        if set(event.event_types) == {"killing"} and following is not None and \
                following.sentence == event.sentence and "death_in_custody" in following.event_types and \
                "torture" in following.event_types and following.start - event.end <= 30:
            continue
        kept.append(event)
    return kept


def _irrealis_before(context: Context, first: int, sentence: int, irrealis_ends: set[int]) -> bool:
    """True when a wish, purpose, fear or negation word stands up to three words before token ``first``."""
    for index in range(max(0, first - 3), first):
        if index in irrealis_ends and context.sentence_of(context.tokens[index].start) == sentence:
            return True
    return False


def salient(context: Context, events: list[EventMention], anchors: list[int]) -> list[EventMention]:
    """The event mentions that report something rather than give background.

    A mention is kept when its trigger is a phrase of several words ("hunger strike"), when its event
    type is mentioned at least twice, or when it stands in the headline or the lead (first two
    sentences), or in a sentence with an anchor: a place, an organisation, a person, a date or a
    count (``anchors`` holds their start offsets).
    """
    anchored = {context.sentence_of(start) for start in anchors}
    tally: dict[str, int] = {}
    for event in events:
        for event_type in event.event_types:
            tally[event_type] = tally.get(event_type, 0) + 1
    kept = []
    for event in events:
        specific = len(event.rule.split()) > 1
        if specific or event.sentence < 2 or event.sentence in anchored or \
                any(tally[t] >= 2 for t in event.event_types):
            kept.append(event)
    return kept
