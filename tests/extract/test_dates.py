"""Dates in running text, publication dates and dates in URLs (dhakira.extract.dates)."""

from __future__ import annotations

import csv
import datetime
import json
from pathlib import Path

import pytest

from dhakira.extract.dates import DateMention, date_from_url, find_dates, publication_date

ANCHOR = datetime.date(2017, 10, 19)  # a Thursday
EVAL_DEV = Path("/work/shared/eval-dev")


def found(text: str, language: str, anchor: datetime.date | None = ANCHOR) -> list[tuple[str, str, str, bool]]:
    """(surface, value, precision, relative) of every mention; the span must slice the surface."""
    mentions = find_dates(text, language=language, anchor=anchor)
    return [(text[m.start:m.end], m.value, m.precision, m.relative) for m in mentions]


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [
        ("The attack began on May 6th 2016 at dawn.", "May 6th 2016", "2016-05-06"),
        ("Released on 6 May 2016, he said.", "6 May 2016", "2016-05-06"),
        ("Geneva, October 19, 2017 - statement", "October 19, 2017", "2017-10-19"),
        ("Saturday, July 5, 2008", "Saturday, July 5, 2008", "2008-07-05"),
        ("Updated Sept. 18, 2013 9:33 AM", "Sept. 18, 2013", "2013-09-18"),
        ("Posted 30 December, 2014", "30 December, 2014", "2014-12-30"),
        ("the 3rd of March 2011 protests", "3rd of March 2011", "2011-03-03"),
        ("Filed 10/05/2016 in court.", "10/05/2016", "2016-05-10"),
        ("Filed 2016-05-10 in court.", "2016-05-10", "2016-05-10"),
    ],
)
def test_english_full_dates(text: str, surface: str, value: str) -> None:
    assert (surface, value, "day", False) in found(text, "en", anchor=None)


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [
        ("دمشق - ١٩ تشرين الأول ٢٠١٧ قال", "١٩ تشرين الأول ٢٠١٧", "2017-10-19"),
        ("في 6 أيار/مايو 2016 أفرج", "6 أيار/مايو 2016", "2016-05-06"),
        ("في 6 أيار (مايو) 2016 أفرج", "6 أيار (مايو) 2016", "2016-05-06"),
        ("الأربعاء 26 كانون الثاني/يناير 2022", "الأربعاء 26 كانون الثاني/يناير 2022", "2022-01-26"),
        ("01 / كانون الثاني / يناير / 2020", "01 / كانون الثاني / يناير / 2020", "2020-01-01"),
        ("بتاريخ 3 شباط من عام 2015", "3 شباط من عام 2015", "2015-02-03"),
        ("في 10 اكتوبر 2013 وصل", "10 اكتوبر 2013", "2013-10-10"),
        ("جنيف في ٢٩/٠٦/٢٠٢٣ -", "٢٩/٠٦/٢٠٢٣", "2023-06-29"),
        ("الثلاثاء 30 كانون الأول 2014", "الثلاثاء 30 كانون الأول 2014", "2014-12-30"),
    ],
)
def test_arabic_full_dates(text: str, surface: str, value: str) -> None:
    assert (surface, value, "day", False) in found(text, "ar", anchor=None)


@pytest.mark.parametrize(
    ("text", "language", "surface", "value"),
    [
        ("In November 2014 SNHR documented", "en", "November 2014", "2014-11"),
        ("خلال تموز 2018 وثقت الشبكة", "ar", "تموز 2018", "2018-07"),
        ("منذ أبريل 2013 يحاصر", "ar", "أبريل 2013", "2013-04"),
        ("في شهر آب 2012 نقل", "ar", "آب 2012", "2012-08"),
    ],
)
def test_month_precision(text: str, language: str, surface: str, value: str) -> None:
    assert (surface, value, "month", False) in found(text, language, anchor=None)


