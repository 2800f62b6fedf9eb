"""Arabic duals are counts of two; vague amounts get a range and never a value."""

from __future__ import annotations

from dhakira.extract import extract_text
from dhakira.extract.quantities import find_duals, find_vague


def test_dual_with_fatha_and_nominative_dual() -> None:
    assert [(d.value, d.what) for d in find_duals("أصيب معتقلَين في السجن")] == [(2, "detainees")]
    assert [(d.value, d.what) for d in find_duals("أصيب معتقلان في السجن")] == [(2, "detainees")]


def test_sound_plural_without_fatha_is_not_a_dual() -> None:
    assert find_duals("أفرج عن المعتقلين في السجن") == []


def test_broken_plural_nouns_make_duals() -> None:
    assert [(d.value, d.what) for d in find_duals("قتل شخصين واعتقل امرأتين")] == [(2, "people"), (2, "women")]


def test_vague_amounts_have_ranges() -> None:
    found = {v.text: (v.low, v.high) for v in find_vague("اعتقلت القوات العشرات ثم مئات الآلاف، and dozens more")}
    assert found == {"العشرات": (20, 99), "مئات الآلاف": (200_000, 999_999), "dozens": (24, 99)}


def test_incident_keeps_vague_amounts_apart_from_counts() -> None:
    result = extract_text("اعتقلت قوات النظام العشرات من الشبان في مدينة درعا، وأصيب معتقلَان.")
    incident = result["incidents"][0]
    assert all(count["value"] != 20 for count in incident["counts"])
    assert incident["vague_counts"][0]["low"] == 20


def test_accusative_one_in_a_compound_number() -> None:
    result = extract_text("وثّقت المنظمة اعتقال واحداً وعشرين شخصاً في سجن عدرا.")
    assert 21 in {c["value"] for i in result["incidents"] for c in i["counts"]}


def test_feminine_duals_of_rounds_bodies_and_families_are_two() -> None:
    found = {(count.what, count.value) for count in find_duals("عقدت جولتين من الحوار وسلّمت جثتين إلى عائلتين.")}
    assert {("rounds", 2), ("bodies", 2), ("families", 2)} <= found
    assert find_duals("قضى في السجن سنتين وفي الستين من عمره.") == []


def test_vague_amounts_are_found_in_any_case_and_texts_without_their_words_hold_none() -> None:
    # A text is scanned only when it holds one of the pattern's words, compared case-folded as the pattern reads them.
    assert [quantity.text for quantity in find_vague("DOZENS were held; Hundreds Of Thousands fled; Scores more")] == \
        ["DOZENS", "Hundreds Of Thousands", "Scores"]
    assert [quantity.text for quantity in find_vague("اعتقل العشرات ونزح مئات الآلاف وآلاف")] == ["العشرات", "مئات الآلاف", "وآلاف"]
    assert find_vague("Some were held and many fled; اعتقل بعضهم") == []
