"""What the clause around a trigger says of it: who did what to whom, and whether it happened.

These readings complete the statuses of :mod:`dhakira.extract.events`:

* :func:`uncertain`: the trigger is one of the alternatives of an open question ("impossible to tell
  whether gas bombs or a fire were the cause", «لم يتضح ما إذا كان …»);
* :func:`describes_a_source`: the trigger sits in a relative clause that introduces the person who speaks
  ("a former prisoner who had been freed told us", «قال المعتقل، الذي أُفرج عنه قبل أيام، إن …»): it
  presents the witness, it is not the news;
* :func:`grievance`: the trigger names what detainees protest against or complain of ("protesting
  against mistreatment", «احتجاجاً على سوء المعاملة»): their claim, not an event the text reports;
* :func:`war_as_subject`: the war or the conflict is the subject of a killing ("the conflict … has
  killed nearly half a million people"): a statement about the war as a whole;
* :func:`cause_of_death`: an injury or a shortness of breath named as what someone died of ("died of
  injuries", «ماتت جراء ضيق في التنفس»): part of the death, not an event of its own (a suffocation
  stays one where gas, smoke or fire is told in the sentence);
* :func:`move_within`: a transfer to a cell, a room or a wing is a move inside the same place;
* :func:`names_a_section`: "arrest" qualifying a part of a prison ("the arrest lockup") names that part;
* :func:`intervention_asked`: an appeal that asks someone to step in and stop what is going on
  ("urged the president to step in and put an end to the massacre", «دعا … إلى أن يتدخل … لوضع حد»)
  is part of the incident, whoever makes it;
* :func:`negated_any`: a negation earlier in the clause reaches a trigger that follows "any" / «أي»
  and the triggers joined to it by "or" («لم تسفر العملية عن أي قتلى أو جرحى»);
* :func:`over_the_years`: an act told as going on for decades or years ("held and tortured over
  decades", «على مدى عقود») is background, not this news;
* :func:`reason_for_detention`: a protest named as why people are held ("detained in connection with
  the unrest", "arrested for taking part in protests", «اعتُقل على خلفية مشاركته في المظاهرات») is
  the uprising at large or the detainee's past, not a protest the text reports (a riot or a mutiny
  in the prison stays the news).
"""

from __future__ import annotations

import re

from dhakira.extract.context import Context

_CLAUSE_BREAK = ",;:،؛()"


def _forms(context: Context, index: int) -> frozenset[str]:
    return context.tokens[index].names


def _clause_before(context: Context, first: int, limit: int) -> range:
    """Indexes of the tokens before ``first`` in its clause (at most ``limit``), nearest last."""
    sentence = context.sentence_of(context.tokens[first].start)
    index = first
    while index > 0 and first - index < limit:
        previous = index - 1
        if context.sentence_of(context.tokens[previous].start) != sentence:
            break
        between = context.text[context.tokens[previous].end:context.tokens[index].start]
        if any(char in _CLAUSE_BREAK for char in between):
            break
        index = previous
    return range(index, first)


def _ends_before(context: Context, start: int, reach: int, hint: re.Pattern[str], *patterns: re.Pattern[str]) -> bool:
    """True when one of ``patterns`` matches the ``reach`` characters before ``start`` (``hint``, a cheap
    search for their key words, first: most triggers have none of them before)."""
    before = context.text[max(0, start - reach):start]
    return bool(hint.search(before)) and any(pattern.search(before) for pattern in patterns)


_OPEN_QUESTION_EN = re.compile(r"(?i)\b(?:whether|unclear if|not clear if|not known if|unknown if)\s+(?:\w+\s+){0,3}$")
_OPEN_QUESTION_AR = re.compile(r"(?:ما\s+إذا|ما\s+اذا|لم\s+يتضح|لم\s+يتبين|غير\s+معروف\s+إن|لا\s+يعرف\s+إن)\s+"
                               r"(?:\S+\s+){0,3}$")


_OPEN_QUESTION_HINT = re.compile(r"(?i)whether|unclear|not clear|not known|unknown|إذا|اذا|يتضح|يتبين|معروف|يعرف")


def uncertain(context: Context, start: int) -> bool:
    """True when the trigger at ``start`` is one alternative of an open question ("whether … or …")."""
    return _ends_before(context, start, 60, _OPEN_QUESTION_HINT, _OPEN_QUESTION_EN, _OPEN_QUESTION_AR)


