"""Publication dates and press-release headers."""

from __future__ import annotations

import pytest

from dhakira.ingest import read_bytes
from dhakira.ingest.dates import find_dateline, is_date_line, parse_date
from dhakira.ingest.header import read_header


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2017-10-19", ("2017-10-19", "day")),
        ("2017-10-19T08:00:00+03:00", ("2017-10-19", "day")),
        ("2017-10", ("2017-10", "month")),
        ("2017", ("2017", "year")),
        ("October 19, 2017", ("2017-10-19", "day")),
        ("19th of October 2017", ("2017-10-19", "day")),
        ("Sept. 18, 2013", ("2013-09-18", "day")),
        ("19 تشرين الأول 2017", ("2017-10-19", "day")),
        ("١٩ تشرين الأول ٢٠١٧", ("2017-10-19", "day")),
        ("6 أيار/مايو 2016", ("2016-05-06", "day")),
        ("01 / كانون الثاني / يناير / 2020", ("2020-01-01", "day")),
        ("19/10/2017", ("2017-10-19", "day")),
        ("شباط 2017", ("2017-02", "month")),
        ("May 2016", ("2016-05", "month")),
        ("2017-02-30", None),
        ("31/13/2017", None),
        ("no date here", None),
        ("", None),
    ],
)
def test_parse_date(value: str, expected: tuple[str, str] | None) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Title\n\nOctober 19, 2017\n\nBody text about the prison.", "2017-10-19"),
        ("Title\n\nPublished on 03 Feb 2016\n\nBody.", "2016-02-03"),
        ("BEIRUT, May 6, 2016 — Guards stormed the prison.", "2016-05-06"),
        ("اسطنبول، تركيا، 10 اكتوبر 2013، وكالات\n\nنص الخبر.", "2013-10-10"),
        ("Title\n\nThe riot began on 5 July 2008 when guards fired on prisoners who were protesting.", None),
        ("Title\n\nBody.\n\n© 2017 Rights Group. All rights reserved.", None),
        ("Title\n\nBody.\n\nجميع الحقوق محفوظة 19 تشرين الأول 2017", None),
        ("Title\n\nA long body paragraph.\n\nGeneva, 8 February 2016", "2016-02-08"),
    ],
)
def test_find_dateline(text: str, expected: str | None) -> None:
    found = find_dateline(text)
    assert (found[0] if found else None) == expected


def test_date_lines_are_not_titles() -> None:
    assert is_date_line("Saturday, July 5, 2008")
    assert is_date_line("الأربعاء 26 كانون الثاني/يناير 2022")
    assert not is_date_line("November 2014: 237 people tortured to death")
    document = read_bytes(b"Saturday, July 5, 2008\n\nRiot in Sednaya prison\n\nPrisoners took guards hostage.")
    assert document.title == "Riot in Sednaya prison"
    assert document.published == "2008-07-05"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A title\nPress release\nSyrian Coalition\nMedia Department\nOctober 19, 2017\nBody text.",
         ("press_release", "Syrian Coalition, Media Department")),
        ("عنوان البيان\nبيان صحفي\nالائتلاف الوطني السوري\n12 أيار 2016\nنص البيان.",
         ("press_release", "الائتلاف الوطني السوري")),
        ("A title\nStatement\nOctober 19, 2017\nBody.", ("statement", None)),
        ("A title\nThe report is long.\nBody.", (None, None)),
        ("Press Statement: A title\nPress Statement\nA title\nBody text follows here.", ("press_release", None)),
    ],
)
def test_read_header(text: str, expected: tuple[str | None, str | None]) -> None:
    title = text.split("\n", 1)[0]
    assert read_header(text, title) == expected


def test_ingestion_and_extraction_read_dates_alike() -> None:
    from dhakira.text.dates import find_dates

    line = "الأربعاء 20 شباط 2019"
    assert is_date_line(line)
    assert parse_date(line) == ("2019-02-20", "day")
    assert [m.value for m in find_dates(line, language="ar")] == ["2019-02-20"]
