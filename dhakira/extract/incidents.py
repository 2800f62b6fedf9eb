"""Incidents: event mentions grouped with their place, date, side and counts.

An incident is one place, one date (or none) and one side, as in the annotation rules:

1. Datelines ("HASAKEH:", "حمص –") say where the text was written, not where events happened, and
   are left out. Each event mention takes the place named nearest in its sentence (a facility before a city,
   a city before a country; a place after "to"/"إلى" only for transfers; a city stands for the
   text's facility in the same governorate or when the sentence speaks of "the prison"); without
   one, the text's main facility (most often named), else the last facility named, else the main place.
2. Its date is a date written in the same sentence (relative dates only when a dateline of the
   text anchors them); none otherwise.
3. Its side: acts of detainees (hunger strike, riot, appeal) have no perpetrator; judicial and
   administrative acts (amnesty, release, sentences) belong to the government unless another
   party is named; coercive acts take the party named nearest in the sentence (a cue such as
   "regime forces", "قوات النظام", or an organisation with an actor such as ISIS or the SDF).
4. Mentions with the same place, date and side form one incident; an undated group joins the dated
   group of the same place and side; a coercive group without a named side joins the one group of
   the same place that has one.
5. Counts join the incident of the nearest event mention of their sentence (else of their paragraph,
   else of the text).

Each incident keeps the evidence (sentence spans) and the rules that built it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from dhakira.extract.context import Context
from dhakira.extract.entities import OrganisationMention, PlaceMention
from dhakira.extract.events import EventMention, is_heading
from dhakira.knowledge import Actor, Place
from dhakira.knowledge.matching import fold

DETAINEE_ACTS = frozenset({"hunger_strike", "protest_riot", "appeal_call"})
STATE_ACTS = frozenset({"amnesty", "release", "death_sentence", "military_field_court"})
_KIND_ORDER = {"facility": 0, "city": 1, "other": 2, "governorate": 3, "country": 4}
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")
_FACILITY_NOUNS = frozenset({"prison", "prisons", "jail", "jails", "سجن", "سجون", "معتقل"})
_GOVERNMENT = "actor:sy-gov"
_FORCES = "actor:sy-gov-forces"


@dataclass
class DateInfo:
    """A date usable for an incident; ``publication`` when it is the document's own date."""

    start: int
    end: int
    value: str
    precision: str
    publication: bool = False


# A sentence about the document itself ("SNHR released its report today", «أصدرت الشبكة اليوم تقريرها»): the
# document's own date there is when the report came out, not when the events happened.
_REPORTING = re.compile(r"(?i)\b(?:report|statement|documented|documenting|documents|press release)\b|"
                        r"(?:تقرير|بيان|وثق|وثّق|أصدر|اصدر)")


_ANNIVERSARY = re.compile(r"(?i)\b(?:anniversary|commemorat\w*|remembrance)\b|(?:ذكرى|إحياء|احياء)")


def _date_for(context: Context, event: EventMention, sentence_dates: list[DateInfo]) -> DateInfo | None:
    """The date of an event: the nearest date of its sentence, the document's own date last."""
    if not sentence_dates or _ANNIVERSARY.search(context.text, context.sentences[event.sentence][0], event.start):
        return None  # "the anniversary of the massacre", «ذكرى مجزرة»: the day it is remembered is not its date
    own = [date for date in sentence_dates if not date.publication]
    if own:
        return min(own, key=lambda d: abs(d.start - event.start))
    start, end = context.sentences[event.sentence]
    if _REPORTING.search(context.text, start, end):
        return None
    return min(sentence_dates, key=lambda d: abs(d.start - event.start))


@dataclass
class Incident:
    """An incident under construction."""

    place: Place | None
    date: DateInfo | None
    side: str
    actor: Actor | None
    background: bool = False
    total: bool = False
    events: list[EventMention] = field(default_factory=list)
    counts: list[Any] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    evidence: list[tuple[int, int]] = field(default_factory=list)

    def types(self) -> list[str]:
        seen: list[str] = []
        for event in self.events:
            for event_type in event.event_types:
                if event_type not in seen:
                    seen.append(event_type)
        return seen


def _side_of(event: EventMention) -> str:
    types = set(event.event_types)
    if types <= DETAINEE_ACTS | {"other"} and types & DETAINEE_ACTS:
        return "appeal" if types == {"appeal_call"} else "detainees"
    if types & STATE_ACTS and not types - STATE_ACTS - {"transfer", "other"}:
        return "state"
    if types <= {"other", "negotiation"}:
        return "other"
    return "force"


# Words that name whoever holds the prison or fights there, not one side: "the guards", "troops", «عناصر».
_GENERIC_CUES = frozenset({
    "army", "soldiers", "troops", "guards", "prison guards", "officers", "militiamen", "security forces",
    "interrogators", "jailers", "wardens", "prison administration", "prison authorities", "riot police",
    "intelligence", "authorities", "عناصر", "الحراس", "حراس السجن", "الضباط", "المحققين", "قوات الأمن", "عناصر الأمن",
    "الجيش", "إدارة السجن", "ادارة السجن", "سلطات السجن", "السجانين", "السجانون", "المخابرات", "السلطات"})