# A single witness: the plural relatives («الذين») more often introduce the people the news is about.
_RELATIVE = frozenset({"who", "الذي", "التي"})
_SPEECH = frozenset({
    "said", "says", "told", "tells", "recounted", "recalled", "described", "explained", "added", "spoke", "speaking",
    "interviewed", "testified", "according", "قال", "قالت", "يقول", "تقول", "افاد", "افادت", "روى", "روت", "يروي",
    "تروي", "اوضح", "اوضحت", "اكد", "اكدت", "تحدث", "تحدثت", "ذكر", "ذكرت", "اضاف", "اضافت", "شهاده", "التقى",
    "التقت", "قابل", "قابلت"})
_PERSON_HEADS = frozenset({
    "prisoner", "detainee", "inmate", "man", "woman", "witness", "survivor", "activist", "lawyer", "member", "source",
    "one", "former", "ex-detainee", "father", "mother", "brother", "sister", "son", "daughter",
    "معتقل", "معتقله", "سجين", "سجينه", "محتجز", "محتجزه", "شاهد", "ناجي", "ناجيه", "ناشط", "ناشطه", "محامي", "شاب",
    "رجل", "سيده", "امراه", "احد", "احدى"})


def describes_a_source(context: Context, first: int) -> bool:
    """True when the trigger at token ``first`` is in a relative clause about a speaker or a witness."""
    sentence = context.sentence_of(context.tokens[first].start)
    start, end = context.sentences[sentence]
    relative = None
    for index in range(first - 1, max(-1, first - 12), -1):
        if context.tokens[index].start < start:
            break
        if _forms(context, index) & _RELATIVE:
            relative = index
            break
    if relative is None:
        return False
    head = range(max(0, relative - 5), relative)
    if not any(_forms(context, index) & _PERSON_HEADS for index in head if context.tokens[index].start >= start):
        return False
    last = context.token_at(end)
    return any(_forms(context, index) & _SPEECH for index in range(context.token_at(start), last))


_GRIEVANCE_EN = re.compile(r"(?i)\b(?:protest(?:s|ed|ing)?|complain(?:s|ed|ing)?)\s+(?:against|about|at|over|of)\s+"
                           r"(?:the\s+|their\s+)?$")
_GRIEVANCE_AR = re.compile(r"(?:احتجاج[اًً]*|احتجوا|يحتجون|اعتراض[اًً]*|شكوا|يشكون|تنديد[اًً]*)\s+(?:على|من|ب)\s*$")


_GRIEVANCE_HINT = re.compile(r"(?i)protest|complain|احتج|اعتراض|شكو|يشكون|تنديد")


def grievance(context: Context, start: int) -> bool:
    """True when the trigger at ``start`` is what detainees protest against or complain of."""
    return _ends_before(context, start, 40, _GRIEVANCE_HINT, _GRIEVANCE_EN, _GRIEVANCE_AR)


_WAR = frozenset({"war", "conflict", "uprising", "revolution", "حرب", "نزاع", "صراع", "ثوره"})
_TOLL_TYPES = frozenset({"killing", "death_in_custody", "enforced_disappearance"})


def war_as_subject(context: Context, first: int, types: tuple[str, ...]) -> bool:
    """True when the war or the conflict is the subject of a killing in the trigger's clause."""
    if not set(types) & _TOLL_TYPES:
        return False
    return any(_forms(context, index) & _WAR for index in _clause_before(context, first, 10))


_DEATH = frozenset({"died", "die", "dies", "dying", "death", "deaths", "توفي", "توفيت", "توفوا", "مات", "ماتت",
                    "ماتوا", "وفاه", "وفاته", "وفاتها", "قضى", "قضت", "فارق", "فارقت", "متاثرا", "متاثره", "متاثرين"})
_CAUSE = frozenset({"of", "from", "جراء", "بسبب", "اثر", "نتيجه", "ب"})
_GAS = re.compile(r"(?i)\b(?:gas|smoke|fire|blaze|burning)\b|(?:غاز|دخان|حريق|نيران|الغازات)")


