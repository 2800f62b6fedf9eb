"""Named persons, as written, in Arabic and Latin script.

Precision first: a person is (1) a public figure of the knowledge base, (2) a byline ("By Jane Doe"),
(3) a known given name followed by one to three name words (capitalised in English; in Arabic not a
function word, place or organisation), or (4) a name after a strong cue ("الناشط", "activist").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from dhakira.extract.context import Context
from dhakira.extract.entities import OrganisationMention, PlaceMention
from dhakira.knowledge import fold
from dhakira.text import is_arabic

_BYLINE = re.compile(r"(?m)^(?:By|BY|by)\s+([A-Z][\w'’\-]+(?:\s+(?:al-|el-|Al-|El-)?[A-Z][\w'’\-]+){1,3})\s*$")
# "identified only by his first name, Ahmad", "a man named Omar": the words that introduce a name, even a single one.
_NAMED = re.compile(r"\b(?:first\s+name|given\s+name|identified\s+as|(?:his|her)\s+name\s+(?:is|was)|"
                    r"(?:man|woman|boy|girl|youth|detainee|prisoner|inmate|activist|journalist|person|doctor|lawyer|"
                    r"student|teacher|son|daughter|brother|sister|father|mother)\s+named),?\s+([A-Z][a-z'’]+(?:[- ](?:al-|el-)?[A-Z][a-z'’]+){0,2})\b")
# A pseudonym or a name the text gives as one: "known as \"Caesar\"", "known by the code name X", "code-named X",
# "X (not her real name)", «المعروف باسم "X"», «"X" (اسم مستعار)».
_LATIN_NAME = r"([A-Z][a-z'’]+(?:[- ](?:al-|el-)?[A-Z][a-z'’]+){0,2})"
_ALIAS_EN = re.compile(r"\b(?:known|identified)\s+(?:only\s+)?(?:as|by\s+(?:the|a)\s+(?:code\s+|nick|pseudo)?name(?:\s+of)?|"
                       r"by\s+the\s+pseudonym)|\b(?:code-?named|nicknamed|under\s+the\s+pseudonym)")
_ALIAS_EN_WORDS = ("known", "identified", "named", "pseudonym")  # one is in every match of ``_ALIAS_EN``
_ALIAS_EN_NAME = re.compile(r",?\s+[\"“']?" + _LATIN_NAME + r"[\"”']?")
_PSEUDONYM_AFTER = re.compile(
    r"[\"“«]([^\"”»\n]{2,30})[\"”»]\s*\((?:not\s+(?:his|her|their)\s+real\s+name|a\s+pseudonym|pseudonym|"
    r"name\s+changed|وهو\s+)?(?:اسم\s+مستعار|اسم\s+غير\s+حقيقي)?\)")
_ALIAS_AR = re.compile(r"(?:المعروف|المعروفة|الملقب|الملقبة|الملقّب|الملقّبة)\s+(?:باسم|بلقب|ب)\s*[\"«]([^\"»\n]{2,30})[\"»]")
# "By Jane Doe and John Roe", "(Reporting by Jane Doe and John Roe; Editing by …)": each name of a byline.
_BYLINE_NAME = r"[A-Z][\w'’\-]+(?:\s+(?:al-|el-|Al-|El-)?[A-Z][\w'’\-]+){1,3}"
_BYLINE_LIST = re.compile(r"(?m)(?:^(?:By|BY|by)|\((?:Reporting|Writing|Additional reporting)\s+by)\s+("
                          + _BYLINE_NAME + r"(?:\s*(?:,|and|&)\s+" + _BYLINE_NAME + r")*)\s*(?:$|[;)])")
_LATIN_CONNECTORS = {"al", "el", "bin", "ibn", "abu", "abdel", "abdul", "de", "van", "von", "da", "ben"}
_EN_STOP = {
    "the", "a", "an", "and", "or", "of", "in", "on", "at", "for", "to", "from", "by", "with", "said", "says",
    "told", "prison", "jail", "central", "street", "square", "january", "february", "march", "april", "may",
    "june", "july", "august", "september", "october", "november", "december", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "syria", "syrian", "army", "brigade", "branch",
    "university", "hospital", "mosque", "division", "regiment", "battalion", "front", "group", "forces",
}
_AR_STOP = {
    fold(word) for word in (
        "في من على الى إلى عن أن إن ان قد الذي التي الذين وهو وهي هو هي وقال قال وقالت قالت بعد قبل مع منذ "
        "حتى كما لدى عند بين خلال ضد حول نحو عبر دون لكن كان كانت يكون تكون وكان لم لن ما لا هذا هذه ذلك تلك "
        "أحد احد بن ابن بنت أيضا ايضا فقط جميع كل بعض غير سوى إنه انه إنها انها أنه أنها له لها لهم "
        "السجن سجن المعتقل المعتقلين المعتقلون السجناء السجين الأمن الامن النظام قوات الشرطة يوم اليوم أمس "
        "الجمعة السبت الأحد الاثنين الثلاثاء الأربعاء الخميس عاما عام سنة سنوات شهر أشهر"
    ).split()
}
_AR_STOP |= {fold(word) for word in "بينما فيما كلما لمجرد حيث إذ اذ ثم بل أو او إما اما لأن لان كي لكي".split()}
_AR_STOP |= {fold(prefix + word) for word in "أنا نحن أنت أنتم أنتن هما".split() for prefix in ("", "و", "ف")}
_AR_STOP.discard("علي")  # "على" folds to the name "علي"; a final "ى" in the text tells them apart
_AR_CUES = {
    fold(word).removeprefix("ال") for word in (
        "الناشط الناشطة الصحفي الصحفية الإعلامي الإعلامية المحامي المحامية الحقوقي الحقوقية الطبيب الطبيبة "
        "الدكتور الدكتورة السيد السيدة الشاب الشابة المعتقل المعتقلة السجين السجينة العميد اللواء العقيد "
        "المقدم الرائد النقيب الملازم الشيخ المهندس المهندسة المواطن المواطنة الطالب الطالبة الكاتب الكاتبة "
        "المعارض المعارضة المتحدث المتحدثة الرئيس مراسل مراسلة "
        # relations
        "شقيقه شقيقها شقيقته شقيقتها والده والدها والدته والدتها زوجته زوجها ابنه ابنها ابنته ابنتها عمه خاله "
        "المدير مدير المحافظ الوزير القاضي المهندس المدرس المعلم المعلمة"
    ).split()
}
_EN_CUES = {"activist", "lawyer", "journalist", "doctor", "dr", "mr", "mrs", "ms", "general", "colonel",
            "spokesman", "spokeswoman", "spokesperson", "director", "researcher", "president", "minister",
            "detainee", "prisoner", "sheikh", "judge", "brigadier", "commander", "chief", "head", "envoy",
            "husband", "wife", "son", "daughter",
            "brother", "sister", "father", "mother", "nephew", "niece", "uncle", "cousin", "governor", "engineer",
            "student", "teacher", "reporter", "correspondent", "representative", "officer", "major", "captain",
            "photographer", "writer", "poet", "blogger", "artist", "actor", "actress", "filmmaker", "novelist",
            "physician", "nurse", "pharmacist", "surgeon", "singer", "musician", "cartoonist", "dentist"}
# Titles that may start a capitalised run but are not part of the name ("Brigadier Ghassan Habib").
_EN_TITLES = {"brigadier", "general", "colonel", "major", "captain", "lieutenant", "sheikh", "dr", "doctor", "mr",
              "mrs", "ms", "judge", "minister", "president", "governor", "director", "spokesman", "activist",
              "lawyer", "journalist", "detainee", "prisoner", "engineer", "professor", "prof", "imam"}
# Given names that are also everyday words («كامل» complete, «باسم» in the name of, «سعيد» happy): they
# start a name only after a cue or before another given name.
_AR_AMBIGUOUS = {fold(word) for word in "باسم كامل جميل سالم سعيد نور أمل صباح سلام وعد كريم شريف عادل منى هدى رجاء "
                 "سماح وفاء فرح مرح أمين نصر جهاد فداء ضياء إيمان".split()}
# Names ending in «ى» (a final «ى» otherwise tells «على» from the name «علي»).
_ALEF_MAQSURA_NAMES = {fold(word) for word in "يحيى مصطفى موسى عيسى مرتضى مجتبى ليلى سلمى منى هدى نجوى سلوى بشرى "
                       "ضحى لبنى ندى رؤى مثنى المثنى عيسى العيسى الموسى".split()}
# Words after which «باسم» means "on behalf of", not the given name Basim.
_ON_BEHALF = {fold(word) for word in "المتحدث المتحدثة الناطق الناطقة متحدث ناطق متحدثا ناطقا".split()}


@dataclass(frozen=True)
class PersonMention:
    """A person named in the text."""

    start: int
    end: int
    text: str
    rule: str


@lru_cache(maxsize=1)
def _given_names() -> frozenset[str]:
    """The knowledge base's first names with the common given names of ``dhakira.persons``, folded."""
    text = resources.files("dhakira.persons").joinpath("data", "given_names.txt").read_text(encoding="utf-8")
    words = [word for line in text.splitlines() if not line.startswith("#") for word in line.split()]
    return frozenset(fold(word) if is_arabic(word) else word.lower() for word in words)


