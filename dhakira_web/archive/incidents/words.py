"""An incident in words, in the page's language: headline, dates, figures and grades.

All words come from vocabularies (``dhakira/schema/vocabularies.yaml``): ``incident_headlines``,
``months`` (the Levantine month names Syrian documents use), ``figure_phrases``, ``counted`` and
``information_credibility``. Ids such as ``at_least`` or ``suffocation_cases`` never reach a page.
"""

from __future__ import annotations

from dhakira.schema import term, vocabulary

PLACE_WORD = "{place}"


def _in(language: str) -> bool:
    return language.startswith("ar")


def date_words(date: str, language: str = "en") -> str:
    """``2016-05-06`` as "6 May 2016" or «6 أيار 2016»; a month or a year alone as far as it is known."""
    parts = (date or "").split("-")
    if not parts or not parts[0].isdigit():
        return ""
    year = parts[0]
    if len(parts) < 2:
        return year
    try:
        month = term("months", parts[1]).label(language)
    except KeyError:
        return date
    if len(parts) < 3 or not parts[2].isdigit():
        return f"{month} {year}"
    return f"{int(parts[2])} {month} {year}"


def headline_term(event_types: tuple[str, ...] | list[str]) -> str:
    """The event type that heads the title: the first given (they come most-reported first) with a headline."""
    known = {entry.id for entry in vocabulary("incident_headlines")}
    for kind in event_types:
        if kind in known and kind != "other":
            return kind
    return "other"


def headline(event_types: tuple[str, ...] | list[str], place_name: str, date: str, language: str = "en") -> str:
    """"Storming of Hama Central Prison, 6 May 2016" / «اقتحام سجن حماة المركزي، 6 أيار 2016»."""
    entry = term("incident_headlines", headline_term(event_types))
    if place_name:
        words = str(entry.get("ar_at" if _in(language) else "en_at") or entry.label(language)).replace(PLACE_WORD, place_name)
    else:
        words = entry.label(language)
    when = date_words(date, language)
    if when:
        words += ("، " if _in(language) else ", ") + when
    return words


def number_words(value: float) -> str:
    """A figure as digits, without a needless ``.0``, with thousands grouped in English."""
    number = int(value) if value == int(value) else value
    return f"{number:,}" if isinstance(number, int) else str(number)


def counted_name(what: str, language: str = "en", value: float | None = None) -> str:
    """What a figure counts ("cases of suffocation" / «حالة اختناق»); Arabic takes the plural for three to ten."""
    try:
        entry = term("counted", what)
    except KeyError:
        return what.replace("_", " ")
    if _in(language):
        plural = entry.get("ar_plural")
        if plural and (value is None or 3 <= value <= 10):
            return str(plural)
        return entry.ar
    return entry.en


def quantity(value: float, qualifier: str, language: str = "en") -> str:
    """The number with its qualifier as words: "at least 25", «نحو 2000», «25 على الأقل»."""
    try:
        pattern = str(term("figure_phrases", qualifier or "exact").label(language))
    except KeyError:
        pattern = "{n}"
    return pattern.replace("{n}", number_words(value) if not _in(language) else number_words(value).replace(",", ""))


def figure_words(value: float, qualifier: str, what: str, language: str = "en") -> str:
    """One figure as a phrase: "at least 25 cases of suffocation" / «25 حالة اختناق على الأقل»."""
    amount = quantity(value, qualifier, language)
    name = counted_name(what, language, value)
    if _in(language):
        number = number_words(value).replace(",", "")
        return amount.replace(number, f"{number} {name}", 1)
    return f"{amount} {name}"


def range_words(minimum: float, maximum: float, language: str = "en") -> str:
    """"25" when the sources agree, else "25 to 56" / «من 25 إلى 56»."""
    low, high = number_words(minimum), number_words(maximum)
    if _in(language):
        low, high = low.replace(",", ""), high.replace(",", "")
    if minimum == maximum:
        return low
    return f"من {low} إلى {high}" if _in(language) else f"{low} to {high}"


def grade_words(grade: str | int, language: str = "en") -> str:
    """An information grade with its words: "2 — Probably true" / «2 — مرجّح الصحة»."""
    try:
        entry = term("information_credibility", str(grade))
    except KeyError:
        return str(grade)
    return f"{entry.id} — {entry.label(language)}"


# The incident page's own headings, in both languages (kept here, beside the words they frame).
PAGE_WORDS: dict[str, tuple[str, str]] = {
    "figures": ("Figures, by what is counted", "الأرقام حسب المعدود"),
    "range": ("Range across sources", "المدى بين المصادر"),
    "sources_agree": ("The sources agree", "المصادر متفقة"),
    "no_figures": ("No figures were read from the reports.", "لم تُقرأ أرقام من التقارير."),
    "independence": ("Independent sources", "المصادر المستقلة"),
    "counts_with": ("counts with", "يُحتسب مع"),
    "grade": ("Credibility", "المصداقية"),
    "suggested": ("Suggested by the archive", "اقتراح الأرشيف"),
    "suggestion_note": ("A suggestion for a reviewer, not a final grade.", "اقتراح للمراجِع، وليس تقييماً نهائياً."),
    "reviewer_grades": ("Reviewers' grades", "تقييمات المراجعين"),
    "no_reviewer_grade": ("No reviewer has graded this incident yet.", "لم يقيّم أي مراجع هذه الحادثة بعد."),
    "timeline": ("Timeline of reports", "التسلسل الزمني للتقارير"),
    "not_counted": ("possible link, not counted", "ربط محتمل، لا يُحتسب"),
    "what_happened": ("What happened", "ما الذي جرى"),
    "place": ("Place", "المكان"),
    "date": ("Date", "التاريخ"),
    "event_types": ("Event types", "أنواع الأحداث"),
    "perpetrator": ("Perpetrator", "الجهة المسؤولة"),
    "status": ("Status", "الحالة"),
    "source": ("Source", "المصدر"),
    "corrected_from": ("corrected by a reviewer; the report's text read", "صحّحه مراجِع؛ وكان المقروء من نص التقرير"),
}


def page_words(language: str = "en") -> dict[str, str]:
    """The incident page's headings in ``language``."""
    return {key: pair[1] if _in(language) else pair[0] for key, pair in PAGE_WORDS.items()}