def cause_of_death(context: Context, first: int, types: tuple[str, ...]) -> bool:
    """True when an injury or a shortness of breath is named as what someone died of."""
    if not types or not set(types) <= {"injury", "suffocation"}:
        return False
    window = list(_clause_before(context, first, 8))
    # "died of [injuries]", «ماتت جراء [ضيق في التنفس]»: the cause word stands right before the trigger.
    cause = any(_forms(context, index) & _CAUSE or context.tokens[index].arabic and _forms(context, index) & _DEATH
                for index in window[-2:])
    if not cause or not any(_forms(context, index) & _DEATH for index in window):
        return False
    if "suffocation" in types:
        sentence = context.sentences[context.sentence_of(context.tokens[first].start)]
        if _GAS.search(context.text, sentence[0], sentence[1]):
            return False
    return True


_INSIDE = frozenset({"cell", "cells", "room", "rooms", "ward", "wards", "wing", "wings", "dormitory", "solitary",
                     "corridor", "زنزانه", "زنزانات", "مهجع", "جناح", "غرفه", "زنزانته", "منفرده", "انفرادي"})


def move_within(context: Context, last: int, types: tuple[str, ...]) -> bool:
    """True for a transfer whose destination (within four words) is a cell, a room or a wing."""
    if types != ("transfer",):
        return False
    window = range(last + 1, min(len(context.tokens), last + 5))
    sentence = context.sentence_of(context.tokens[last].start)
    return any(_forms(context, index) & _INSIDE for index in window
               if context.sentence_of(context.tokens[index].start) == sentence)


_SECTIONS = frozenset({"lockup", "lock-up", "ward", "section", "wing", "cell", "cells", "centre", "center", "unit"})


def names_a_section(context: Context, first: int, last: int, types: tuple[str, ...]) -> bool:
    """True for "arrest" qualifying a part of a prison ("the arrest lockup holds 40 detainees")."""
    if types != ("arrest",) or first != last or last + 1 >= len(context.tokens) or context.tokens[first].arabic:
        return False
    return bool(_forms(context, last + 1) & _SECTIONS)


# Asking a third party to step in: "urged the president to step in", «دعا الرئيس إلى أن يتدخل». A call to
# "halt the deportations" addressed to those who carry them out stays advocacy.
_INTERVENE_EN = re.compile(r"(?i)\b(?:step in|intervene|intervention)\b")
_INTERVENE_AR = re.compile(r"(?:يتدخل|تتدخل|بالتدخل|التدخل)")


def intervention_asked(context: Context, sentence: int) -> bool:
    """True when the sentence of an appeal asks someone to step in."""
    start, end = context.sentences[sentence]
    pattern = _INTERVENE_AR if context.language == "ar" else _INTERVENE_EN
    return bool(pattern.search(context.text, start, end))


# The country's uprising named as a time or as a whole ("after the uprising began in 2011", "since the start
# of the revolution", "Syria's uprising", «منذ انطلاق الثورة السورية»): the uprising at large, not a protest or a
# riot the text reports (a prison uprising stays one: the prison is named next to it).
_UPRISING = r"(?:uprising|revolution|revolt)"
_AT_LARGE_EN = re.compile(
    r"(?i)(?:\b(?:since|after|before|during|start\s+of|beginning\s+of|outbreak\s+of)\s+(?:the\s+)?(?:start\s+of\s+the\s+|"
    r"beginning\s+of\s+the\s+|outbreak\s+of\s+the\s+)?(?:syrian\s+|popular\s+|2011\s+)?|\b(?:syria's|the\s+syrian|"
    r"the\s+2011)\s+)" + _UPRISING + r"\b|\b" + _UPRISING + r"\s+(?:began|started|broke\s+out|erupted|of\s+2011|"
    r"in\s+(?:march\s+)?2011|in\s+syria)\b")
_AT_LARGE_AR = re.compile(r"(?:منذ|بعد|قبل|خلال|بداية|بدء|انطلاق|اندلاع)\s+(?:بداية\s+|انطلاق\s+|اندلاع\s+)?"
                          r"(?:ال)?(?:ثورة|انتفاضة|الحراك)|(?:ال)?(?:ثورة|انتفاضة)\s+(?:ال)?سوري[ةه]")
_UPRISING_HINT = re.compile(r"(?i)uprising|revolution|revolt|ثور|انتفاض|الحراك")