def _known_persons(context: Context) -> list[tuple[int, int, str]]:
    return [(m.start, m.end, m.payload) for m in context.kb.person_lexicon.find(context.tokens, context.text)]


def find_persons(context: Context, places: list[PlaceMention],
                 organisations: list[OrganisationMention]) -> list[PersonMention]:
    """Person mentions of the text (not overlapping places or organisations)."""
    text, toks = context.text, context.tokens
    blocked = bytearray(len(text))  # the offsets inside places and organisations
    spans = [(m.start, m.end) for m in places] + [(m.start, m.end) for m in organisations]
    for start, end in spans:
        blocked[start:end] = b"\x01" * (end - start)
    found: list[PersonMention] = []
    taken = [False] * len(toks)
    for start, end, _ in _known_persons(context):
        found.append(PersonMention(start, end, text[start:end], "known_person"))
    for match in _BYLINE.finditer(text):
        found.append(PersonMention(match.start(1), match.end(1), match.group(1), "byline"))
    for match in _BYLINE_LIST.finditer(text):
        for name in re.finditer(_BYLINE_NAME, match.group(1)):
            start = match.start(1) + name.start()
            if not any(mention.start == start for mention in found):
                found.append(PersonMention(start, start + len(name.group()), name.group(), "byline"))
    # Every match of these two patterns holds one of the words tested first (the patterns are case-sensitive):
    # a text without any is not scanned.
    for alias in _ALIAS_EN.finditer(text) if any(word in text for word in _ALIAS_EN_WORDS) else ():
        given = _ALIAS_EN_NAME.match(text, alias.end())
        if given and not blocked[given.start(1)] and given.group(1).lower() not in _EN_STOP:
            found.append(PersonMention(given.start(1), given.end(1), given.group(1), "alias"))
    for pattern in (_PSEUDONYM_AFTER, _ALIAS_AR):
        for match in pattern.finditer(text):
            if pattern is _PSEUDONYM_AFTER and match.group(0).endswith("()"):
                continue
            if not blocked[match.start(1)]:
                found.append(PersonMention(match.start(1), match.end(1), match.group(1), "alias"))
    for match in _NAMED.finditer(text) if "name" in text or "identified" in text else ():
        if not blocked[match.start(1)]:
            found.append(PersonMention(match.start(1), match.end(1), match.group(1), "named"))
    names = context.kb.first_names | _given_names()
    covered = bytearray(len(text))  # the offsets inside the mentions found so far
    for mention in found:
        covered[mention.start:mention.end] = b"\x01" * (mention.end - mention.start)

    index = 0
    while index < len(toks):
        token = toks[index]
        form = token.forms[0][0]
        if blocked[token.start] or taken[index] or covered[token.start]:
            index += 1
            continue
        if token.arabic:
            last = _arabic_name(context, index, names, blocked)
        else:
            if form in _EN_TITLES and token.capital and index + 1 < len(toks) and toks[index + 1].capital:
                index += 1  # "Brigadier Ghassan Habib": the title is not part of the name
                continue
            last = _latin_name(context, index, names, blocked)
        if last is not None:
            start, end = token.start + _clitic(text, token, names), toks[last].end
            for position in range(index, last + 1):
                taken[position] = True
            found.append(PersonMention(start, end, text[start:end], "given_name" if form else "cue"))
            index = last + 1
        else:
            index += 1
    found.sort(key=lambda mention: mention.start)
    return found