# "Damascus" stands for the government when it speaks or acts ("Damascus denied …"), not as a place ("fighters who
# seized Damascus", "a branch in Damascus").
_CAPITALS = frozenset({"Damascus", "دمشق"})
_CAPITAL_AS_PLACE = re.compile(r"(?i)(?:\b(?:in|into|to|from|near|of|at|around|outside|towards?|across|seized|captured|"
                               r"entered|took|reached|via)|(?:في|إلى|الى|من|قرب|داخل|ريف))\s+$")


def _actors_in(context: Context, organisations: list[OrganisationMention]) -> list[tuple[int, int, Actor]]:
    """The parties named in the text, in text order.

    Generic words ("the guards", "troops", «عناصر») stand for the Syrian government only in a text that
    names no other armed party, or that names the government's forces as well: in a report on a prison
    held by the SDF, "the guards" are theirs, and the side is left to the party the text names.
    """
    cues = [(m.start, m.end, m.payload, m.phrase) for m in context.kb.actor_lexicon.find(context.tokens, context.text)
            if not _CAPITAL_AS_PLACE.search(context.text, max(0, m.start - 20), m.start) or m.phrase not in _CAPITALS]
    found = [(start, end, actor) for start, end, actor, _ in cues]
    for mention in organisations:
        actor_id = mention.organisation.actor
        if actor_id and actor_id in context.kb.actors:
            found.append((mention.start, mention.end, context.kb.actors[actor_id]))
    government = (_GOVERNMENT, _FORCES)
    other_party = any(actor.id not in government for _, _, actor in found)
    named_government = any(actor.id in government and phrase not in _GENERIC_CUES for _, _, actor, phrase in cues)
    if other_party and not named_government:
        generic = {(start, end) for start, end, _, phrase in cues if phrase in _GENERIC_CUES}
        found = [item for item in found if (item[0], item[1]) not in generic]
    found.sort(key=lambda item: item[0])
    return found


def _nearest(items: list[tuple[int, int, Any]], position: int) -> Any | None:
    best, distance = None, None
    for start, end, value in items:
        gap = start - position if start >= position else position - end
        if distance is None or gap < distance:
            best, distance = value, gap
    return best


def build_incidents(context: Context, events: list[EventMention], places: list[PlaceMention],
                    organisations: list[OrganisationMention], dates: list[Any], counts: list[Any],
                    unasserted: list[EventMention] | None = None) -> list[dict[str, Any]]:
    """The incidents of the text in the shape of the extraction contract.

    A count in a sentence whose only event claims are not asserted ("the war has killed half a million
    people", "no fewer than 40 were feared dead") belongs to no incident.
    """
    if not events:
        return []
    asserted_sentences = {event.sentence for event in events}
    idle = {claim.sentence for claim in unasserted or []} - asserted_sentences
    counts = [count for count in counts if context.sentence_of(count.start) not in idle]
    places = [mention for mention in places if not is_dateline(context, mention) and not _names_a_unit(context, mention)]
    by_sentence_places: dict[int, list[PlaceMention]] = {}
    for mention in places:
        by_sentence_places.setdefault(context.sentence_of(mention.start), []).append(mention)
    destinations = {id(mention) for mention in places if _is_destination(context, mention)}
    main_place = _main_place(places, destinations)
    # Where people were taken ("taken to the Air Force Intelligence branch in Harasta") is not where they were
    # arrested: an arrest with no place of its own is at the place the text tells of, not at that facility.
    sent_to = {mention.place.id for mention in places if id(mention) in destinations} - \
        {mention.place.id for mention in places if id(mention) not in destinations}
    home = _main_place([mention for mention in places if mention.place.kind != "facility" and
                        id(mention) not in destinations])
    facilities = [mention for mention in places if mention.place.kind == "facility"]
    by_sentence_dates: dict[int, list[DateInfo]] = {}
    for date in dates:
        by_sentence_dates.setdefault(context.sentence_of(date.start), []).append(date)
    actors = _actors_in(context, organisations)
    by_sentence_actors: dict[int, list[tuple[int, int, Actor]]] = {}
    for item in actors:
        by_sentence_actors.setdefault(context.sentence_of(item[0]), []).append(item)

    totals = _total_sentences(context, counts, by_sentence_places)
    period = _period_of_the_report(context, dates)
    incidents: dict[tuple[str | None, str | None, str, str | None, bool, bool], Incident] = {}
    event_incident: list[tuple[EventMention, Incident]] = []
    arrested_at: tuple[Place | None, DateInfo | None] | None = None
    told_before: dict[str, tuple[Place | None, DateInfo | None]] = {}
    freed_in = {event.sentence for event in events if "release" in event.event_types}
    for event, also_at in _with_joined_places(context, events, by_sentence_places):
        place, place_rule = _place_for(context, event, by_sentence_places, facilities, main_place, sent_to)
        if also_at is not None:
            place, place_rule = also_at, "place:joined"
        date = _date_for(context, event, by_sentence_dates.get(event.sentence, []))
        if date is None and period is not None and event.status != "background" and \
                "appeal_call" not in event.event_types and not by_sentence_dates.get(event.sentence):
            date = period  # a monthly tally: what it counts happened in the month its headline or lead names
        if set(event.event_types) <= {"arrest", "raid"} and place_rule in _FALLBACKS and place is not None and \
                place.id in sent_to and home is not None:
            place, place_rule = home, "place:not_where_taken"
        if set(event.event_types) == {"amnesty"} and place_rule in _FALLBACKS and event.sentence not in freed_in and \
                (not freed_in or _decree_dated(context, date)):
            # A decree told on its own (in a text with no release, or with the day it was issued) holds for the
            # whole country, not for the prison the text is about.
            place, place_rule = None, "place:decree"
        if event.rule.endswith(">arrest") and arrested_at is not None:
            # "… and were taken to a branch in Damascus": the same arrest, where it was made.
            place, date, place_rule = arrested_at[0], date or arrested_at[1], "place:of_the_arrest"
        elif "arrest" in event.event_types:
            arrested_at = (place, date)
        earlier = told_before.get(event.event_types[0])
        if earlier is not None and all(kind in told_before for kind in event.event_types) and \
                _refers_back(context, event):
            # "Recalling his arrest, …", «بعد اعتقاله»: the arrest told before, not another one.
            place, date, place_rule = earlier[0], date or earlier[1], "place:told_before"
        for kind in event.event_types:
            told_before.setdefault(kind, (place, date))
        side = _side_of(event)
        actor: Actor | None = None
        if side in ("force", "state", "other"):
            actor = _nearest(by_sentence_actors.get(event.sentence, []), event.start)
            if side == "state" and (actor is None or actor.id == _FORCES):
                actor = context.kb.actors.get(_GOVERNMENT)
            elif side == "force" and actor is not None and actor.id == _GOVERNMENT:
                actor = context.kb.actors.get(_FORCES)
        background = event.status == "background"
        total = event.sentence in totals
        if total:
            place, date, place_rule = totals[event.sentence], None, "place:country_total"
        key = (place.id if place else None, date.value if date else None, side, actor.id if actor else None, background,
               total)
        incident = incidents.get(key)
        if incident is None:
            incident = incidents[key] = Incident(place, date, side, actor, background, total)
            incident.rules.append(place_rule)
        incident.events.append(event)
        event_incident.append((event, incident))

    tally = Counter(mention.place.id for mention in places)
    merged = _merge_nested(_merge(list(incidents.values())), tally)
    _attach_counts(context, counts, event_incident, merged, by_sentence_actors, by_sentence_places)
    return [_output(context, incident) for incident in merged if _keep(incident)]


