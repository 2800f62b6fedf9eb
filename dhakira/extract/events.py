"""Event mentions: trigger words and phrases of the taxonomy found in the text.

A trigger inside the name of a place or an organisation does not count ("Amnesty International",
"Military Field Court" as the court's name), nor does a weak trigger ("died", "نقل") outside a
sentence about detention (one that names a facility or holds a word of the ``_context`` list), nor
a release of a document ("released a report") or a participle that only describes people ("people
arrested for protesting").

Every other trigger is an *event claim* with a status (:data:`STATUSES`):

* ``negated``: a negation stands before it in its clause ("no injuries were reported", «لم تُسجَّل
  أي إصابات», "denied that any protester had been killed");
* ``threatened``: a threat, a fear, a plan or a wish ("threatened to storm", «تخشى أن يُعدم»,
  "the planned transfer", "until they are freed");
* ``demanded``: it follows a call or a demand in its sentence ("calls for the release of", «طالبت
  … بالإفراج عن») — an appeal itself stays asserted;
* ``background``: set later for incidents long before the document's date or told as past
  context («وكان …», "In 1980, …");
* ``asserted``: everything else. Only asserted and background claims make incidents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from dhakira.extract import clauses
from dhakira.extract.context import Context
from dhakira.extract.entities import OrganisationMention, PlaceMention
from dhakira.knowledge import fold

STATUSES = ("asserted", "negated", "threatened", "demanded", "general", "background", "uncertain", "grievance",
            "describes_source")


@dataclass(frozen=True)
class EventMention:
    """A trigger found in the text, with every event type it signals and the status of the claim."""

    start: int
    end: int
    text: str
    event_types: tuple[str, ...]
    sentence: int
    rule: str
    status: str = "asserted"


# Folded words (see dhakira.knowledge.fold) that change the status of a trigger after them.
_NEGATORS = frozenset({"no", "not", "never", "none", "without", "nor", "لم", "لن", "لا", "دون", "بدون", "عدم", "ليس",
                       "ولم", "ولا"})
# «لم تُفضِ إلا إلى الإفراج عن …», "led to nothing but the release of …": the exception after a negation asserts.
_EXCEPT = frozenset({"الا", "سوى", "but"})
_DENIALS = frozenset({"denied", "denies", "deny", "denying", "refuted", "نفى", "نفت", "ينفي", "تنفي", "نفي", "نفوا"})
_NONE_OF = frozenset({"none", "nobody", "neither"})
_NOT_NEGATING_NEXT = frozenset({"fewer", "less", "more", "longer", "يقل", "تقل", "يزيد", "سيما", "زال", "تزال", "يزال",
                                "doubt", "only"})
_THREATS = frozenset({
    "threatened", "threaten", "threatens", "threatening", "warned", "warns", "fear", "fears", "feared", "fearing",
    "planned", "plans", "plan", "would", "will", "could", "might", "may", "imminent", "risk", "possible", "until",
    "unless", "if", "hoped", "hoping", "want", "wants", "wanted", "awaiting", "pending", "aim", "aims",
    "threat", "threats", "تهديدات", "بتهديد", "وتهديدات",
    "هدد", "هددت", "تهدد", "يهدد", "هددوا", "تهديد", "تخشى", "يخشى", "خشيه", "مخاوف", "قد", "سوف", "محتمل", "حتى",
    "امل", "يريدون", "بانتظار", "انتظار", "اذا", "لو", "شريطه", "بهدف", "سعيا",
    "refused", "refusing", "refuse", "rejected", "rejecting", "رفض", "رفضت", "رفضوا", "رفضهم", "يرفض", "يرفضون",
    "promised", "promise", "promises", "pledged", "pledge", "وعد", "وعدت", "يعد", "تعد", "تعهد", "تعهدت"})
_DEMANDS = frozenset({
    "demand", "demands", "demanded", "demanding", "urge", "urges", "urged", "urging", "appeal", "appealed",
    "appeals", "calls", "called", "calling", "call", "طالب", "طالبت", "يطالب", "تطالب", "طالبوا", "يطالبون",
    "مطالبين", "مطالبه", "دعا", "دعت", "يدعو", "تدعو", "دعوا", "ناشد", "ناشدت", "يناشد", "تناشد", "حث", "حثت"})
_DEMAND_NEEDS_NEXT = {"calls": {"for", "on", "upon"}, "called": {"for", "on", "upon"},
                      "calling": {"for", "on", "upon"}, "call": {"for", "on", "upon"}}
_CLAUSE_BREAK = frozenset(",;:،؛")
# What a document-release verb takes as its object: "released a report", "freed"-like words excepted.
_DOCUMENT_OBJECTS = frozenset({"report", "reports", "statement", "statements", "photos", "photographs", "video",
                               "videos", "footage", "figures", "list", "lists", "data", "findings", "details",
                               "names", "its", "their", "a", "an", "new", "monthly", "annual", "images"})
_COMMUTED = frozenset({"commuted", "commute", "commutes", "commuting", "replaced", "replace", "replacing", "استبدال",
                       "تخفيف", "تحويل", "باستبدال", "بتخفيف", "بتحويل", "استبدل", "خفف"})
_GUARDS = frozenset({"الحراس", "حراس", "السجانين", "سجانين", "الحرس", "عناصر", "حارس", "حارسا", "السجان"})
_DOCUMENT_NOUNS = frozenset({"report", "reports", "statement", "statements", "study", "findings", "figures",
                             "photographs", "photos", "images", "video", "footage", "data", "list", "paper",
                             "briefing", "update", "tally", "document", "documents", "book", "documentary"})
_WHEN_WORDS = frozenset({"today", "yesterday", "on", "this", "last", "week", "month", "earlier", "recently",
                         "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "publicly"})
_DESCRIBING_NEXT = frozenset({"for", "because", "over", "since"})
_BODIES = frozenset({"bodies", "remains", "corpses", "graves"})
_BODIES_AR = frozenset({"جثث", "رفات", "جثامين", "الجثث", "الرفات", "جثة", "جثه"})
_WHO_AR = frozenset({"الذين", "ذين", "اللذين", "لذين", "اللواتي", "لواتي"})
_PERSON_NOUNS = frozenset({"people", "persons", "men", "women", "those", "activists", "protesters", "detainees",
                           "prisoners", "inmates", "civilians", "dissidents", "opponents", "children", "students"})


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
    demand_from = _demand_positions(context)
    facility_sentences = {context.sentence_of(m.start) for m in places if m.place.kind == "facility"}
    families = _families_association(organisations)
    result: list[EventMention] = []
    for match in context.kb.trigger_lexicon.find(context.tokens, context.text):
        if covered.find(1, match.start, match.end) >= 0:
            continue
        sentence = context.sentence_of(match.start)
        trigger = match.payload
        declared = context.kb.trigger_types(trigger.phrase)
        types = declared or (trigger.event_type,)
        families_ask = families and types == ("appeal_call",) and _association_asks(context, match.first)
        status = "asserted"
        if types == ("appeal_call",) and not families_ask and not clauses.intervention_asked(context, sentence) and (
                (trigger.needs_context and sentence not in detention) or (
                    not _appellant_near(context, match.first, match.last, sentence) and
                    sentence not in facility_sentences)):
            # An organisation's or an official's own call ("Amnesty International urges …", «طالبت الشبكة …»):
            # the act of issuing it (standards RESP.STATEMENT), one appeal of the document, not an event of a place.
            if not _advocacy(context, match.first, match.last):
                continue
            status = "advocacy"
        elif trigger.needs_context and sentence not in detention and not families_ask and not (
                types == ("appeal_call",) and clauses.intervention_asked(context, sentence)):
            continue
        if _not_an_event(context, match.first, match.last, types):
            continue
        if "appeal_call" not in types:
            status = "uncertain" if clauses.uncertain(context, match.start) else \
                _status(context, match.first, sentence, irrealis_ends, demand_from, types)
            if status == "asserted":
                status = _clause_status(context, match.start, match.end, match.first, types)
        result.append(EventMention(match.start, match.end, context.text[match.start:match.end], types, sentence,
                                   "trigger:" + trigger.phrase, status))
    result = _protests_that_ask(context, _asked_in_a_list(context, result))
    result = _court_trials(context, organisations, result)
    result = _care_withheld(context, result, detention)
    result = _supplies_cut(context, result)
    result = _attacks_in_a_siege(result)
    facility_starts = [m.start for m in places if m.place.kind == "facility"]
    result = _killings_told_before(context, result)
    return _taken_after_arrest(context, _under_torture(context, _in_custody(context, result, detention)),
                               facility_starts)


def _clause_status(context: Context, start: int, end: int, first: int, types: tuple[str, ...]) -> str:
    """The status that the clause around an otherwise asserted trigger gives it (see :mod:`.clauses`)."""
    if clauses.negated_any(context, first):
        return "negated"
    denied = clauses.denied_report(context, start, end)
    if denied is not None:
        return denied
    if clauses.names_perpetrators(context, start):
        return "general"
    if clauses.grievance(context, start):
        return "grievance"
    if clauses.war_as_subject(context, first, types) or clauses.reason_for_detention(context, first, types) or \
            clauses.uprising_at_large(context, start, end, types):
        return "general"
    if set(types) & {"release", "arrest"} and clauses.describes_a_source(context, first):
        return "describes_source"
    if clauses.over_the_years(context, end):
        return "background"
    return "asserted"


# Triggers of an attack that do not say the attackers got in: "assault", "car bombs", «هجوم», «مفخخة».
_ATTACKS = frozenset({"trigger:assault", "trigger:assaulted", "trigger:هجوم*", "trigger:هاجم*", "trigger:car bomb",
                      "trigger:car bombs", "trigger:مفخخ*", "trigger:انتحاري*", "trigger:suicide bombers"})


def _attacks_in_a_siege(events: list[EventMention]) -> list[EventMention]:
    """In a text that asserts a siege, an attack on the besieged place that does not say the attackers got in
    is part of the siege, not a storming ("fighters sent car bombs into its gates"); "stormed" stays one."""
    besieged = any(event.event_types == ("siege",) and event.status == "asserted" and
                   event.rule not in ("trigger:encircled", "trigger:surrounded") for event in events)
    if not besieged:
        return events
    return [replace(event, event_types=("siege",), rule=event.rule + ">siege")
            if event.event_types == ("storming",) and event.rule in _ATTACKS else event for event in events]


_NOT_CUT = re.compile(r"(?i)\b(?:not|never|n't)\b|(?<!\S)(?:لم|لا|غير)(?!\S)")


def _supplies_cut(context: Context, events: list[EventMention]) -> list[EventMention]:
    """Water or power said to be cut after it is named ("electricity … were cut") is a cut of supplies."""
    added = []
    for start, end in clauses.supplies_cut(context):
        sentence = context.sentence_of(start)
        if any("cut_water_electricity" in event.event_types and event.sentence == sentence for event in events):
            continue
        first = context.token_at(start)
        status = "negated" if _NOT_CUT.search(context.text, start, end) else \
            _clause_status(context, start, end, first, ("cut_water_electricity",))
        added.append(EventMention(start, end, context.text[start:end], ("cut_water_electricity",), sentence,
                                  "supplies_cut", status))
    return sorted([*events, *added], key=lambda event: event.start) if added else events


def _care_withheld(context: Context, events: list[EventMention], detention: set[int]) -> list[EventMention]:
    """A doctor or treatment denied in a sentence about detention is a denial of medical care."""
    added = []
    for start, end in clauses.care_withheld(context):
        sentence = context.sentence_of(start)
        if sentence not in detention or any(
                "denial_of_medical_care" in event.event_types and event.sentence == sentence for event in events):
            continue
        added.append(EventMention(start, end, context.text[start:end], ("denial_of_medical_care",), sentence,
                                  "care_withheld"))
    return sorted([*events, *added], key=lambda event: event.start) if added else events


_TRIAL = re.compile(r"(?i)\b(?:trials?|tried|hearings?|sentenced|referred|convicted)\b|"
                    r"(?:محاكم[اةه]|حوكم|يحاكم|أحكام|احكام|حكمت|أحال|احال|أحيل|احيل)")
_COURTS_AS_EVENTS = {"org:military-field-court": "military_field_court"}


def _court_trials(context: Context, organisations: list[OrganisationMention],
                  events: list[EventMention]) -> list[EventMention]:
    """A trial before the Military Field Court is an event even though the court is named as an organisation."""
    added = []
    for mention in organisations:
        event_type = _COURTS_AS_EVENTS.get(mention.organisation.id)
        if event_type is None:
            continue
        sentence = context.sentence_of(mention.start)
        start, end = context.sentences[sentence]
        if _TRIAL.search(context.text, start, end) and \
                not any(event_type in event.event_types and event.sentence == sentence for event in events):
            added.append(EventMention(mention.start, mention.end, mention.text, (event_type,), sentence,
                                      "court_trial:" + mention.organisation.id))
    return sorted([*events, *added], key=lambda event: event.start)


def _taken_after_arrest(context: Context, events: list[EventMention], facility_starts: list[int]) -> list[EventMention]:
    """"Arrested … and taken to a branch": a weak transfer trigger next to an arrest belongs to the arrest.

    Taken to a named facility ("taken to Adra Prison") stays a transfer.
    """
    arrests = {event.sentence for event in events if "arrest" in event.event_types and event.status == "asserted"}
    result = []
    for event in events:
        if event.event_types == ("transfer",) and (event.sentence in arrests or event.sentence - 1 in arrests) and \
                not any(0 <= start - event.end <= 40 for start in facility_starts) and \
                _weak_transfer(context, event):
            event = EventMention(event.start, event.end, event.text, ("arrest",), event.sentence,
                                 event.rule + ">arrest", event.status)
        result.append(event)
    return result


_WEAK_TRANSFER = frozenset({"taken", "sent", "moved", "اقتيد", "اقتادوا", "اقتادت", "اقتيدا", "اقتيدوا", "نقل", "نقلوا"})


def _weak_transfer(context: Context, event: EventMention) -> bool:
    return bool(_forms_of(context, context.token_at(event.start)) & _WEAK_TRANSFER)


_APPELLANT_PREFIXES = (
    "detainee", "prisoner", "inmate", "famil", "relative", "mother", "wives", "striker", "معتقل", "سجين", "سجناء",
    "مساجين", "نزلاء", "اهالي", "اهل", "ذوو", "ذوي", "عائل", "اسر", "امهات", "محتجز", "مضرب", "موقوف")


# An association of detainees or of their families («رابطة عائلات …», «رابطة معتقلي …», "Families for Freedom"):
# its own call ("we call on", «نطالب», «إن الرابطة تطالب») is an appeal of the families, whoever it addresses.
_ASSOCIATION = re.compile(r"(?i)رابط|تجمع|جمعي|حرك|association|league|families\s+for|movement|coalition\s+of\s+families")
_KIN = re.compile(r"(?i)عائل|أهال|اهال|ذوي|أسر|اسر|معتقل|مفقود|مختف|families|relatives|mothers|detainees|missing|disappeared")
_WE_ASK = frozenset({"نطالب", "وندعو", "ندعو", "نناشد", "ونطالب", "نحث", "we"})
_THE_ASSOCIATION = frozenset({"الرابطه", "رابطه", "association", "league"})


# "We call on:" / «وعليه نطالب:» followed by items («أولاً: …», "1. …", "- …"): each item is asked for, not done.
_ASKING_LINE = re.compile(r"(?im)^[^\n]{0,80}\b(?:call\s+on|calls\s+on|urge|urges|demand|demands|recommend|"
                          r"recommends|recommendations)\s*:[ \t]*$|^[^\n]{0,80}(?:نطالب|تطالب|يطالب|ندعو|تدعو|نوصي|"
                          r"توصي|التوصيات|مطالبنا)[^\n:]{0,40}:[ \t]*$")
_LIST_ITEM = re.compile(r"(?m)^[ \t]*(?:[-•*–]|\d+[.)-]|[\u0660-\u0669]+[.)-]|(?:first|second|third|fourth|fifth)(?:ly)?\b|"
                        r"(?:أولا|ثانيا|ثالثا|رابعا|خامسا|سادسا)[ًٌٍَُِّْ]*\s*[:：-])", re.IGNORECASE)


def _asked_in_a_list(context: Context, events: list[EventMention]) -> list[EventMention]:
    """Events in the items of a list that a call introduces are asked for (``demanded``), not reported."""
    spans: list[tuple[int, int]] = []
    text = context.text
    if ":" not in text:
        return events  # every asking line ends with a colon
    for asking in _ASKING_LINE.finditer(text):
        position = asking.end() + 1
        while position < len(text):
            line_end = text.find("\n", position)
            line_end = len(text) if line_end < 0 else line_end
            if not text[position:line_end].strip():
                position = line_end + 1
                if spans and spans[-1][1] >= position - 2:
                    continue
                break
            if not _LIST_ITEM.match(text, position):
                break
            spans.append((position, line_end))
            position = line_end + 1
    if not spans:
        return events
    return [replace(event, status="demanded") if event.status == "asserted" and "appeal_call" not in event.event_types
            and any(start <= event.start < end for start, end in spans) else event for event in events]


def _families_association(organisations: list[OrganisationMention]) -> bool:
    """True when the text names an association of detainees or of their families."""
    return any(_ASSOCIATION.search(mention.text) and _KIN.search(mention.text) for mention in organisations)


def _association_asks(context: Context, first: int) -> bool:
    """True when the association itself makes the call: first person, or "the association" as its subject."""
    if _forms_of(context, first) & _WE_ASK:
        return True
    return any(_forms_of(context, index) & (_WE_ASK | _THE_ASSOCIATION) for index in range(max(0, first - 3), first))


def _appellant_near(context: Context, first: int, last: int, sentence: int) -> bool:
    """True when detainees or their families make the appeal (the subject before it, or after an Arabic verb).

    An appeal about a named facility counts whoever makes it; an organisation's general call ("calls on
    the international community to …") is advocacy, not an event.
    """
    window = list(range(max(0, first - 8), first)) + list(range(last + 1, min(len(context.tokens), last + 5)))
    for index in window:
        if context.sentence_of(context.tokens[index].start) != sentence:
            continue
        if any(form.startswith(_APPELLANT_PREFIXES) for form in _forms_of(context, index)):
            return True
    return False


def _form(context: Context, index: int) -> str:
    return context.tokens[index].forms[0][0]


def _forms_of(context: Context, index: int) -> frozenset[str]:
    return context.tokens[index].names


def _clause_break(context: Context, left: int, right: int) -> bool:
    """True when punctuation ending a clause stands between tokens ``left`` and ``right``."""
    between = context.text[context.tokens[left].end:context.tokens[right].start]
    return any(char in _CLAUSE_BREAK for char in between)


def _demand_positions(context: Context) -> dict[int, int]:
    """For each sentence, the index of the first token of a call or demand in it."""
    found: dict[int, int] = {}
    for index, token in enumerate(context.tokens):
        if token.names.isdisjoint(_DEMANDS):
            continue
        word = _forms_of(context, index) & _DEMANDS
        needs = set().union(*(_DEMAND_NEEDS_NEXT.get(w, set()) for w in word)) if word else set()
        if needs and not (index + 1 < len(context.tokens) and _forms_of(context, index + 1) & needs):
            continue
        found.setdefault(context.sentence_of(token.start), index)
    return found


_DEMANDABLE = frozenset({"release", "amnesty", "transfer", "negotiation", "other", "enforced_disappearance"})
# "would continue the hunger strike": what goes on already is asserted.
_CONTINUING = frozenset({"continue", "continuing", "keep", "remain", "stay", "مواصله", "الاستمرار", "يواصل", "يواصلون",
                         "استمرار"})
_GENERAL = frozenset({"war", "conflict", "fighting", "الحرب", "النزاع", "الصراع", "حرب"})
_ARABIC_ANY = frozenset({"اي", "يسجل", "تسجل", "يتم", "تتم"})


def _status(context: Context, first: int, sentence: int, irrealis_ends: set[int], demand_from: dict[int, int],
            types: tuple[str, ...] = ()) -> str:
    """The status of the claim whose trigger starts at token ``first``."""
    tokens = context.tokens
    arabic = tokens[first].arabic
    for index in range(first - 1, max(-1, first - 9), -1):
        if context.sentence_of(tokens[index].start) != sentence or _clause_break(context, index, index + 1):
            break
        forms = _forms_of(context, index)
        distance = first - index
        if forms & _DENIALS:
            return "negated"
        if forms & _NEGATORS and not (index + 1 < len(tokens) and _forms_of(context, index + 1) & _NOT_NEGATING_NEXT) \
                and not any(_forms_of(context, k) & _EXCEPT for k in range(index + 1, first)):
            # Arabic «لم» negates the verb after it: the trigger is that verb, its object, or follows «أي».
            reach = 4 if not arabic else (3 if any(_forms_of(context, k) & _ARABIC_ANY
                                                   for k in range(index + 1, first)) else 2)
            if forms & _NONE_OF:
                reach = 8  # "none of them had so far been taken to hospital"
            if distance <= reach:
                return "negated"
        if distance <= 3 and forms & _DEMANDS and set(types) & _DEMANDABLE:
            return _demanded(types)
        if distance <= 3 and forms & _DECISIONS and set(types) & {"transfer", "release"}:
            return "threatened"  # «قرار النقل», "a decision to transfer": decided, not yet done
        if distance <= 4 and forms & _THREATS and not _pluperfect(context, index, forms) and not any(
                _forms_of(context, k) & _CONTINUING for k in range(index + 1, first)):
            return "threatened"
        if distance <= 3 and index in irrealis_ends and not (forms & _UNTIL and _span_opened(context, index, sentence)):
            return "general" if forms & _GENERAL else "threatened"
    demand = demand_from.get(sentence)
    if demand is not None and demand < first and set(types) & _DEMANDABLE:
        return _demanded(types)
    return "asserted"


# "ever since her arrest until her release", «منذ اعتقالها … حتى خروجها»: "until" closes a span of time told as past,
# it does not make what follows a wish.
_UNTIL = frozenset({"until", "till", "حتى", "حتي"})
_SPAN_OPENERS = frozenset({"since", "منذ"})


def _span_opened(context: Context, index: int, sentence: int) -> bool:
    """True when "since"/«منذ» opens, earlier in the sentence, the span that "until"/«حتى» at ``index`` closes."""
    for earlier in range(index - 1, max(-1, index - 12), -1):
        if context.sentence_of(context.tokens[earlier].start) != sentence:
            return False
        if _forms_of(context, earlier) & _SPAN_OPENERS:
            return True
    return False


_KANA = frozenset({"كان", "كانت", "كانوا", "وكان", "وكانت", "وكانوا"})


def _pluperfect(context: Context, index: int, forms: frozenset[str]) -> bool:
    """True for «قد» after «كان» («كانت إدارة السجن قد نقلت»): "had done", told as past, not "may"."""
    if "قد" not in forms:
        return False
    return any(_forms_of(context, earlier) & _KANA for earlier in range(max(0, index - 5), index))


def _demanded(types: tuple[str, ...]) -> str:
    """A release asked for is ``demanded``; the disappeared whose fate a call asks to reveal («المطالبة بالكشف عن
    مصير المختفين قسرياً») are the disappeared at large (``general``), not an event of the report."""
    return "general" if set(types) == {"enforced_disappearance"} else "demanded"


# A decision or an order to move or free detainees is not the move itself.
_DECISIONS = frozenset({"decision", "decided", "decides", "قرار", "قرارا", "بقرار", "قرر", "قررت",
                        # an attempt to move or free detainees ("an attempt to transfer five inmates") is not the move
                        "attempt", "attempted", "attempts", "محاوله", "محاولات", "حاول", "حاولت"})
_SPENT = frozenset({"قضى", "قضوا", "قضي", "يقضي", "يقضون", "قضت"})
_DURATIONS = frozenset({"شهر", "شهرا", "اشهر", "شهور", "سنه", "سنوات", "سنين", "عام", "اعوام", "ايام", "يوما", "مده",
                        "فتره", "عقوبه", "محكوميته", "محكوميتهم", "حكم", "اسابيع", "اسبوع", "ساعات", "ليله", "ليالي"})


def _not_an_event(context: Context, first: int, last: int, types: tuple[str, ...]) -> bool:
    """A release of a document ("released its report"), a participle describing people ("people arrested
    for"), or «قضى» meaning "spent" («قضى 16 شهراً في السجن»)."""
    tokens = context.tokens
    after = _forms_of(context, last + 1) if last + 1 < len(tokens) else set()
    if first == last and _forms_of(context, first) & _SPENT and last + 1 < len(tokens):
        nxt = context.text[tokens[last + 1].start:tokens[last + 1].end]
        if any(char.isdigit() for char in nxt) or after & _DURATIONS or \
                (last + 2 < len(tokens) and _forms_of(context, last + 2) & _DURATIONS):
            return True
    if "release" in types and not context.tokens[first].arabic and _document_released(context, first, last):
        return True
    if "injury" in types and _care_as_a_role(context, first):
        return True
    if "death_sentence" in types and any(_forms_of(context, index) & _COMMUTED
                                         for index in range(max(0, first - 3), first)):
        return True  # "commuted death sentences", «استبدال عقوبة الإعدام»: what an amnesty lifts
    if "arrest" in types and context.tokens[first].arabic and any(
            _forms_of(context, index) & _GUARDS for index in range(last + 1, min(len(tokens), last + 5))):
        return True  # «احتجزوا عدداً من الحراس»: detainees holding guards, no arrest
    if set(types) == {"negotiation"} and _framework(context, first):
        return True
    if clauses.cause_of_death(context, first, types) or clauses.move_within(context, last, types) or \
            clauses.names_a_section(context, first, last, types):
        return True
    if first > 0 and not tokens[first].arabic and after & _DESCRIBING_NEXT and \
            _forms_of(context, first - 1) & _PERSON_NOUNS and _form(context, first).endswith("ed"):
        return True
    if first > 0 and not tokens[first].arabic and _forms_of(context, first - 1) & _PERSON_NOUNS and \
            _form(context, first).endswith("ed") and any(_forms_of(context, index) & _BODIES
                                                         for index in range(max(0, first - 7), first - 1)):
        return True  # "the bodies of at least 100,000 people killed by …": the dead whose bodies were found
    if tokens[first].arabic and first > 1 and _forms_of(context, first - 1) & _WHO_AR and any(
            _forms_of(context, index) & _BODIES_AR for index in range(max(0, first - 6), first - 1)):
        return True  # «جثث المعتقلين الذين قضوا في الأفرع»: the same dead, told again
    return False


# An organisation's call is made with a verb or a noun of calling; these words only look like one: «طالب» as a
# student («طالب جامعي», «الطالب»), «دعوى» (a lawsuit), «حثيث» (diligent), a court of appeal, and the demands
# someone holds ("the prisoners' demands", «مطالب السجناء»), which are no call made in the text.
_NOT_A_CALL_AR = ("دعوي", "دعاوي", "حثيث", "الطالب", "طلاب", "والطالب")
_LEGAL_APPEAL = frozenset({"court", "courts", "verdict", "sentence", "sentences", "ruling", "judgment", "judgement",
                           "conviction", "tribunal", "lodged", "filed", "right", "rights", "defence", "defense"})
# A call to refrain ("urged residents not to approach the site", «دعت الأهالي إلى عدم الاقتراب») is a warning.
_REFRAIN = re.compile(r"(?i)[^.\n،,]{0,40}?(?:\bnot\s+to\b|إلى\s+عدم|الى\s+عدم|بعدم)")
_HELD_DEMANDS = frozenset({"the", "their", "his", "her", "its", "whose", "these", "those", "s"})
_ASKED_OF = ("ب", "ان", "أن", "إلى", "الى", "من")


_PROTEST_NOUNS = frozenset({"demonstrations", "demonstration", "protests", "protest", "rallies", "marches", "مظاهرات",
                            "المظاهرات", "تظاهرات", "التظاهرات", "احتجاجات", "الاحتجاجات", "مسيرات", "وقفات"})


def _protests_that_ask(context: Context, events: list[EventMention]) -> list[EventMention]:
    """A call that describes a protest ("joined demonstrations demanding the regime's fall", «مظاهرات تطالب
    بإسقاط النظام») is that protest's; it is an appeal only where the text reports the protest itself."""
    reported = {event.sentence for event in events if "protest_riot" in event.event_types and event.status == "asserted"}
    result = []
    for event in events:
        if event.event_types == ("appeal_call",) and event.sentence not in reported:
            index = context.token_at(event.start)
            if any(_forms_of(context, before) & _PROTEST_NOUNS for before in range(max(0, index - 2), index)):
                continue
        result.append(event)
    return result


def _advocacy(context: Context, first: int, last: int) -> bool:
    """True when an appeal trigger is a call someone makes in the text (a verb of calling, or "a call for",
    «نداء»), not a word that only looks like one, and not a negated one ("did not call for")."""
    tokens = context.tokens
    word = fold(context.text[tokens[first].start:tokens[last].end])
    if clauses.negated_any(context, first) or _REFRAIN.match(context.text, tokens[last].end):
        return False
    if tokens[first].arabic:
        if word.startswith(_NOT_A_CALL_AR):
            return False
        raw = context.text[tokens[first].start:tokens[first].end]
        bare = word.removeprefix("و").removeprefix("لل").removeprefix("بال").removeprefix("ال")
        if bare.startswith("مطالب") and bare != "مطالبه" or bare == "طالبه":
            return False  # «مطالب السجناء», «مطالبهم»: demands someone holds; «طالبة»: a student
        if bare == "طالب" and (re.match(r"^[وفبل]?(?:ال|لل)", raw) or "\u064b" in raw):
            return False  # «الطالب», «طالباً»: a student, never the verb
        if bare in ("طالب", "مطالبه"):
            # «طالب المرصد بالإفراج», «المطالبة بالكشف»: a demand is made of something («ب…», «أن …»)
            sentence = context.sentence_of(tokens[first].start)
            ahead = range(last + 1, min(len(tokens), last + 7))
            return any(context.sentence_of(tokens[index].start) == sentence and
                       fold(context.text[tokens[index].start:tokens[index].end]).startswith(_ASKED_OF)
                       for index in ahead)
        return True
    near: set[str] = set()
    for index in range(max(0, first - 3), min(len(tokens), last + 4)):
        near |= _forms_of(context, index)
    if word.startswith("appeal") and near & _LEGAL_APPEAL:
        return False
    if word in ("demands", "demand", "appeals", "calls") and first > 0 and _forms_of(context, first - 1) & _HELD_DEMANDS \
            and not (last + 1 < len(tokens) and _forms_of(context, last + 1) & {"for", "to", "on"}):
        return False
    return True


def _document_released(context: Context, first: int, last: int) -> bool:
    """True for a document that is released: "released its report", "released today its monthly report",
    "said in a report released today" (the document noun before the participle)."""
    index = last + 1
    while index < len(context.tokens) and index <= last + 3 and _forms_of(context, index) & _WHEN_WORDS:
        index += 1
    if index < len(context.tokens) and _forms_of(context, index) & _DOCUMENT_OBJECTS:
        return True
    return first > 0 and bool(_forms_of(context, first - 1) & _DOCUMENT_NOUNS) and \
        not _clause_break(context, first - 1, first)


# "volunteers give first aid to the wounded": what an organisation does as a rule, in the present tense.
_CARE_PRESENT = frozenset({"give", "gives", "provide", "provides", "treat", "treats", "help", "helps", "support",
                           "supports", "assist", "assists", "evacuate", "evacuates", "تقدم", "يقدم", "يقدمون", "تسعف",
                           "يسعف", "يسعفون", "تعالج", "يعالج", "يعالجون", "تساعد", "يساعد"})
_WOUNDED = frozenset(fold(word) for word in ("wounded", "injured", "جرحى", "المصابين", "مصابين"))


def _care_as_a_role(context: Context, first: int) -> bool:
    """True for "the wounded" as those an organisation cares for as a rule, not people wounded in an event."""
    if not _forms_of(context, first) & _WOUNDED:
        return False
    return any(_forms_of(context, index) & _CARE_PRESENT for index in range(max(0, first - 6), first))


# "released as part of the settlement", «بموجب اتفاق التسوية»: the arrangement an event happens under.
_FRAMEWORK = re.compile(r"(?i)(?:\b(?:as\s+part\s+of|under|within|in\s+line\s+with|in\s+accordance\s+with|"
                        r"framework\s+of|terms\s+of)\s+(?:the|a|an|this|that|its)?\s*(?:[\w-]+\s+)?|"
                        r"(?:ضمن|بموجب|اطار|إطار|وفق|وفقا\s+ل|حسب|بنود)\s+(?:\S+\s+)?)$")


def _framework(context: Context, first: int) -> bool:
    """True when a settlement or an agreement is named as the framework of another event, not negotiated here."""
    return bool(_FRAMEWORK.search(context.text[max(0, context.tokens[first].start - 50):context.tokens[first].start]))


_DIED = frozenset({"died", "die", "dies", "dying", "dead", "توفي", "توفى", "توفيت", "توفوا", "مات", "ماتوا", "قضى",
                   "قضوا"})


def _in_custody(context: Context, events: list[EventMention], detention: set[int]) -> list[EventMention]:
    """"Died" in a sentence about detention is a death in custody, not a killing."""
    violent = {context.paragraph_of(event.start) for event in events
               if set(event.event_types) & {"shooting", "storming", "execution", "protest_riot"} or
               (set(event.event_types) == {"killing"} and not _forms_of(context, context.token_at(event.start)) & _DIED)}
    armed = {context.paragraph_of(event.start) for event in events
             if set(event.event_types) & {"shooting", "storming", "execution", "protest_riot"}}
    result = []
    for event in events:
        if set(event.event_types) == {"killing"} and event.sentence in detention and \
                context.paragraph_of(event.start) not in violent and not _fighting(context, event.sentence) and \
                _forms_of(context, context.token_at(event.start)) & _DIED and not _civilians_died(context, event):
            event = EventMention(event.start, event.end, event.text, ("death_in_custody",), event.sentence,
                                 event.rule + ">in_custody", event.status)
        elif set(event.event_types) == {"killing"} and (_custody_victims(context, event) or
                                                        _held_victims_named(context, event, detention)) \
                and context.paragraph_of(event.start) not in armed and not _fighting(context, event.sentence):
            # «قُتل معتقلان في سجون …», "two detainees were killed in the prisons of …": a death in custody.
            event = EventMention(event.start, event.end, event.text, ("death_in_custody",), event.sentence,
                                 event.rule + ">in_custody", event.status)
        elif set(event.event_types) == {"death_in_custody"} and \
                _forms_of(context, context.token_at(event.start)) & _DIED and _civilians_died(context, event):
            # "civilians who died because of lost access to food": a death of the war, not in custody.
            event = EventMention(event.start, event.end, event.text, ("killing",), event.sentence,
                                 event.rule + ">civilians", event.status)
        result.append(event)
    return result


_HELD_VICTIMS = frozenset({"prisoners", "inmates", "detainees", "prisoner", "inmate", "detainee", "معتقلين", "معتقلان",
                           "سجناء", "سجينان", "مساجين", "نزلاء", "محتجزين", "معتقل", "سجين", "معتقله"})
_PRISONS = frozenset({"prison", "prisons", "jail", "jails", "custody", "detention", "سجن", "سجون", "السجون", "معتقل",
                      "معتقلات", "الاحتجاز", "احتجاز", "مراكز", "الفرع", "فرع", "زنزانه", "زنازين"})


def _custody_victims(context: Context, event: EventMention) -> bool:
    """True when detainees are the ones killed and the clause after says where they were held
    ("detainees were killed in the prisons of …", «قُتل معتقلان في سجون …»)."""
    first = context.token_at(event.start)
    last = max(first, context.token_at(event.end) - 1)
    around = range(max(0, first - 3), min(len(context.tokens), last + 3))
    if not any(_forms_of(context, index) & _HELD_VICTIMS for index in around if index < first or index > last):
        return False
    after = range(last + 1, min(len(context.tokens), last + 6))
    return any(_forms_of(context, index) & _PRISONS for index in after if index > last + 1 or
               not _forms_of(context, index) & _HELD_VICTIMS)


def _held_victims_named(context: Context, event: EventMention, detention: set[int]) -> bool:
    """True for "killed detainees", "dead prisoners": the trigger qualifies detainees, in a sentence about
    detention (English; an Arabic participle follows its noun and is read by :func:`_custody_victims`)."""
    if event.sentence not in detention:
        return False
    last = max(context.token_at(event.start), context.token_at(event.end) - 1)
    return last + 1 < len(context.tokens) and not context.tokens[last].arabic and \
        bool(_forms_of(context, last + 1) & _HELD_VICTIMS) and not _clause_break(context, last, last + 1)


_KILLING_NOUNS = frozenset({"killings", "killing", "قتل", "عمليات"})
_BACK = frozenset({"the", "these", "those", "such", "هذه", "تلك"})


def _killings_told_before(context: Context, events: list[EventMention]) -> list[EventMention]:
    """"The killings" after executions were told names those executions again: no killing of its own."""
    result: list[EventMention] = []
    executed = False
    for event in events:
        first = context.token_at(event.start)
        if executed and set(event.event_types) == {"killing"} and first > 0 and \
                _forms_of(context, first) & _KILLING_NOUNS and _forms_of(context, first - 1) & _BACK:
            continue
        executed = executed or ("execution" in event.event_types and event.status == "asserted")
        result.append(event)
    return result


_CIVILIANS = frozenset({"civilians", "residents", "villagers", "townspeople", "مدنيين", "مدنيون", "مدنيا", "السكان",
                        "سكان", "الاهالي", "اهالي"})


def _civilians_died(context: Context, event: EventMention) -> bool:
    """True when the ones who died are named as civilians or residents ("civilians who died of hunger"):
    not detainees, whatever else the sentence says of detention."""
    first = context.token_at(event.start)
    return any(_forms_of(context, index) & _CIVILIANS for index in range(max(0, first - 3), first))


_FIGHTING = re.compile(r"(?i)\b(?:fighting|clashes|battles?|combat|offensive|bid to free|attack)\b|"
                       r"(?:اشتباك|معارك|المعارك|معركة|القتال|هجوم)")


def _fighting(context: Context, sentence: int) -> bool:
    """True when the sentence tells of fighting: who died there died in the fighting, not in custody."""
    start, end = context.sentences[sentence]
    return bool(_FIGHTING.search(context.text, start, end))


def _under_torture(context: Context, events: list[EventMention]) -> list[EventMention]:
    """A killing followed within a few words by torture ("under torture", «بسبب التعذيب») is a death in custody."""
    kept = []
    for index, event in enumerate(events):
        following = events[index + 1] if index + 1 < len(events) else None
        if set(event.event_types) == {"killing"} and following is not None and \
                following.sentence == event.sentence and "torture" in following.event_types and \
                following.start - event.end <= 40:
            if "death_in_custody" not in following.event_types:
                kept.append(EventMention(event.start, event.end, event.text, ("death_in_custody",), event.sentence,
                                         event.rule + ">under_torture", event.status))
            continue
        kept.append(event)
    return kept


_BACKGROUND_EN = re.compile(
    r"(?i)^\W*(?:earlier,|previously,|back in\b|in the (?:early |late )?(?:19|20)\d0s\b)|"
    r"\b(?:had previously|had earlier|was the scene of|has a history of)\b")
# "In 2013, …" opening a sentence is background when the year is two or more years before the document's.
_YEAR_OPENING = re.compile(r"(?i)^\W*(?:in|since|during|في|منذ|خلال)\s+(?:(?:early|late|mid-?|\w+)\s+)?((?:19|20)\d\d)\b")
_BACKGROUND_AR = re.compile(r"^\W*(?:و?كان(?:ت)?\s|و?سبق\s|و?يذكر\s+ان|و?يُذكر\s+أن|و?تعود\s|و?في\s+عام\s+(?:19|20)\d\d)")


def background_sentences(context: Context, year: int | None = None) -> set[int]:
    """Sentences told as past context: "Earlier, …", «وكان السجن قد …», «وسبق أن …», "In 2013, …" in a 2016 text."""
    pattern = _BACKGROUND_AR if context.language == "ar" else _BACKGROUND_EN
    found = set()
    for index, (start, end) in enumerate(context.sentences):
        head = context.text[start:min(end, start + 200)]
        if pattern.search(head):
            found.add(index)
            continue
        opening = _YEAR_OPENING.search(head)
        if opening and year is not None and int(opening.group(1)) <= year - 2:
            found.add(index)
    return found


# A sentence that states what unnamed reports or rights groups say in general ("Rights groups say thousands
# are held …", «وتشير تقارير إلى أن من يُحتجزون … يخضعون لأساليب تعذيب»): a general statement, not this news.
_GENERIC_EN = re.compile(r"(?i)^\W*(?:(?:human )?rights groups|activists|monitors|reports)\s+(?:say|said|estimate|"
                         r"indicate|suggest|have long)\b|^\W*according to (?:human )?rights groups\b")
_GENERIC_AR = re.compile(r"^\W*و?(?:تشير|تفيد|تقول|تقدر|تؤكد)\s+(?:تقارير|منظمات)|^\W*و?(?:بحسب|وفق|حسب)\s+"
                         r"(?:منظمات|تقارير)")


def mark_background(context: Context, events: list[EventMention], year: int | None = None,
                    figures: set[int] | None = None) -> list[EventMention]:
    """Asserted claims of background sentences become ``background`` claims, of generic statements ``general``.

    A generic statement that gives a figure of tens of thousands of people (``figures``: "rights groups
    estimate that more than 100,000 people disappeared") is the country-wide total, not a general claim.
    """
    background = background_sentences(context, year)
    generic = _GENERIC_AR if context.language == "ar" else _GENERIC_EN
    result = []
    for event in events:
        if event.status == "asserted":
            start, end = context.sentences[event.sentence]
            if generic.search(context.text[start:min(end, start + 80)]) and event.sentence not in (figures or ()):
                event = replace(event, status="general")
            elif event.sentence in background:
                event = replace(event, status="background")
        result.append(event)
    return result


def is_heading(context: Context, sentence: int) -> bool:
    """True for a short line of its own without a closing full stop, followed by running text: a section
    heading ("Physical torture")."""
    start, end = context.sentences[sentence]
    line = context.text[start:end]
    at_line_start = start == 0 or context.text[start - 1] == "\n"
    at_line_end = end == len(context.text) or context.text[end] == "\n"
    if not (at_line_start and at_line_end and len(line.split()) <= 6 and not line.rstrip().endswith((".", "،", ","))):
        return False
    # A heading opens a section: running text follows it (a list of related links does not).
    if sentence + 1 >= len(context.sentences):
        return False
    following_start, following_end = context.sentences[sentence + 1]
    return following_end - following_start >= 60


_DETAINEES = frozenset({"prisoners", "inmates", "detainees", "prisoner", "inmate", "detainee", "معتقلين", "سجناء",
                        "مساجين", "نزلاء", "محتجزين", "موقوفين", "معتقل", "سجين"})
_LINKS = frozenset({"at", "on", "of", "against", "the", "على", "ضد"})


def _done_to_detainees(context: Context, event: EventMention) -> bool:
    """True when detainees are named right after the trigger as those it was done to ("shooting at prisoners")."""
    if set(event.event_types) & {"appeal_call", "hunger_strike", "protest_riot"}:
        return False  # acts of detainees: "the demands of the prisoners" are theirs, not done to them
    index = context.token_at(event.end)
    for step in range(index, min(len(context.tokens), index + 3)):
        forms = _forms_of(context, step)
        if forms & _DETAINEES:
            return True
        if not forms & _LINKS:
            return False
    return False


_ON_BEHALF_OF = re.compile(r"(?i)\s*(?:باسم|نيابة\s+عن|on\s+behalf\s+of|in\s+the\s+name\s+of)\s+(?:the\s+)?(\w+)")


def _detainees_appeal(context: Context, event: EventMention) -> bool:
    """An appeal that detainees or their families make, or that is made in their name ("demanded on behalf
    of the prisoners", «طالب باسم المعتقلين»), is news of its own; "the prisoners' demands" are not."""
    if "appeal_call" not in event.event_types:
        return False
    first = context.token_at(event.start)
    for index in range(max(0, first - 8), first):
        if context.sentence_of(context.tokens[index].start) == event.sentence and \
                any(form.startswith(_APPELLANT_PREFIXES) for form in _forms_of(context, index)):
            return True  # the subject before the appeal
    named = _ON_BEHALF_OF.match(context.text, event.end)
    return bool(named and fold(named.group(1)).startswith(_APPELLANT_PREFIXES))


def salient(context: Context, events: list[EventMention], anchors: list[int]) -> list[EventMention]:
    """The event mentions that report something rather than give background.

    A mention is kept when its trigger is a phrase of several words ("hunger strike"), when its event
    type is mentioned at least twice, or when it stands in the headline or the lead (first two
    sentences), or in a sentence with an anchor: a place, an organisation, a person, a date or a
    count (``anchors`` holds their start offsets), or when detainees follow it as those it was done to
    ("the shooting at prisoners"), or when it is an appeal detainees or their families make.
    """
    anchored = {context.sentence_of(start) for start in anchors}
    tally: dict[str, int] = {}
    for event in events:
        if event.status != "asserted":
            continue
        for event_type in event.event_types:
            tally[event_type] = tally.get(event_type, 0) + 1
    kept = []
    for event in events:
        if event.status not in ("asserted", "background"):
            kept.append(event)
            continue
        # a phrase of several words, as a trigger or as a pattern's match ("electricity … were cut")
        specific = len(event.rule.split()) > 1 or event.rule == "supplies_cut"
        if specific or event.sentence < 2 or event.sentence in anchored or is_heading(context, event.sentence) or \
                any(tally.get(t, 0) >= 2 for t in event.event_types) or _done_to_detainees(context, event) or \
                _detainees_appeal(context, event):
            kept.append(event)
    return _with_listed(context, events, kept)


_LIST_JOINS = re.compile(r"\s*(?:,|،|\band\b|\bor\b|(?<!\S)و|(?<!\S)او\b|(?<!\S)أو\b)\s*")


def _listed(between: str) -> bool:
    """True when ``between`` only joins two items of a list: ", ", " and ", ", beatings and ", «، و»."""
    if "." in between or ";" in between or "\n" in between or not _LIST_JOINS.search(between):
        return False
    items = [item for item in _LIST_JOINS.split(between) if item.strip()]
    return len(items) <= 3 and all(len(item.split()) <= 2 for item in items)


def _with_listed(context: Context, events: list[EventMention], kept: list[EventMention]) -> list[EventMention]:
    """A trigger listed with a kept one ("signs of starvation, beatings and torture") is kept with it."""
    chosen = {id(event) for event in kept}
    changed = True
    while changed:
        changed = False
        for left, right in zip(events, events[1:], strict=False):
            if (id(left) in chosen) == (id(right) in chosen) or left.sentence != right.sentence or \
                    left.status not in ("asserted", "background") or right.status not in ("asserted", "background"):
                continue
            if _listed(context.text[left.end:right.start]):
                chosen.update((id(left), id(right)))
                changed = True
    return [event for event in events if id(event) in chosen]