def _clitic(text: str, token: Any, names: frozenset[str]) -> int:
    """Letters of a conjunction glued to the first word of an Arabic name («ووسيم» → «وسيم»)."""
    if not token.arabic or not text[token.start:token.end].startswith("و"):
        return 0
    whole = token.forms[0][0]
    if whole in names or whole.startswith("و" + "ال"):
        return 0
    return next((cut for form, cut, _ in token.forms if cut and form in names), 0)


def _gap_ok(text: str, end: int, start: int) -> bool:
    gap = text[end:start]
    return gap.strip() in ("", "-") and "\n" not in gap


# "Jane Doe, the head of …", "John Roe, a lawyer who …": an apposition after two or three name words
# tells they are a person's name even when the given name is not a known one.
_EN_APPOSITION = re.compile(
    r",\s+(?:the|a|an|its|their)\s+(?:[a-z]+\s+){0,2}?(?:" + "|".join(sorted(_EN_CUES | {"member", "founder",
    "chairman", "chairwoman", "coordinator", "advocate", "official", "deputy", "manager", "mayor", "leader"}))
    + r")\b")
# What follows an apostrophe inside a transliterated name ("Lu'ai", "Ma'mun"), but not an English clitic.
_EN_CLITICS = {"s", "t", "d", "ll", "re", "ve", "m"}


