"""Counts that are not written as numbers: Arabic duals and vague amounts.

* An Arabic dual is a count of two: «معتقلَين», «معتقلان», «شخصين», «طفلان», «امرأتين». Nouns whose
  plural is broken (شخص → أشخاص, طفل → أطفال) make an unambiguous dual in -ين; nouns with a sound
  plural (معتقل → معتقلين "detainees") are read as a dual only with the nominative -ان or a fatha
  written before -ين («معتقلَين»).
* A vague amount ("dozens", «العشرات», "hundreds", «مئات الآلاف») is a :class:`VagueQuantity` with a
  range (``low``, ``high``); it is never a count with a value, as the annotation rules say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dhakira.extract.counts import CountMention

# Stem (undiacritised, as written after the clitics) → what is counted.
_BROKEN_PLURAL = {
    "شخص": "people", "طفل": "children", "شاب": "young_men", "رجل": "men", "سجين": "prisoners", "حارس": "guards",
    "عنصر": "members", "قتيل": "killed", "جريح": "injured", "جندي": "soldiers", "صحفي": "journalists",
}
_SOUND_PLURAL = {
    "معتقل": "detainees", "ناشط": "activists", "مدني": "civilians", "محتجز": "detainees", "موقوف": "detainees",
    "مصاب": "injured", "مختطف": "abducted", "مفقود": "missing", "مقاتل": "fighters", "اعلامي": "journalists",
    "إعلامي": "journalists", "موظف": "employees", "طبيب": "doctors", "معلم": "teachers", "طالب": "students",
}
# Feminine nouns (-ة) whose dual in -تان / -تين cannot be read as a plural (that is -ات).
_FEMININE = {"امرأ": "women", "سيد": "women", "فتا": "girls", "معتقل": "women_detainees", "ناشط": "women_activists",
             "محتجز": "women_detainees", "موقوف": "women_detainees", "سجين": "women_prisoners", "طفل": "girls",
             "صحفي": "women_journalists", "جول": "rounds", "دفع": "batches", "حال": "cases", "عائل": "families",
             "أسر": "families", "اسر": "families", "مقبر": "graves", "جث": "bodies"}
_CLITICS = "(?:[وفبل]?(?:ال|لل)?)"
_FATHA = "\u064e"
_DUAL = re.compile(
    rf"(?<![\w\u064b-\u0652]){_CLITICS}(?P<stem>[\u0621-\u064a]{{2,8}}?)(?P<fatha>{_FATHA}?)(?P<ending>ان|ين|تان|تين)"
    r"(?![\w\u064b-\u0652])")

VAGUE_RANGES = {
    "dozens": (24, 99), "scores": (40, 99), "hundreds": (200, 999), "thousands": (2_000, 9_999),
    "tens of thousands": (20_000, 99_999), "hundreds of thousands": (200_000, 999_999),
    "عشرات": (20, 99), "مئات": (200, 999), "الاف": (2_000, 9_999),
    "عشرات الاف": (20_000, 99_999), "مئات الاف": (200_000, 999_999),
}
_VAGUE = re.compile(
    r"(?i)\b(?:tens of thousands|hundreds of thousands|dozens|scores|hundreds|thousands)\b|"
    r"(?<![\w])(?:[وفبل]?(?:ال)?)(?:عشرات (?:ال)?[آا]لاف|مئات (?:ال)?[آا]لاف|عشرات|مئات|[آا]لاف)(?![\w])")


@dataclass(frozen=True)
class VagueQuantity:
    """An amount given only as an order of magnitude, with the range it stands for."""

    start: int
    end: int
    text: str
    low: int
    high: int


def find_duals(text: str) -> list[CountMention]:
    """Counts of two written as an Arabic dual noun."""
    found = []
    for match in _DUAL.finditer(text):
        stem, ending = match.group("stem"), match.group("ending")
        fatha = bool(match.group("fatha"))
        what = None
        if ending in ("تان", "تين"):
            what = _FEMININE.get(stem)
        elif stem in _BROKEN_PLURAL:
            what = _BROKEN_PLURAL[stem]
        elif stem in _SOUND_PLURAL and (ending == "ان" or fatha):
            what = _SOUND_PLURAL[stem]
        if what is None:
            continue
        found.append(CountMention(match.start(), match.end(), 2, "exact", what, (match.start(), match.end())))
    return found

# Every match of ``_VAGUE`` holds one of these (its English words case-folded as the pattern's ``(?i)`` reads them:
# "ſ" is an "s" to both): a text without any has no vague amount, and is not scanned.
_VAGUE_ENGLISH = ("dozens", "scores", "hundreds", "thousands")
_VAGUE_ARABIC = ("عشرات", "مئات", "لاف")


def _may_hold_vague(text: str) -> bool:
    if any(word in text for word in _VAGUE_ARABIC):
        return True
    folded = text.casefold()
    return any(word in folded for word in _VAGUE_ENGLISH)


def find_vague(text: str) -> list[VagueQuantity]:
    """Vague amounts ("dozens", «العشرات», «مئات الآلاف») with their ranges."""
    found: list[VagueQuantity] = []
    if not _may_hold_vague(text):
        return found
    for match in _VAGUE.finditer(text):
        written = match.group(0)
        key = written.lower()
        if re.match("[\u0600-\u06ff]", written):
            key = written.replace("آ", "ا")
            stripped = re.sub(r"^[وفبل]?(?:ال)?", "", key)
            key = stripped if stripped != "اف" else "الاف"
            key = re.sub(r" ال(?=الاف)", " ", key)
        low_high = VAGUE_RANGES.get(key)
        if low_high is None:
            continue
        found.append(VagueQuantity(match.start(), match.end(), written, *low_high))
    return found
