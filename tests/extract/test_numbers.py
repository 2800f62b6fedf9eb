"""Numbers in words and digits, English and Arabic (dhakira.extract.numbers)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dhakira.extract.numbers import find_numbers, fold, parse_number


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("nine", 9),
        ("twenty-five", 25),
        ("Eighty-three", 83),
        ("one hundred and twelve", 112),
        ("two thousand three hundred", 2300),
        ("half a million", 500_000),
        ("a dozen", 12),
        ("1,200", 1200),
        ("3,500", 3500),
        ("1.5 million", 1_500_000),
        ("11 thousand", 11_000),
        ("130,000", 130_000),
    ],
)
def test_english(words: str, expected: int) -> None:
    assert parse_number(words, language="en") == expected


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("أربعة", 4),
        ("ثلاثين", 30),
        ("خمسة وعشرون", 25),
        ("خمسةً وعشرين", 25),
        ("خمسمائة", 500),
        ("ثلاث مئة", 300),
        ("مئتي", 200),
        ("خمسة عشر", 15),
        ("أحد عشر", 11),
        ("سبعة آلاف", 7000),
        ("ثلاثة آلاف وخمسمائة", 3500),
        ("نصف مليون", 500_000),
        ("١٢٠٠", 1200),
        ("١٬٢٠٠", 1200),
        ("11 ألف", 11_000),
        ("٢٥", 25),
        ("ألفي", 2000),
        ("ألفين", 2000),
        ("ألفاً", 1000),
        ("11 ألفاً", 11_000),
        ("خمسة وعشرين ألفاً", 25_000),
        ("مليوني", 2_000_000),
    ],
)
def test_arabic(words: str, expected: int) -> None:
    assert parse_number(words, language="ar") == expected


@pytest.mark.parametrize(
    ("words", "language"),
    [("dozens", "en"), ("hundreds", "en"), ("several hundred", "en"), ("tens of thousands", "en"),
     ("عشرات", "ar"), ("مئات", "ar"), ("آلاف", "ar"), ("عشرات الآلاف", "ar"), ("prison", "en"), ("", "en")],
)
def test_vague_or_not_a_number(words: str, language: str) -> None:
    assert parse_number(words, language=language) is None


def test_fold_keeps_offsets() -> None:
    text = "قُتل ٢٥ سجيناً في إدلب وأيار"
    folded = fold(text)
    assert len(folded) == len(text)
    assert "25" in folded and "ادلب" in folded and "ايار" in folded


def test_find_numbers_spans_and_clitics() -> None:
    text = "أُفرج عن 11 ألف معتقل وأربعة آخرين، وعشرات غيرهم، وأحد المعتقلين"
    found = find_numbers(text, language="ar")
    pieces = [(text[m.start:m.end], m.value) for m in found]
    assert ("11 ألف", 11_000) in pieces
    assert ("أربعة", 4) in pieces  # the conjunction و stays outside the span
    assert ("عشرات", None) in pieces
    assert all(piece != "أحد" for piece, _ in pieces)  # "one of the detainees" is not a number
    assert [m.vague for m in found if m.value is None] == [True]


def test_two_numbers_joined_by_and_stay_two() -> None:
    assert parse_number("three and five", language="en") is None
    assert parse_number("ثلاثة وخمسة", language="ar") is None
    for text, language in (("between three and five prisoners", "en"), ("بين ثلاثة وخمسة معتقلين", "ar")):
        assert [m.value for m in find_numbers(text, language=language)] == [3, 5]
    assert parse_number("three thousand two hundred and five", language="en") == 3205
    assert parse_number("ألفين وخمسمائة", language="ar") == 2500


def test_find_numbers_english_and_broken_thousands() -> None:
    text = "It held around 3,\n500 inmates; twenty-five were freed at 9:33 AM (A/HRC/31/CRP.1)."
    found = {text[m.start:m.end]: m.value for m in find_numbers(text, language="en")}
    assert found["3,\n500"] == 3500
    assert found["twenty-five"] == 25
    assert "9" not in found and "33" not in found and "31" not in found and "1" not in found


WORDS = ["more than", "نحو", "25", "١٢٠٠", "prisoners", "معتقلاً", "May", "أيار/مايو", "2016", "/", "-", "\n",
         "يوم الاثنين", "Monday", "at least", "ما لا يقل عن", "half a million", "خمسة وعشرين", "3,", "500", ":", "(",
         "No.", "رقم", "%", "aged", "Government forces:", "two", "ً", "ـ", "dozens", "عشرات", " ", "last", "الماضي"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=6)), max_size=25))
def test_finders_never_fail_and_spans_stay_inside(parts: list[str]) -> None:
    import datetime

    from dhakira.extract.counts import find_counts
    from dhakira.extract.dates import find_dates, publication_date

    text = " ".join(parts)
    for language in ("en", "ar", "mixed"):
        for number in find_numbers(text, language=language):
            assert 0 <= number.start < number.end <= len(text)
        for date in find_dates(text, language=language, anchor=datetime.date(2020, 2, 29)):
            assert 0 <= date.start < date.end <= len(text)
            assert len(date.value) == {"day": 10, "month": 7, "year": 4}[date.precision]
        for count in find_counts(text, language=language):
            assert 0 <= count.start < count.end <= len(text) and count.value > 0
        publication_date(text, language=language, source_url="https://example.org/2020/02/29/x")


def test_the_fold_of_a_long_text_kept_for_the_next_step_is_that_texts_own() -> None:
    first = "Adra Central Prison held ٣٠٠ detainees in أيار. " * 40
    second = "Saydnaya Prison held ١٢ detainees in آب. " * 40
    for text in (first, second, first, first[:-1], second):
        assert fold(text) == text.translate(str.maketrans({"٣": "3", "٠": "0", "١": "1", "٢": "2", "أ": "ا", "آ": "ا"})).lower()