_TALLY = re.compile(r"(?i)\b(?:during|in|throughout|over|for\s+the\s+month\s+of)\s+(?:the\s+month\s+of\s+)?$|"
                    r"(?:خلال|في|طيلة|طوال)\s+(?:شهر\s+)?$")


_TALLIED = re.compile(r"(?i)\b(?:arrests|cases|detentions|deaths|documented|recorded)\b|حالة|حالات|اعتقال|وثق|وثّق|سجل")


def _period_of_the_report(context: Context, dates: list[DateInfo]) -> DateInfo | None:
    """The month a tally covers: a month (no day) that the headline or the first sentences give as the time of
    what is counted ("57 arrests in Daraa during April 2023", «خلال شهر نيسان 2023»), in a text with counts."""
    for date in dates:
        if context.sentence_of(date.start) > 3:
            break
        start, end = context.sentences[context.sentence_of(date.start)]
        if date.precision == "month" and not date.publication and \
                _TALLY.search(context.text[max(start, date.start - 30):date.start]) and \
                _TALLIED.search(context.text, start, end) and re.search(r"\d", context.text[start:date.start]):
            return date
    return None


# A figure of tens of thousands of people ("at least 136,192 people remain detained or disappeared since
# 2011", «أكثر من مئة ألف شخص ما زالوا في عداد المختفين») in a sentence that names no place inside the
# country is the country-wide total: an incident of its own, at the country when the sentence names it,
# undated, never joined to the news of one prison or one town.
_TOTAL_AT_LEAST = 10_000
_NOT_PEOPLE = frozenset({"photographs", "nationalities", "states", "votes", "votes_against", "votes_in_favour",
                         "abstentions", "force_size"})


def figure_sentences(context: Context, counts: list[Any]) -> set[int]:
    """The sentences that give a figure of tens of thousands of people."""
    return {context.sentence_of(count.start) for count in counts
            if not hasattr(count, "low") and count.value >= _TOTAL_AT_LEAST and count.what not in _NOT_PEOPLE}


def _total_sentences(context: Context, counts: list[Any],
                     places: dict[int, list[PlaceMention]]) -> dict[int, Place | None]:
    """The sentences that give a country-wide total, each with the country it names (or ``None``)."""
    found: dict[int, Place | None] = {}
    for sentence in figure_sentences(context, counts):
        named = [mention.place for mention in places.get(sentence, []) if not is_foreign(mention.place)]
        if any(place.kind != "country" for place in named):
            continue
        found[sentence] = named[0] if named else None
    return found


_BOUND_BEFORE = re.compile(r"(?i)(?:\bbefore|\bprior\s+to|\buntil|قبل|حتى)\s+(?:\S+\s+)?$")


def _decree_dated(context: Context, date: DateInfo | None) -> bool:
    """True for a day the decree was issued, not a cut-off it names ("crimes committed before 30 April")."""
    return date is not None and date.precision == "day" and not date.publication and \
        not _BOUND_BEFORE.search(context.text[max(0, date.start - 20):date.start])


