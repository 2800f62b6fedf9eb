"""Publication dates: parse a metadata value, or find a dateline near the top of the body.

Own patterns (English, Modern Standard Arabic and Levantine month names, Arabic-Indic digits, ISO and
day/month/year numbers); the result is ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` with its precision.
Lines that carry a copyright notice are never read for a date.
"""

from __future__ import annotations

import datetime as dt
import re

_DIGITS = str.maketrans({**{chr(0x660 + d): str(d) for d in range(10)}, **{chr(0x6F0 + d): str(d) for d in range(10)}})

_EN_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_AR_MONTHS = {
    "كانون الثاني": 1, "شباط": 2, "آذار": 3, "اذار": 3, "نيسان": 4, "أيار": 5, "ايار": 5, "حزيران": 6,
    "تموز": 7, "آب": 8, "اب": 8, "أيلول": 9, "ايلول": 9, "تشرين الأول": 10, "تشرين الاول": 10,
    "تشرين الثاني": 11, "كانون الأول": 12, "كانون الاول": 12,
    "يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "ابريل": 4, "إبريل": 4, "مايو": 5, "يونيو": 6,
    "يونيه": 6, "يوليو": 7, "يوليه": 7, "أغسطس": 8, "اغسطس": 8, "سبتمبر": 9, "أكتوبر": 10, "اكتوبر": 10,
    "نوفمبر": 11, "ديسمبر": 12,
}
_EN = "|".join(sorted(_EN_MONTHS, key=len, reverse=True))
_AR = "|".join(sorted(_AR_MONTHS, key=len, reverse=True))
_ORD = r"(?:st|nd|rd|th)?"
# Each pattern names its groups day, month (name) or mon (number), year.
_PATTERNS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"(?<!\d)(?P<year>\d{4})-(?P<mon>\d{1,2})-(?P<day>\d{1,2})(?!\d)",
        r"(?<!\d)(?P<year>\d{4})/(?P<mon>\d{1,2})/(?P<day>\d{1,2})(?!\d)",
        rf"\b(?P<month>{_EN})\.?\s+(?P<day>\d{{1,2}}){_ORD},?\s+(?P<year>\d{{4}})(?!\d)",
        rf"(?<!\d)(?P<day>\d{{1,2}}){_ORD}\s+(?:of\s+)?(?P<month>{_EN})\.?,?\s+(?P<year>\d{{4}})(?!\d)",
        rf"(?<!\d)(?P<day>\d{{1,2}})\s*[/\-]?\s*(?:من\s+)?(?:شهر\s+)?(?P<month>{_AR})"
        rf"(?:\s*[/(\-]\s*(?:{_AR})\s*\)?)?\s*(?:،|,|/|-)?\s*(?:(?:من\s+)?(?:عام|سنة)\s+)?(?P<year>\d{{4}})(?!\d)",
        r"(?<!\d)(?P<day>\d{1,2})[/.\-](?P<mon>\d{1,2})[/.\-](?P<year>\d{4})(?!\d)",
        rf"\b(?P<month>{_EN})\.?,?\s+(?P<year>\d{{4}})(?!\d)",
        rf"(?<![\w])(?:شهر\s+)?(?P<month>{_AR})(?:\s*[/(\-]\s*(?:{_AR})\s*\)?)?\s*(?:،|,|/|-)?\s*"
        rf"(?:(?:عام|سنة)\s+)?(?P<year>\d{{4}})(?!\d)",
    )
)
_COPYRIGHT = re.compile(r"©|\(c\)|copyright|all rights reserved|حقوق|محفوظة", re.IGNORECASE)
_DATE_LEAD = re.compile(
    r"^(?:published(?: on)?|posted(?: on)?|updated(?: on)?|date|issued(?: on)?|نشر(?: في| بتاريخ)?|"
    r"تاريخ(?: النشر| الصدور)?|بتاريخ|صدر(?: في| بتاريخ)?)\s*:?\s*",
    re.IGNORECASE,
)
_WEEKDAY = re.compile(
    r"^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|(?:يوم\s+)?(?:ال)?(?:سبت|أحد|احد|اثنين|إثنين|"
    r"ثلاثاء|أربعاء|اربعاء|خميس|جمعة))[\s,،]*",
    re.IGNORECASE,
)


def _value(year: int, month: int | None, day: int | None) -> tuple[str, str] | None:
    if not 1900 <= year <= 2100:
        return None
    if month is None:
        return f"{year:04d}", "year"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}", "month"
    try:
        dt.date(year, month, day)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}", "day"


def _from_match(match: re.Match[str]) -> tuple[str, str] | None:
    groups = match.groupdict()
    year = int(groups["year"])
    if groups.get("mon"):
        month: int | None = int(groups["mon"])
    elif groups.get("month"):
        name = groups["month"].casefold().rstrip(".")
        month = _EN_MONTHS.get(name) or _AR_MONTHS.get(groups["month"])
    else:
        month = None
    day = int(groups["day"]) if groups.get("day") else None
    return _value(year, month, day)


def find_dates(text: str) -> list[tuple[int, int, str, str]]:
    """All dates in a text: (start, end, value, precision), earliest position first, no overlaps."""
    text = text.translate(_DIGITS)
    found: list[tuple[int, int, str, str]] = []
    taken: list[tuple[int, int]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            parsed = _from_match(match)
            if parsed:
                found.append((match.start(), match.end(), *parsed))
                taken.append((match.start(), match.end()))
    return sorted(found)


def parse_date(value: str) -> tuple[str, str] | None:
    """Parse one metadata value (ISO timestamp, ``19 تشرين الأول 2017``, ``October 19, 2017``, ``2017``)."""
    value = value.strip().translate(_DIGITS)
    if not value:
        return None
    iso = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$", value)
    if iso:
        year, month, day = iso.groups()
        return _value(int(year), int(month) if month else None, int(day) if day else None)
    dates = find_dates(value)
    return (dates[0][2], dates[0][3]) if dates else None


def is_date_line(line: str) -> bool:
    """True for a line that is (almost) only a date, with or without a weekday or «Published on»."""
    if _COPYRIGHT.search(line):
        return False
    body = _DATE_LEAD.sub("", line.strip().translate(_DIGITS))
    body = _WEEKDAY.sub("", body).strip(" .،,:-–—()")
    dates = find_dates(body)
    return bool(dates) and (dates[0][1] - dates[0][0]) >= 0.75 * len(body)


def find_dateline(text: str, *, top_lines: int = 15) -> tuple[str, str] | None:
    """A publication date written near the top of the body, as a line of its own or a dateline.

    Looks at the first ``top_lines`` non-empty lines for a line that is (almost) only a date, or that
    starts with «Published:»/«بتاريخ» or «CITY, date —». Then looks for a line that is only a date
    anywhere. Copyright lines are skipped.
    """
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    for index, line in enumerate(lines):
        if _COPYRIGHT.search(line) or len(line) > 400:
            continue
        digits = line.translate(_DIGITS)
        body = _DATE_LEAD.sub("", digits)
        dates = find_dates(body)
        if not dates:
            continue
        start, end, value, precision = dates[0]
        date_only = (end - start) >= 0.6 * len(body.strip(" .،,:-–—()"))
        dateline = start <= 60 and re.match(r"^[^\W\d_][^\d\n]{0,58}[,،\-–—:]\s*$", body[:start]) is not None
        if date_only or (index < top_lines and (dateline or body != digits)):
            return value, precision
    return None