def test_year_alone_and_counts_that_look_like_years() -> None:
    mentions = found("Built in 1987, it held 2000 prisoners in 2011.", "en", anchor=None)
    assert ("1987", "1987", "year", False) in mentions
    assert ("2011", "2011", "year", False) in mentions
    assert all(surface != "2000" for surface, *_ in mentions)
    spans = [surface for surface, *_ in found("in mid-2013, and from 2011-2015 (Ref. 12-2014)", "en", anchor=None)]
    assert spans == ["2013", "2011"]


def test_weekdays_resolve_to_the_last_such_day_on_or_before_the_anchor() -> None:
    english = found("He said on Monday (16 October) that guards beat him on Tuesday.", "en")
    assert ("Monday (16 October)", "2017-10-16", "day", True) in english
    assert ("on Tuesday", "2017-10-17", "day", True) in english
    assert ("on Thursday", "2017-10-19", "day", True) in found("It was adopted on Thursday.", "en")
    arabic = found("أعلن يوم الاثنين أن المعتقلين بدأوا أمس السبت إضراباً", "ar")
    assert ("يوم الاثنين", "2017-10-16", "day", True) in arabic
    assert ("أمس السبت", "2017-10-18", "day", True) in arabic  # "yesterday" wins over the weekday
    assert ("الإثنين الماضي", "2017-10-16", "day", True) in found("منذ مساء الإثنين الماضي", "ar")


def test_relative_phrases_with_and_without_anchor() -> None:
    text = "Earlier this week the court met; last February it did not, and last year neither."
    with_anchor = found(text, "en")
    assert ("Earlier this week", "2017-10", "month", True) in with_anchor
    assert ("last February", "2017-02", "month", True) in with_anchor
    assert ("last year", "2016", "year", True) in with_anchor
    assert found(text, "en", anchor=None) == []
    assert found("on Monday and يوم الاثنين", "mixed", anchor=None) == []


def test_month_without_year_takes_the_anchor_year_but_never_a_later_date() -> None:
    assert ("16 October", "2017-10-16", "day", True) in found("Freed on 16 October.", "en")
    assert ("20 December", "2016-12-20", "day", True) in found("Arrested on 20 December.", "en")
    assert ("in March", "2017-03", "month", True) not in found("in March", "en")  # span starts at the month
    assert ("March", "2017-03", "month", True) in found("in March", "en")
    assert ("December", "2016-12", "month", True) in found("since December", "en")
    arabic = found("وفي منتصف شهر أيار (مايو) الماضي هاجم", "ar")
    assert ("منتصف شهر أيار (مايو) الماضي", "2017-05", "month", True) in arabic
    assert ("يوم 30 من الشهر المنصرم", "2017-09-30", "day", True) in found("العفو الصادر يوم 30 من الشهر المنصرم", "ar")
    assert ("آب-أغسطس من العام الماضي", "2016-08", "month", True) in found("عاد في آب-أغسطس من العام الماضي", "ar")


def test_noise_is_not_a_date() -> None:
    text = "We said it now. At 6:00 PM they may march. The father (أب) came. Decree No. 7 of 2022."
    surfaces = [surface for surface, *_ in found(text, "mixed")]
    assert surfaces == ["2022"]


def test_mentions_are_dataclasses_with_valid_spans() -> None:
    text = "Saturday, July 5, 2008: on Saturday 25 prisoners died."
    for mention in find_dates(text, language="en", anchor=datetime.date(2008, 7, 7)):
        assert isinstance(mention, DateMention)
        assert 0 <= mention.start < mention.end <= len(text)
        assert mention.precision in ("day", "month", "year")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/news/2016/05/06/some-title", ("2016-05-06", "day")),
        ("https://example.org/2014/05/blog-post_22.html", ("2014-05", "month")),
        ("https://example.org/a/07/02/2017/b", ("2017-02-07", "day")),
        ("https://example.org/article/09052016", ("2016-05-09", "day")),
        ("https://example.org/article/20130918/news/709189878", ("2013-09-18", "day")),
        ("https://example.org/story-2016-05-06-title", ("2016-05-06", "day")),
        ("https://example.org/blog/2014/12/03/2010/", ("2014-12-03", "day")),
        ("https://example.org/archive/2008/me_syria.html", ("2008", "year")),
        ("https://example.org/news/article/56650", None),
        ("https://2016.example.org/", None),
    ],
)
def test_date_from_url(url: str, expected: tuple[str, str] | None) -> None:
    assert date_from_url(url) == expected