def _cued_latin(context: Context, index: int, blocked: bytearray) -> bool:
    """A title right before the name ("activist Jane Doe"), or a title of a place ("Governor of Homs Jane Doe")."""
    toks = context.tokens
    position = index - 1
    if position >= 0 and toks[position].forms[0][0] in _EN_CUES:
        return True
    while position >= 0 and blocked[toks[position].start]:
        position -= 1
    return (position < index - 1 and position >= 1 and toks[position].forms[0][0] == "of"
            and toks[position - 1].forms[0][0] in _EN_CUES)


def _latin_name(context: Context, index: int, names: frozenset[str], blocked: bytearray) -> int | None:
    toks, text = context.tokens, context.text
    token = toks[index]
    word = token.forms[0][0]
    if not token.capital or token.upper:
        return None
    known = word in names or _cued_latin(context, index, blocked)
    if not known and word in _EN_STOP | _EN_TITLES:
        return None
    last = index
    words = 1
    position = index + 1
    while position < len(toks) and words < 4:
        candidate = toks[position]
        gap = text[toks[position - 1].end:candidate.start]
        form = candidate.forms[0][0]
        if gap in ("'", "’") and not candidate.capital and form not in _EN_CLITICS:
            last = position  # "Lu'ai": one word cut at its apostrophe
            position += 1
            continue
        if not _gap_ok(text, toks[position - 1].end, candidate.start) or blocked[candidate.start]:
            break
        if form in _LATIN_CONNECTORS and position + 1 < len(toks):
            position += 1
            continue
        if not candidate.capital or candidate.upper or form in _EN_STOP:
            break
        last = position
        words += 1
        position += 1
    if last == index:
        return None
    if not known and (words < 2 or not (_EN_APPOSITION.match(text, toks[last].end) or _speaks(context, index, last))):
        return None
    return last