def uprising_at_large(context: Context, start: int, end: int, types: tuple[str, ...]) -> bool:
    """True when the trigger is the country's uprising as a whole or as a time mark (see above)."""
    if "protest_riot" not in types or not _UPRISING_HINT.search(context.text, start, end):
        return False
    pattern = _AT_LARGE_AR if context.language == "ar" else _AT_LARGE_EN
    window_start = max(0, start - 40)
    return any(match.start() < end and match.end() > start
               for match in pattern.finditer(context.text, window_start, min(len(context.text), end + 30)))


# Those who did it, named for what they did ("officials involved in torturing detainees", "those responsible for
# the deaths", «المتورطين في التعذيب»): a description of people (to be tried, hunted down), not an event told here.
_PERPETRATORS_EN = re.compile(r"(?i)\b(?:involved\s+in|responsible\s+for|implicated\s+in|accused\s+of|guilty\s+of|"
                              r"suspected\s+of|complicit\s+in|who\s+(?:carried\s+out|committed|perpetrated))\s+"
                              r"(?:the\s+|any\s+|these\s+|those\s+)?$")
_PERPETRATORS_AR = re.compile(r"(?:المتورط\w*|متورط\w*|المسؤول\w*\s+عن|المتهم\w*\s+ب|المشتبه\s+ب\w*|"
                              r"مرتكبي|مرتكب|الذين\s+(?:نفذوا|ارتكبوا))\s*(?:في\s+|عن\s+)?(?:ال)?$")


def names_perpetrators(context: Context, start: int) -> bool:
    """True when the trigger at ``start`` names what the people before it are accused of or responsible for."""
    before = context.text[max(0, start - 30):start]
    pattern = _PERPETRATORS_AR if context.language == "ar" else _PERPETRATORS_EN
    return bool(pattern.search(before))


# A report that one side calls untrue ("the information about mass hangings is completely untrue", «أنباء
# الإعدامات عارية عن الصحة») tells of an event it denies; an allegation ("the report, which alleges that
# detainees were executed", «مزاعم عن تعذيب») is not yet an event the text asserts.
_DENIED_AFTER_EN = re.compile(r"(?i)^[^,;:.!?]{0,80}?\b(?:is|are|was|were)\s+(?:\w+\s+)?(?:untrue|false|baseless|"
                              r"unfounded|fabricated|fabrications|lies|not\s+true|devoid\s+of\s+(?:any\s+)?truth)\b")
_DENIED_AFTER_AR = re.compile(r"^[^،,؛;.:!؟]{0,80}?(?:عار(?:ية|يه)?\s+(?:تماما\s+|تماماً\s+)?(?:عن|من)\s+الصح|"
                              r"لا\s+أساس\s+ل\w*\s+من\s+الصح|لا\s+اساس\s+ل\w*\s+من\s+الصح|غير\s+صحيح|مفبرك|كاذب)")
_ALLEGED_EN = re.compile(r"(?i)\b(?:alleg(?:es|ed|ing|ations?)|purported(?:ly)?)\s+"
                         r"(?:that\s+|of\s+)?(?:[\w,'’-]+\s+){0,6}$")
_ALLEGED_AR = re.compile(r"(?:مزاعم|ادعاءات|ادعاء|يزعم|تزعم|زعم|زعمت|يدعي|تدعي|ادعى|ادعت)\s+(?:ب|عن|أن|ان)?\s*"
                         r"(?:\S+\s+){0,6}$")
_DENIAL_HINT = re.compile(r"(?i)untrue|false|baseless|unfounded|fabricat|lies|not true|devoid|alleg|purport|"
                          r"الصح|مفبرك|كاذب|مزاعم|ادعاء|زعم|يدعي|تدعي|ادعى|ادعت")


# "denied reports circulated on social media that guards had beaten strikers", «نفت الأنباء التي تحدثت عن …»: what
# the denied report says is negated, however far the trigger stands from the verb of denial.
_DENIED_REPORT_BEFORE = re.compile(
    r"(?i)\b(?:denied|denies|deny|denying)\s+(?:the\s+|any\s+)?(?:reports?|claims?|"
    r"allegations?|rumou?rs?|accounts?|news)\b[^.;!?]{0,100}?\b(?:that|of)\b[^.;!?]*$|"
    r"(?:نفى|نفت|ينفي|تنفي|نفوا)\s+(?:\S+\s+){0,3}?(?:ال)?(?:أنباء|انباء|تقارير|أخبار|اخبار|مزاعم|ادعاءات|شائعات|روايات|ما\s+تداول)"
    r"[^.؛;!؟]*$")


