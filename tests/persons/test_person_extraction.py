"""Person extraction on sentences of our own: bylines, titles, lists joined by «و», roles."""

from __future__ import annotations

from dhakira.extract import extract_text


def _persons(text: str, language: str) -> dict[str, str | None]:
    return {item["text"]: item.get("role") for item in extract_text(text, language=language)["persons"]}


def test_arabic_lists_titles_and_relations() -> None:
    found = _persons("نقلت الإدارة ثلاثة معتقلين هم: سامر القنطار، ووسيم العلي، وفادي الشوفي. "
                     "وقالت شقيقته رنا الزعبي إن المتحدث باسم الهيئة لم يرد.", "ar")
    assert {"سامر القنطار", "وسيم العلي", "فادي الشوفي", "رنا الزعبي"} <= set(found)
    assert not any(name.startswith("باسم") for name in found)


def test_a_name_ends_at_its_family_name() -> None:
    found = _persons("ناشدت والدة المعتقل كنان الحسين المنظمات الدولية التدخل.", "ar")
    assert "كنان الحسين" in found and found["كنان الحسين"] == "detainee"


def test_english_titles_are_not_part_of_the_name() -> None:
    found = _persons("The prison director, Brigadier Ghassan Habib, denied it. Spokesman Fadel Abdul Ghany said so.", "en")
    assert "Ghassan Habib" in found and "Brigadier Ghassan Habib" not in found
    assert found["Fadel Abdul Ghany"] == "spokesperson"


def test_byline_author() -> None:
    found = _persons("Hunger strike in Adra\n\nBy Laila Haddad\n\nDetainees refused food on Sunday.", "en")
    assert found.get("Laila Haddad") == "author"