# "Jane Doe wrote on Facebook", "John Roe told the agency": two or three capitalised words that speak are a
# person's name, unless a word of them names a body ("Local Coordination Committees said").
_EN_SPEAKS = re.compile(r"\s+(?:said|says|told|tells|wrote|writes|recalled|recalls|recounted|added|explained|posted)\b")
_BODY_WORDS = {"network", "committee", "committees", "agency", "news", "media", "observatory", "council", "forces",
               "commission", "union", "coalition", "league", "association", "centre", "center", "office", "ministry",
               "court", "army", "front", "radio", "channel", "times", "post", "press", "watch", "international",
               "organisation", "organization", "group", "institute", "foundation", "authority", "police", "campaign",
               "monitor", "directorate", "department", "government", "state", "nations", "assembly", "board",
               "service", "services", "unit", "bureau", "initiative", "platform", "project", "movement", "party"}


def _speaks(context: Context, index: int, last: int) -> bool:
    words = {context.tokens[position].forms[0][0] for position in range(index, last + 1)}
    return not words & _BODY_WORDS and bool(_EN_SPEAKS.match(context.text, context.tokens[last].end))


def _arabic_name(context: Context, index: int, names: frozenset[str], blocked: bytearray | None = None) -> int | None:
    toks, text = context.tokens, context.text
    token = toks[index]
    named = token.names & names
    if not named and (index == 0 or toks[index - 1].names.isdisjoint(_AR_CUES)):
        return None  # neither a known name nor after a title (see below)
    original = text[token.start:token.end]
    head = token.forms[0][0]
    # A cue is a title with the article ("الناشط", "الطبيب") right before the name.
    cued = index > 0 and any(article and form in _AR_CUES for form, _, article in toks[index - 1].forms) and \
        not (blocked is not None and blocked[toks[index - 1].start])  # «جسر الرئيس»: a place, not a title
    if not named:
        if not cued or _not_a_name_word(original, head) or "\u0651" in original:
            return None  # «القاضي أجّل»: a verb (a doubled letter written) after the title, not a name
    if original.endswith("ى") and head not in _ALEF_MAQSURA_NAMES or head in _AR_STOP:
        return None
    if head == "باسم" and index > 0 and toks[index - 1].forms[0][0] in _ON_BEHALF:
        return None
    if named and named <= _AR_AMBIGUOUS and not cued:  # «وكامل العقوبة» as much as «كامل العقوبة»
        following = toks[index + 1] if index + 1 < len(toks) else None
        if following is None or not following.arabic or following.forms[0][0] not in names:
            return None
    last = index
    position = index + 1
    while position < len(toks) and position - index < 3:
        candidate = toks[position]
        if candidate.arabic is False or not _gap_ok(text, toks[position - 1].end, candidate.start):
            break
        form = candidate.forms[0][0]
        written = text[candidate.start:candidate.end]
        if written.endswith("ى") and form not in _ALEF_MAQSURA_NAMES or form in _AR_STOP or fold(written) in _AR_STOP:
            break
        if blocked is not None and blocked[candidate.start]:
            break  # a place or an organisation ends the name
        if _ends_in_tanween(written):
            break
        if form.startswith("و") and len(form) > 3 and position > index + 1:
            break
        last = position
        position += 1
        if written.startswith(("ال", "وال")) and position < len(toks) and fold(text[toks[position].start:toks[position].end]) != "الدين":
            break  # «كنان الحسين المنظمات»: a name ends with its family name (the article), «علاء الدين» goes on
        if form not in names and not form.startswith("عبد") and form not in ("ابو", "بن", "ام"):
            break
    if last == index:
        return None
    return last


