"""Counts with qualifiers and counted nouns (dhakira.extract.counts)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dhakira.extract.counts import CountMention, find_counts

EVAL_DEV = Path("/work/shared/eval-dev")


def counts(text: str, language: str) -> list[tuple[str, int, str, str | None]]:
    """(phrase, value, qualifier, what) of every count; spans must be inside the text."""
    result = []
    for count in find_counts(text, language=language):
        assert isinstance(count, CountMention)
        assert 0 <= count.start < count.end <= len(text)
        if count.what_span is not None:
            assert 0 <= count.what_span[0] < count.what_span[1] <= len(text)
        result.append((text[count.start:count.end], count.value, count.qualifier, count.what))
    return result


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Guards reported at least 25 cases of suffocation in the wing.",
         ("at least 25 cases of suffocation", 25, "at_least", "suffocation_cases")),
        ("The prison holds more than 500 detainees.", ("more than 500 detainees", 500, "over", "detainees")),
        ("Among them were nine prisoners of conscience.", ("nine prisoners", 9, "exact", "prisoners")),
        ("It houses 1,200 inmates.", ("1,200 inmates", 1200, "exact", "prisoners")),
        ("They held about 400 hostages.", ("about 400 hostages", 400, "about", "hostages")),
        ("Up to 60 detainees were seen.", ("Up to 60 detainees", 60, "about", "detainees")),
        ("It can hold as many as 10,000 inmates.", ("as many as 10,000 inmates", 10000, "about", "prisoners")),
        ("Troops shot dead 25+ Islamist inmates.", ("25+ Islamist inmates", 25, "at_least", "killed")),
        ("Half a million people have been held.", ("Half a million people", 500000, "exact", "people")),
        ("The wing held an estimated 3,500 IS inmates.",
         ("an estimated 3,500 IS inmates", 3500, "about", "prisoners")),
        ("Seventeen people were wounded.", ("Seventeen people", 17, "exact", "injured")),
        ("Forty-eight of them women stayed.", ("Forty-eight of them women", 48, "exact", "women")),
    ],
)
def test_english_counts(text: str, expected: tuple[str, int, str, str]) -> None:
    assert expected in counts(text, "en")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("يضم السجن أكثر من 500 معتقل", ("أكثر من 500 معتقل", 500, "over", "detainees")),
        ("سجلت ما لا يقل عن 25 حالة اختناق", ("ما لا يقل عن 25 حالة اختناق", 25, "at_least", "suffocation_cases")),
        ("يحتجز فيه نحو 400 سجين", ("نحو 400 سجين", 400, "about", "prisoners")),
        ("اعتقل الأمن أربعة معتقلين جدد", ("أربعة معتقلين", 4, "exact", "arrested")),
        ("وصل إلى السجن ١٢٠٠ سجين", ("١٢٠٠ سجين", 1200, "exact", "prisoners")),
        ("حوكم خمسة وعشرين شاباً", ("خمسة وعشرين شاباً", 25, "exact", "men")),
        ("بأن أعداد المعتقلين فيه تجاوزت 11 ألف معتقل", ("تجاوزت 11 ألف معتقل", 11000, "over", "detainees")),
        ("أسفر الهجوم عن مقتل 7 من عناصر الشرطة", ("7 من عناصر", 7, "exact", "killed")),
        ("احتجز المتمردون نحو 400 من العسكريين كرهائن", ("نحو 400 من العسكريين", 400, "about", "hostages")),
        ("أطلقت السلطات سراح 73 شخصاً", ("73 شخصاً", 73, "exact", "released")),
        ("وقتل شخص واحد تحت التعذيب", ("شخص واحد", 1, "exact", "died_under_torture")),
        ("بلغ عدد المعتقلين فيه حوالي سبعة آلاف.", ("حوالي سبعة آلاف", 7000, "about", "detainees")),
        ("أعداد المفرج عنهم لا تتعدى 2600 سجين", ("لا تتعدى 2600 سجين", 2600, "about", "prisoners")),
        ("أصيب 23 مدنياً", ("23 مدنياً", 23, "exact", "injured")),
    ],
)
def test_arabic_counts(text: str, expected: tuple[str, int, str, str]) -> None:
    assert expected in counts(text, "ar")


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("The blast, killing 12 and wounding 30, hit the gate.", "en",
         [("12", 12, "exact", "killed"), ("30", 30, "exact", "injured")]),
        ("At least 13,000 people were hanged between 2011 and 2015.", "en",
         [("At least 13,000 people", 13000, "at_least", "executed")]),
        ("The number of detainees rose to 1,500.", "en", [("1,500", 1500, "exact", "detainees")]),
        ("Only 4 of the 50 detainees survived.", "en", [("50 detainees", 50, "exact", "detainees")]),
        ("حكمت المحكمة بالإعدام على 12 شخصاً", "ar", [("12 شخصاً", 12, "exact", "sentenced")]),
        ("أكثر من مئة ألف مختفٍ قسرياً", "ar", [("أكثر من مئة ألف مختفٍ", 100000, "over", "missing")]),
        ("ارتفعت حصيلة القتلى إلى 45 بعد الهجوم", "ar", [("45", 45, "exact", "killed")]),
        ("وثقت الشبكة مقتل 1234 شخصاً بسبب التعذيب", "ar", [("1234 شخصاً", 1234, "exact", "died_under_torture")]),
        ("اعتقلت قوات النظام 45 مدنياً بينهم 3 نساء", "ar",
         [("45 مدنياً", 45, "exact", "arrested"), ("3 نساء", 3, "exact", "women")]),
        ("Guards transferred 200 prisoners; 5 fainted.", "en", [("200 prisoners", 200, "exact", "transferred")]),
    ],
)
def test_whole_sentences(text: str, language: str, expected: list[tuple[str, int, str, str]]) -> None:
    assert counts(text, language) == expected


def test_toll_before_the_number_and_qualifier_only_counts() -> None:
    found = counts("A spokesman later raised the toll to 25. The count stood at over 30.", "en")
    assert ("25", 25, "exact", "killed") in found
    assert ("over 30", 30, "over", None) in found
    # a bare number with neither noun nor qualifier is not a count
    assert counts("The eldest is 25 and the youngest 15.", "en") == []


def test_list_lines_take_the_what_of_the_count_above() -> None:
    text = ("SNHR documented at least 237 victims who died under torture, by perpetrator:\n"
            "Government forces: 231\nArmed opposition factions: two\n")
    found = counts(text, "en")
    assert ("at least 237 victims", 237, "at_least", "victims") in found
    assert ("231", 231, "exact", "victims") in found
    assert ("two", 2, "exact", "victims") in found


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Legislative Decree No. 7 was issued.", "en"),
        ("He was held in Branch 235 for 30 days.", "en"),
        ("Muhammad, aged 31, and his 66-year-old mother.", "en"),
        ("They were handed 30-year sentences.", "en"),
        ("Some 35 kilometers from Damascus.", "en"),
        ("90% of the detainees have no charge.", "en"),
        ("Families paid $5000 to officials.", "en"),
        ("He called +963 11 223 4455 at 9:30 PM.", "en"),
        ("Article 12 of the law, paragraph 3.", "en"),
        ("On 6 May 2016 the guards came.", "en"),
        ("صدر المرسوم رقم 7 لعام 2022", "ar"),
        ("نقل إلى الفرع 215 حيث قضى 16 شهراً", "ar"),
        ("و90 % منهم دون تهمة", "ar"),
        ("دفعت العائلة 500 دولار", "ar"),
        ("على مدى السنوات الـ 12 الماضية", "ar"),
        ("يقع على بعد 10كم من دمشق", "ar"),
        ("المرسوم رقم /7/ الصادر", "ar"),
        ("أحد المعتقلين قال", "ar"),
        ("احتُجز عشرات المعتقلين ومئات السجناء وآلاف المدنيين", "ar"),
        ("Dozens of prisoners and hundreds of detainees.", "en"),
    ],
)
def test_not_counts(text: str, language: str) -> None:
    assert counts(text, language) == []


def test_event_cues_need_the_same_clause() -> None:
    found = counts("The prison held 1,500 prisoners. Later, guards killed a visitor.", "en")
    assert found == [("1,500 prisoners", 1500, "exact", "prisoners")]


@pytest.mark.skipif(not (EVAL_DEV / "gold.jsonl").exists(), reason="eval-dev set not available")
def test_eval_dev_count_values_are_found() -> None:
    true_positive = predicted = expected = 0
    for line in (EVAL_DEV / "gold.jsonl").open(encoding="utf-8"):
        gold = json.loads(line)
        text = (EVAL_DEV / "corpus" / gold["doc"]).read_text(encoding="utf-8")
        values = {count[1] for count in counts(text, gold["language"])}
        wanted = {c["value"] for incident in gold["incidents"] for c in incident["counts"]}
        true_positive += len(values & wanted)
        predicted += len(values)
        expected += len(wanted)
    assert true_positive / expected >= 0.7
    assert true_positive / predicted >= 0.5


def test_dates_passed_in_are_not_counts_and_not_found_again() -> None:
    from dhakira.extract.dates import find_dates

    text = "On 6 May 2016 guards killed 12 prisoners."
    dates = find_dates(text, language="en")
    assert [(c.value, c.what) for c in find_counts(text, language="en", dates=dates)] == [(12, "killed")]
    # with no dates given, the day of the month is still not a count
    assert [c.value for c in find_counts(text, language="en")] == [12]


def test_a_headline_s_round_figure_told_exactly_in_the_body_is_one_count() -> None:
    from dhakira.extract import extract_text

    text = ("More than 412,000 people detained in ten years, monitor says\n\nThe monitor estimates that 412,560 "
            "people were detained in Syrian prisons between 2011 and 2021, according to a report.")
    values = [count["value"] for incident in extract_text(text, language="en")["incidents"]
              for count in incident["counts"]]
    assert 412560 in values and 412000 not in values
    text = "At least 2,000 detainees were held in Hama Central Prison, and 2,450 were released in May."
    values = [count["value"] for incident in extract_text(text, language="en")["incidents"]
              for count in incident["counts"]]
    assert {2000, 2450} <= set(values)


def test_a_voweled_arabic_verb_still_tells_what_is_counted() -> None:
    assert counts("أُفرج عن أربعة منهم لاحقاً.", "ar") == [("أربعة", 4, "exact", "released")]
    assert ("ثلاثة", 3, "exact", "killed") in counts("وقُتل ثلاثة منهم في القصف.", "ar")


def test_mass_graves_are_counted() -> None:
    assert counts("عُثر في المنطقة على أكثر من عشر مقابر جماعية.", "ar") == [("أكثر من عشر مقابر جماعية", 10, "over", "mass_graves")]
    assert ("three mass graves", 3, "exact", "mass_graves") in counts("Teams found three mass graves near the town.", "en")


def _values(text: str, language: str) -> set[int]:
    return {count.value for count in find_counts(text, language=language)}


def test_a_part_of_people_counted_before_is_a_count() -> None:
    assert 300 in _values("The camp holds 2,000 detainees, 300 of whom are women.", "en")
    assert 60 in _values("أُفرج عن مئة معتقل من السجن، أكثر من ستين منهم من ريف حمص.", "ar")
    values = _values("Government forces made 74 of the month's arrests; armed groups accounted for the remaining 18.",
                     "en")
    assert {74, 18} <= values


def test_their_number_and_a_total_that_rises_to_a_figure_are_counts() -> None:
    assert 600 in _values("ويرفض المضربون، البالغ عددهم قرابة ستمئة، تناول الطعام.", "ar")
    assert 37 in _values("The number of prisoners who have died of disease in the central prison since January "
                         "this year has now risen to 37, the monitor said.", "en")


def test_photographs_nationalities_and_schoolchildren_are_counted() -> None:
    assert {4100, 12, 9} <= _values("Investigators hold 4,100 photographs of inmates from 12 nationalities; police "
                                    "arrested 9 schoolchildren.", "en")


def test_a_bare_figure_after_the_remaining_time_is_no_count() -> None:
    assert _values("The talks lasted for the remaining 3 hours of the night.", "en") == set()