# "mass graves near al-Qutayfah and in Najha", «مقابر جماعية في محيط بلدة القطيفة وفي منطقة نجها»: one word told
# of two places joined by "and" is an event at each of them.
_JOINED = re.compile(r"^\s*(?:,\s*)?(?:and|as\s+well\s+as|و|وفي|وقرب|وفي\s+محيط)\s*(?:(?:in|at|near)\s+)?(?:the\s+)?"
                     r"(?:(?:town|village|city|area|neighbou?rhood|district|منطقة|مدينة|بلدة|قرية|حي)\s+(?:of\s+)?)?$")


def _with_joined_places(context: Context, events: list[EventMention],
                        places: dict[int, list[PlaceMention]]) -> list[tuple[EventMention, Place | None]]:
    """Each event, and once more for each further town or spot joined to the first one after it by "and"."""
    result: list[tuple[EventMention, Place | None]] = []
    for event in events:
        result.append((event, None))
        after = [mention for mention in places.get(event.sentence, []) if mention.start >= event.end and
                 mention.place.kind in ("city", "other") and not is_foreign(mention.place)]
        for left, right in zip(after, after[1:], strict=False):
            if right.place.id == left.place.id or not _JOINED.match(context.text[left.end:right.start]) or \
                    _CLAUSE_END.search(context.text, event.end, left.start):
                break
            result.append((event, right.place))
    return result


_FALLBACKS = frozenset({"place:main_facility", "place:last_facility", "place:main_place"})
_POSSESSIVE = re.compile(r"(?i)\b(?:his|her|their|its)\s+$")
_AR_SUFFIX = re.compile(r"(?:ه|ها|هم|هن|هما)$")
# Verbal nouns whose pronoun suffix names the person an event was told of («اعتقاله», "his arrest"); a verb
# with an object pronoun («اعتقلها», "arrested her") is a new event.
_AR_EVENT_NOUNS = frozenset({"اعتقال", "اعدام", "تعذيب", "اختطاف", "اختفاء", "نقل", "ترحيل", "افراج", "مقتل",
                             "وفات", "احتجاز", "توقيف"})


def _refers_back(context: Context, event: EventMention) -> bool:
    """True for an event noun with a possessive ("his arrest", «اعتقاله»): it refers to an event told before."""
    if " " in event.text.strip():
        return False
    if _POSSESSIVE.search(context.text[max(0, event.start - 8):event.start]):
        return True
    if not context.tokens[context.token_at(event.start)].arabic:
        return False
    word = fold(event.text)
    suffix = _AR_SUFFIX.search(word)
    return suffix is not None and word[:suffix.start()].removeprefix("و").removeprefix("ب") in _AR_EVENT_NOUNS


def is_foreign(place: Place) -> bool:
    """A place outside Syria (a dateline such as Beirut or Geneva, a country such as Turkey)."""
    return place.kind in ("city", "country") and not place.pcode and place.id.startswith(("city:", "country:"))


def _same_area(city: Place, facility: Place) -> bool:
    return bool(city.admin1 and facility.admin1 and city.admin1 == facility.admin1) or (
        bool(city.pcode) and city.pcode == facility.admin1)


def _main_place(places: list[PlaceMention], destinations: set[int] | None = None) -> Place | None:
    """The facility named most often; without a facility, the place named most often.

    A place named only as where detainees were sent ("transferred to Saydnaya", «نقل إلى سجن صيدنايا»,
    ``destinations`` holds those mentions) counts less than a place where the text's events happen.
    """
    places = [mention for mention in places if not is_foreign(mention.place)]
    if not places:
        return None
    tally: Counter[str] = Counter()
    for mention in places:
        tally[mention.place.id] += 1 if id(mention) not in (destinations or set()) else 0
    if not +tally:
        tally = Counter(mention.place.id for mention in places)
    facilities = [mention for mention in places if mention.place.kind == "facility"]
    if facilities:
        return sorted(facilities, key=lambda m: (-tally[m.place.id], m.start))[0].place
    ranked = sorted(places, key=lambda m: (-tally[m.place.id], _KIND_ORDER.get(m.place.kind, 5), m.start))
    return ranked[0].place


