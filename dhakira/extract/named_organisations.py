"""Organisations outside the knowledge base, named by their head word.

Arabic names of documentation groups, coordination committees and leagues follow a pattern: a head
noun («منظمة», «الشبكة», «رابطة», «هيئة», «مكتب», «تنسيقية», «مركز», «لجنة», «جمعية», «اتحاد»,
«تجمع», «مرصد») and the words that complete it («مكتب توثيق الشهداء في درعا», «تنسيقية مدينة دوما»,
«رابطة الإعلاميين السوريين»). The name runs until a word that cannot belong to a name (a verb of
saying, a preposition other than «في» before a place, punctuation). An acronym right after the name
in brackets ("(SNHR)", «(سمارت)») is its short form.

Such an organisation has no knowledge-base entry: its id is ``org:named:<the name>`` and its English
name is the name as written, so that it can be listed and linked within the document.
"""

from __future__ import annotations

import re

from dhakira.extract.context import Context
from dhakira.extract.entities import OrganisationMention, PlaceMention
from dhakira.knowledge import Organisation

_HEADS = ("منظمة", "الشبكة", "شبكة", "رابطة", "هيئة", "مكتب", "تنسيقية", "مركز", "المركز", "لجنة", "اللجنة",
          "جمعية", "اتحاد", "تجمع", "التجمع", "مرصد", "المرصد", "الهيئة", "المنظمة", "الرابطة", "التنسيقية",
          "الجمعية")
_HEAD = re.compile(r"(?<![\w])(?:[وبل]|لل)?(" + "|".join(sorted(_HEADS, key=len, reverse=True)) + r")(?=\s)")
_WORD = re.compile(r"\s+([\w\u064b-\u0652\u0640]+)")
# Words that end a name: particles, verbs of reporting, time words, demonstratives.
_STOP = frozenset({
    "قال", "قالت", "أن", "ان", "إن", "التي", "الذي", "الذين", "على", "من", "عن", "إلى", "الى", "مع", "بعد", "قبل",
    "اليوم", "يوم", "أمس", "امس", "هذه", "هذا", "تلك", "ذلك", "وقال", "وقالت", "أكد", "أكدت", "ذكر", "ذكرت", "أفاد",
    "أفادت", "أصدر", "أصدرت", "وثق", "وثقت", "وثّق", "وثّقت", "بيان", "بياناً", "بيانا", "تقرير", "تقريرها", "أيضاً",
    "ايضا", "حيث", "كما", "أو", "او", "ثم", "لكن", "غير", "عدد", "بعض", "كل", "جميع", "نحو", "حوالي", "حتى", "منذ",
    "خلال", "عند", "لدى", "فيما", "بينما", "إذ", "اذ", "وطالبت", "طالبت", "مساء", "صباح", "فجر", "الأحد", "الاثنين",
    "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "دورية", "عناصر", "الدولية", "الأممية", "لم", "لن", "لا",
    "قد", "ما", "يقع", "تقع", "واسعة", "كبيرة"})
_GENERIC_NEXT = frozenset({"السجن", "الاحتجاز", "التوقيف", "المدينة", "البلدة", "القرية", "الإعلامي", "الاعلامي",
                           "الصحفي", "المحافظة", "الأمن", "الامن", "الشرطة", "الحي", "العمليات", "الإيواء"})
_MIN_WORDS, _MAX_WORDS = 1, 5


def find_named_organisations(context: Context, places: list[PlaceMention],
                             known: list[OrganisationMention]) -> list[OrganisationMention]:
    """Arabic organisations named with a head noun and not covered by a knowledge-base mention."""
    if context.language != "ar":
        return []
    text = context.text
    covered = [(m.start, m.end) for m in known]
    place_starts = {m.start: m for m in places}
    found: list[OrganisationMention] = []
    for match in _HEAD.finditer(text):
        start = match.start(1)
        if any(a <= start < b for a, b in covered):
            continue
        definite = match.group(1).startswith("ال")
        end, words = match.end(1), 0
        position = end
        while words < _MAX_WORDS:
            word = _WORD.match(text, position)
            if word is None:
                break
            bare = word.group(1)
            if bare in _STOP or (words == 0 and bare in _GENERIC_NEXT):
                break
            if bare == "في":
                # «مكتب توثيق الشهداء في درعا», «اللجنة الأمنية في المنطقة الجنوبية»: «في» before a place.
                after = _WORD.match(text, word.end())
                place = place_starts.get(after.start(1)) if after else None
                if words == 0 or after is None:
                    break
                if place is not None:
                    end = place.end
                elif definite and after.group(1).startswith("ال"):
                    end = after.end()
                    second = _WORD.match(text, end)
                    if second and second.group(1).startswith("ال") and second.group(1) not in _STOP:
                        end = second.end()
                else:
                    break
                words += 2
                break
            # The words of a definite name agree with it («اللجنة الأمنية والعسكرية», «الشبكة السورية لحقوق …»).
            if definite and not re.match(r"(?:و|ب)?(?:ال|لل)", bare):
                break
            position = end = word.end()
            words += 1
        if not definite and words < 2:
            continue
        if words < _MIN_WORDS or end - start < 8:
            continue
        name = text[start:end]
        if _covers_known(start, end, covered):
            continue
        organisation = Organisation(id="org:named:" + re.sub(r"\s+", "-", name), name_en=name, name_ar=name,
                                    category="ngo")
        found.append(OrganisationMention(start, end, name, organisation, "head_noun:" + match.group(1)))
        covered.append((start, end))
    return found


def _covers_known(start: int, end: int, covered: list[tuple[int, int]]) -> bool:
    return any(start < b and a < end for a, b in covered)