# ("d(?<!\w.)" is "\bd", written so that the pattern starts with characters the regex engine scans for.)
_DENY_HINT = re.compile(r"(?i)d(?<!\w.)en(?:ied|ies|y)|نفى|نفت|ينفي|تنفي|نفوا")


def denied_report(context: Context, start: int, end: int) -> str | None:
    """``"negated"`` when the clause calls the report of the trigger untrue, ``"uncertain"`` when it is only
    alleged (see above), else ``None``."""
    sentence = context.sentence_of(start)
    sentence_start, sentence_end = context.sentences[sentence]
    window = context.text[max(sentence_start, start - 220):start]
    if _DENY_HINT.search(window) and _DENIED_REPORT_BEFORE.search(window):
        return "negated"
    hinted = context.memo.get(("denial_hint", sentence))
    if hinted is None:
        hinted = context.memo[("denial_hint", sentence)] = \
            _DENIAL_HINT.search(context.text, sentence_start, sentence_end) is not None
    if not hinted:
        return None
    arabic = context.language == "ar"
    after = _DENIED_AFTER_AR if arabic else _DENIED_AFTER_EN
    if after.match(context.text[end:sentence_end]):
        return "negated"
    before = _ALLEGED_AR if arabic else _ALLEGED_EN
    if before.search(context.text[max(sentence_start, start - 90):start]):
        return "uncertain"
    return None


# A cut told after what was cut ("electricity and telephone lines in the area were cut", «الكهرباء مقطوعة عن السجن»).
_CUT_AFTER_EN = re.compile(r"(?i)\b(?:water|electricity|power)\b[^.;:!?]{0,60}?\b(?:was|were|had\s+been|have\s+been|"
                           r"has\s+been)\s+(?:\w+\s+)?cut\b")
_CUT_AFTER_AR = re.compile(r"(?:الماء|المياه|الكهرباء|التيار\s+الكهربائي)(?:\s+\S+){0,4}?\s+(?:مقطوع[ةه]?|قُطعت|قطعت\s+عن|"
                           r"منقطع[ةه]?)")


def supplies_cut(context: Context) -> list[tuple[int, int]]:
    """Spans where water or power is said to be cut, the cut told after what was cut."""
    pattern = _CUT_AFTER_AR if context.language == "ar" else _CUT_AFTER_EN
    return [match.span() for match in pattern.finditer(context.text)]


_CARE_WITHHELD_EN = re.compile(
    r"(?i)\b(?:without|no|never|not|denied|deprived of|refused)\s+(?:(?:being|any|a|an|the|access to|seeing|"
    r"given|allowed|to see|to be)\s+){0,3}(?:doctors?|medical (?:care|help|attention|treatment)|treatment|"
    r"medicines?|hospital)\b|\brefused\s+to\s+(?:take|transfer|move|send|bring)\s+(?:\w+\s+){0,3}?to\s+(?:a\s+|the\s+)?"
    r"(?:hospital|doctor|clinic|infirmary)\b")
_CARE_WITHHELD_AR = re.compile(
    r"(?:من\s+غير\s+أن|من\s+غير\s+ان|دون\s+أن|دون\s+ان|من\s+دون|دون|بدون|لم|حرما?ن?\w*\s+من|رفض\w*|يرفض\w*)\s+"
    r"(?:\S+\s+){0,3}?"
    r"(?:طبيبا?|الطبيب|علاج|العلاج|دواء|الدواء|المستشفى|مستشفى|رعاية\s+طبية|الرعاية\s+الطبية)"
    r"(?![\w\u0610-\u061a\u064b-\u065f])")


def care_withheld(context: Context) -> list[tuple[int, int]]:
    """Spans where a doctor, treatment or medicine is denied or missing ("without a doctor being called",
    «من غير أن يُستدعى لها طبيب»): a denial of medical care told without its usual phrase."""
    pattern = _CARE_WITHHELD_AR if context.language == "ar" else _CARE_WITHHELD_EN
    return [match.span() for match in pattern.finditer(context.text)]


