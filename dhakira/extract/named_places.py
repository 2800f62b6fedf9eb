"""Places outside the gazetteer, named with a word that says what they are.

A neighbourhood, a border crossing, a town or a village the gazetteer does not list is still a place
when the text calls it one: «حي الهلالية», «معبر جديدة يابوس», «بلدة التل», "the town of al-Tal",
"the Masnaa border crossing", "the Hilaliyah neighbourhood". The cue decides the kind: a town or a
village is a ``city``, a neighbourhood, a district or a crossing is ``other``. Such a place has no
knowledge-base entry: its id is ``named:<kind>:<the name>`` and its names are the name as written.
"""

from __future__ import annotations

import re

from dhakira.extract.context import Context
from dhakira.extract.entities import OrganisationMention, PlaceMention
from dhakira.knowledge import Place

_AR_WORD = r"[\u0621-\u064a\u064b-\u0652\u0640]{2,}"
# «حي الهلالية», «معبر نصيب» keep their cue in the name, as they are written on signs and maps.
_AR_CUED = re.compile(rf"(?<![\w])(?:[وبل]|في\s+)?(?P<name>(?P<cue>حي|معبر|بلدة|قرية|ساحة|مطار|جامع|مسجد|مخيم)\s+"
                      rf"{_AR_WORD}(?:\s+{_AR_WORD})?)")
# A prison the gazetteer does not list: «سجن رومية المركزي», «سجن الأحداث»; its name is a proper name or a
# definite noun, never what follows imprisonment as a sentence («سجن لمدة», «سجن المعتقلين»).
_AR_PRISON = re.compile(rf"(?<![\w])(?:[وبل]|في\s+)?(?P<name>(?P<cue>سجن)\s+{_AR_WORD}(?:\s+(?:المركزي|العسكري|المدني))?)")
_AR_NOT_A_PRISON_NAME = re.compile(r"^(?:[وبل]?ال)?(?:معتقل|سجين|سجناء|ناشط|مدني|نساء|أطفال|اطفال|شخص|رجل|امرأ|"
                                   r"سري|انفراد|مؤبد|مدة|لمدة|سنو|سنة|عام|شهر|نظام|حكوم|تابع|جديد|آخر|اخر|كل|"
                                   r"هذا|هذه|ذلك|تلك|عدد|عشرات|مئات|آلاف|الاف|ثلاث|خمس|عشر|سبع|ست|أربع|اربع|ثمان|تسع)")
_AR_KINDS = {"حي": "other", "معبر": "other", "بلدة": "city", "قرية": "city", "ساحة": "other", "مطار": "other",
             "جامع": "other", "مسجد": "other", "مخيم": "other"}
# Words that cannot be (part of) such a name: adjectives of the cue, particles, common nouns.
_AR_STOP = frozenset({
    "في", "من", "على", "الى", "إلى", "عن", "مع", "بعد", "قبل", "الذي", "التي", "حيث", "وقد", "قد", "ما", "لا", "لم",
    "الحدودي", "الحدودية", "الرئيسي", "الرئيسية", "الشرقي", "الغربي", "الشمالي", "الجنوبي", "الشرقية", "الغربية",
    "الشمالية", "الجنوبية", "القريب", "القريبة",
    "المجاور", "المجاورة", "السكني", "واحد", "آخر", "أخرى", "كل", "جميع", "بعض", "عدة", "كامل", "نفسه", "ذاته",
    "اليوم", "أمس", "فجر", "صباح", "مساء", "خلال", "بمدينة", "بريف", "بمحافظة", "وسط", "شمال", "جنوب", "شرق", "غرب"})
_EN_NAME = r"(?:(?:al|el|ad|as|ash|at|az|ar)-)?[A-Z][\w'’-]+(?:\s+(?:(?:al|el)-)?[A-Z][\w'’-]+)?"
_EN_BEFORE = re.compile(rf"\b(?P<cue>town|village|neighbou?rhood|district)\s+of\s+(?P<name>{_EN_NAME})")
_EN_AFTER = re.compile(rf"(?<![\w-])(?P<name>{_EN_NAME})\s+(?P<cue>border\s+crossing|crossing|neighbou?rhood|district|"
                       r"(?:[Cc]entral\s+)?[Pp]rison(?!s)|"
                       r"[Ss]quare|[Mm]osque|(?:International\s+|Military\s+)?[Aa]irport|[Cc]amp)\b")