def test_publication_date_from_datelines() -> None:
    cases = [
        ("Prison riot\nMonday, July 7, 2008\n\nGuards shot inmates on Saturday.", "en", "2008-07-07"),
        ("Headline here\nSome intro line.\nOctober 19, 2017\nBody text on 8 July, 2013.", "en", "2017-10-19"),
        ("دمشق - 19 تشرين الأول 2017 - قال ناشطون إن", "ar", "2017-10-19"),
        ("الثلاثاء 30 كانون الأول 2014\nقال المرصد", "ar", "2014-12-30"),
        ("Published on 03 Feb 2016\nGeneva, 8 February 2016 – The report", "en", "2016-02-08"),
        ("Title\nبقلم فلان\nنص الخبر.\nقتل السجناء بالرصاص الحي. الأحد 6/7/2008", "ar", "2008-07-06"),
    ]
    for text, language, value in cases:
        mention = publication_date(text, language=language)
        assert mention is not None and mention.value == value, text
        assert mention.precision == "day"


def test_publication_date_is_not_a_date_inside_a_sentence_or_a_footer() -> None:
    text = "Freed detainees\nOn 8 July, 2013, SNHR published a report.\nBody.\n© 2017 All rights reserved"
    assert publication_date(text, language="en") is None
    arabic = "عنوان\nنص الخبر عن السجن.\nجميع الحقوق محفوظة 2017"
    assert publication_date(arabic, language="ar") is None
    mention = publication_date(text, language="en", source_url="https://example.org/2014/05/29/report")
    assert mention is not None and (mention.value, mention.precision) == ("2014-05-29", "day")


def test_publication_date_undated_dateline_takes_the_url_year() -> None:
    text = "DAMASCUS, May 6 (Reuters) - Security forces stormed the prison."
    mention = publication_date(text, language="en", source_url="https://example.org/2016/05/")
    assert mention is not None and mention.value == "2016-05-06"
    assert text[mention.start:mention.end] == "May 6"


def test_publication_date_undated_arabic_dateline_and_byline() -> None:
    arabic = "دمشق، 6 أيار (رويترز) - اقتحمت قوات الأمن السجن."
    mention = publication_date(arabic, language="ar", source_url="https://example.org/2016/05/07/x")
    assert mention is not None and mention.value == "2016-05-06"
    assert arabic[mention.start:mention.end] == "6 أيار"
    byline = "Prison news\nBy Jane Doe | 12 March 2015\nThe report, dated 1 January 2015, says..."
    mention = publication_date(byline, language="en")
    assert mention is not None and mention.value == "2015-03-12"


def test_publication_date_near_a_title_below_page_chrome() -> None:
    chrome = "\n".join(f"Menu item {number}" for number in range(15))
    text = chrome + "\nDetainees freed\n19 October 2017\nBody text."
    assert publication_date(text, language="en") is None
    mention = publication_date(text, language="en", title="Detainees freed")
    assert mention is not None and mention.value == "2017-10-19"
    assert text[mention.start:mention.end] == "19 October 2017"


@pytest.mark.skipif(not (EVAL_DEV / "gold.jsonl").exists(), reason="eval-dev set not available")
def test_eval_dev_publication_dates_mostly_agree() -> None:
    urls = {row["path"].rsplit("/", 1)[-1]: row["source_url"]
            for row in csv.DictReader((EVAL_DEV / "manifest.csv").open(encoding="utf-8"))}
    agree = total = 0
    for line in (EVAL_DEV / "gold.jsonl").open(encoding="utf-8"):
        gold = json.loads(line)
        text = (EVAL_DEV / "corpus" / gold["doc"]).read_text(encoding="utf-8")
        mention = publication_date(text, language=gold["language"], source_url=urls.get(gold["doc"]))
        value = mention.value if mention else None
        if mention is not None and mention.end:
            assert 0 <= mention.start < mention.end <= len(text)
        expected = gold["published"]
        agree += (value is None) if expected is None else bool(value and value.startswith(expected))
        total += 1
    assert agree / total >= 0.8