_ANY = frozenset({"any", "اي"})
_OR = frozenset({"or", "nor", "او", "ولا"})
_NEGATING = frozenset({"no", "not", "never", "without", "لم", "ولم", "لا", "ولا", "لن", "دون", "بدون", "عدم"})


def negated_any(context: Context, first: int) -> bool:
    """True when "any" / «أي» (or "any … or") leads to the trigger and a negation opens its clause."""
    if not any(_forms(context, index) & _ANY for index in range(max(0, first - 3), first)):
        return False
    before = list(_clause_before(context, first, 10))
    if not any(_forms(context, index) & _ANY for index in before[-3:]):
        return False
    return any(_forms(context, index) & _NEGATING for index in before)


_OVER_TIME = re.compile(r"(?i)\s*(?:(?:over|for|throughout)\s+(?:the\s+)?(?:past\s+|last\s+)?(?:decades|generations)\b|"
                        r"over\s+the\s+years\b)|"
                        r"\s*(?:(?:على\s+مدى|طوال)\s+(?:عقود|العقود|سنوات|السنوات)|لعقود)"
                        r"(?![\w\u0610-\u061a\u064b-\u065f])")


def over_the_years(context: Context, end: int) -> bool:
    """True when the trigger ending at ``end`` is said to have gone on for decades or years."""
    return bool(_OVER_TIME.match(context.text, end))


_REASON_EN = re.compile(r"(?i)\b(?:in\s+connection\s+with|linked\s+to|because\s+of|for|over)\s+(?:(?:their|his|her|"
                        r"the|taking\s+part\s+in|participating\s+in|participation\s+in|joining|organi[sz]ing|"
                        r"involvement\s+in|role\s+in|alleged)\s+)*$")
_REASON_AR = re.compile(r"(?:على\s+خلفي[ةه]|بسبب|بتهم[ةه]|لمشاركت\w*\s+في|بعد\s+مشاركت\w*\s+في)\s+"
                        r"(?:(?:مشاركت\w*|المشارك[ةه]|تنظيم|في)\s+)*$")
_HELD = re.compile(r"(?i)\b(?:detain\w*|arrest\w*|held|jailed|imprison\w*|abducted|prisoners?|detainees?)\b|"
                   r"(?:اعت?قل|معتقل|احتجز|محتجز|سجن|مسجون|اختطف|أوقف|اوقف)")


_PURPOSE = re.compile(r"(?i)\b(?:to|in)\s+$")
_JOINED = re.compile(r"(?i)\b(?:joined|joining|took\s+part\s+in|taking\s+part\s+in|participated\s+in|participating\s+in|"
                     r"for|over)\s+(?:(?:the|peaceful|peacefully|anti-government|street)\s+)*$|"
                     r"(?:شاركوا|شارك|شاركت|لمشاركت\w*|مشاركت\w*)\s+(?:في\s+)?(?:ال)?$")


# Protests in the street and the uprising at large: a riot or a mutiny inside a prison stays the news.
_STREET_PROTEST = re.compile(r"(?i)unrest|uprising|protest|revolt|rebellion|insurrection|demonstrat|احتجاج|انتفاض|"
                             r"اعتصام|مظاهر|تظاهر|ثوره|هتاف|هتف")


def reason_for_detention(context: Context, first: int, types: tuple[str, ...]) -> bool:
    """True when a protest trigger at token ``first`` names why people are held, in the same clause."""
    if "protest_riot" not in types or not _STREET_PROTEST.match(context.tokens[first].forms[0][0]):
        return False
    clause = _clause_before(context, first, 12)
    if not clause:
        return False
    start = context.tokens[clause.start].start
    before = context.text[start:context.tokens[first].start]
    reason = _REASON_EN.search(before) or _REASON_AR.search(before)
    if reason and _HELD.search(before, 0, reason.start()):
        return True
    # "stopped eating to protest against their imprisonment", «احتجاجاً على»: the purpose of another act, not a protest
    # of its own; "jailed because, years ago, they joined demonstrations": the protests people are held for.
    sentence_start = context.sentences[context.sentence_of(context.tokens[first].start)][0]
    told = context.text[sentence_start:context.tokens[first].start]
    if _PURPOSE.search(told):
        return True
    joined = _JOINED.search(told)
    return bool(joined and _HELD.search(told, 0, joined.start()))