def _place_for(context: Context, event: EventMention, by_sentence: dict[int, list[PlaceMention]],
               facilities: list[PlaceMention], main_place: Place | None,
               sent_to: set[str] | None = None) -> tuple[Place | None, str]:
    here = [m for m in by_sentence.get(event.sentence, []) if not is_foreign(m.place)]
    if "transfer" not in event.event_types:
        here = [m for m in here if not _is_destination(context, m) or _where_after(context, m, event)]
    here = _in_reach(context, event, here)
    main_facility = main_place if main_place and main_place.kind == "facility" else None
    before = bisect_left([m.start for m in facilities], event.start) if facilities and not main_facility else 0
    last_facility = facilities[before - 1].place if before else None
    known = main_facility or last_facility
    if known is not None and set(event.event_types) <= {"arrest", "raid"} and known.id in (sent_to or set()):
        known = None  # the town where people were arrested does not stand for the branch they were taken to
    if known is not None:
        # "a riot outside Damascus", «قرب دمشق»: the city locates the text's prison, it is not the place.
        here = [m for m in here if m.place.kind == "facility" or not _located_near(context, m)]
    if here:
        best = min(here, key=lambda m: (_KIND_ORDER.get(m.place.kind, 5), abs(m.start - event.start)))
        spot = next((m for m in here if m.place.kind == "other" and m.end <= best.start and
                     not _ARABIC_LETTER.search(m.place.name_en) and
                     _SPOT_OF.match(context.text, m.end, best.start)), None) if best.place.kind == "city" else None
        if spot is not None:
            # "the Tadamon neighbourhood of Damascus", «حي التضامن جنوبي دمشق»: the spot in the city is the place
            # (when it has an English name; a spot known only in Arabic leaves the city as the place)
            return spot.place, "place:spot_of_city"
        if best.place.kind == "facility":
            return best.place, "place:same_sentence"
        if known is not None and best.place.kind in ("city", "governorate") and (
                _same_area(best.place, known) or _names_a_facility(context, event.sentence)):
            return known, "place:facility_of_city"
        if best.place.kind in ("other", "city", "governorate"):
            return best.place, "place:same_sentence"
    if not here and is_heading(context, event.sentence):
        # A section heading ("Physical torture") tells of the section under it: the facility named there.
        following = [m for m in facilities if context.sentence_of(m.start) in
                     range(event.sentence + 1, event.sentence + 4)]
        if following:
            return following[0].place, "place:section"
    if main_facility is not None:
        return main_facility, "place:main_facility"
    if last_facility is not None:
        return last_facility, "place:last_facility"
    if here:
        best = min(here, key=lambda m: abs(m.start - event.start))
        return best.place, "place:same_sentence"
    return main_place, "place:main_place"


_CLAUSE_END = re.compile(r"[,;،؛]")
_SPOT_OF = re.compile(r"\s*(?:of|in)\s+(?:the\s+)?(?:city\s+of\s+)?$|\s*(?:في|ب|جنوبي|شمالي|شرقي|غربي|وسط)\s*(?:مدينة\s+)?$")


def _in_reach(context: Context, event: EventMention, places: list[PlaceMention]) -> list[PlaceMention]:
    """The places of the sentence that can say where the event happened: those of its own clause, else those
    of the clauses before it ("In Hama, forces arrested …"); a place in a later clause belongs to the
    events told there («اعتقال 17 شخصاً، أُفرج عن أربعة منهم، ووفاة معتقل في دمشق»)."""
    if not places or "amnesty" in event.event_types:
        return places  # a decree holds for the whole country, wherever the sentence names it
    start, end = context.sentences[event.sentence]
    breaks = [match.start() for match in _CLAUSE_END.finditer(context.text, start, end)]
    if not breaks:
        return places
    clause_start = max((b for b in breaks if b < event.start), default=start)
    clause_end = min((b for b in breaks if b >= event.end), default=end)
    own = [m for m in places if clause_start <= m.start < clause_end]
    if own:
        return own
    return [m for m in places if m.start < clause_start]


_NEAR = re.compile(r"(?i)(?:\b(?:outside|near|nearby|close to|outskirts of|north of|south of|east of|west of|"
                   r"(?:kilomet(?:er|re)s?|km|miles?) (?:from|of|north of|south of|east of|west of))|"
                   r"(?:قرب|بالقرب من|على مقربة من|خارج|ريف|شمال|جنوب|شرق|غرب|شمالي|جنوبي|شرقي|غربي|"
                   r"على بعد \S+ (?:كم|كيلومترا?) من))\s+(?:the\s+)?(?:city of\s+|مدينة\s+)?$")


def _located_near(context: Context, mention: PlaceMention) -> bool:
    """True when the place only locates something near it ("outside Damascus", "35 km from Damascus", «قرب دمشق»)."""
    return bool(_NEAR.search(context.text[max(0, mention.start - 40):mention.start]))


_WHERE = re.compile(r"(?i)^[\s,،]*(?:where|in\s+which|حيث|وحيث)\b")


def _where_after(context: Context, mention: PlaceMention, event: EventMention) -> bool:
    """True when the place is the one "where" the event came to pass ("moved to Saydnaya, where they were
    executed", «نقلت … إلى سجن صيدنايا حيث أُعدم عدد منهم»), even though it is named as a destination."""
    return mention.end <= event.start and bool(_WHERE.match(context.text[mention.end:event.start]))


_DESTINATION_WORDS = frozenset({"to", "into", "towards", "الي", "نحو"})
_ARTICLES = frozenset({"the", "a", "an"})


# A branch named as the unit people belong to ("the men belonged to Branch 227", "members of the Palestine
# Branch", «عناصر من الفرع 227», «التابعة للفرع 215») says who acted, not where.
_UNIT_BEFORE = re.compile(r"(?i)(?:\b(?:belong(?:ed|s|ing)?\s+to|members?\s+of|officers?\s+(?:of|from)|agents?\s+of|"
                          r"personnel\s+of|men\s+from|run\s+by)\s+(?:the\s+)?|(?:عناصر|عنصر|ضباط|ضابط)\s+(?:من\s+|في\s+)?|"
                          r"(?:التابع[ةه]?|ينتمون|ينتمي|تنتمي)\s+(?:إلى\s+|الى\s+)?[لب]?)$")