def test_a_date_told_as_today_in_the_lead_is_the_publication_date() -> None:
    from dhakira.text.dates import publication_date

    text = "عنوان البيان\n\nتنشر الصحيفة نص البيان الذي أصدرته الرابطة اليوم، الأحد 30 آب 2020، بمناسبة اليوم الدولي."
    found = publication_date(text, language="ar")
    assert found is not None and found.value == "2020-08-30"
    text = "A title\n\nThe group said today, Sunday 30 August 2020, that ten men were held."
    found = publication_date(text, language="en")
    assert found is not None and found.value == "2020-08-30"
    text = "عنوان\n\nقالت الرابطة اليوم إن المعتقلين الذين اعتقلوا في 3 أيار 2020 نقلوا إلى سجن آخر."
    assert publication_date(text, language="ar") is None


def test_this_evening_in_arabic_is_the_day_of_the_dateline() -> None:
    anchor = datetime.date(2023, 11, 7)
    found = find_dates("أفرجت السلطات مساء اليوم عن معتقلين اثنين.", language="ar", anchor=anchor)
    assert [(mention.value, mention.precision) for mention in found] == [("2023-11-07", "day")]
    assert find_dates("يواصل المعتقلون إضرابهم لليوم الثالث منذ صباح اليوم الأول.", language="ar", anchor=anchor) == []


def test_dates_read_from_their_possible_starts_are_those_of_a_scan_of_every_position() -> None:
    # The day-month-year and month-year patterns are tried only where a run of digits, a month's name or a weekday's
    # name starts; on texts dense with digits, names, clitics and punctuation, the matches are those of finditer.
    import random

    from dhakira.extract.numbers import fold
    from dhakira.text import dates

    rng = random.Random(3)
    words = ["Monday", "tuesday,", "(Friday)", "12", "3rd", "31", "1", "May", "march", "Mar.", "Sept", "Jan", "2019", "1999",
             "of", "the", "on", "in", "a12", "12a", "x", "-", "/", ",", "\n", "2020-05-03", "3/4/2021", "summary",
             "الاثنين", "أيار", "آب", "شباط", "كانون الثاني", "يوم", "في", "شهر", "من", "١٢", "٢٠١٩", "وأيار", "15/", "-2018"]
    names = {"dmy", "mdy", "my"}
    for _ in range(3000):
        folded = fold(" ".join(rng.choice(words) for _ in range(rng.randint(1, 14))))
        digits = dates._starts(dates._DIGITS, folded)
        months = dates._starts(dates._EN_MONTH_NAME, folded)
        weekdays = dates._starts(dates._EN_WEEKDAY_NAME, folded)
        for name, pattern in dates._EN_PATTERNS:
            if name not in names:
                continue
            by_day, by_month, by_weekday = dates._EN_STARTS[name]
            starts = sorted([*(digits if by_day else ()), *(months if by_month else ()), *(weekdays if by_weekday else ())])
            assert [m.span() for m in dates._matches_from(pattern, folded, starts)] == \
                [m.span() for m in pattern.finditer(folded)], (name, folded)
        arabic = dict(dates._AR_PATTERNS)["dmy"]
        assert [m.span() for m in dates._matches_from(arabic, folded, digits)] == [m.span() for m in arabic.finditer(folded)]


def test_a_dateline_is_found_below_lines_without_figures() -> None:
    from dhakira.text.dates import find_dateline

    text = "Relatives waited outside the court\nNo news since the transfer\n\nPublished: 3 May 2021\n"
    assert find_dateline(text) == ("2021-05-03", "day")
    assert find_dateline("Relatives waited outside the court\n١٢ أيار ٢٠١٩") == ("2019-05-12", "day")
    assert find_dateline("Relatives waited outside the court\nNo news since the transfer") is None
