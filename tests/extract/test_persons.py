"""Persons whose given name is not a known one, and words after a title that are no name: our own sentences."""

from __future__ import annotations

from dhakira.extract import extract_text


def _names(text: str, language: str) -> set[str]:
    return {item["text"] for item in extract_text(text, language=language)["persons"]}


def test_an_apposition_tells_an_unknown_name() -> None:
    names = _names("Odile Marchetti-Vance, the head of the mission for the region, said the visit went well.", "en")
    assert "Odile Marchetti-Vance" in names


def test_an_organisation_or_a_place_before_an_apposition_is_no_person() -> None:
    names = _names("Amnesty International, the rights group, said on Monday that Homs City, a large town, "
                   "was calm. Human Rights Watch, a monitoring group, agreed.", "en")
    assert names == set()


def test_a_title_of_a_place_before_the_name() -> None:
    names = _names("Governor of Hama Ra'ed Talhouni said that 40 detainees were freed.", "en")
    assert "Ra'ed Talhouni" in names


def test_a_possessive_is_not_part_of_a_name() -> None:
    names = _names("Activist Samir Haddad's brother was arrested in Homs.", "en")
    assert "Samir Haddad" in names


def test_a_preposition_after_an_arabic_title_starts_no_name() -> None:
    assert _names("صدر المرسوم القاضي بمنح عفو عام عن الجرائم المرتكبة.", "ar") == set()
    assert "بسام الأحمد" in _names("قال القاضي بسام الأحمد إن المحكمة أفرجت عن عشرة معتقلين.", "ar")


def test_a_single_name_introduced_as_a_name_is_a_person() -> None:
    names = _names("The journalist, who asked to be identified only by his first name, Hamid, was held for a week.",
                   "en")
    assert "Hamid" in names
    assert "Omar Kassem" in _names("A man named Omar Kassem was arrested at the checkpoint.", "en")


def test_a_group_or_a_campaign_named_so_is_no_person() -> None:
    assert _names("A faction named Liwa Tahrir ran the jail, and a campaign called Free Them began.", "en") == set()


def test_a_pseudonym_is_a_person() -> None:
    assert "Nightingale" in _names("The nurse, known by the code name \"Nightingale,\" smuggled lists of the dead "
                                   "out of the hospital.", "en")
    assert "Rima" in _names("\"Rima\" (not her real name), a pharmacist, spent a year in a security branch.", "en")
    assert "ورد" in _names("تروي \"ورد\" (اسم مستعار)، وهي ممرضة من حلب، ما جرى لها في الفرع.", "ar")
    assert "النسر" in _names("وقال المنشق المعروف باسم \"النسر\" إنه صوّر الجثث.", "ar")


def test_a_place_known_by_another_name_is_no_person() -> None:
    assert _names("The facility, known as the White House, held hundreds of detainees.", "en") == set()


def test_every_name_of_a_byline_is_a_person() -> None:
    text = ("Prison riot ends\n\nBy Hana Korvel and Piet Lindqvist\n\nBEIRUT (Reuters) - The riot ended.\n\n"
            "(Reporting by Ola Brenner and Tamsin Holt; Editing by Reza Quint)")
    names = _names(text, "en")
    assert {"Hana Korvel", "Piet Lindqvist", "Ola Brenner", "Tamsin Holt"} <= names
    assert "Reza Quint" not in names


def test_two_capitalised_words_that_speak_are_a_person() -> None:
    assert "Varek Osterby" in _names("Varek Osterby wrote on Facebook that his brother had died in custody.", "en")
    assert _names("Riverside Monitoring Network said three detainees died.", "en") == set()


def test_a_profession_before_a_name_is_a_title() -> None:
    assert "Tovan Reede" in _names("Painter Tovan Reede was arrested at a checkpoint; photographer Tovan Reede's "
                                   "family was told nothing.", "en")


def test_arabic_words_that_only_look_like_names() -> None:
    assert _names("ويشمل العفو كامل العقوبة في الجنح، وكامل العقوبة في المخالفات.", "ar") == set()
    assert _names("أوقفوني على حاجز جسر الرئيس وأنا عائدة من عملي.", "ar") == set()
    assert _names("لكن القاضي أجّل جلستي أربع مرات.", "ar") == set()