def _names_a_unit(context: Context, mention: PlaceMention) -> bool:
    """True when a facility is named as the unit someone belongs to, not as where something happened."""
    return mention.place.kind == "facility" and \
        bool(_UNIT_BEFORE.search(context.text[max(0, mention.start - 30):mention.start]))


def _is_destination(context: Context, mention: PlaceMention) -> bool:
    """True when the place follows "to (the)" / "إلى" (where detainees are sent, not where the event happens)."""
    index = context.token_at(mention.start) - 1
    if index >= 0 and context.tokens[index].forms[0][0] in _ARTICLES:
        index -= 1
    if index < 0:
        return False
    return not context.tokens[index].names.isdisjoint(_DESTINATION_WORDS)


_DATELINE_AFTER = re.compile(r"\s*(?:,[^\n]{0,40}?)?(?:\([^)\n]{1,30}\))?\s*(?:[-–—:]|\s-)")


def is_dateline(context: Context, mention: PlaceMention) -> bool:
    """True for the place that opens a paragraph as its dateline ("HASAKEH:", "Damascus, Syria —", "حمص –")."""
    paragraph_start = context.paragraphs[context.paragraph_of(mention.start)][0]
    line_start = context.text.rfind("\n", 0, mention.start) + 1
    if context.text[max(paragraph_start, line_start):mention.start].strip():
        return False
    return bool(_DATELINE_AFTER.match(context.text, mention.end))


def _names_a_facility(context: Context, sentence: int) -> bool:
    """True when the sentence speaks of a prison without naming it ("a jail close to Damascus")."""
    start, end = context.sentences[sentence]
    first, last = context.token_at(start), context.token_at(end)
    return any(token.forms[-1][0] in _FACILITY_NOUNS or token.forms[0][0] in _FACILITY_NOUNS
               for token in context.tokens[first:last])


def _freed_by_the_stormers(one: Incident, two: Incident) -> bool:
    """A release and a storming of one facility on one day by a party other than the government."""
    if one.place is None or two.place is None or one.place.id != two.place.id or one.place.kind != "facility" or \
            one.date is None or two.date is None or one.date.value != two.date.value or one.date.precision != "day":
        return False
    sides = {one.side: one, two.side: two}
    if set(sides) != {"state", "force"}:
        return False
    state, force = sides["state"], sides["force"]
    if not set(state.types()) <= {"release", "other"} or not set(force.types()) & {"storming", "raid"}:
        return False
    if force.actor is None or _side_id(force.actor) == _FORCES:
        return False  # the government's own forces storming and the government releasing stay two acts
    return True


def _merge(incidents: list[Incident]) -> list[Incident]:
    # The named sides of each place: where several are named, a group without a named side joins none of them
    # ("the SDF detained 52 people, HTS 21": two parties' arrests, not the month's total of one of them).
    sides: dict[str | None, set[str]] = {}
    for incident in incidents:
        if incident.actor is not None:
            sides.setdefault(incident.place.id if incident.place else None, set()).add(_side_id(incident.actor))
    result: list[Incident] = []
    for incident in incidents:
        target = None
        for other in result:
            if other.total != incident.total:
                continue
            if other.place is not incident.place and (other.place and incident.place) and \
                    other.place.id != incident.place.id:
                continue
            if (other.place is None) != (incident.place is None):
                continue
            if other.background != incident.background and bool(other.date) != bool(incident.date):
                continue  # an undated report of today is not a dated background event
            same_side = other.side == incident.side or "other" in (other.side, incident.side) and \
                "appeal" not in (other.side, incident.side)
            # what detainees or protesters demand with their strike or their protest, at its place, is its appeal
            same_side = same_side or {other.side, incident.side} == {"appeal", "detainees"} and \
                incident.place is not None
            # fighters who storm a prison and free its inmates the same day: one event, theirs
            same_side = same_side or _freed_by_the_stormers(incident, other)
            if not same_side:
                continue
            if incident.actor and other.actor and incident.actor.id != other.actor.id and \
                    not _freed_by_the_stormers(incident, other) and not (
                    "other" in (incident.side, other.side) and _side_id(incident.actor) == _side_id(other.actor)):
                continue  # a negotiation with the government's forces joins the government's release
            if bool(incident.actor) != bool(other.actor) and incident.side == other.side == "force" and \
                    len(sides.get(incident.place.id if incident.place else None, ())) > 1:
                continue
            if incident.date and other.date and incident.date.value[:7] != other.date.value[:7]:
                continue
            if bool(incident.date) != bool(other.date) and incident.side == other.side == "detainees" and \
                    not set(incident.types()) & set(other.types()) - {"other"}:
                continue  # an undated hunger strike is not the dated riot of another year at the same prison
            target = other
            break
        if target is None:
            result.append(incident)
            continue
        target.background = target.background and incident.background
        target.events.extend(incident.events)
        if target.date is None or (incident.date and len(incident.date.value) > len(target.date.value)):
            target.date = incident.date or target.date
        target.actor = target.actor or incident.actor
        if _freed_by_the_stormers(incident, target) and incident.side == "force":
            target.actor, target.side = incident.actor, "force"
        if target.side == "other" or target.side == "appeal" and incident.side == "detainees":
            target.side = incident.side
        target.rules.extend(incident.rules)
    return result


