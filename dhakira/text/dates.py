"""Dates in English and Arabic: running text, publication dates, metadata values and dates in URLs.

The one date reader of Dhakira: extraction (:mod:`dhakira.extract`) and ingestion (:mod:`dhakira.ingest`,
which reads a document's publication date from its metadata and its first lines) both use it.

Dhakira finds date candidates with its own precompiled patterns and parses them itself; it does not
call dateparser (which misses Levantine month names, the dual "أيار/مايو" style and "يوم الاثنين",
reads "We" as Wednesday and invents a day for "May 2016").

* :func:`find_dates` returns every date mention with its span, value and precision. Dates that
  need an anchor ("on Monday", "يوم الاثنين", "16 October" without a year, "last February", "أمس",
  "earlier this week") are resolved against ``anchor`` (normally the publication date) and flagged
  ``relative=True``; **without an anchor they are not returned**. A weekday resolves to the most
  recent such day on or before the anchor ("last Monday"/"الاثنين الماضي": strictly before); a month
  without a year takes the anchor's year unless that would put it after the anchor. "this week" /
  "earlier this week" / "last week" give the month of that week (precision ``month``) when the week
  lies in one month, and nothing otherwise.
* Numeric dates are day-month-year ("10/05/2016" is 10 May), as in Syrian sources; ISO dates too.
* :func:`parse_date` reads one metadata value, :func:`find_date_spans` every full date of a text (no
  relative dates, no bare years), :func:`is_date_line` and :func:`find_dateline` the date lines that
  ingestion looks for at the top of a body.
* :func:`publication_date` reads a dateline at the top of the text (a line that is only a date,
  "Published …", "CITY, 8 February 2016 –", "دمشق - 19 تشرين الأول 2017"), then a date closing
  the last line, then the source URL; copyright lines never count.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from dhakira.extract.numbers import DIACRITICS, alternation, fold

__all__ = ["DateMention", "date_from_url", "find_date_spans", "find_dateline", "find_dates", "is_date_line",
           "parse_date", "publication_date"]


@dataclass(frozen=True)
class DateMention:
    """A date found in a text: span ``[start, end)``, ISO value, precision, and whether it needed the anchor."""

    start: int
    end: int
    value: str
    precision: str
    relative: bool


# --- Vocabulary ---------------------------------------------------------------------------------------

_EN_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_AR_MONTHS = {  # folded spellings
    "يناير": 1, "كانون الثاني": 1, "جانفي": 1,
    "فبراير": 2, "شباط": 2, "فيفري": 2,
    "مارس": 3, "اذار": 3,
    "ابريل": 4, "نيسان": 4, "افريل": 4,
    "مايو": 5, "ايار": 5,
    "يونيو": 6, "يونيه": 6, "حزيران": 6, "جوان": 6,
    "يوليو": 7, "يوليه": 7, "تموز": 7, "جويليه": 7,
    "اغسطس": 8, "اب": 8, "اوت": 8,
    "سبتمبر": 9, "ايلول": 9,
    "اكتوبر": 10, "تشرين الاول": 10,
    "نوفمبر": 11, "تشرين الثاني": 11,
    "ديسمبر": 12, "كانون الاول": 12,
}
_EN_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
_AR_WEEKDAYS = {"الاثنين": 0, "الاتنين": 0, "الثلاثاء": 1, "الاربعاء": 2, "الخميس": 3, "الجمعه": 4, "السبت": 5,
                "الاحد": 6}


_EN_FULL = {name: month for name, month in _EN_MONTHS.items() if len(name) > 4 or name == "may"}
_EN_ABBR = {name: month for name, month in _EN_MONTHS.items() if name not in _EN_FULL}
_EN_FULL_ALT = alternation(_EN_FULL, arabic=False)
_EN_ABBR_ALT = alternation(_EN_ABBR, arabic=False)
_EN_M = rf"(?P<month>(?:{_EN_FULL_ALT})(?![a-z])|(?:{_EN_ABBR_ALT})(?![a-z])\.?)"
_EN_WEEKDAY_ALT = alternation(_EN_WEEKDAYS, arabic=False)
_EN_WD = rf"(?P<weekday>{_EN_WEEKDAY_ALT})"
_AR_MONTH_ALT = alternation(_AR_MONTHS, arabic=True)
_AR_WEEKDAY_ALT = alternation(_AR_WEEKDAYS, arabic=True)
_AR_END = rf"(?![\w{DIACRITICS}])"
_AR_START = r"(?<![^\W\d_])"
# A Levantine/MSA month, optionally doubled: "أيار/مايو", "أيار (مايو)", "آب-أغسطس", "كانون الثاني / يناير".
_AR_M = (rf"(?P<month>{_AR_MONTH_ALT}){_AR_END}"
         rf"(?P<dual>\s*[/\-(]\s*(?:{_AR_MONTH_ALT}){_AR_END}\s*\)?)?")
_AR_WD = rf"(?P<weekday>{_AR_WEEKDAY_ALT}){_AR_END}"
_YEAR = r"(?P<year>(?:19|20)\d\d)(?!\d)"
_DAY = r"(?P<day>[0-3]?\d)"
_AR_YEAR_WORD = r"(?:(?:من\s+)?(?:ال)?(?:عام|سنه|لعام)\s*)?"

_EN_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("dmy", re.compile(rf"\b(?:{_EN_WD},?\s*\(?\s*)?{_DAY}(?:st|nd|rd|th)?(?:\s+of)?\s+{_EN_M}"
                       rf"(?:,?\s+{_YEAR})?\)?(?![\w])")),
    ("mdy", re.compile(rf"\b(?:{_EN_WD},?\s*\(?\s*)?{_EN_M}\s+{_DAY}(?:st|nd|rd|th)?(?![\d\w])"
                       rf"(?:,?\s+{_YEAR})?\)?")),
    ("my", re.compile(rf"\b{_EN_M},?\s+(?:of\s+)?{_YEAR}")),
    ("m", re.compile(rf"\b(?P<ctx>in|since|during|until|till|by|from|to|of|early|late|mid|last|this|next|"
                     rf"end\s+of|beginning\s+of)[\s\-]+(?:early\s+|late\s+|mid-?)?{_EN_M}(?![\w])")),
]
# What may precede an Arabic day-month date and belongs to it: "الأربعاء 26 …", "يوم الاثنين 16 …", "يوم 16 …".
_AR_DATE_PREFIX = re.compile(
    rf"{_AR_START}[وف]?(?:(?:يوم\s+)?(?:{_AR_WEEKDAY_ALT}){_AR_END}\s*[,،]?\s*(?:يوم\s+)?|يوم\s+)$"
)
_AR_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("dmy", re.compile(rf"(?<!\d){_DAY}\s*(?:من\s+)?(?:شهر\s+)?[/\s]*{_AR_M}"
                       rf"(?:\s*[/,،\-]?\s*{_AR_YEAR_WORD}{_YEAR})?")),
    ("my", re.compile(rf"{_AR_START}[وفبل]?(?:شهر\s+)?{_AR_M}\s*[/,،\-]?\s*{_AR_YEAR_WORD}{_YEAR}")),
    ("m", re.compile(rf"{_AR_START}[وفبل]?(?P<ctx>شهر|في|خلال|منذ|حتي|مطلع|اواخر|اوائل|منتصف|نهايه|بدايه|اواسط)"
                     rf"\s+(?:شهر\s+)?{_AR_M}"
                     rf"(?:\s*(?P<rel>(?:من\s+)?(?:العام|السنه)\s+(?:الماضي|الماضيه|الحالي|الحاليه|الجاري)"
                     rf"|الماضي|المنصرم|الحالي|الجاري))?")),
]
# The look-behinds of the numeric patterns stand after their first digit ("1(?<![…]1)9" is "(?<![…])19"), so that
# each pattern starts with a character set the regex engine scans for instead of trying every position.
_NUMERIC = [
    ("iso", re.compile(r"(?P<year>(?:1(?<![\d/.\-]1)9|2(?<![\d/.\-]2)0)\d\d)-(?P<mon>[01]?\d)-(?P<day>[0-3]?\d)"
                       r"(?![\d/.\-])")),
    ("dmy_num", re.compile(r"(?P<day>\d(?<![\d/.\-]\d)(?:(?<=[0-3])\d)?)\s?(?P<sep>[/.\-])\s?(?P<mon>[01]?\d)\s?"
                           r"(?P=sep)\s?(?P<year>(?:19|20)\d\d)(?![\d/.\-])")),
]
_EN_WEEKDAY = re.compile(rf"\b(?:(?P<ctx>on|last|this|since|until|by|from|next)\s+)?{_EN_WD}"
                         rf"(?:\s+(?P<post>last|morning|afternoon|evening|night))?\b")
_AR_WEEKDAY = re.compile(rf"{_AR_START}[وفبل]?(?:(?P<ctx>يوم|امس|اليوم|صباح|مساء|ليل|ليله|ظهر|فجر|منذ)\s+)?"
                         rf"(?:(?:يوم|صباح|مساء|ليل|ليله|ظهر|فجر)\s+)?{_AR_WD}(?:\s+(?P<post>الماضي|المنصرم|المقبل))?")
_EN_RELATIVE = re.compile(
    r"\b(?P<phrase>yesterday|today|earlier\s+this\s+week|later\s+this\s+week|this\s+week|last\s+week|"
    r"earlier\s+this\s+month|this\s+month|last\s+month|earlier\s+this\s+year|this\s+year|last\s+year|"
    r"the\s+previous\s+day|the\s+day\s+before)\b"
)
_AR_RELATIVE = re.compile(
    rf"{_AR_START}[وفبل]?(?P<phrase>(?:ال)?يوم\s+(?P<day>[0-3]?\d)\s+من\s+(?:ال)?شهر\s+(?:الماضي|المنصرم|الحالي|الجاري)"
    rf"|(?P<day2>[0-3]?\d)\s+من\s+(?:ال)?شهر\s+(?:الماضي|المنصرم|الحالي|الجاري)"
    rf"|امس|البارحه|الاسبوع\s+(?:الماضي|المنصرم|الحالي|الجاري)|هذا\s+الاسبوع"
    rf"|الشهر\s+(?:الماضي|المنصرم|الحالي|الجاري)|هذا\s+الشهر"
    rf"|(?:العام|السنه)\s+(?:الماضي|الماضيه|المنصرم|الحالي|الحاليه|الجاري)|هذا\s+العام|هذه\s+السنه"
    rf"|العام\s+المنصرم"
    # «مساء اليوم», «صباح اليوم»: today, the day of the dateline («اليوم الثالث», «اليوم الدولي» are not)
    rf"|(?:صباح|مساء|ظهر|فجر|ليل|ليله)\s+اليوم(?!\s+ال)){_AR_END}"
)
_YEAR_ALONE = re.compile(r"(?P<year>(?:1(?<![\d,./:]1)(?<!\d[\-–]1)9[4-9]|2(?<![\d,./:]2)(?<!\d[\-–]2)0[0-4])\d)"
                         r"(?![\d/:%]|[.,]\d)")
# Words after a four-digit number that make it a count, not a year ("2000 prisoners").
_NOT_A_YEAR_AFTER = re.compile(
    r"\s*(?:people|persons|prisoners|detainees|inmates|men|women|children|fighters|soldiers|members|"
    r"civilians|cases|dead|killed|victims|families|معتقل|سجين|سجناء|شخص|اشخاص|مقاتل|عنصر|حال|طفل|اطفال|"
    r"امراه|نساء|قتيل|قتلي|جريح|ضحي|عائل|اسره|اسر|نزيل|نزلاء|موقوف|محتجز|مدني|km|كم|\$|دولار|ليره|%)",
)


# --- Helpers ------------------------------------------------------------------------------------------

def _valid(year: int, month: int, day: int | None = None) -> bool:
    if not 1900 <= year <= 2100 or not 1 <= month <= 12:
        return False
    if day is None:
        return True
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def _month_of(word: str) -> int | None:
    key = re.sub(f"[{DIACRITICS}]", "", word).rstrip(".").lower()
    key = re.sub(r"\s+", " ", key)
    if key in _EN_MONTHS:
        return _EN_MONTHS[key]
    return _AR_MONTHS.get(key)


def _weekday_of(word: str) -> int | None:
    key = re.sub(f"[{DIACRITICS}]", "", word).lower()
    if key in _EN_WEEKDAYS:
        return _EN_WEEKDAYS[key]
    return _AR_WEEKDAYS.get(key)


def _last_weekday(anchor: datetime.date, weekday: int, strictly_before: bool) -> datetime.date:
    back = (anchor.weekday() - weekday) % 7
    if back == 0 and strictly_before:
        back = 7
    return anchor - datetime.timedelta(days=back)


def _month_not_after(anchor: datetime.date, month: int, strictly_before: bool) -> int:
    year = anchor.year
    if month > anchor.month or (strictly_before and month == anchor.month):
        year -= 1
    return year


def _shift_month(anchor: datetime.date, months: int) -> tuple[int, int]:
    index = anchor.year * 12 + anchor.month - 1 + months
    return index // 12, index % 12 + 1


def _week_month(anchor: datetime.date, weeks_back: int) -> str | None:
    monday = anchor - datetime.timedelta(days=anchor.weekday() + 7 * weeks_back)
    end = anchor if weeks_back == 0 else monday + datetime.timedelta(days=6)
    if (monday.year, monday.month) != (end.year, end.month):
        return None
    return f"{monday.year:04d}-{monday.month:02d}"


def _capitalised(text: str, start: int) -> bool:
    return start < len(text) and text[start].isupper()


class _Collector:
    """Keeps mentions that do not overlap earlier (higher-priority) ones."""

    def __init__(self) -> None:
        self.mentions: list[DateMention] = []
        self.spans: list[tuple[int, int]] = []

    def free(self, start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in self.spans)

    def add(self, start: int, end: int, value: str, precision: str, relative: bool) -> None:
        if self.free(start, end):
            self.spans.append((start, end))
            self.mentions.append(DateMention(start, end, value, precision, relative))

    def block(self, start: int, end: int) -> None:
        """Reserve a span (a weekday that is part of a date already read) without reporting it."""
        self.spans.append((start, end))


def _before_taken(collector: _Collector, folded: str, end: int) -> bool:
    """True when a weekday directly precedes a date already read ("الأحد 6/7/2008"): it belongs to it."""
    gap = re.match(r"[\s,،(]{0,4}", folded[end:end + 4])
    reach = end + (gap.end() if gap else 0)
    return any(a == reach for a, _ in collector.spans)


def _day_value(year: int, month: int, day: int) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}"


def _full_date(collector: _Collector, match: re.Match[str], text: str, anchor: datetime.date | None,
               english: bool) -> None:
    """A day-month(-year) match, with the year from the anchor when the text gives none."""
    start, end = match.span()
    if not english:
        prefix = _AR_DATE_PREFIX.search(text, max(0, start - 30), start)
        if prefix:
            start = prefix.start()
    month = _month_of(match.group("month"))
    day = int(match.group("day"))
    if month is None:
        return
    if english and not _capitalised(text, match.start("month")):
        return
    year_text = match.group("year")
    if year_text:
        year = int(year_text)
        if _valid(year, month, day):
            collector.add(start, end, _day_value(year, month, day), "day", False)
        return
    if anchor is None:
        collector.block(start, end)
        return
    year = anchor.year
    if _valid(year, month, day) and datetime.date(year, month, day) > anchor:
        year -= 1
    if _valid(year, month, day):
        collector.add(start, end, _day_value(year, month, day), "day", True)


# --- Public API ---------------------------------------------------------------------------------------

def find_dates(text: str, *, language: str, anchor: datetime.date | None = None) -> list[DateMention]:
    """Every date mention in ``text``, in order of position (see the module docstring for the rules).

    ``language`` is ``en``, ``ar`` or ``mixed``/``und`` (both pattern sets run). Spans point into ``text``.
    """
    folded = fold(text)
    collector = _Collector()
    english = language != "ar" or bool(re.search("[a-z]", folded))
    arabic = language != "en" or bool(re.search("[\u0600-\u06ff]", folded))
    for _name, pattern in _NUMERIC:
        for match in pattern.finditer(folded):
            year, month, day = int(match.group("year")), int(match.group("mon")), int(match.group("day"))
            if _valid(year, month, day):
                collector.add(match.start(), match.end(), _day_value(year, month, day), "day", False)
    if english:
        _find_english(collector, text, folded, anchor)
    if arabic:
        _find_arabic(collector, folded, anchor)
    for match in _YEAR_ALONE.finditer(folded):
        if _NOT_A_YEAR_AFTER.match(folded, match.end()):
            continue
        collector.add(match.start(), match.end(), match.group("year"), "year", False)
    return sorted(collector.mentions, key=lambda mention: mention.start)


# Where the matches of a date pattern may start, found by patterns that start with a character set (which the regex
# engine scans for) instead of trying the pattern at every position: each match of a pattern starts at a run of
# digits, a month's name or a weekday's name, after a word boundary (``\\b``, or no digit before the day in Arabic).
_DIGITS = re.compile(r"\d+")
_EN_MONTH_NAME = re.compile(f"{_EN_FULL_ALT}|{_EN_ABBR_ALT}")
_EN_WEEKDAY_NAME = re.compile(_EN_WEEKDAY_ALT)
# The starts each pattern's matches may have: of day numbers, month names, weekday names.
_EN_STARTS = {"dmy": (True, False, True), "mdy": (False, True, True), "my": (False, True, False)}


def _starts(pattern: re.Pattern[str], folded: str) -> list[int]:
    return [match.start() for match in pattern.finditer(folded)]


def _matches_from(pattern: re.Pattern[str], folded: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """``pattern.finditer(folded)`` when every match starts at one of ``starts`` (in order) after a word boundary:
    none can then start inside the word or the run of digits of another start, so the same matches come out."""
    end = 0
    for start in starts:
        if start < end:
            continue
        match = pattern.match(folded, start)
        if match is not None:
            end = match.end()
            yield match


def _find_english(collector: _Collector, text: str, folded: str, anchor: datetime.date | None) -> None:
    weekdays = any(name in folded for name in _EN_WEEKDAYS)  # each weekday match names one: without any, none
    digits = _starts(_DIGITS, folded)
    months = _starts(_EN_MONTH_NAME, folded)
    weekday_names = _starts(_EN_WEEKDAY_NAME, folded) if weekdays else []
    for name, pattern in _EN_PATTERNS:
        if name in _EN_STARTS:
            by_day, by_month, by_weekday = _EN_STARTS[name]
            starts = sorted([*(digits if by_day else ()), *(months if by_month else ()), *weekday_names])
            matches: Iterable[re.Match[str]] = _matches_from(pattern, folded, starts)
        else:
            matches = pattern.finditer(folded)
        for match in matches:
            if not collector.free(*match.span()):
                continue
            if name in ("dmy", "mdy"):
                _full_date(collector, match, text, anchor, english=True)
                continue
            month = _month_of(match.group("month"))
            if month is None or not _capitalised(text, match.start("month")):
                continue
            if name == "my":
                year = int(match.group("year"))
                if _valid(year, month):
                    collector.add(match.start(), match.end(), f"{year:04d}-{month:02d}", "month", False)
            elif anchor is not None:
                ctx = match.group("ctx")
                if ctx in ("next",):
                    continue
                year = _month_not_after(anchor, month, strictly_before=ctx == "last")
                start = match.start() if ctx in ("early", "late", "mid", "last", "this") else match.start("month")
                collector.add(start, match.end(), f"{year:04d}-{month:02d}", "month", True)
    for match in _EN_WEEKDAY.finditer(folded) if weekdays else ():
        weekday = _weekday_of(match.group("weekday"))
        if weekday is None or not _capitalised(text, match.start("weekday")):
            continue
        ctx = match.group("ctx")
        if anchor is None or ctx in ("next",):
            continue
        if _before_taken(collector, folded, match.end("weekday")):
            continue
        strictly = ctx == "last" or match.group("post") == "last"
        day = _last_weekday(anchor, weekday, strictly)
        end = match.end("post") if match.group("post") == "last" else match.end("weekday")
        collector.add(match.start(), end, day.isoformat(), "day", True)
    if anchor is not None:
        for match in _EN_RELATIVE.finditer(folded):
            _relative_phrase(collector, match, anchor)


def _find_arabic(collector: _Collector, folded: str, anchor: datetime.date | None) -> None:
    relative = list(_AR_RELATIVE.finditer(folded))
    for match in relative:
        if anchor is None:
            collector.block(*match.span("phrase"))
            continue
        day_text = match.group("day") or match.group("day2")
        if day_text:
            phrase = match.group("phrase")
            months = 0 if ("الحالي" in phrase or "الجاري" in phrase) else -1
            year, month = _shift_month(anchor, months)
            day = int(day_text)
            if _valid(year, month, day):
                collector.add(match.start("phrase"), match.end("phrase"), _day_value(year, month, day), "day", True)
    for name, pattern in _AR_PATTERNS:
        for match in _matches_from(pattern, folded, _starts(_DIGITS, folded)) if name == "dmy" else pattern.finditer(folded):
            if not collector.free(*match.span()):
                continue
            if name == "dmy":
                _full_date(collector, match, folded, anchor, english=False)
                continue
            month_number = _month_of(match.group("month"))
            if month_number is None:
                continue
            month = month_number
            if name == "my":
                year = int(match.group("year"))
                if _valid(year, month):
                    collector.add(match.start("month"), match.end(), f"{year:04d}-{month:02d}", "month", False)
                continue
            ctx = match.group("ctx")
            if month == 8 and re.sub(f"[{DIACRITICS}]", "", match.group("month")) == "اب" and ctx != "شهر" \
                    and not match.group("dual"):
                continue  # "اب" is also "father": only "شهر آب" or with a day or year
            if anchor is None:
                continue
            rel = match.group("rel") or ""
            if "العام" in rel or "السنه" in rel:
                year = anchor.year - 1 if "الماضي" in rel else anchor.year
            else:
                year = _month_not_after(anchor, month, strictly_before=rel in ("الماضي", "المنصرم"))
            start = match.start("ctx") if ctx != "في" else match.start("month")
            collector.add(start, match.end(), f"{year:04d}-{month:02d}", "month", True)
    for match in _AR_WEEKDAY.finditer(folded):
        weekday = _weekday_of(match.group("weekday"))
        if weekday is None or anchor is None:
            continue
        post = match.group("post") or ""
        if post == "المقبل":
            continue
        ctx = match.group("ctx") or ""
        if ctx == "امس":
            resolved = anchor - datetime.timedelta(days=1)
        else:
            resolved = _last_weekday(anchor, weekday, strictly_before=post in ("الماضي", "المنصرم"))
        start = match.start("ctx") if ctx in ("يوم", "امس", "اليوم") else match.start("weekday")
        if _before_taken(collector, folded, match.end("weekday")):
            continue
        collector.add(start, match.end(), resolved.isoformat(), "day", True)
    if anchor is not None:
        for match in relative:
            if not (match.group("day") or match.group("day2")):
                _relative_phrase(collector, match, anchor)


def _relative_phrase(collector: _Collector, match: re.Match[str], anchor: datetime.date) -> None:
    """"yesterday", "this week", "الشهر الماضي", "last year" … resolved against the anchor."""
    phrase = re.sub(r"\s+", " ", match.group("phrase"))
    if phrase in ("the previous day", "the day before"):
        return  # relative to an event, not to the publication date
    past = "last" in phrase or "الماضي" in phrase or "المنصرم" in phrase
    value: str | None
    if phrase in ("yesterday", "امس", "البارحه"):
        value, precision = (anchor - datetime.timedelta(days=1)).isoformat(), "day"
    elif phrase == "today" or phrase.endswith("اليوم"):
        value, precision = anchor.isoformat(), "day"
    elif "week" in phrase or "الاسبوع" in phrase:
        value, precision = _week_month(anchor, 1 if past else 0), "month"
    elif "month" in phrase or "الشهر" in phrase:
        year, month = _shift_month(anchor, -1 if past else 0)
        value, precision = f"{year:04d}-{month:02d}", "month"
    else:
        value, precision = f"{anchor.year - (1 if past else 0):04d}", "year"
    if value is not None:
        collector.add(*match.span("phrase"), value, precision, True)


# --- Publication date ---------------------------------------------------------------------------------

_COPYRIGHT = re.compile(r"©|\(c\)|copyright|all rights reserved|جميع الحقوق|حقوق النشر|الحقوق محفوظه", re.I)
_LINE_NOISE = re.compile(
    r"(?:published|updated|posted|last\s+updated|first\s+published|date|on|at|gmt|utc|am|pm|"
    r"نشر|تاريخ|النشر|بتاريخ|في|اخر|تحديث|تم|مساء|صباحا|صباحاً|مساءً|ص|م|"
    r"[\d:]+|[^\w])+", re.I)
_DATELINE_SEP = re.compile(r"[,،\-–—:|]\s*$")
_DATELINE_AFTER = re.compile(r"\s*(?:\([^)]{1,40}\)\s*)?[\-–—|]")
_WORD = re.compile(r"[^\W\d_]+")
_BYLINE = re.compile(r"(?:^|\s)(?:by|written\s+by|author|بقلم|كتب|كتبه|الكاتب|المحرر|اعداد)\s|[|•·]", re.I)
_WEEKDAY_WORD = re.compile(rf"(?:{_EN_WEEKDAY_ALT}|{_AR_WEEKDAY_ALT})")


_DIGIT = re.compile(r"\d")


def _strip_weekday(prefix: str) -> str:
    return _WEEKDAY_WORD.sub(" ", prefix)


def _line_date(line: str, language: str) -> tuple[int, DateMention | None]:
    """(rank, date) for a line near the top: 2 for a city dateline, 1 for a date-only line, 0 for none."""
    if not _DIGIT.search(line) or _COPYRIGHT.search(line):
        return 0, None  # a dateline gives its day in figures
    mentions = [m for m in find_dates(line, language=language) if m.precision == "day" and not m.relative]
    if not mentions:
        return 0, None
    mention = mentions[0]
    before = fold(line[: mention.start])
    after = fold(line[mention.end:])
    rest = _LINE_NOISE.sub(" ", _strip_weekday(before) + " " + after).strip()
    if not rest:
        return 1, mention
    if len(line) <= 120 and _BYLINE.search(line) and len(_WORD.findall(rest)) <= 6:
        return 1, mention
    prefix_words = _WORD.findall(_strip_weekday(before))
    if 1 <= len(prefix_words) <= 5 and len(before) <= 60 and (
        _DATELINE_SEP.search(before) or _DATELINE_AFTER.match(after)
        or (prefix_words[-1] == "في" and _DATELINE_AFTER.match(after))
    ):
        if prefix_words[0].lower() not in ("on", "in", "since", "by", "until", "from", "منذ", "حتي", "بتاريخ"):
            return 2, mention
    return 0, None


def _head_dateline(text: str, language: str, start: int) -> tuple[int, DateMention] | None:
    """The best dateline among the first non-empty lines from ``start``: a city dateline wins at once."""
    best: tuple[int, DateMention] | None = None
    offset = start
    seen_lines = 0
    for line in text[start:start + 2500].split("\n"):
        if line.strip():
            seen_lines += 1
            rank, mention = _line_date(line, language)
            if mention is not None and (best is None or rank > best[0]):
                best = (rank, DateMention(offset + mention.start, offset + mention.end, mention.value, "day", False))
                if rank == 2:
                    break
            if seen_lines >= 10:
                break
        offset += len(line) + 1
    return best


def publication_date(text: str, *, language: str, source_url: str | None = None,
                     title: str | None = None) -> DateMention | None:
    """The publication date: a dateline near the top, else a date closing the text, else the URL's date.

    A date from the URL has the span ``(0, 0)``. Copyright lines ("© 2017", "جميع الحقوق محفوظة") never count.
    A dateline with no year ("DAMASCUS, May 6 (Reuters) -") takes its year from the URL when the URL has one.
    """
    best = _head_dateline(text, language, 0)
    if best is None and title and title.strip():
        # Page chrome can push the headline down: look at the lines around the title as well.
        at = text.find(title.strip()[:80])
        if at > 0:
            best = _head_dateline(text, language, text.rfind("\n", 0, max(0, at - 1)) + 1)
    if best is not None:
        return best[1]
    url_date = date_from_url(source_url) if source_url else None
    undated = _undated_dateline(text[:600], language)
    if undated is not None and url_date is not None:
        year = int(url_date[0][:4])
        start, end, month, day = undated
        if _valid(year, month, day):
            return DateMention(start, end, _day_value(year, month, day), "day", False)
    today = _today_in_lead(text[:1000], language)
    if today is not None:
        return today
    tail = _closing_date(text, language)
    if tail is not None:
        return tail
    if url_date is not None:
        return DateMention(0, 0, url_date[0], url_date[1], False)
    return None


_UNDATED_EN = re.compile(rf"^[^\n]{{0,60}}?[,\-–—]\s*{_EN_M}\s+{_DAY}\s*(?:\([^)\n]{{1,30}}\))?\s*[\-–—]", re.M)


_UNDATED_AR = re.compile(rf"^[^\n]{{0,40}}?[,،\-–—]\s*{_DAY}\s+{_AR_M}\s*(?:\([^)\n]{{1,30}}\))?\s*[\-–—]", re.M)


def _undated_dateline(head: str, language: str) -> tuple[int, int, int, int] | None:
    """"DAMASCUS, May 6 (Reuters) -", "دمشق، 6 أيار (رويترز) -": (start, end, month, day) of a dateline without a year."""
    folded = fold(head)
    match = _UNDATED_EN.search(folded) if language != "ar" else None
    if match and not _capitalised(head, match.start("month")):
        match = None
    if match is None and language != "en":
        match = _UNDATED_AR.search(folded)
    if match is None:
        return None
    month = _month_of(match.group("month"))
    if month is None:
        return None
    start = min(match.start("month"), match.start("day"))
    end = max(match.end("month"), match.end("day"))
    return start, end, month, int(match.group("day"))


_TODAY = re.compile(r"(?i)\btoday\b|(?<![\w\u0610-\u061a\u064b-\u065f])اليوم(?![\w\u0610-\u061a\u064b-\u065f])")


def _today_in_lead(head: str, language: str) -> DateMention | None:
    """A full date told as "today" in the lead ("issued today, Sunday 30 August 2020", «اليوم، الأحد 30 آب 2020»)."""
    match = _TODAY.search(head)
    if match is None:
        return None
    mentions = [m for m in find_dates(head, language=language) if m.precision == "day" and not m.relative]
    for mention in mentions:
        between = head[match.end():mention.start]
        rest = _strip_weekday(fold(between))
        if 0 <= mention.start - match.end() <= 25 and not _WORD.findall(rest) and not _DIGIT.search(rest):
            return DateMention(mention.start, mention.end, mention.value, "day", False)
    return None


def _closing_date(text: str, language: str) -> DateMention | None:
    """A full date ending the text (a signed-off date, "… الأحد 6/7/2008")."""
    stripped = text.rstrip()
    tail_start = max(0, len(stripped) - 60)
    tail = stripped[tail_start:]
    if _COPYRIGHT.search(tail):
        return None
    mentions = [m for m in find_dates(tail, language=language) if m.precision == "day" and not m.relative]
    if not mentions or mentions[-1].end < len(tail) - 2:
        return None
    last = mentions[-1]
    return DateMention(tail_start + last.start, tail_start + last.end, last.value, "day", False)


# --- Dates in URLs ------------------------------------------------------------------------------------

_URL_YMD = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)[/\-_.](?P<m>[01]?\d)[/\-_.](?P<d>[0-3]?\d)(?!\d)")
_URL_DMY = re.compile(r"(?<!\d)(?P<d>[0-3]?\d)[/\-_.](?P<m>[01]?\d)[/\-_.](?P<y>(?:19|20)\d\d)(?!\d)")
_URL_YM = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)/(?P<m>[01]?\d)(?:/|$)")
_URL_8 = re.compile(r"(?<!\d)(?P<digits>\d{8})(?!\d)")
_URL_Y = re.compile(r"/(?P<y>(?:199|20[0-3])\d)(?:/|$)")


def date_from_url(url: str) -> tuple[str, str] | None:
    """(value, precision) of a date in a URL path: /2016/05/06/, /2016/05/, 07/02/2017 (DMY), 09052016, 20130918."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    path = unquote(parts.path + ("?" + parts.query if parts.query else ""))
    if not parts.netloc and not path:
        return None
    for pattern in (_URL_YMD, _URL_DMY):
        match = pattern.search(path)
        if match:
            year, month, day = int(match.group("y")), int(match.group("m")), int(match.group("d"))
            if _valid(year, month, day):
                return _day_value(year, month, day), "day"
    for match in _URL_8.finditer(path):
        digits = match.group("digits")
        first = (int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        second = (int(digits[4:]), int(digits[2:4]), int(digits[:2]))
        for year, month, day in (first, second):
            if 1990 <= year <= 2039 and _valid(year, month, day):
                return _day_value(year, month, day), "day"
    match = _URL_YM.search(path)
    if match:
        year, month = int(match.group("y")), int(match.group("m"))
        if _valid(year, month):
            return f"{year:04d}-{month:02d}", "month"
    match = _URL_Y.search(path)
    if match:
        return match.group("y"), "year"
    return None


# --- Metadata values and date lines (what ingestion reads) -------------------------------------------

_COPYRIGHT = re.compile(r"©|\(c\)|copyright|all rights reserved|حقوق|محفوظة", re.IGNORECASE)
_DATE_LEAD = re.compile(
    r"^(?:published(?: on)?|posted(?: on)?|updated(?: on)?|date|issued(?: on)?|نشر(?: في| بتاريخ)?|"
    r"تاريخ(?: النشر| الصدور)?|بتاريخ|صدر(?: في| بتاريخ)?)\s*:?\s*",
    re.IGNORECASE,
)
_LINE_WEEKDAY = re.compile(
    r"^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|(?:يوم\s+)?(?:ال)?(?:سبت|أحد|احد|اثنين|إثنين|"
    r"ثلاثاء|أربعاء|اربعاء|خميس|جمعة))[\s,،]*",
    re.IGNORECASE,
)
_ISO_VALUE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
_INDIC_DIGITS = str.maketrans({**{chr(0x660 + d): str(d) for d in range(10)},
                               **{chr(0x6F0 + d): str(d) for d in range(10)}})


def find_date_spans(text: str) -> list[tuple[int, int, str, str]]:
    """Every full date of ``text`` in either language: ``(start, end, value, precision)``, by position.

    Dates that need an anchor and bare years are left out (they say nothing on their own).
    """
    return [(m.start, m.end, m.value, m.precision) for m in find_dates(text, language="mixed")
            if not m.relative and m.precision != "year"]


def parse_date(value: str) -> tuple[str, str] | None:
    """Parse one metadata value (ISO timestamp, ``19 تشرين الأول 2017``, ``October 19, 2017``, ``2017``)."""
    value = value.strip().translate(_INDIC_DIGITS)
    if not value:
        return None
    iso = _ISO_VALUE.match(value)
    if iso:
        year, month, day = (int(part) if part else None for part in iso.groups())
        assert year is not None
        if month is None:
            return (f"{year:04d}", "year") if 1900 <= year <= 2100 else None
        if not _valid(year, month, day):
            return None
        return (_day_value(year, month, day), "day") if day else (f"{year:04d}-{month:02d}", "month")
    spans = find_date_spans(value)
    return (spans[0][2], spans[0][3]) if spans else None


def is_date_line(line: str) -> bool:
    """True for a line that is (almost) only a date, with or without a weekday or «Published on»."""
    if _COPYRIGHT.search(line):
        return False
    body = _DATE_LEAD.sub("", line.strip().translate(_INDIC_DIGITS))
    body = _LINE_WEEKDAY.sub("", body).strip(" .،,:-–—()")
    spans = find_date_spans(body)
    return bool(spans) and (spans[0][1] - spans[0][0]) >= 0.75 * len(body)


def find_dateline(text: str, *, top_lines: int = 15) -> tuple[str, str] | None:
    """A publication date written near the top of the body, as a line of its own or a dateline.

    Looks at the first ``top_lines`` non-empty lines for a line that is (almost) only a date, or that
    starts with «Published:»/«بتاريخ» or «CITY, date —». Then looks for a line that is only a date
    anywhere. Copyright lines are skipped.
    """
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    for index, line in enumerate(lines):
        if not _DIGIT.search(line) or _COPYRIGHT.search(line) or len(line) > 400:
            continue  # every full date has a figure (its day or its year): a line without one has none
        digits = line.translate(_INDIC_DIGITS)
        body = _DATE_LEAD.sub("", digits)
        spans = find_date_spans(body)
        if not spans:
            continue
        start, end, value, precision = spans[0]
        date_only = (end - start) >= 0.6 * len(body.strip(" .،,:-–—()"))
        dateline = start <= 60 and re.match(r"^[^\W\d_][^\d\n]{0,58}[,،\-–—:]\s*$", body[:start]) is not None
        if date_only or (index < top_lines and (dateline or body != digits)):
            return value, precision
    return None
