"""The person matcher: spellings across scripts merge, different people and lone names do not."""

from __future__ import annotations

import pytest

from dhakira.persons import PersonContext, compare, known_persons, name_key, parse_name


@pytest.mark.parametrize(("left", "right"), [
    ("رزان زيتونة", "Razan Zaitouneh"),
    ("Mazen Darwish", "مازن درويش"),
    ("رياض الأسعد", "Riad Assaad"),
    ("Riad al-Asaad", "Riyad al-Asad"),
    ("عبد العزيز الخير", "Abdulaziz al-Khair"),
    ("Abdel Aziz al-Khayyer", "Abd al-Aziz al-Khayer"),
    ("Hamza al-Khateeb", "حمزه الخطيب"),
    ("Diaa al-Din Othman", "Diaeddin Osman"),
    ("عمر الحاج", "Umar Haj"),
])
def test_spellings_of_one_person_merge(left: str, right: str) -> None:
    result = compare(left, right)
    assert result.same, result
    assert result.features["given"] >= 0.8 and result.features["family"] >= 0.8


@pytest.mark.parametrize(("left", "right"), [
    ("Mazen Darwish", "Mazen Hamada"),
    ("Hassan Ali", "Hussein Ali"),
    ("محمود الحسين", "محمد الحسين"),
    ("Omar al-Shoghri", "Ammar al-Shoghri"),
])
def test_different_persons_stay_apart(left: str, right: str) -> None:
    assert not compare(left, right).same


@pytest.mark.parametrize(("left", "right"), [
    ("محمد", "محمد علي"), ("محمد", "Muhammad"), ("Islam", "Islam Dabbas"), ("أبو محمد", "Abu Mohammad al-Julani"),
    ("الأسعد", "Riad al-Asaad"),
])
def test_a_name_of_one_part_never_merges(left: str, right: str) -> None:
    result = compare(left, right)
    assert not result.same
    assert result.features.get("single_part") and "one part" in result.reason


def test_common_names_need_agreeing_context() -> None:
    alone = compare("Muhammad Hassan", "محمد حسن")
    assert not alone.same and alone.features["common_name"]
    here = PersonContext.of({"places": ["fac:saydnaya"], "years": [2016], "roles": ["detainee"]})
    there = PersonContext.of({"places": ["fac:saydnaya"], "years": [2016], "roles": ["detainee"]})
    assert compare("Muhammad Hassan", "محمد حسن", here, there).same
    elsewhere = PersonContext.of({"places": ["city:idlib"], "years": [2021], "roles": ["official"]})
    apart = compare("Muhammad Hassan", "محمد حسن", here, elsewhere)
    assert not apart.same and apart.features["context"] < 0


def test_context_keeps_namesakes_apart() -> None:
    here = PersonContext.of({"places": ["raqqa"], "years": [2013], "roles": ["victim"]})
    there = PersonContext.of({"places": ["aleppo"], "years": [2022], "roles": ["official"]})
    assert compare("Abdullah al-Khalil", "عبدالله الخليل").same
    assert not compare("Abdullah al-Khalil", "عبدالله الخليل", here, there).same


def test_knowledge_base_aliases_join_names_that_do_not_sound_alike() -> None:
    assert not compare("Bassel Safadi", "باسل خرطبيل").same
    result = compare("Bassel Safadi", "باسل خرطبيل", known=known_persons())
    assert result.same and result.features["known_person"] == "per:bassel-khartabil"


def test_parsing_drops_articles_titles_and_joins_compounds() -> None:
    assert [part.kind for part in parse_name("الدكتور عبد الرحمن بن علي").parts] == ["abd", "name"]
    assert [part.kind for part in parse_name("Abu Mohammad al-Julani").parts] == ["kunya", "name"]
    assert len(parse_name("Youssef Abdelke").parts) == 2 and parse_name("Youssef Abdelke").parts[1].kind == "name"
    assert parse_name("Sheikh").parts  # a title alone is kept as the name it is
    assert name_key("Razan Zaitouneh") == name_key("رزان زيتونة")
