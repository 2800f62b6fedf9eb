"""Arabic organisations outside the knowledge base, found by their head noun."""

from __future__ import annotations

from dhakira.extract import extract_text


def _named(text: str) -> list[str]:
    return [o["text"] for o in extract_text(text)["organisations"] if o["id"].startswith("org:named:")]


def test_office_with_a_place_in_its_name() -> None:
    assert _named("وثّق مكتب توثيق الشهداء في درعا مقتل ثلاثة أشخاص.") == ["مكتب توثيق الشهداء في درعا"]


def test_coordination_committee_of_a_town() -> None:
    assert _named("أصدرت تنسيقية مدينة دوما بياناً مساء الأربعاء.") == ["تنسيقية مدينة دوما"]


def test_definite_head_with_agreeing_adjectives() -> None:
    assert _named("وقالت اللجنة الأمنية والعسكرية إن الإفراج تم.") == ["اللجنة الأمنية والعسكرية"]


def test_head_noun_used_as_a_common_noun_is_not_an_organisation() -> None:
    assert _named("اعتمد التقرير على شبكة واسعة من المصادر، وقالت المنظمة إنها وثقت الحالات.") == []


def test_known_organisation_is_not_found_twice() -> None:
    result = extract_text("قالت الشبكة السورية لحقوق الإنسان إن قوات النظام اعتقلت ناشطين.")
    assert [o["id"] for o in result["organisations"]] == ["org:snhr"]


def test_a_ministry_written_in_lower_case_is_found() -> None:
    found = extract_text("The health ministry and the interior ministry gave no figures.", language="en")
    names = {organisation["canonical_en"] for organisation in found["organisations"]}
    assert {"Syrian Ministry of Health", "Syrian Ministry of Interior"} <= names