def _within(inner: Place, outer: Place) -> bool:
    """True when ``inner`` lies inside the governorate ``outer`` (a city, a facility, a spot).

    A country is no such container: an event told of "Syria" as a whole (an amnesty decree) and of one
    town may be two incidents, and linking compares the country-wide one with other reports.
    """
    if inner.id == outer.id:
        return False
    if outer.kind == "governorate":
        return inner.kind in ("city", "other", "facility") and bool(inner.admin1) and inner.admin1 == outer.pcode
    return False


def _spot_in_town(inner: Incident, outer: Incident) -> bool:
    """True for a spot the gazetteer does not list (a neighbourhood, a square) told in the same sentence as a town:
    «اعتقل … ناشطَين في مدينة إدلب، بعد مداهمة منزليهما في حي الثورة» is one incident, in the town."""
    if inner.place is None or outer.place is None or not inner.place.id.startswith("named:other:") or \
            outer.place.kind != "city":
        return False
    return bool({event.sentence for event in inner.events} & {event.sentence for event in outer.events})


def _merge_nested(incidents: list[Incident], tally: Counter[str]) -> list[Incident]:
    """One event told at two levels of place ("Daraa governorate", "in the city of Daraa") is one incident.

    An incident joins an earlier one of the same side and kind of event (a shared event type) whose place
    holds its place or lies in it, when their dates do not differ; the place the text names most often
    stays (the one told first on a tie).
    """
    result: list[Incident] = []
    for incident in sorted(incidents, key=lambda item: min(event.start for event in item.events)):
        target = None
        for other in result:
            if other.place is None or incident.place is None or other.side != incident.side or \
                    other.background != incident.background:
                continue
            spot = _spot_in_town(incident, other) or _spot_in_town(other, incident)
            if not (spot or _within(incident.place, other.place) or _within(other.place, incident.place)):
                continue
            if not spot and not set(incident.types()) & set(other.types()) - {"other"}:
                continue
            if incident.date and other.date and incident.date.value[:7] != other.date.value[:7]:
                continue
            if incident.actor and other.actor and incident.actor.id != other.actor.id:
                continue
            target = other
            break
        if target is None:
            result.append(incident)
            continue
        if incident.place is not None and target.place is not None and (
                tally[incident.place.id] > tally[target.place.id] or _spot_in_town(target, incident)):
            target.place = incident.place  # the place named most often, the town rather than a spot in it
        target.events.extend(incident.events)
        target.date = target.date or incident.date
        target.actor = target.actor or incident.actor
        if _freed_by_the_stormers(incident, target) and incident.side == "force":
            target.actor, target.side = incident.actor, "force"
        target.rules.extend([*incident.rules, "place:nested"])
    return result


def _attach_counts(context: Context, counts: list[Any], event_incident: list[tuple[EventMention, Incident]],
                   incidents: list[Incident], actors: dict[int, list[tuple[int, int, Actor]]],
                   places: dict[int, list[PlaceMention]] | None = None) -> None:
    """Give each count to the incident of the nearest event mention.

    A count whose own sentence names another side ("Armed opposition factions: two") goes to a
    sibling incident of that side (same date and event types): one incident, one side. The sibling is
    at the place the count's sentence names, when it names one inside the country ("regime forces
    made 92 of these arrests, most of them in Homs"), else at the place of the incident.
    """
    owner: dict[int, Incident] = {}
    for final in incidents:
        for event in final.events:
            owner.setdefault(id(event), final)
    placed = [(event, owner[id(event)]) for event, _ in event_incident if id(event) in owner]
    by_sentence: dict[int, list[tuple[EventMention, Incident]]] = {}
    by_paragraph: dict[int, list[tuple[EventMention, Incident]]] = {}
    for pair in placed:
        by_sentence.setdefault(pair[0].sentence, []).append(pair)
        by_paragraph.setdefault(context.paragraph_of(pair[0].start), []).append(pair)
    current = [pair for pair in placed if not pair[1].background]
    current_starts = [pair[0].start for pair in current]
    for count in counts:
        sentence = context.sentence_of(count.start)
        same = by_sentence.get(sentence)
        if not same:
            # A past event told as background takes only the counts of its own sentences.
            same = [pair for pair in by_paragraph.get(context.paragraph_of(count.start), [])
                    if not pair[1].background]
        if not same and current:
            position = bisect_left(current_starts, count.start)
            same = current[max(0, position - 1):position + 1]
        if not same:
            continue
        _, incident = min(same, key=lambda pair: _distance(context, pair[0], count))
        named = [item for item in actors.get(sentence, []) if not (item[0] < count.end and count.start < item[1])]
        actor = _nearest(named, count.start) if named else None
        if incident.side == "force" and actor is not None and not hasattr(count, "low") and \
                not any(event.sentence == sentence for event in incident.events):
            if incident.actor is None:
                incident.actor = actor
                incident.evidence.append(context.sentences[sentence])
            elif _side_id(actor) != _side_id(incident.actor):
                incident = _sibling(incidents, incident, actor, _place_of_count(count, (places or {}).get(sentence)))
                incident.evidence.append(context.sentences[sentence])
        incident.counts.append(count)


def _distance(context: Context, event: EventMention, count: Any) -> tuple[int, int]:
    """How far a count is from an event: one told after its event in the same clause ("the SDF detained 52
    people, HTS detained 21") is nearest to it, whatever follows."""
    if event.end <= count.start and event.sentence == context.sentence_of(count.start) and \
            not _CLAUSE_END.search(context.text, event.end, count.start):
        return 0, count.start - event.end
    return 1, abs(event.start - count.start)