def _ends_in_tanween(word: str) -> bool:
    return word.endswith(("اً", "ًا", "ٌ", "ٍ"))


def _not_a_name_word(original: str, form: str) -> bool:
    """True for words that cannot start a name after a title: articles, adverbs, function words."""
    # «القاضي بمنح عفو»: a preposition glued to the word after a title makes it a noun, not a name.
    return (original.startswith(("ال", "وال", "بال", "لل", "ب", "ل", "ك")) or _ends_in_tanween(original)
            or form in _AR_STOP or original.endswith(("هم", "هن", "كم")))


# Words near a name that tell the person's role in the report (checked in the few words before the
# name, then in the few after it). Arabic forms are folded; the first role found wins.
_ROLE_CUES: list[tuple[str, tuple[str, ...]]] = [
    ("spokesperson", ("spokesman", "spokeswoman", "spokesperson", "متحدث", "المتحدث", "الناطق", "ناطق")),
    ("official", ("minister", "director", "governor", "head of", "chief", "president", "commander", "مدير", "وزير",
                  "محافظ", "رئيس", "قائد", "مسؤول", "العميد", "اللواء", "العقيد")),
    ("perpetrator", ("accused", "perpetrator", "jailer", "interrogator", "السجان", "المحقق", "المتهم")),
    ("victim", ("killed", "died", "death of", "martyr", "body of", "tortured to death", "executed", "الشهيد",
                "مقتل", "وفاة", "استشهاد", "قتل", "توفي", "جثة", "الضحية", "ضحية")),
    ("detainee", ("detainee", "prisoner", "detained", "arrested", "abducted", "disappeared", "held", "المعتقل",
                  "المعتقلة", "السجين", "السجينة", "معتقل", "اعتقال", "اعتقل", "المختفي", "المختفية", "الأسير",
                  "المغيب", "المغيبة")),
    ("relative", ("his mother", "her mother", "his brother", "her brother", "his sister", "his wife", "her husband",
                  "his father", "her father", "her son", "his son", "شقيقه", "شقيقها", "شقيقته", "والدته", "والدها",
                  "والده", "زوجته", "زوجها", "ابنه", "ابنها", "ابنته")),
    ("witness", ("witness", "survivor", "former detainee", "testified", "recounted", "شاهد", "الناجي", "الناجية",
                 "المعتقل السابق", "روى", "أفاد")),
]


def role_near(text: str, start: int, end: int) -> str | None:
    """The role the words around a name give its person, or None when they say nothing."""
    before = text[max(0, start - 60):start].lower()
    after = text[end:end + 50].lower()
    before_words = before.split()[-5:]
    after_words = after.split()[:5]
    window_before = " " + " ".join(before_words) + " "
    window_after = " " + " ".join(after_words) + " "
    for window in (window_before, window_after):
        for role, cues in _ROLE_CUES:
            if any(f" {cue} " in window or f" {cue}," in window or f" و{cue} " in window for cue in cues):
                return role
    return None


def persons_output(mentions: list[PersonMention], text: str = "") -> list[dict[str, Any]]:
    """Person mentions grouped by their folded name (with the role the words around them give, when any)."""
    grouped: dict[str, list[PersonMention]] = {}
    for mention in mentions:
        grouped.setdefault(fold(mention.text), []).append(mention)
    result = []
    for group in grouped.values():
        entry: dict[str, Any] = {"text": group[0].text, "spans": [[m.start, m.end] for m in group], "rule": group[0].rule}
        if group[0].rule == "byline":
            entry["role"] = "author"
        elif text:
            role = next((found for m in group if (found := role_near(text, m.start, m.end))), None)
            if role:
                entry["role"] = role
        result.append(entry)
    return result