# Cues kept in the name as English writes them ("Omari Mosque", "Karama Square", "Damascus International Airport").
_EN_KEEP_CUE = ("border", "crossing", "square", "mosque", "airport", "camp", "international", "military", "prison",
                "central")
_EN_KINDS = {"town": "city", "village": "city", "prison": "facility", "central": "facility"}
_EN_STOP = frozenset({"The", "A", "An", "This", "That", "Syrian", "Lebanese", "Turkish", "Iraqi", "Jordanian",
                      "Kurdish", "Northern", "Southern", "Eastern", "Western", "Central", "Old", "New", "Main",
                      "In", "At", "From", "Inside", "Outside", "Into", "To", "Its", "His", "Her", "Their", "Our", "Military",
                      "Women's", "Former", "Notorious", "Infamous", "Israeli", "Iranian", "Russian", "State", "Federal"})


def find_named_places(context: Context, places: list[PlaceMention],
                      organisations: list[OrganisationMention]) -> list[PlaceMention]:
    """Places the gazetteer does not list, named with a cue word, not overlapping known mentions."""
    covered = [(m.start, m.end) for m in places] + [(m.start, m.end) for m in organisations]
    towns = {(m.start, m.end) for m in places if m.place.kind in ("city", "governorate")}
    found: list[PlaceMention] = []
    named: dict[str, Place] = {}
    for start, end, kind, overrides in _candidates(context.text, context.language):
        overlapping = [(a, b) for a, b in covered if start < b and a < end]
        # «حي الثورة», "the Midan neighbourhood", "Damascus International Airport": a spot named like a town is
        # that spot (the caller drops the town read inside it); "the Qaboun district of Damascus" is not.
        if overlapping and not (overrides and all(span in towns and start <= span[0] and span[1] <= end
                                                  for span in overlapping)):
            continue
        name = context.text[start:end]
        # «سجن رومية» and «سجن رومية المركزي», "Qalaat prison" and "Qalaat Central Prison": one prison.
        bare = _PRISON_ADJECTIVES.sub("", name).strip().lower() if kind == "facility" else name
        key = f"named:{kind}:" + re.sub(r"\s+", "-", bare)
        place = named.get(key)
        if place is None or len(name) > len(place.name_en):
            place = named[key] = Place(id=key, kind=kind, name_en=name, name_ar=name)
        found.append(PlaceMention(start, end, name, place, "cue_word"))
        covered.append((start, end))
    # every mention of one prison carries the fullest of its names
    return [PlaceMention(m.start, m.end, m.text, named[m.place.id], m.rule) for m in found]


_PRISON_ADJECTIVES = re.compile(r"(?i)\s+(?:المركزي|العسكري|المدني)$|\s+central(?=\s+prison$)")


def _candidates(text: str, language: str) -> list[tuple[int, int, str, bool]]:
    """Spans of cued names with their kind, and whether the name may stand over a town read inside it."""
    result: list[tuple[int, int, str, bool]] = []
    if language == "ar":
        for match in _AR_CUED.finditer(text):
            words = match.group("name").split()
            kept = [words[0]]
            for word in words[1:]:
                if word in _AR_STOP or len(kept) > 1 and word.startswith("و") and len(word) > 3:
                    break  # «ساحة الكرامة واعتقل …»: a conjunction opens the next clause
                kept.append(word)
            if len(kept) < 2:
                continue
            start = match.start("name")
            kind = _AR_KINDS[match.group("cue")]
            result.append((start, start + len(" ".join(kept)), kind, kind == "other"))
        for match in _AR_PRISON.finditer(text):
            words = match.group("name").split()
            if _AR_NOT_A_PRISON_NAME.match(words[1]) or words[1] in _AR_STOP:
                continue
            result.append((match.start("name"), match.end("name"), "facility", False))
        return result
    for pattern in (_EN_BEFORE, _EN_AFTER):
        for match in pattern.finditer(text):
            name = match.group("name")
            if name.split()[0] in _EN_STOP:
                continue
            cue = match.group("cue").split()[0]
            kind = _EN_KINDS.get(cue.lower(), "other")
            after = pattern is _EN_AFTER
            if after and match.group("cue").split()[0].lower() in _EN_KEEP_CUE:
                result.append((match.start("name"), match.end("cue"), kind, after))
            else:
                result.append((match.start("name"), match.end("name"), kind, after))
    return result