def _side_id(actor: Actor) -> str:
    """The side an actor stands on: the Syrian government and its forces are one side."""
    return _FORCES if actor.id == _GOVERNMENT else actor.id


def _place_of_count(count: Any, mentions: list[PlaceMention] | None) -> Place | None:
    """The place nearest a count in its sentence, when it is a place inside the country."""
    inside = [mention for mention in mentions or [] if mention.place.kind != "country" and not is_foreign(mention.place)]
    if not inside:
        return None
    return min(inside, key=lambda mention: abs(mention.start - count.start)).place


def _sibling(incidents: list[Incident], incident: Incident, actor: Actor, place: Place | None = None) -> Incident:
    """The incident like ``incident`` but on the side of ``actor`` (created when missing), at ``place`` if given."""
    place = place or incident.place
    for other in incidents:
        if other.actor is not None and other.actor.id == actor.id and other.place is place and \
                other.side == incident.side:
            return other
    sibling = Incident(place, incident.date, incident.side, actor, background=incident.background,
                       events=list(incident.events[:1]), rules=["side_of_count"])
    incidents.append(sibling)
    return sibling


def _keep(incident: Incident) -> bool:
    if not incident.types():
        return False
    return any(set(event.event_types) - {"other"} for event in incident.events) or bool(incident.place)


def _rounded_of(count: Any, others: Any) -> bool:
    """True when ``count`` is a round figure ("more than 306,000") that another count of the incident gives exactly
    (306,887): the same figure told twice, the headline's rounding and the body's number."""
    if count.qualifier not in ("over", "at_least", "about") or count.value < 1000:
        return False
    zeros = len(str(count.value)) - len(str(count.value).rstrip("0"))
    if zeros < 3:
        return False
    unit = 10 ** zeros
    return any(other is not count and other.value != count.value and other.value // unit == count.value // unit
               and abs(other.value - count.value) <= count.value / 100
               and (count.qualifier == "about" or other.value > count.value) for other in others)


def _output(context: Context, incident: Incident) -> dict[str, Any]:
    spans = {context.sentences[event.sentence] for event in incident.events} | set(incident.evidence)
    evidence = [[start, end] for start, end in sorted(spans)]
    counts = []
    vague = [item for item in incident.counts if hasattr(item, "low")]
    chosen: dict[int, Any] = {}
    for count in sorted((c for c in incident.counts if not hasattr(c, "low")), key=lambda c: c.start):
        # One figure, one count: a qualified mention ("about 150") is more precise than a bare one.
        if count.value not in chosen or (chosen[count.value].qualifier == "exact" and count.qualifier != "exact"):
            chosen[count.value] = count
    for count in sorted(chosen.values(), key=lambda c: c.start):
        if _rounded_of(count, chosen.values()):
            continue
        counts.append({"what": count.what or "people", "value": count.value, "qualifier": count.qualifier,
                       "span": [count.start, count.end]})
    place = incident.place
    actor = None if incident.side in ("detainees", "appeal") else incident.actor
    # A place known only by its Arabic name (a prison or a square the gazetteer lacks) has no English name:
    # ``place_en`` stays empty and ``place_text`` gives the name as written.
    english = place.name_en if place and not _ARABIC_LETTER.search(place.name_en) else None
    return {
        "event_types": incident.types(),
        "place_en": english,
        "place_text": place.name_en if place else None,
        "place_id": place.id if place else None,
        "date": incident.date.value if incident.date else None,
        "date_precision": incident.date.precision if incident.date else None,
        "perpetrator_en": actor.label_en if actor else None,
        "perpetrator_id": actor.id if actor else None,
        "counts": counts,
        "vague_counts": [{"text": item.text, "low": item.low, "high": item.high, "span": [item.start, item.end]}
                         for item in sorted(vague, key=lambda v: v.start)],
        "evidence": evidence,
        "status": "background" if incident.background else "asserted",
        "triggers": sorted({event.rule for event in incident.events}),
        "rule": sorted(set(incident.rules)),
    }


def appeal_of_the_document(context: Context, calls: list[EventMention], dates: list[Any],
                           published: str | None, precision: str | None) -> dict[str, Any] | None:
    """The document's own appeal: the calls that an organisation, an official or a group makes in the text
    ("Amnesty International urges …", «طالبت الشبكة الأمم المتحدة …»), as one ``appeal_call`` incident.

    Standards RESP.STATEMENT: a statement, condemnation or appeal is an incident of its own, the act of
    issuing it. It has no place of its own and is dated by a date written in the sentence of the first call,
    else by the document's date (when the call is made). ``calls`` are the claims with status ``advocacy``.
    """
    if not calls:
        return None
    first = calls[0]
    own = [date for date in dates if context.sentence_of(date.start) == first.sentence and not date.publication]
    date: DateInfo | None = min(own, key=lambda d: abs(d.start - first.start)) if own else None
    if date is None and published:
        date = DateInfo(first.start, first.start, published, precision or "day", publication=True)
    incident = Incident(None, date, "appeal", None, events=list(calls), rules=["appeal:document"])
    return _output(context, incident)
